// The 12-byte variable specification (S7ANY pointer) naming one item of a Read Var or Write Var request.
import { hexByte, S7PduError } from "../errors.ts";
import { type ByteReader, checkRange, writeU16, writeU24 } from "./byte-reader.ts";

export const VAR_ITEM_LENGTH = 12;
const SPECIFICATION_TYPE = 0x12;
const ADDRESS_LENGTH = 0x0a;
const SYNTAX_S7ANY = 0x10;

/** Memory areas by their wire code. */
export const AREA = {
  PERIPHERAL: 0x80,
  INPUTS: 0x81,
  OUTPUTS: 0x82,
  MARKERS: 0x83,
  DATA_BLOCKS: 0x84,
  INSTANCE_DATA_BLOCKS: 0x85,
  LOCAL_DATA: 0x86,
  COUNTERS: 0x1c,
  TIMERS: 0x1d,
} as const;

/** Transport sizes of a request item: the unit `count` is in. Fabrik asks for BIT and BYTE only; servers meet them all. */
export const TRANSPORT_SIZE = {
  BIT: 0x01,
  BYTE: 0x02,
  CHAR: 0x03,
  WORD: 0x04,
  INT: 0x05,
  DWORD: 0x06,
  DINT: 0x07,
  REAL: 0x08,
  DATE: 0x09,
  TIME_OF_DAY: 0x0a,
  TIME: 0x0b,
  S5TIME: 0x0c,
  DATE_AND_TIME: 0x0f,
  COUNTER: 0x1c,
  TIMER: 0x1d,
} as const;

const ELEMENT_BYTES: Readonly<Record<number, number>> = {
  [TRANSPORT_SIZE.BIT]: 1,
  [TRANSPORT_SIZE.BYTE]: 1,
  [TRANSPORT_SIZE.CHAR]: 1,
  [TRANSPORT_SIZE.WORD]: 2,
  [TRANSPORT_SIZE.INT]: 2,
  [TRANSPORT_SIZE.DWORD]: 4,
  [TRANSPORT_SIZE.DINT]: 4,
  [TRANSPORT_SIZE.REAL]: 4,
  [TRANSPORT_SIZE.DATE]: 2,
  [TRANSPORT_SIZE.TIME_OF_DAY]: 4,
  [TRANSPORT_SIZE.TIME]: 4,
  [TRANSPORT_SIZE.S5TIME]: 2,
  [TRANSPORT_SIZE.DATE_AND_TIME]: 8,
  [TRANSPORT_SIZE.COUNTER]: 2,
  [TRANSPORT_SIZE.TIMER]: 2,
};

/** Bytes one element of a transport size occupies (a BIT travels as one byte); undefined for sizes S7 does not define. */
export function elementBytes(transportSize: number): number | undefined {
  return ELEMENT_BYTES[transportSize];
}

/** The largest byte address: the address field holds byte × 8 + bit in 24 bits. */
export const MAX_BYTE_ADDRESS = 0x1fffff;

/** One item: `count` elements of `transportSize` at `byteAddress`.`bitAddress` of an area (and DB). */
export interface VarItem {
  readonly transportSize: number;
  readonly count: number;
  /** The DB number for DB and DI; 0 for the other areas. */
  readonly dbNumber: number;
  readonly area: number;
  readonly byteAddress: number;
  /** 0..7; only BIT items use it. */
  readonly bitAddress: number;
}

/** Writes `item` at `offset` of `target` (12 bytes); `name` is the message, for errors. */
export function encodeVarItem(item: VarItem, target: Uint8Array, offset: number, name: string): void {
  const fail = (field: string, value: number, detail: string) => new S7PduError(name, field, value, detail);
  checkRange(item.transportSize, 0, 0xff, "transportSize", fail);
  checkRange(item.count, 1, 0xffff, "count", fail);
  checkRange(item.dbNumber, 0, 0xffff, "dbNumber", fail);
  checkRange(item.area, 0, 0xff, "area", fail);
  checkRange(item.byteAddress, 0, MAX_BYTE_ADDRESS, "byteAddress", fail);
  checkRange(item.bitAddress, 0, 7, "bitAddress", fail);
  target[offset] = SPECIFICATION_TYPE;
  target[offset + 1] = ADDRESS_LENGTH;
  target[offset + 2] = SYNTAX_S7ANY;
  target[offset + 3] = item.transportSize;
  writeU16(target, offset + 4, item.count);
  writeU16(target, offset + 6, item.dbNumber);
  target[offset + 8] = item.area;
  writeU24(target, offset + 9, item.byteAddress * 8 + item.bitAddress);
}

/** Reads one item; other specification types and syntaxes (symbolic, NCK, DB read) are refused. */
export function decodeVarItem(reader: ByteReader, name: string): VarItem {
  const fail = (field: string, value: number, detail: string) => new S7PduError(name, field, value, detail);
  const specification = reader.u8("specificationType");
  if (specification !== SPECIFICATION_TYPE) {
    throw fail("specificationType", specification, `item specification ${hexByte(specification)} is not 0x12`);
  }
  const length = reader.u8("addressLength");
  if (length !== ADDRESS_LENGTH) throw fail("addressLength", length, `item address length ${length} is not 10`);
  const syntax = reader.u8("syntaxId");
  if (syntax !== SYNTAX_S7ANY) throw fail("syntaxId", syntax, `syntax id ${hexByte(syntax)} is not S7ANY (0x10)`);
  const transportSize = reader.u8("transportSize");
  const count = reader.u16("count");
  const dbNumber = reader.u16("dbNumber");
  const area = reader.u8("area");
  const address = reader.u24("address");
  return { transportSize, count, dbNumber, area, byteAddress: address >>> 3, bitAddress: address & 7 };
}
