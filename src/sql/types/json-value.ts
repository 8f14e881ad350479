// JSON text parsed and written exactly (64-bit integers, decimals), and runtime values written as JSON text by SQL type.

import { Decimal } from "./decimal.ts";
import { formatIsoDate, formatIsoTime, formatIsoTimestamp } from "./temporal.ts";
import type { SqlType } from "./types.ts";
import { formatDouble } from "./value-text.ts";
import { isStruct, type SqlValue } from "./values.ts";

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
