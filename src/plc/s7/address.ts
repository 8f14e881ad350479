// PLC4X's S7 tag grammar (`%DB1.DBX0.0:BOOL`, `%DB444:8:REAL`, `%MW20:WORD`, `%I0.0`) → a typed S7Address.
import { describeCharAt, MAX_ELEMENT_COUNT } from "../data-type-spec.ts";
import { InvalidAddressError } from "../errors.ts";
import {
  DEFAULT_STRING_CHARS,
  MAX_STRING_CHARS,
  MAX_WSTRING_CHARS,
  S7_DATA_TYPES,
  S7_TYPE_INFO,
  type S7DataType,
  type SizeCode,
  s7TypeNamed,
} from "./data-types.ts";
import { AREA, MAX_BYTE_ADDRESS } from "./messages/var-item.ts";
import { layoutBytes } from "./value-codec.ts";

/** Inputs, outputs, markers (flags), data blocks, and direct peripheral access. */
export const S7_AREAS = ["I", "Q", "M", "DB", "D"] as const;
export type S7Area = (typeof S7_AREAS)[number];

/** The wire code of each area. */
export const AREA_CODE: Readonly<Record<S7Area, number>> = {
  I: AREA.INPUTS,
  Q: AREA.OUTPUTS,
  M: AREA.MARKERS,
  DB: AREA.DATA_BLOCKS,
  D: AREA.PERIPHERAL,
};

export interface S7Address {
  readonly area: S7Area;
  /** 1..65535 for DB, 0 for the other areas. */
  readonly dbNumber: number;
  readonly byteOffset: number;
  /** 0..7: the bit of a BOOL; 0 for the other types. */
  readonly bitOffset: number;
  readonly type: S7DataType;
  readonly count: number;
  /** Characters of a STRING/WSTRING (254 when the address gave none, as PLC4X reads). */
  readonly stringLength?: number;
  /** Bytes the tag spans from `byteOffset`. */
  readonly byteLength: number;
}

const SIZE_CODES: readonly SizeCode[] = ["X", "B", "W", "D"];
const SIZE_BYTES: Readonly<Record<Exclude<SizeCode, "X">, number>> = { B: 1, W: 2, D: 4 };
/** What a size code stands for when no type follows: `%MW20` is a WORD. */
const SIZE_DEFAULT: Readonly<Record<Exclude<SizeCode, "X">, S7DataType>> = { B: "BYTE", W: "WORD", D: "DWORD" };
const MAX_DB_NUMBER = 0xffff;
const FORMS = "%DB1.DBX0.0:BOOL, %DB1:4:REAL, %MW20:WORD or %I0.0";

/** One part of the address being read: the text, and a cursor whose errors name the column. */
class Cursor {
  readonly text: string;
  index = 0;

  constructor(text: string) {
    this.text = text;
  }

  get char(): string | undefined {
    return this.text[this.index];
  }

  error(found: string, expected: string, at = this.index): InvalidAddressError {
    return new InvalidAddressError(this.text, at + 1, found, expected);
  }

  here(): string {
    return describeCharAt(this.text, this.index);
  }

  /** Digits at the cursor as a number; `what` names them in the error when there are none. */
  number(what: string): { value: number; at: number } {
    const at = this.index;
    while (this.index < this.text.length && /[0-9]/.test(this.text[this.index]!)) this.index++;
    if (this.index === at) throw this.error(this.here(), what);
    // More than 9 digits is beyond every limit below; parsing them would only lose precision.
    if (this.index - at > 9) throw this.error(`'${this.text.slice(at, this.index)}'`, `${what} (too many digits)`, at);
    return { value: Number(this.text.slice(at, this.index)), at };
  }
}

/**
 * Parses an S7 tag address; throws InvalidAddressError naming the column and what was expected. Forms (the leading `%`
 * may be left out):
 * - `%DB{n}.DB{X|B|W|D}{byte}[.{bit}][:{type}]` as TIA Portal writes it, e.g. `%DB1.DBW2:INT`;
 * - `%DB{n}:{byte}[.{bit}]:{type}`, PLC4X's short form, e.g. `%DB444:8:REAL`;
 * - `%{I|Q|M|D}[X|B|W|D]{byte}[.{bit}][:{type}]`, e.g. `%Q0.4:BOOL`, `%MW20:WORD`, `%IW64:INT`.
 * The type may be followed by `(length)` for STRING/WSTRING and `[count]` for arrays. Without a type, a bit address is a
 * BOOL and a size letter names BYTE, WORD or DWORD.
 */
export function parseS7Address(address: string): S7Address {
  const cursor = new Cursor(address);
  if (cursor.char === "%") cursor.index++;
  const { area, dbNumber, short } = readArea(cursor);
  const sizeCode = short ? undefined : readSizeCode(cursor, area);
  const offset = cursor.number(area === "DB" && short ? "a byte offset after ':'" : "a byte offset");
  let bit: { value: number; at: number } | undefined;
  if (cursor.char === ".") {
    cursor.index++;
    bit = cursor.number("a bit offset 0..7");
    if (bit.value > 7) throw cursor.error(`bit ${bit.value}`, "a bit offset 0..7", bit.at);
  }
  if (offset.value > MAX_BYTE_ADDRESS) {
    throw cursor.error(`byte offset ${offset.value}`, `a byte offset 0..${MAX_BYTE_ADDRESS}`, offset.at);
  }
  let spec: TypeSpec;
  if (cursor.char === ":") {
    cursor.index++;
    spec = readTypeSpec(cursor);
  } else if (cursor.index < address.length) {
    throw cursor.error(
      cursor.here(),
      bit === undefined ? "'.' and a bit offset, or ':' and a data type" : "':' and a data type",
    );
  } else {
    spec = inferredType(cursor, sizeCode, bit !== undefined, short);
  }
  checkTypeFits(cursor, spec, sizeCode, bit);
  const layout = { type: spec.type, count: spec.count, stringLength: spec.stringLength, bitOffset: bit?.value ?? 0 };
  const byteLength = layoutBytes(layout);
  if (offset.value + byteLength - 1 > MAX_BYTE_ADDRESS) {
    const found = `${byteLength} bytes from byte ${offset.value}`;
    throw cursor.error(found, `a tag ending within byte ${MAX_BYTE_ADDRESS}`, offset.at);
  }
  return {
    area,
    dbNumber,
    byteOffset: offset.value,
    bitOffset: bit?.value ?? 0,
    type: spec.type,
    count: spec.count,
    ...(spec.stringLength === undefined ? {} : { stringLength: spec.stringLength }),
    byteLength,
  };
}

/** The area, and for data blocks the number and which form follows (`.DB…` or the short `:`). */
function readArea(cursor: Cursor): { area: S7Area; dbNumber: number; short: boolean } {
  const { text } = cursor;
  const start = cursor.index;
  if (text.startsWith("DB", start) && /[0-9]/.test(text[start + 2] ?? "")) {
    cursor.index += 2;
    const db = cursor.number("a DB number");
    if (db.value < 1 || db.value > MAX_DB_NUMBER) {
      throw cursor.error(`DB number ${db.value}`, `a DB number 1..${MAX_DB_NUMBER}`, db.at);
    }
    if (text.startsWith(".DB", cursor.index)) {
      cursor.index += 3;
      return { area: "DB", dbNumber: db.value, short: false };
    }
    if (cursor.char === ":") {
      cursor.index++;
      return { area: "DB", dbNumber: db.value, short: true };
    }
    throw cursor.error(cursor.here(), `'.DB' and a size letter (X, B, W, D), or ':' and a byte offset`);
  }
  const letter = cursor.char ?? "";
  if (letter === "C" || letter === "T") {
    throw cursor.error(`area '${letter}'`, "I, Q, M, DB or D (counters and timers are not supported)");
  }
  const area = S7_AREAS.find((name) => name === letter && name !== "DB");
  if (area === undefined) {
    const upper = letter.toUpperCase();
    const hint = upper !== letter && ["I", "Q", "M", "D"].includes(upper) ? ` ('${upper}': areas are upper case)` : "";
    throw cursor.error(
      letter === "" ? "end of address" : `'${letter}'`,
      `an area I, Q, M, DB or D${hint}, as in ${FORMS}`,
    );
  }
  cursor.index++;
  return { area, dbNumber: 0, short: false };
}

function readSizeCode(cursor: Cursor, area: S7Area): SizeCode | undefined {
  const code = SIZE_CODES.find((c) => c === cursor.char);
  if (code === undefined) {
    if (area === "DB" && !/[0-9]/.test(cursor.char ?? ""))
      throw cursor.error(cursor.here(), "a size letter X, B, W or D");
    return undefined;
  }
  cursor.index++;
  return code;
}

interface TypeSpec {
  readonly type: S7DataType;
  readonly count: number;
  readonly stringLength?: number;
  /** Where the type name starts, for errors about it. */
  readonly at: number;
}

function readTypeSpec(cursor: Cursor): TypeSpec {
  const { text } = cursor;
  const at = cursor.index;
  while (cursor.index < text.length && /[A-Za-z0-9_]/.test(text[cursor.index]!)) cursor.index++;
  const name = text.slice(at, cursor.index);
  if (name === "") throw cursor.error(cursor.here(), `a data type, one of ${S7_DATA_TYPES.join(", ")}`);
  const type = s7TypeNamed(name);
  if (type === undefined) {
    const upper = s7TypeNamed(name.toUpperCase());
    const expected =
      upper === undefined
        ? `one of ${S7_DATA_TYPES.join(", ")}`
        : `'${name.toUpperCase()}' (data types are upper case)`;
    throw cursor.error(`unknown data type '${name}'`, expected, at);
  }
  let stringLength: number | undefined;
  if (cursor.char === "(") {
    if (type !== "STRING" && type !== "WSTRING") {
      throw cursor.error(`a length after ${type}`, "'[' or end of address (only STRING and WSTRING take a length)");
    }
    const max = type === "STRING" ? MAX_STRING_CHARS : MAX_WSTRING_CHARS;
    stringLength = bracketed(cursor, ")", "a string length", max);
  } else if (type === "STRING" || type === "WSTRING") {
    stringLength = DEFAULT_STRING_CHARS;
  }
  let count = 1;
  if (cursor.char === "[") count = bracketed(cursor, "]", "an element count", MAX_ELEMENT_COUNT);
  if (cursor.index < text.length) {
    throw cursor.error(cursor.here(), count === 1 ? "'[' and an element count, or end of address" : "end of address");
  }
  return stringLength === undefined ? { type, count, at } : { type, count, stringLength, at };
}

/** `(n)` or `[n]` at the cursor (which is on the opening bracket), n in 1..max. */
function bracketed(cursor: Cursor, close: string, what: string, max: number): number {
  cursor.index++;
  const { value, at } = cursor.number(`${what} 1..${max}`);
  if (value < 1 || value > max) throw cursor.error(`${what} ${value}`, `${what} 1..${max}`, at);
  if (cursor.char !== close) throw cursor.error(cursor.here(), `'${close}'`);
  cursor.index++;
  return value;
}

/** The type an address without one stands for: BOOL for a bit, the size letter's type otherwise. */
function inferredType(cursor: Cursor, sizeCode: SizeCode | undefined, hasBit: boolean, short: boolean): TypeSpec {
  const at = cursor.index;
  if (hasBit && (sizeCode === undefined || sizeCode === "X")) return { type: "BOOL", count: 1, at };
  if (!short && sizeCode !== undefined && sizeCode !== "X") return { type: SIZE_DEFAULT[sizeCode], count: 1, at };
  throw cursor.error("end of address", `':' and a data type, as in ${FORMS}`);
}

function checkTypeFits(
  cursor: Cursor,
  spec: TypeSpec,
  sizeCode: SizeCode | undefined,
  bit: { value: number; at: number } | undefined,
): void {
  const { type } = spec;
  if (type === "BOOL") {
    if (bit === undefined)
      throw cursor.error(`BOOL without a bit offset`, "'.' and a bit 0..7 after the byte offset", spec.at);
    if (sizeCode !== undefined && sizeCode !== "X") {
      throw cursor.error(`size letter '${sizeCode}' with BOOL`, "X (or no size letter) for a bit", spec.at);
    }
    return;
  }
  if (bit !== undefined && bit.value !== 0) {
    throw cursor.error(`bit ${bit.value} with ${type}`, "a bit offset only for BOOL (or .0)", bit.at);
  }
  if (sizeCode === undefined) return;
  const info = S7_TYPE_INFO[type];
  const fits = sizeCode === "X" ? info.sizeCode === "X" : SIZE_BYTES[sizeCode] === info.bytes;
  if (!fits) {
    const letters = SIZE_CODES.filter((c) => (c === "X" ? info.sizeCode === "X" : SIZE_BYTES[c] === info.bytes));
    throw cursor.error(`size letter '${sizeCode}' with ${type}`, `${letters.join(" or ")} for ${type}`, spec.at);
  }
}
