// The fields Modbus PDUs are built from (big-endian words, packed coil bits) and the checks every message codec shares.
import { hexByte, ModbusPduError, ModbusResponseMismatchError, type PduWhere } from "../errors.ts";
import { EXCEPTION, type ExceptionCode } from "./exception.ts";

/** The address space of every Modbus data table: addresses 0..65535, so address + quantity may reach 65536. */
export const ADDRESS_SPACE = 0x10000;

/** Throws the PDU error for `where`; a request's faults default to ILLEGAL DATA VALUE, as the spec's state charts do. */
export function fail(
  where: PduWhere,
  field: string,
  value: number,
  detail: string,
  exceptionCode: ExceptionCode = EXCEPTION.ILLEGAL_DATA_VALUE,
): never {
  throw new ModbusPduError(where, field, value, detail, exceptionCode);
}

/**
 * Reads a PDU front to back. Every read first checks that the bytes are there, so a short PDU fails naming the field
 * it ends in; `end()` then checks nothing is left over. Lengths from the wire are never used before they are checked.
 */
export class PduReader {
  readonly #pdu: Uint8Array;
  readonly #where: PduWhere;
  #offset = 0;

  constructor(pdu: Uint8Array, where: PduWhere) {
    this.#pdu = pdu;
    this.#where = where;
  }

  /** Reads the function code and checks it is the one this codec handles. */
  functionCode(): void {
    const functionCode = this.u8("functionCode");
    const expected = this.#where.functionCode;
    if (functionCode === expected) return;
    if (this.#where.side === "response") {
      throw new ModbusResponseMismatchError(this.#where, "functionCode", expected, functionCode);
    }
    fail(
      this.#where,
      "functionCode",
      functionCode,
      `function ${hexByte(functionCode)} is not this message's`,
      EXCEPTION.ILLEGAL_FUNCTION,
    );
  }

  u8(field: string): number {
    this.#need(field, 1);
    return this.#pdu[this.#offset++]!;
  }

  u16(field: string): number {
    this.#need(field, 2);
    const value = (this.#pdu[this.#offset]! << 8) | this.#pdu[this.#offset + 1]!;
    this.#offset += 2;
    return value;
  }

  /** The next `length` bytes as a view into the PDU (no copy). */
  bytes(field: string, length: number): Uint8Array {
    this.#need(field, length);
    const view = this.#pdu.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return view;
  }

  /** Checks the PDU ends where the message does: trailing bytes mean the sender's idea of the layout differs. */
  end(): void {
    if (this.#offset !== this.#pdu.length) {
      fail(
        this.#where,
        "length",
        this.#pdu.length,
        `PDU is ${this.#pdu.length} bytes, the message ends at ${this.#offset}`,
      );
    }
  }

  #need(field: string, count: number): void {
    const end = this.#offset + count;
    if (end > this.#pdu.length) {
      fail(this.#where, field, this.#pdu.length, `PDU ends at ${this.#pdu.length} bytes, ${field} needs ${end}`);
    }
  }
}

/** Writes a big-endian 16-bit word, the only multi-byte field type Modbus PDUs have. */
export function writeU16(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value >>> 8;
  target[offset + 1] = value & 0xff;
}

/** Checks a quantity of coils or registers is within 1..max (the limit that keeps a PDU within 253 bytes). */
export function checkQuantity(where: PduWhere, quantity: number, max: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > max) {
    fail(where, "quantity", quantity, `quantity ${quantity} is outside 1..${max}`);
  }
}

/** Checks a 16-bit field given by the caller (the wire cannot hold anything else). */
export function checkWord(where: PduWhere, field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
    fail(where, field, value, `${field} ${value} is outside 0..65535`);
  }
}

/** Checks the block [address, address + quantity) stays inside the 65536-entry table (ILLEGAL DATA ADDRESS if not). */
export function checkAddressRange(where: PduWhere, address: number, quantity: number): void {
  if (!Number.isInteger(address) || address < 0 || address > 0xffff) {
    fail(where, "address", address, `address ${address} is outside 0..65535`, EXCEPTION.ILLEGAL_DATA_ADDRESS);
  }
  if (address + quantity > ADDRESS_SPACE) {
    const detail = `address ${address} + quantity ${quantity} runs past 65535`;
    fail(where, "address", address, detail, EXCEPTION.ILLEGAL_DATA_ADDRESS);
  }
}

/** Checks a response echoes what the request asked for. */
export function expectEcho(where: PduWhere, field: string, expected: number, actual: number): void {
  if (expected !== actual) throw new ModbusResponseMismatchError(where, field, expected, actual);
}

/** Bytes needed for `quantity` coil states packed eight to a byte. */
export function packedBitBytes(quantity: number): number {
  return Math.ceil(quantity / 8);
}

/** Checks every coil state is a boolean, so a stray 1 or "on" is refused rather than silently written as OFF. */
export function checkBits(where: PduWhere, values: readonly boolean[]): void {
  const index = values.findIndex((value) => typeof value !== "boolean");
  if (index >= 0) {
    const value = values[index];
    fail(where, `values[${index}]`, Number(value), `values[${index}] is ${String(value)}, not a boolean`);
  }
}

/** Packs coil states into bytes: the first state in the lowest bit of the first byte, unused high bits zero. */
export function packBits(values: readonly boolean[], target: Uint8Array, offset: number): void {
  target.fill(0, offset, offset + packedBitBytes(values.length));
  values.forEach((value, index) => {
    if (value) target[offset + (index >>> 3)]! |= 1 << (index & 7);
  });
}

/** Unpacks `quantity` coil states; the padding bits of the last byte are ignored, whatever the device put there. */
export function unpackBits(bytes: Uint8Array, quantity: number): boolean[] {
  const values = new Array<boolean>(quantity);
  for (let index = 0; index < quantity; index++) values[index] = (bytes[index >>> 3]! & (1 << (index & 7))) !== 0;
  return values;
}
