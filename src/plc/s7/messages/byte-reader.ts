// Reads S7 frames and PDUs front to back, checking every length before use; and the big-endian writes every message shares.
import type { S7CodecError } from "../errors.ts";

/** Makes the error for a field that is missing, too short or out of range; each layer names its own. */
export type FieldFailure = (field: string, value: number, detail: string) => S7CodecError;

/**
 * A cursor over one frame or PDU. Every read first checks that the bytes are there, so a short message fails naming the
 * field it ends in; `end()` checks nothing is left over. Lengths from the wire are never used before they are checked.
 */
export class ByteReader {
  readonly #bytes: Uint8Array;
  readonly #fail: FieldFailure;
  #offset = 0;

  constructor(bytes: Uint8Array, fail: FieldFailure) {
    this.#bytes = bytes;
    this.#fail = fail;
  }

  get offset(): number {
    return this.#offset;
  }

  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  u8(field: string): number {
    this.#need(field, 1);
    return this.#bytes[this.#offset++]!;
  }

  u16(field: string): number {
    this.#need(field, 2);
    const value = (this.#bytes[this.#offset]! << 8) | this.#bytes[this.#offset + 1]!;
    this.#offset += 2;
    return value;
  }

  u24(field: string): number {
    this.#need(field, 3);
    const at = this.#offset;
    this.#offset += 3;
    return (this.#bytes[at]! << 16) | (this.#bytes[at + 1]! << 8) | this.#bytes[at + 2]!;
  }

  /** The next `length` bytes as a view (no copy). */
  bytes(field: string, length: number): Uint8Array {
    this.#need(field, length);
    const view = this.#bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return view;
  }

  /** Checks the message ends where its layout does: trailing bytes mean the sender's idea of the layout differs. */
  end(field = "length"): void {
    if (this.#offset !== this.#bytes.length) {
      throw this.#fail(
        field,
        this.#bytes.length,
        `${this.#bytes.length} bytes given, the message ends at ${this.#offset}`,
      );
    }
  }

  #need(field: string, count: number): void {
    const end = this.#offset + count;
    if (end > this.#bytes.length) {
      throw this.#fail(field, this.#bytes.length, `ends at ${this.#bytes.length} bytes, ${field} needs ${end}`);
    }
  }
}

export function writeU16(target: Uint8Array, offset: number, value: number): void {
  target[offset] = (value >>> 8) & 0xff;
  target[offset + 1] = value & 0xff;
}

export function writeU24(target: Uint8Array, offset: number, value: number): void {
  target[offset] = (value >>> 16) & 0xff;
  target[offset + 1] = (value >>> 8) & 0xff;
  target[offset + 2] = value & 0xff;
}

/** Checks an integer the caller gives fits its field; `fail` makes the error when it does not. */
export function checkRange(value: number, min: number, max: number, field: string, fail: FieldFailure): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw fail(field, value, `${field} ${value} is outside ${min}..${max}`);
  }
}
