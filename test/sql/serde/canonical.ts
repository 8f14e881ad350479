// Rows as plain comparable data for the serde tests: keeps what deepEqual would blur (bigint vs number, DECIMAL scale).

import { Decimal } from "../../../src/sql/types/decimal.ts";
import type { SqlValue } from "../../../src/sql/types/values.ts";

export type Canonical = null | boolean | number | string | Canonical[] | { [key: string]: Canonical };

export function canonical(row: readonly SqlValue[] | null): Canonical {
  return row === null ? null : row.map(canonicalValue);
}

function canonicalValue(value: SqlValue): Canonical {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isNaN(value) ? "number:NaN" : Object.is(value, -0) ? "number:-0" : value;
  if (typeof value === "bigint") return `bigint:${value}`;
  if (value instanceof Decimal) return `decimal:${value.unscaled}e-${value.scale}`;
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString("hex")}`;
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (value instanceof Map) return { map: [...value].map(([k, v]) => [canonicalValue(k), canonicalValue(v)]) };
  return { struct: Object.entries(value).map(([k, v]) => [k, canonicalValue(v)]) };
}
