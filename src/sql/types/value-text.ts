// How values print as STRING (CAST(x AS STRING), CONCAT of non-strings): Java's toString forms, which ksqlDB shows.

import { Decimal } from "./decimal.ts";
import { formatIsoDate, formatIsoTime, formatIsoTimestamp } from "./temporal.ts";
import type { SqlType } from "./types.ts";
import { isStruct, type SqlValue } from "./values.ts";

/** Java's Double.toString: `1.0`, `0.001`, `1.0E7`, `1.234E-5`, `NaN`, `Infinity`. */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes(".") ? text : `${text}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split("e") as [string, string];
  const digits = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  return `${digits}E${exponent.startsWith("+") ? exponent.slice(1) : exponent}`;
}

/** The text of a value of `type`; temporal types need the type because they are plain numbers at run time. */
export function valueToText(value: SqlValue, type: SqlType): string {
  if (value === null) return "null";
  switch (type.kind) {
    case "DOUBLE":
      return formatDouble(value as number);
    case "DATE":
      return formatIsoDate(value as number);
    case "TIME":
      return formatIsoTime(value as number);
    case "TIMESTAMP":
      return formatIsoTimestamp(value as number);
    case "BYTES":
      return Buffer.from(value as Uint8Array).toString("base64");
    case "ARRAY":
      return `[${(value as SqlValue[]).map((v) => valueToText(v, type.element)).join(", ")}]`;
    case "MAP":
      return `{${[...(value as Map<SqlValue, SqlValue>)]
        .map(([k, v]) => `${valueToText(k, type.key)}=${valueToText(v, type.value)}`)
        .join(", ")}}`;
    case "STRUCT": {
      const struct = isStruct(value) ? value : {};
      return `Struct{${type.fields
        .filter((f) => struct[f.name] !== null && struct[f.name] !== undefined)
        .map((f) => `${f.name}=${valueToText(struct[f.name]!, f.type)}`)
        .join(",")}}`;
    }
    default:
      return value instanceof Decimal ? value.toString() : String(value);
  }
}
