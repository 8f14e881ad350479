// The on-disk frame of one buffered record: checksum, length and body, and the codec that never trusts either.
//
//   offset size
//   0      4    crc32 (LE) of bytes [4, 8 + bodyLength): the length field and the body
//   4      4    bodyLength (LE)
//   8      8    seq           f64 LE (an integer: the record's position in the log)
//   16     8    appendTime    f64 LE (ms since the epoch, when the buffer took the record: the age cap's clock)
//   24     8    timestamp     f64 LE (the Kafka record timestamp)
//   32     2+n  topic         u16 LE byte length + UTF-8
//          4+n  key           i32 LE byte length (-1 = null) + bytes
//          4+n  value         i32 LE byte length (-1 = null) + bytes
//          2    header count  u16 LE, then per header: u16 name length + UTF-8, i32 value length + bytes
// The checksum covers the length so that a damaged length is caught rather than followed.
import { crc32 } from "node:zlib";
import { BufferCorruptError, BufferRecordError } from "./errors.ts";

/** One record as the connector would produce it to Kafka. */
export interface BufferedRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Kafka record timestamp, ms since the epoch. */
  readonly timestamp: number;
  readonly headers?: readonly (readonly [string, Buffer])[];
}

const FRAME_HEADER_BYTES = 8;
const FIXED_BODY_BYTES = 8 + 8 + 8 + 2 + 4 + 4 + 2;
/** No record needs more; a larger length field is damage, not data. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const U16_MAX = 0xffff;

/** What reading at an offset found: a whole frame, too few bytes to tell, or bytes that are not a frame. */
export type FrameCheck =
  | { readonly kind: "frame"; readonly seq: number; readonly appendTime: number; readonly end: number }
  | { readonly kind: "short"; readonly needed: number }
  | { readonly kind: "damaged"; readonly reason: string };

/** Bytes the frame of `record` takes; throws BufferRecordError (naming record `index` of its batch) if it cannot fit. */
export function frameSize(record: BufferedRecord, index: number): number {
  const topicBytes = Buffer.byteLength(record.topic, "utf8");
  if (topicBytes > U16_MAX) throw new BufferRecordError(index, "topic", `is ${topicBytes} bytes, at most ${U16_MAX}`);
  let size = FRAME_HEADER_BYTES + FIXED_BODY_BYTES + topicBytes;
  size += record.key?.length ?? 0;
  size += record.value?.length ?? 0;
  const headers = record.headers ?? [];
  if (headers.length > U16_MAX)
    throw new BufferRecordError(index, "headers", `are ${headers.length}, at most ${U16_MAX}`);
  for (const [name, value] of headers) {
    const nameBytes = Buffer.byteLength(name, "utf8");
    if (nameBytes > U16_MAX)
      throw new BufferRecordError(index, "header name", `is ${nameBytes} bytes, at most ${U16_MAX}`);
    size += 2 + nameBytes + 4 + value.length;
  }
  if (size - FRAME_HEADER_BYTES > MAX_BODY_BYTES) {
    throw new BufferRecordError(index, "record", `is ${size} bytes, at most ${MAX_BODY_BYTES}`);
  }
  return size;
}

/** Writes the frame of `record` at `offset` (the caller sized `target` with frameSize) and returns where it ends. */
export function writeFrame(
  target: Buffer,
  offset: number,
  seq: number,
  appendTime: number,
  record: BufferedRecord,
): number {
  let at = offset + FRAME_HEADER_BYTES;
  at = target.writeDoubleLE(seq, at);
  at = target.writeDoubleLE(appendTime, at);
  at = target.writeDoubleLE(record.timestamp, at);
  const topicAt = at;
  at += 2;
  at += target.write(record.topic, at, "utf8");
  target.writeUInt16LE(at - topicAt - 2, topicAt);
  at = writeBytes(target, at, record.key);
  at = writeBytes(target, at, record.value);
  const headers = record.headers ?? [];
  at = target.writeUInt16LE(headers.length, at);
  for (const [name, value] of headers) {
    const nameAt = at;
    at += 2;
    at += target.write(name, at, "utf8");
    target.writeUInt16LE(at - nameAt - 2, nameAt);
    at = writeBytes(target, at, value);
  }
  target.writeUInt32LE(at - offset - FRAME_HEADER_BYTES, offset + 4);
  target.writeUInt32LE(crc32(target.subarray(offset + 4, at)), offset);
  return at;
}

function writeBytes(target: Buffer, at: number, bytes: Buffer | null): number {
  if (bytes === null) return target.writeInt32LE(-1, at);
  const next = target.writeInt32LE(bytes.length, at);
  return next + bytes.copy(target, next);
}

/**
 * Checks the frame at `offset` without decoding the record: its length, its checksum, and the position and append time
 * it carries. `short` means `source` ends inside the frame (at the end of a file: a torn write).
 */
export function checkFrame(source: Buffer, offset: number): FrameCheck {
  const available = source.length - offset;
  if (available < FRAME_HEADER_BYTES) return { kind: "short", needed: FRAME_HEADER_BYTES };
  const bodyLength = source.readUInt32LE(offset + 4);
  if (bodyLength < FIXED_BODY_BYTES || bodyLength > MAX_BODY_BYTES) {
    return { kind: "damaged", reason: `length field ${bodyLength} is outside ${FIXED_BODY_BYTES}..${MAX_BODY_BYTES}` };
  }
  const end = offset + FRAME_HEADER_BYTES + bodyLength;
  if (end > source.length) return { kind: "short", needed: FRAME_HEADER_BYTES + bodyLength };
  const expected = source.readUInt32LE(offset);
  const actual = crc32(source.subarray(offset + 4, end));
  if (expected !== actual)
    return { kind: "damaged", reason: `checksum ${hex(actual)} does not match ${hex(expected)}` };
  const seq = source.readDoubleLE(offset + FRAME_HEADER_BYTES);
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new BufferCorruptError("seq", offset, `is ${seq}, not a position`);
  }
  return { kind: "frame", seq, appendTime: source.readDoubleLE(offset + FRAME_HEADER_BYTES + 8), end };
}

/** Decodes the record of a frame that checkFrame accepted (`end` is its end); every length is checked first. */
export function decodeRecord(source: Buffer, offset: number, end: number): BufferedRecord {
  const reader = new BodyReader(source, offset, end);
  reader.skip(FRAME_HEADER_BYTES + 16);
  const timestamp = reader.double();
  const topic = reader.text("topic");
  const key = reader.bytes("key");
  const value = reader.bytes("value");
  const count = reader.u16("header count");
  const headers: [string, Buffer][] = [];
  for (let i = 0; i < count; i++) {
    const name = reader.text(`header ${i} name`);
    const headerValue = reader.bytes(`header ${i} value`);
    if (headerValue === null) throw new BufferCorruptError(`header ${i} value`, offset, "is null");
    headers.push([name, headerValue]);
  }
  reader.finish();
  return count === 0 ? { topic, key, value, timestamp } : { topic, key, value, timestamp, headers };
}

/** Sequential reads inside one frame's body that fail, naming the field, instead of reading past it. */
class BodyReader {
  readonly #source: Buffer;
  readonly #frame: number;
  readonly #end: number;
  #at: number;

  constructor(source: Buffer, frame: number, end: number) {
    this.#source = source;
    this.#frame = frame;
    this.#end = end;
    this.#at = frame;
  }

  skip(count: number): void {
    this.#take("body", count);
  }

  double(): number {
    return this.#source.readDoubleLE(this.#take("timestamp", 8));
  }

  u16(field: string): number {
    return this.#source.readUInt16LE(this.#take(field, 2));
  }

  text(field: string): string {
    const length = this.u16(`${field} length`);
    const at = this.#take(field, length);
    return this.#source.toString("utf8", at, at + length);
  }

  /** Copies the bytes out, so a record never pins a whole read chunk in memory. */
  bytes(field: string): Buffer | null {
    const length = this.#source.readInt32LE(this.#take(`${field} length`, 4));
    if (length === -1) return null;
    if (length < 0) throw new BufferCorruptError(`${field} length`, this.#frame, `is ${length}`);
    const at = this.#take(field, length);
    return Buffer.from(this.#source.subarray(at, at + length));
  }

  finish(): void {
    if (this.#at !== this.#end) {
      throw new BufferCorruptError("body", this.#frame, `has ${this.#end - this.#at} bytes after the last header`);
    }
  }

  #take(field: string, count: number): number {
    const at = this.#at;
    if (count > this.#end - at) {
      throw new BufferCorruptError(field, this.#frame, `needs ${count} bytes, the frame has ${this.#end - at} left`);
    }
    this.#at = at + count;
    return at;
  }
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, "0")}`;
}
