// JSON text to and from runtime values by SQL type, keeping 64-bit integers and decimals exact.

import { fitDecimal } from "./cast.ts";
import { Decimal } from "./decimal.ts";
import { SqlFunctionError } from "./errors.ts";
import {
  formatIsoDate,
  formatIsoTime,
  formatIsoTimestamp,
  parseIsoDate,
  parseIsoTime,
  parseIsoTimestamp,
} from "./temporal.ts";
import { formatType, type SqlType } from "./types.ts";
import { formatDouble } from "./value-text.ts";
import { isStruct, type SqlStruct, type SqlValue } from "./values.ts";

/** A parsed JSON document; integers beyond ±2^53 are bigint so that no digit is lost. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

type SourceReviver = (key: string, value: unknown, context: { source?: string }) => unknown;

const INTEGER_LITERAL = /^-?\d+$/;

const exactReviver: SourceReviver = (_key, value, context) => {
  if (
    typeof value === "number" &&
    !Number.isSafeInteger(value) &&
    context.source &&
    INTEGER_LITERAL.test(context.source)
  ) {
    return BigInt(context.source);
  }
  return value;
};

/** JSON.parse that keeps unsafe integers exact (Node's reviver sees the number's source text). Throws SyntaxError. */
export function parseJsonExact(text: string): JsonValue {
  return JSON.parse(text, exactReviver as unknown as (key: string, value: unknown) => unknown) as JsonValue;
}

/** Serialises a parsed JSON document; bigints are written as plain integer literals. */
export function stringifyJson(value: JsonValue): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "string":
    case "boolean":
      return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(stringifyJson).join(",")}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}:${stringifyJson(v)}`)
    .join(",")}}`;
}

/**
 * A runtime value of `type` as JSON text, the form TO_JSON_STRING writes (the JSON value format writes dates and
 * times as numbers: src/sql/serde): DATE as
 * "yyyy-MM-dd", TIME as "HH:mm:ss", TIMESTAMP as "yyyy-MM-ddTHH:mm:ss.SSS", BYTES as base64, DECIMAL as a number.
 */
export function toJsonText(value: SqlValue, type: SqlType): string {
  if (value === null) return "null";
  switch (type.kind) {
    case "BOOLEAN":
    case "INTEGER":
    case "BIGINT":
      return String(value);
    case "DOUBLE":
      return Number.isFinite(value) ? formatDouble(value as number) : JSON.stringify(formatDouble(value as number));
    case "DECIMAL":
      return (value as Decimal).toString();
    case "STRING":
      return JSON.stringify(value);
    case "BYTES":
      return JSON.stringify(Buffer.from(value as Uint8Array).toString("base64"));
    case "DATE":
      return JSON.stringify(formatIsoDate(value as number));
    case "TIME":
      return JSON.stringify(formatIsoTime(value as number));
    case "TIMESTAMP":
      return JSON.stringify(formatIsoTimestamp(value as number));
    case "ARRAY":
      return `[${(value as SqlValue[]).map((v) => toJsonText(v, type.element)).join(",")}]`;
    case "MAP":
      return `{${[...(value as Map<SqlValue, SqlValue>)]
        .map(
          ([k, v]) => `${JSON.stringify(k instanceof Decimal ? k.toString() : String(k))}:${toJsonText(v, type.value)}`,
        )
        .join(",")}}`;
    case "STRUCT": {
      const struct = isStruct(value) ? value : {};
      return `{${type.fields.map((f) => `${JSON.stringify(f.name)}:${toJsonText(struct[f.name] ?? null, f.type)}`).join(",")}}`;
    }
  }
}

/**
 * Converts a parsed JSON node to the runtime value of `type`, accepting what JSON producers write: numbers as
 * strings, TIMESTAMP as epoch millis or ISO text, BYTES as base64. Throws SQL_CAST saying what did not fit.
 */
export function fromJsonValue(node: JsonValue, type: SqlType): SqlValue {
  if (node === null) return null;
  switch (type.kind) {
    case "BOOLEAN":
      if (typeof node === "boolean") return node;
      if (typeof node === "string") return node.toLowerCase() === "true";
      break;
    case "INTEGER":
      if (typeof node === "number" && Number.isInteger(node)) return node | 0;
      if (typeof node === "bigint") return Number(BigInt.asIntN(32, node));
      if (typeof node === "string" && /^-?\d+$/.test(node.trim())) return Number(node) | 0;
      break;
    case "BIGINT":
      if (typeof node === "bigint") return BigInt.asIntN(64, node);
      if (typeof node === "number" && Number.isInteger(node)) return BigInt(node);
      if (typeof node === "string" && /^-?\d+$/.test(node.trim())) return BigInt.asIntN(64, BigInt(node.trim()));
      break;
    case "DOUBLE":
      if (typeof node === "number") return node;
      if (typeof node === "bigint") return Number(node);
      if (typeof node === "string" && /^\s*[+-]?(NaN|Infinity|[\d.eE+-]+)\s*$/.test(node)) return Number(node);
      break;
    case "DECIMAL":
      if (typeof node === "number") return fitDecimal(Decimal.fromNumber(node), type.precision, type.scale);
      if (typeof node === "bigint") return fitDecimal(Decimal.fromBigInt(node), type.precision, type.scale);
      if (typeof node === "string") return fitDecimal(Decimal.parse(node), type.precision, type.scale);
      break;
    case "STRING":
      return typeof node === "string" ? node : stringifyJson(node);
    case "BYTES":
      if (typeof node === "string") return Buffer.from(node, "base64");
      break;
    case "DATE":
      if (typeof node === "number") return node;
      if (typeof node === "string") return parseIsoDate(node);
      break;
    case "TIME":
      if (typeof node === "number") return node;
      if (typeof node === "string") return parseIsoTime(node);
      break;
    case "TIMESTAMP":
      if (typeof node === "number") return node;
      if (typeof node === "bigint") return Number(node);
      if (typeof node === "string") return parseIsoTimestamp(node);
      break;
    case "ARRAY":
      if (Array.isArray(node)) return node.map((v) => fromJsonValue(v, type.element));
      break;
    case "MAP":
      if (typeof node === "object" && !Array.isArray(node)) {
        const map = new Map<SqlValue, SqlValue>();
        for (const [k, v] of Object.entries(node)) map.set(fromJsonValue(k, type.key), fromJsonValue(v, type.value));
        return map;
      }
      break;
    case "STRUCT":
      if (typeof node === "object" && !Array.isArray(node)) return structFromJson(node, type.fields);
      break;
  }
  throw new SqlFunctionError("SQL_CAST", `JSON ${stringifyJson(node).slice(0, 60)} is not a ${formatType(type)}`);
}

/** Struct fields match JSON keys case-insensitively, as ksqlDB's JSON format does for unquoted names. */
function structFromJson(
  node: { [key: string]: JsonValue },
  fields: readonly { name: string; type: SqlType }[],
): SqlStruct {
  const byUpper = new Map<string, JsonValue>();
  for (const [k, v] of Object.entries(node)) byUpper.set(k.toUpperCase(), v);
  const out: SqlStruct = {};
  for (const field of fields) {
    const raw = Object.hasOwn(node, field.name) ? node[field.name] : byUpper.get(field.name.toUpperCase());
    // Defined, not assigned: a field named `__proto__` is an ordinary field, not the object's prototype.
    Object.defineProperty(out, field.name, {
      value: raw === undefined ? null : fromJsonValue(raw, field.type),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
