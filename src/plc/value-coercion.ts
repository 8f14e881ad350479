// Checks a JavaScript value against a tag's data type before a write, and normalises it to the form reads return.
import { type DataTypeSpec, formatDataTypeSpec } from "./data-type-spec.ts";
import { InvalidValueError } from "./errors.ts";
import { DATA_TYPE_INFO, type DataType, type Duration, type PlcValue, type ScalarValue } from "./values.ts";

/** The normalised value, or what is wrong with it (type, range or length) in words for the per-tag result. */
export type CoercionResult =
  | { readonly ok: true; readonly value: PlcValue }
  | { readonly ok: false; readonly message: string; readonly range?: string };

type ScalarResult =
  | { readonly ok: true; readonly value: ScalarValue }
  | { readonly ok: false; readonly message: string };

const MAX_REAL = 3.4028234663852886e38;
const MS_PER_DAY = 86_400_000;
const NS_PER_MS = 1_000_000n;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * Checks `value` against `spec` and returns it the way a read of that tag would: 64-bit integers as bigint, REAL rounded
 * to single precision, durations as `{ ms }`/`{ ns }`, dates as Date, and exactly `count` elements when `count > 1`.
 *
 * Accepted on top of the normal form, because writes usually arrive as JSON: 0/1 for BOOL; integer numbers and decimal
 * strings for 64-bit types (JSON numbers cannot carry them exactly); plain numbers for durations in the type's own unit
 * (ms for TIME and TIME_OF_DAY, ns for LTIME); ISO-8601 strings and epoch milliseconds for dates.
 */
export function coerceValue(spec: DataTypeSpec, value: unknown): CoercionResult {
  const name = formatDataTypeSpec(spec);
  if (spec.count === 1) {
    if (Array.isArray(value)) return fail(spec, `expected a single ${name}, got an array of ${value.length}`);
    const result = coerceScalar(spec, value);
    return result.ok ? result : fail(spec, result.message);
  }
  if (!Array.isArray(value))
    return fail(spec, `expected an array of ${spec.count} for ${name}, got ${describe(value)}`);
  if (value.length !== spec.count) {
    return fail(spec, `expected ${spec.count} elements for ${name}, got ${value.length}`);
  }
  const out: ScalarValue[] = [];
  for (let i = 0; i < value.length; i++) {
    const result = coerceScalar(spec, value[i]);
    if (!result.ok) return fail(spec, `element [${i}]: ${result.message}`);
    out.push(result.value);
  }
  return { ok: true, value: out };
}

/**
 * `coerceValue` for callers that want an exception (e.g. checking a constant in a sink's configuration): returns the
 * normalised value or throws InvalidValueError naming `tag`, the type and its range.
 */
export function requireValue(tag: string, spec: DataTypeSpec, value: unknown): PlcValue {
  const result = coerceValue(spec, value);
  if (result.ok) return result.value;
  throw new InvalidValueError(tag, formatDataTypeSpec(spec), result.message, result.range);
}

/** The values a type can hold, in words for messages (`-32768..32767`), or undefined for types without a range. */
export function describeRange(type: DataType): string | undefined {
  const info = DATA_TYPE_INFO[type];
  if (info.min !== undefined && info.max !== undefined) return `${info.min}..${info.max}`;
  switch (type) {
    case "REAL":
      return `-${MAX_REAL}..${MAX_REAL}`;
    case "TIME":
      return `${INT32_MIN}..${INT32_MAX} ms`;
    case "TIME_OF_DAY":
      return `0..${MS_PER_DAY - 1} ms`;
    case "LTIME":
      return `${INT64_MIN}..${INT64_MAX} ns`;
    default:
      return undefined;
  }
}

function fail(spec: DataTypeSpec, message: string): CoercionResult {
  const range = describeRange(spec.type);
  return range === undefined ? { ok: false, message } : { ok: false, message, range };
}

function coerceScalar(spec: DataTypeSpec, value: unknown): ScalarResult {
  const type = spec.type;
  switch (DATA_TYPE_INFO[type].kind) {
    case "bool":
      return coerceBool(value);
    case "integer":
      return coerceInteger(type, value);
    case "bigint":
      return coerceBigint(type, value);
    case "float":
      return coerceFloat(type, value);
    case "string":
      return coerceString(spec, value);
    case "duration":
      return coerceDuration(type, value);
    case "date":
      return coerceDate(type, value);
  }
}

function coerceBool(value: unknown): ScalarResult {
  if (typeof value === "boolean") return { ok: true, value };
  if (value === 0 || value === 0n) return { ok: true, value: false };
  if (value === 1 || value === 1n) return { ok: true, value: true };
  return { ok: false, message: `expected true or false (or 1/0) for BOOL, got ${describe(value)}` };
}

function coerceInteger(type: DataType, value: unknown): ScalarResult {
  let big: bigint;
  if (typeof value === "number" && Number.isInteger(value)) big = BigInt(value);
  else if (typeof value === "bigint") big = value;
  else return { ok: false, message: `expected an integer for ${type}, got ${describe(value)}` };
  const problem = outOfRange(type, big);
  return problem ? { ok: false, message: problem } : { ok: true, value: Number(big) };
}

function coerceBigint(type: DataType, value: unknown): ScalarResult {
  let big: bigint;
  if (typeof value === "bigint") big = value;
  else if (typeof value === "string" && /^-?[0-9]+$/.test(value)) big = BigInt(value);
  else if (typeof value === "number" && Number.isSafeInteger(value)) big = BigInt(value);
  else if (typeof value === "number" && Number.isInteger(value)) {
    return {
      ok: false,
      message: `${value} is not exact as a JavaScript number; pass a bigint or a decimal string for ${type}`,
    };
  } else
    return {
      ok: false,
      message: `expected an integer (bigint, number or decimal string) for ${type}, got ${describe(value)}`,
    };
  const problem = outOfRange(type, big);
  return problem ? { ok: false, message: problem } : { ok: true, value: big };
}

function outOfRange(type: DataType, value: bigint): string | undefined {
  const { min, max } = DATA_TYPE_INFO[type];
  if (min === undefined || max === undefined || (value >= min && value <= max)) return undefined;
  return `${value} is out of range for ${type} (${min}..${max})`;
}

function coerceFloat(type: DataType, value: unknown): ScalarResult {
  let number: number;
  if (typeof value === "number") number = value;
  else if (typeof value === "bigint") number = Number(value);
  else return { ok: false, message: `expected a number for ${type}, got ${describe(value)}` };
  if (type === "LREAL") return { ok: true, value: number };
  const single = Math.fround(number);
  // Infinity in, Infinity out is a real REAL value; a finite number that becomes Infinity does not fit.
  if (Number.isFinite(number) && !Number.isFinite(single)) {
    return { ok: false, message: `${number} is out of range for REAL (${describeRange("REAL")})` };
  }
  return { ok: true, value: single };
}

function coerceString(spec: DataTypeSpec, value: unknown): ScalarResult {
  const type = spec.type;
  if (typeof value !== "string") return { ok: false, message: `expected a string for ${type}, got ${describe(value)}` };
  const wide = type === "WCHAR" || type === "WSTRING";
  if (!wide) {
    // STRING and CHAR hold one byte per character; refusing wider characters beats writing mojibake to the PLC.
    const index = [...value].findIndex((char) => (char.codePointAt(0) ?? 0) > 0xff);
    if (index >= 0) {
      return {
        ok: false,
        message: `character ${JSON.stringify([...value][index])} at index ${index} does not fit in 8 bits; ${type} holds Latin-1 text (use W${type})`,
      };
    }
  }
  if (type === "CHAR" || type === "WCHAR") {
    return value.length === 1
      ? { ok: true, value }
      : { ok: false, message: `expected exactly one character for ${type}, got ${describe(value)}` };
  }
  if (spec.stringLength !== undefined && value.length > spec.stringLength) {
    const name = `${type}(${spec.stringLength})`;
    return { ok: false, message: `${value.length} characters do not fit in ${name} (at most ${spec.stringLength})` };
  }
  return { ok: true, value };
}

function coerceDuration(type: DataType, value: unknown): ScalarResult {
  if (type === "LTIME") return coerceLongDuration(value);
  let ms: number;
  if (typeof value === "number") ms = value;
  else if (isObjectWith(value, "ms") && typeof value.ms === "number") ms = value.ms;
  else return { ok: false, message: `expected { ms } or a number of milliseconds for ${type}, got ${describe(value)}` };
  if (!Number.isInteger(ms)) return { ok: false, message: `${type} holds whole milliseconds, got ${ms} ms` };
  const [min, max] = type === "TIME_OF_DAY" ? [0, MS_PER_DAY - 1] : [INT32_MIN, INT32_MAX];
  if (ms < min || ms > max) return { ok: false, message: `${ms} ms is out of range for ${type} (${min}..${max} ms)` };
  const duration: Duration = { ms };
  return { ok: true, value: duration };
}

function coerceLongDuration(value: unknown): ScalarResult {
  let ns: bigint;
  if (typeof value === "bigint") ns = value;
  else if (typeof value === "number" && Number.isSafeInteger(value)) ns = BigInt(value);
  else if (isObjectWith(value, "ns") && typeof value.ns === "bigint") ns = value.ns;
  else if (isObjectWith(value, "ms") && typeof value.ms === "number" && Number.isSafeInteger(value.ms)) {
    ns = BigInt(value.ms) * NS_PER_MS;
  } else {
    return {
      ok: false,
      message: `expected { ns }, { ms } or a number of nanoseconds for LTIME, got ${describe(value)}`,
    };
  }
  if (ns < INT64_MIN || ns > INT64_MAX) return { ok: false, message: `${ns} ns is out of range for LTIME` };
  const duration: Duration = { ns };
  return { ok: true, value: duration };
}

function coerceDate(type: DataType, value: unknown): ScalarResult {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === "number") ms = value;
  else if (typeof value === "string" && /^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(value)) ms = Date.parse(value);
  else
    return {
      ok: false,
      message: `expected a Date, an ISO-8601 string or epoch milliseconds for ${type}, got ${describe(value)}`,
    };
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return { ok: false, message: `${describe(value)} is not a valid date for ${type}` };
  if (type === "DATE" && ms % MS_PER_DAY !== 0) {
    return { ok: false, message: `DATE holds whole days (midnight UTC), got ${date.toISOString()}` };
  }
  return { ok: true, value: date };
}

function isObjectWith<K extends string>(value: unknown, key: K): value is Record<K, unknown> {
  return typeof value === "object" && value !== null && key in value;
}

/** A short rendering of any value for messages; long strings are cut so one bad write cannot flood a log. */
function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid Date" : value.toISOString();
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return String(value);
}
