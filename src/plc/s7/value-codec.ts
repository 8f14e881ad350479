// S7 values in PLC memory and back: big-endian numbers, STRING/WSTRING headers, S5TIME, BCD DATE_AND_TIME, DTL, LDT.
import type { PlcValue, ScalarValue } from "../values.ts";
import { DEFAULT_STRING_CHARS, elementBytes, type S7DataType } from "./data-types.ts";
import {
  dateOfDays,
  dateOfNanoseconds,
  daysSinceSiemensEpoch,
  decodeDateAndTime,
  decodeDtl,
  decodeS5Time,
  dtlTime,
  encodeDateAndTime,
  encodeDtl,
  encodeS5Time,
  nanosecondsOf,
} from "./date-time.ts";
import { S7ValueError } from "./errors.ts";

/** How a tag's value lies in memory: its type, element count, string length, and for BOOL the first bit. */
export interface S7ValueLayout {
  readonly type: S7DataType;
  readonly count: number;
  readonly stringLength?: number;
  /** 0..7: the bit of the first byte a BOOL (array) starts at. */
  readonly bitOffset?: number;
}

const MS_PER_DAY = 86_400_000;
const NS_PER_DAY = 86_400_000_000_000n;

/** Bytes a tag spans from its first byte: BOOLs the bytes their bits touch, others count × element size. */
export function layoutBytes(layout: S7ValueLayout): number {
  if (layout.type === "BOOL") return Math.ceil(((layout.bitOffset ?? 0) + layout.count) / 8);
  return layout.count * elementBytes(layout.type, layout.stringLength);
}

/**
 * The tag's value from `bytes` starting at `offset`; throws S7ValueError for bytes that hold no valid value. A reader
 * decoding many tags from one buffer passes `view`, a DataView over the same bytes, to spare one per tag.
 */
export function decodeS7Value(
  bytes: Uint8Array,
  offset: number,
  layout: S7ValueLayout,
  view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
): PlcValue {
  const needed = layoutBytes(layout);
  if (offset < 0 || offset + needed > bytes.length) {
    throw new S7ValueError(layout.type, "WRONG_LENGTH", `needs ${needed} bytes at ${offset}, ${bytes.length} given`);
  }
  if (layout.type === "BOOL") {
    const first = layout.bitOffset ?? 0;
    if (layout.count === 1) return (bytes[offset + (first >>> 3)]! & (1 << (first & 7))) !== 0;
    const bits = new Array<boolean>(layout.count);
    for (let index = 0; index < layout.count; index++) {
      const bit = first + index;
      bits[index] = (bytes[offset + (bit >>> 3)]! & (1 << (bit & 7))) !== 0;
    }
    return bits;
  }
  if (layout.count === 1) return decodeElement(view, offset, layout);
  const size = elementBytes(layout.type, layout.stringLength);
  const values = new Array<ScalarValue>(layout.count);
  for (let index = 0; index < layout.count; index++) values[index] = decodeElement(view, offset + index * size, layout);
  return values;
}

function decodeElement(view: DataView, at: number, layout: S7ValueLayout): ScalarValue {
  const { type } = layout;
  switch (type) {
    case "BYTE":
    case "USINT":
      return view.getUint8(at);
    case "SINT":
      return view.getInt8(at);
    case "WORD":
    case "UINT":
      return view.getUint16(at);
    case "INT":
      return view.getInt16(at);
    case "DWORD":
    case "UDINT":
      return view.getUint32(at);
    case "DINT":
      return view.getInt32(at);
    case "LWORD":
    case "ULINT":
      return view.getBigUint64(at);
    case "LINT":
      return view.getBigInt64(at);
    case "REAL":
      return view.getFloat32(at);
    case "LREAL":
      return view.getFloat64(at);
    case "CHAR":
      return String.fromCharCode(view.getUint8(at));
    case "WCHAR":
      return String.fromCharCode(view.getUint16(at));
    case "STRING":
      return decodeString(view, at, layout.stringLength ?? DEFAULT_STRING_CHARS, false);
    case "WSTRING":
      return decodeString(view, at, layout.stringLength ?? DEFAULT_STRING_CHARS, true);
    case "TIME":
      return { ms: view.getInt32(at) };
    case "LTIME":
      return { ns: view.getBigInt64(at) };
    case "S5TIME":
      return { ms: decodeS5Time(view.getUint16(at)) };
    case "DATE":
      return dateOfDays(view.getUint16(at));
    case "TIME_OF_DAY": {
      const ms = view.getUint32(at);
      if (ms >= MS_PER_DAY) throw new S7ValueError(type, "BAD_ENCODING", `${ms} ms is past midnight`);
      return { ms };
    }
    case "LTIME_OF_DAY": {
      const ns = view.getBigUint64(at);
      if (ns >= NS_PER_DAY) throw new S7ValueError(type, "BAD_ENCODING", `${ns} ns is past midnight`);
      return { ns };
    }
    case "DATE_AND_TIME":
      return decodeDateAndTime(view, at);
    case "DATE_AND_LTIME":
      return dateOfNanoseconds(view.getBigUint64(at));
    case "DTL":
      return decodeDtl(view, at);
    case "BOOL":
      throw new S7ValueError(type, "WRONG_TYPE", "BOOL elements are bits, not bytes");
  }
}

/**
 * A STRING (max, actual, chars) or WSTRING (16-bit max and actual, UTF-16 chars). An actual length above the string's
 * own maximum means the header is not a string's; one above the length the tag reads is cut to it, as PLC4X does.
 */
function decodeString(view: DataView, at: number, capacity: number, wide: boolean): string {
  const type = wide ? "WSTRING" : "STRING";
  const max = wide ? view.getUint16(at) : view.getUint8(at);
  const actual = wide ? view.getUint16(at + 2) : view.getUint8(at + 1);
  if (actual > max) throw new S7ValueError(type, "BAD_ENCODING", `actual length ${actual} exceeds its maximum ${max}`);
  const length = Math.min(actual, capacity);
  const start = at + (wide ? 4 : 2);
  const codes = Array.from({ length }, (_, index) =>
    wide ? view.getUint16(start + 2 * index) : view.getUint8(start + index),
  );
  return String.fromCharCode(...codes);
}

/**
 * The bytes of a value already checked against the tag's IEC type (coerceValue): an array of `count` when count > 1.
 * Throws S7ValueError where S7 is narrower than the IEC type (S5TIME steps, DATE_AND_TIME's century, DTL's years).
 * BOOL tags are written bit by bit (see boolsOf) and are refused here.
 */
export function encodeS7Value(value: PlcValue, layout: S7ValueLayout): Uint8Array {
  const bytes = new Uint8Array(layoutBytes(layout));
  encodeS7ValueInto(new DataView(bytes.buffer), 0, value, layout);
  return bytes;
}

/** encodeS7Value writing into `view` at `at` (a server filling a DB image), instead of new bytes. */
export function encodeS7ValueInto(view: DataView, at: number, value: PlcValue, layout: S7ValueLayout): void {
  if (layout.count === 1) {
    encodeElement(view, at, value as ScalarValue, layout);
    return;
  }
  const elements = value as readonly ScalarValue[];
  if (!Array.isArray(elements) || elements.length !== layout.count) {
    throw new S7ValueError(layout.type, "WRONG_LENGTH", `expected ${layout.count} elements`);
  }
  const size = elementBytes(layout.type, layout.stringLength);
  for (let index = 0; index < elements.length; index++)
    encodeElement(view, at + index * size, elements[index]!, layout);
}

function encodeElement(view: DataView, at: number, value: ScalarValue, layout: S7ValueLayout): void {
  const { type } = layout;
  const wrong = (): never => {
    throw new S7ValueError(type, "WRONG_TYPE", `cannot hold ${typeof value}`);
  };
  const num = () => (typeof value === "number" ? value : wrong());
  const big = () => (typeof value === "bigint" ? value : wrong());
  const text = () => (typeof value === "string" ? value : wrong());
  const date = () => (value instanceof Date ? value.getTime() : wrong());
  const ms = () => (typeof value === "object" && "ms" in value ? value.ms : wrong());
  const ns = () => (typeof value === "object" && "ns" in value ? value.ns : wrong());
  switch (type) {
    case "BYTE":
    case "USINT":
      view.setUint8(at, num());
      return;
    case "SINT":
      view.setInt8(at, num());
      return;
    case "WORD":
    case "UINT":
      view.setUint16(at, num());
      return;
    case "INT":
      view.setInt16(at, num());
      return;
    case "DWORD":
    case "UDINT":
      view.setUint32(at, num());
      return;
    case "DINT":
      view.setInt32(at, num());
      return;
    case "LWORD":
    case "ULINT":
      view.setBigUint64(at, big());
      return;
    case "LINT":
      view.setBigInt64(at, big());
      return;
    case "REAL":
      view.setFloat32(at, num());
      return;
    case "LREAL":
      view.setFloat64(at, num());
      return;
    case "CHAR":
      view.setUint8(at, text().charCodeAt(0));
      return;
    case "WCHAR":
      view.setUint16(at, text().charCodeAt(0));
      return;
    case "STRING":
    case "WSTRING":
      encodeString(view, at, text(), layout.stringLength ?? DEFAULT_STRING_CHARS, type === "WSTRING");
      return;
    case "TIME":
      view.setInt32(at, ms());
      return;
    case "LTIME":
      view.setBigInt64(at, ns());
      return;
    case "S5TIME":
      view.setUint16(at, encodeS5Time(ms()));
      return;
    case "DATE":
      view.setUint16(at, daysSinceSiemensEpoch(date()));
      return;
    case "TIME_OF_DAY":
      view.setUint32(at, ms());
      return;
    case "LTIME_OF_DAY": {
      const nanoseconds = ns();
      if (nanoseconds < 0n || nanoseconds >= NS_PER_DAY) {
        throw new S7ValueError(type, "OUT_OF_RANGE", `${nanoseconds} ns is outside 0..${NS_PER_DAY - 1n} ns`);
      }
      view.setBigUint64(at, nanoseconds);
      return;
    }
    case "DATE_AND_TIME":
      encodeDateAndTime(view, at, date());
      return;
    case "DATE_AND_LTIME":
      view.setBigUint64(at, nanosecondsOf(type, date()));
      return;
    case "DTL":
      encodeDtl(view, at, dtlTime(date()));
      return;
    case "BOOL":
      throw new S7ValueError(type, "WRONG_TYPE", "BOOL tags are written bit by bit");
  }
}

function encodeString(view: DataView, at: number, text: string, capacity: number, wide: boolean): void {
  const type = wide ? "WSTRING" : "STRING";
  if (text.length > capacity) {
    throw new S7ValueError(type, "OUT_OF_RANGE", `${text.length} characters do not fit in ${type}(${capacity})`);
  }
  if (wide) {
    view.setUint16(at, capacity);
    view.setUint16(at + 2, text.length);
    for (let index = 0; index < text.length; index++) view.setUint16(at + 4 + 2 * index, text.charCodeAt(index));
    return;
  }
  view.setUint8(at, capacity);
  view.setUint8(at + 1, text.length);
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code > 0xff) throw new S7ValueError(type, "OUT_OF_RANGE", `character ${index} does not fit in 8 bits`);
    view.setUint8(at + 2 + index, code);
  }
}

/** The bits of a BOOL tag's value (already checked): one per element. */
export function boolsOf(value: PlcValue, count: number): boolean[] {
  const bits = count === 1 ? [value] : (value as readonly ScalarValue[]);
  if (bits.length !== count || bits.some((bit) => typeof bit !== "boolean")) {
    throw new S7ValueError("BOOL", "WRONG_TYPE", `expected ${count} booleans`);
  }
  return bits as boolean[];
}
