// Parsed JSON nodes to runtime values, compiled once per SQL type into a tree of closures (no per-record type walk).

import { javaDoubleToInt, javaDoubleToLong } from "../types/cast.ts";
import { Decimal } from "../types/decimal.ts";
import { type JsonValue, stringifyJson } from "../types/json-value.ts";
import { parseIsoDate, parseIsoTime, parseIsoTimestamp } from "../types/temporal.ts";
import { formatType, type SqlType, type StructField } from "../types/types.ts";
import type { SqlStruct, SqlValue } from "../types/values.ts";
import { FieldMismatch, preview, withSegment } from "./errors.ts";

/** Decodes one non-null JSON node (null is handled by the caller), or throws FieldMismatch. */
export type NodeDecoder = (node: JsonValue) => SqlValue;

type JsonObject = { [key: string]: JsonValue };

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
const DOUBLE_TEXT = /^\s*[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)\s*$/;
/** Decimal text with at most a three-digit exponent: a larger one cannot fit DECIMAL(38) and would cost a huge power. */
const DECIMAL_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?\s*$/;
/** Standard base64, padding optional: what Jackson's binary reader accepts for BYTES. */
const BASE64_TEXT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function isJsonObject(node: JsonValue): node is JsonObject {
  return typeof node === "object" && node !== null && !Array.isArray(node);
}

export function mismatch(type: SqlType, node: JsonValue): FieldMismatch {
  return new FieldMismatch(`expected ${formatType(type)}, found ${describeNode(node)}`);
}

/** What a JSON node is, for error messages: `"fast"`, `12`, `an array [1,2]`. */
export function describeNode(node: JsonValue): string {
  if (Array.isArray(node)) return `an array ${preview(stringifyJson(node))}`;
  if (isJsonObject(node)) return `an object ${preview(stringifyJson(node))}`;
  return preview(stringifyJson(node));
}

/** The decoder of `type`, lenient as ksqlDB's JSON format: numbers from text, text from anything, truncating casts. */
export function compileNodeDecoder(type: SqlType): NodeDecoder {
  switch (type.kind) {
    case "BOOLEAN":
      return (node) => {
        if (typeof node === "boolean") return node;
        if (typeof node === "string") {
          const lower = node.trim().toLowerCase();
          if (lower === "true" || lower === "false") return lower === "true";
        }
        throw mismatch(type, node);
      };
    case "INTEGER":
      return (node) => {
        if (typeof node === "number") return Number.isSafeInteger(node) ? node | 0 : javaDoubleToInt(node);
        if (typeof node === "bigint") return Number(BigInt.asIntN(32, node));
        if (typeof node === "string" && INTEGER_TEXT.test(node)) {
          const value = Number(node);
          if (value >= INT32_MIN && value <= INT32_MAX) return value;
        }
        throw mismatch(type, node);
      };
    case "BIGINT":
      return (node) => {
        if (typeof node === "bigint") return BigInt.asIntN(64, node);
        if (typeof node === "number") return Number.isSafeInteger(node) ? BigInt(node) : javaDoubleToLong(node);
        if (typeof node === "string" && INTEGER_TEXT.test(node)) {
          const value = BigInt(node.trim());
          if (value >= INT64_MIN && value <= INT64_MAX) return value;
        }
        throw mismatch(type, node);
      };
    case "DOUBLE":
      return (node) => {
        if (typeof node === "number") return node;
        if (typeof node === "bigint") return Number(node);
        if (typeof node === "string" && DOUBLE_TEXT.test(node)) return Number(node);
        throw mismatch(type, node);
      };
    case "DECIMAL":
      return (node) => {
        let value: Decimal;
        if (typeof node === "number" && Number.isFinite(node)) value = Decimal.fromNumber(node);
        else if (typeof node === "bigint") value = Decimal.fromBigInt(node);
        else if (typeof node === "string" && DECIMAL_TEXT.test(node)) value = Decimal.parse(node);
        else throw mismatch(type, node);
        const rounded = value.setScale(type.scale, "HALF_UP");
        if (rounded.precision() > type.precision) throw new FieldMismatch(`${value} does not fit ${formatType(type)}`);
        return rounded;
      };
    case "STRING":
      return (node) => (typeof node === "string" ? node : stringifyJson(node));
    case "BYTES":
      return (node) => {
        if (typeof node === "string" && BASE64_TEXT.test(node)) return Buffer.from(node, "base64");
        throw mismatch(type, node);
      };
    case "DATE":
      return temporalDecoder(type, -100_000_000, 100_000_000, parseIsoDate);
    case "TIME":
      return temporalDecoder(type, 0, 86_399_999, parseIsoTime);
    case "TIMESTAMP":
      return temporalDecoder(type, -8.64e15, 8.64e15, parseIsoTimestamp);
    case "ARRAY": {
      const element = nullable(compileNodeDecoder(type.element));
      return (node) => {
        if (!Array.isArray(node)) throw mismatch(type, node);
        const out: SqlValue[] = new Array(node.length);
        for (let i = 0; i < node.length; i++) {
          try {
            out[i] = element(node[i]!);
          } catch (error) {
            withSegment(error, `[${i}]`);
          }
        }
        return out;
      };
    }
    case "MAP": {
      const key = compileNodeDecoder(type.key);
      const value = nullable(compileNodeDecoder(type.value));
      return (node) => {
        if (!isJsonObject(node)) throw mismatch(type, node);
        const out = new Map<SqlValue, SqlValue>();
        for (const name of Object.keys(node)) {
          try {
            out.set(key(name), value(node[name]!));
          } catch (error) {
            withSegment(error, `[${JSON.stringify(name)}]`);
          }
        }
        return out;
      };
    }
    case "STRUCT": {
      const read = compileObjectReader(type.fields);
      const names = type.fields.map((f) => f.name);
      return (node) => {
        if (!isJsonObject(node)) throw mismatch(type, node);
        const values = read(node);
        const out: SqlStruct = {};
        for (let i = 0; i < names.length; i++) {
          // a back-quoted field may be called __proto__: define it, since assigning would set the prototype
          if (names[i] === "__proto__") Object.defineProperty(out, "__proto__", { value: values[i], enumerable: true });
          else out[names[i]!] = values[i]!;
        }
        return out;
      };
    }
  }
}

function nullable(decoder: NodeDecoder): NodeDecoder {
  return (node) => (node === null ? null : decoder(node));
}

/**
 * DATE, TIME and TIMESTAMP as ksqlDB writes them (a number: days, ms of the day, ms since the epoch) or, leniently, as
 * ISO-8601 text, which other producers write.
 */
function temporalDecoder(type: SqlType, min: number, max: number, parseText: (text: string) => number): NodeDecoder {
  return (node) => {
    const value = typeof node === "bigint" && node >= BigInt(min) && node <= BigInt(max) ? Number(node) : node;
    if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return value;
    if (typeof value === "string") {
      try {
        return parseText(value);
      } catch {
        // the mismatch below says what was expected
      }
    }
    throw mismatch(type, node);
  };
}

/**
 * Reads the named fields of a JSON object as values, in field order. A field matches a key spelled the same or, failing
 * that, one equal ignoring case (ksqlDB upper-cases unquoted names; producers write `beltSpeed`); absent is NULL,
 * keys no field names are ignored.
 */
export function compileObjectReader(fields: readonly StructField[]): (node: JsonObject) => SqlValue[] {
  const names = fields.map((f) => f.name);
  const upperNames = names.map((n) => n.toUpperCase());
  const decoders = fields.map((f) => compileNodeDecoder(f.type));
  return (node) => {
    const out: SqlValue[] = new Array(names.length);
    let byUpper: Map<string, JsonValue> | undefined;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      let raw = Object.hasOwn(node, name) ? node[name] : undefined;
      if (raw === undefined) {
        byUpper ??= upperCaseKeys(node);
        raw = byUpper.get(upperNames[i]!);
      }
      if (raw === undefined || raw === null) {
        out[i] = null;
        continue;
      }
      try {
        out[i] = decoders[i]!(raw);
      } catch (error) {
        withSegment(error, `.${name}`);
      }
    }
    return out;
  };
}

function upperCaseKeys(node: JsonObject): Map<string, JsonValue> {
  const map = new Map<string, JsonValue>();
  for (const key of Object.keys(node)) map.set(key.toUpperCase(), node[key]!);
  return map;
}
