// The data items of a Read Var response and a Write Var request: return code, transport size, length, data, padding.
import { S7PduError } from "../errors.ts";
import { type ByteReader, checkRange, writeU16 } from "./byte-reader.ts";

/** Transport sizes of data items; they say whether the length counts bits or bytes. */
export const DATA_TRANSPORT = {
  NULL: 0x00,
  BIT: 0x03,
  BYTE_WORD_DWORD: 0x04,
  INTEGER: 0x05,
  DINTEGER: 0x06,
  REAL: 0x07,
  OCTET_STRING: 0x09,
} as const;

/** The return code of a good item (see return-codes.ts); repeated here so the codec does not depend on the table. */
const SUCCESS = 0xff;

/** Return code, transport size, 2-byte length. */
export const DATA_ITEM_HEADER_LENGTH = 4;

/** One data item. A BIT item carries one byte per bit (0 or 1), as PLCs send single bits. */
export interface DataItem {
  /** 0xFF for a good read item; 0x00 in a write request. */
  readonly returnCode: number;
  readonly transportSize: number;
  readonly data: Uint8Array;
}

/** Whether the length field of `transportSize` counts bits (BYTE/WORD/DWORD and INTEGER) rather than bytes. */
function lengthInBits(transportSize: number): boolean {
  return transportSize === DATA_TRANSPORT.BYTE_WORD_DWORD || transportSize === DATA_TRANSPORT.INTEGER;
}

/** Bytes the items take on the wire: every item but the last is padded to an even length. */
export function dataItemsLength(lengths: readonly number[]): number {
  let total = 0;
  lengths.forEach((length, index) => {
    total += DATA_ITEM_HEADER_LENGTH + length + (index < lengths.length - 1 ? length % 2 : 0);
  });
  return total;
}

/** The items as they follow each other in a PDU's data part. */
export function encodeDataItems(items: readonly DataItem[], name: string): Uint8Array {
  const fail = (field: string, value: number, detail: string) => new S7PduError(name, field, value, detail);
  const bytes = new Uint8Array(dataItemsLength(items.map((item) => item.data.length)));
  let offset = 0;
  items.forEach((item, index) => {
    checkRange(item.returnCode, 0, 0xff, "returnCode", fail);
    checkRange(item.transportSize, 0, 0xff, "transportSize", fail);
    const length = lengthInBits(item.transportSize) ? item.data.length * 8 : item.data.length;
    checkRange(length, 0, 0xffff, "dataLength", fail);
    bytes[offset] = item.returnCode;
    bytes[offset + 1] = item.transportSize;
    writeU16(bytes, offset + 2, length);
    bytes.set(item.data, offset + DATA_ITEM_HEADER_LENGTH);
    offset += DATA_ITEM_HEADER_LENGTH + item.data.length;
    if (index < items.length - 1) offset += item.data.length % 2;
  });
  return bytes;
}

/**
 * Reads `count` items; data are views into the PDU. The padding byte after an odd item may hold anything. In a response
 * an item the PLC refused carries no data whatever its length field says: PLCs write 0 there, snap7's server 4.
 */
export function decodeDataItems(reader: ByteReader, count: number, side: "request" | "response"): DataItem[] {
  const items: DataItem[] = [];
  for (let index = 0; index < count; index++) {
    const returnCode = reader.u8("returnCode");
    const transportSize = reader.u8("transportSize");
    const length = reader.u16("dataLength");
    const refused = side === "response" && returnCode !== SUCCESS;
    const byteLength = refused ? 0 : lengthInBits(transportSize) ? Math.ceil(length / 8) : length;
    const data = reader.bytes("data", byteLength);
    // The last item is never padded: the PDU ends with its data.
    if (index < count - 1 && byteLength % 2 === 1) reader.bytes("padding", 1);
    items.push({ returnCode, transportSize, data });
  }
  return items;
}
