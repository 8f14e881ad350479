// Runtime values to JSON text as ksqlDB's JSON format writes them, compiled once per SQL type.

import type { Decimal } from "../types/decimal.ts";
import type { SqlType } from "../types/types.ts";
import { formatDouble } from "../types/value-text.ts";
import { isStruct, type SqlValue } from "../types/values.ts";

/** Writes one value of the compiled type, `null` included. */
export type ValueEncoder = (value: SqlValue) => string;

/*
 * ksqlDB writes temporal values as numbers (DATE days, TIME ms of the day, TIMESTAMP ms since the epoch), DECIMAL as a
 * number with its scale, DOUBLE as Java prints it (`1.0`, `1.0E10`), BYTES as base64 and non-finite doubles as the quoted text Jackson uses ("NaN", "Infinity").
 * TO_JSON_STRING writes temporals as ISO text instead; that is toJsonText's business, not the record format's.
 */
export function compileValueEncoder(type: SqlType): ValueEncoder {
  const encode = compileNonNull(type);
  return (value) => (value === null ? "null" : encode(value));
}

function compileNonNull(type: SqlType): ValueEncoder {
  switch (type.kind) {
    case "BOOLEAN":
    case "INTEGER":
    case "BIGINT":
    case "DATE":
    case "TIME":
    case "TIMESTAMP":
      return String;
    case "DOUBLE":
      return (value) => {
        const n = value as number;
        return Number.isFinite(n) ? formatDouble(n) : `"${formatDouble(n)}"`;
      };
    case "DECIMAL":
      return (value) => (value as Decimal).toString();
    case "STRING":
      return (value) => JSON.stringify(value);
    case "BYTES":
      return (value) => `"${Buffer.from(value as Uint8Array).toString("base64")}"`;
    case "ARRAY": {
      const element = compileValueEncoder(type.element);
      return (value) => `[${(value as SqlValue[]).map(element).join(",")}]`;
    }
    case "MAP": {
      const key = compileMapKeyEncoder(type.key);
      const element = compileValueEncoder(type.value);
      return (value) => {
        const parts: string[] = [];
        for (const [k, v] of value as Map<SqlValue, SqlValue>) parts.push(`${key(k)}:${element(v)}`);
        return `{${parts.join(",")}}`;
      };
    }
    case "STRUCT":
      return compileObjectWriter(type.fields, (value: SqlValue) => {
        const struct = isStruct(value) ? value : {};
        return type.fields.map((f) => struct[f.name] ?? null);
      });
  }
}

/** JSON object keys are text: a MAP key is written as the text of its value. */
function compileMapKeyEncoder(type: SqlType): ValueEncoder {
  const encode = compileValueEncoder(type);
  return (value) => {
    const text = encode(value);
    return text.startsWith('"') ? text : JSON.stringify(text);
  };
}

/** Writes `{"NAME":value,…}` with the names as spelled; `valuesOf` gives the values in field order. */
export function compileObjectWriter<T>(
  fields: readonly { name: string; type: SqlType }[],
  valuesOf: (input: T) => readonly SqlValue[],
): (input: T) => string {
  const prefixes = fields.map((f, i) => `${i === 0 ? "" : ","}${JSON.stringify(f.name)}:`);
  const encoders = fields.map((f) => compileValueEncoder(f.type));
  return (input) => {
    const values = valuesOf(input);
    let out = "{";
    for (let i = 0; i < prefixes.length; i++) out += prefixes[i]! + encoders[i]!(values[i] ?? null);
    return `${out}}`;
  };
}
