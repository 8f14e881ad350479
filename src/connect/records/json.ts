// JSON for records in which 64-bit integers travel as exact JSON numbers both ways, as JSON.stringify/parse cannot do.
import { JsonDecodeError, JsonEncodeError } from "./errors.ts";

/** What encodeJson writes: JSON's values plus bigint, which is written as a bare integer with all its digits. */
export type JsonValue = null | boolean | number | bigint | string | readonly JsonValue[] | JsonObject;

/** A JSON object; properties that are undefined are left out, as JSON.stringify does. */
export interface JsonObject {
  readonly [key: string]: JsonValue | undefined;
}

/**
 * Compact JSON text of `value`, properties in insertion order (so equal inputs give equal bytes, which keys need).
 *
 * - bigint → an integer literal with every digit (`18446744073709551615`), never a string, never rounded.
 * - A number that is an integer beyond ±(2^53-1) (a float such as `1e20`) is written in exponent form (`1e+20`), so
 *   that decodeJson gives it back as a number and not as a bigint: the JSON keeps float and integer apart.
 * - NaN and ±Infinity throw JsonEncodeError: JSON has no spelling for them, and silently writing `null` (as
 *   JSON.stringify does) would lose a PLC's REAL value; plcValueToJson maps them and says which tags they were.
 */
export function encodeJson(value: JsonValue): string {
  return encodeJsonAt(value, []);
}

/**
 * encodeJson of a value that sits at `path` inside a document written piece by piece (the job record): errors name
 * the whole path, as they would had the document been encoded at once.
 */
export function encodeJsonAt(value: JsonValue, path: readonly (string | number)[]): string {
  const out: string[] = [];
  write(value, out, [...path]);
  return out.join("");
}

/** The JSON text of a finite number, as encodeJson writes it. */
export function finiteNumberJson(value: number): string {
  return Number.isInteger(value) && !Number.isSafeInteger(value) ? value.toExponential() : String(value);
}

function write(value: unknown, out: string[], at: (string | number)[]): void {
  switch (typeof value) {
    case "string":
      // JSON.stringify escapes quotes, backslashes, control characters and lone surrogates as RFC 8259 asks.
      out.push(JSON.stringify(value));
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "bigint":
      out.push(value.toString());
      return;
    case "number":
      out.push(numberText(value, at));
      return;
    case "object":
      if (value === null) out.push("null");
      else if (Array.isArray(value)) writeArray(value, out, at);
      else if (isPlainObject(value)) writeObject(value, out, at);
      else throw new JsonEncodeError(pathText(at), `an instance of ${value.constructor?.name ?? "a class"}`);
      return;
    default:
      throw new JsonEncodeError(pathText(at), typeof value === "undefined" ? "undefined" : `a ${typeof value}`);
  }
}

function numberText(value: number, at: (string | number)[]): string {
  if (!Number.isFinite(value)) throw new JsonEncodeError(pathText(at), String(value));
  return finiteNumberJson(value);
}

function writeArray(values: readonly unknown[], out: string[], at: (string | number)[]): void {
  out.push("[");
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out.push(",");
    at.push(i);
    write(values[i], out, at);
    at.pop();
  }
  out.push("]");
}

function writeObject(object: Readonly<Record<string, unknown>>, out: string[], at: (string | number)[]): void {
  out.push("{");
  let first = true;
  for (const key of Object.keys(object)) {
    const property = object[key];
    if (property === undefined) continue;
    if (!first) out.push(",");
    first = false;
    out.push(JSON.stringify(key), ":");
    at.push(key);
    write(property, out, at);
    at.pop();
  }
  out.push("}");
}

function isPlainObject(value: object): value is Readonly<Record<string, unknown>> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function pathText(at: readonly (string | number)[]): string {
  return at
    .map((part) => {
      if (typeof part === "number") return `[${part}]`;
      return IDENTIFIER.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`;
    })
    .reduce((path, part) => path + part, "$");
}

/** Node's JSON.parse hands a reviver the literal's text, which is what keeps big integers exact. */
interface ReviverContext {
  readonly source?: string;
}

const INTEGER_LITERAL = /^-?\d+$/;

/**
 * The value of JSON `text`. An integer literal beyond ±(2^53-1) comes back as a bigint with every digit; every other
 * number (integers within that range, fractions, exponent forms) as a number. So a bigint that fits in 53 bits comes
 * back as a number: JSON has one kind of number, and the range, not the writer's type, decides.
 */
export function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text, exactIntegers);
  } catch (error) {
    if (error instanceof JsonDecodeError) throw error;
    throw new JsonDecodeError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

function exactIntegers(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value !== "number" || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  if (source !== undefined && INTEGER_LITERAL.test(source)) return BigInt(source);
  if (!Number.isFinite(value)) throw new JsonDecodeError(`the number ${source ?? value} is out of range`);
  return value;
}
