// The runtime value representation of every SQL type (the one place that decides it), with equality and ordering.

/*
 * SQL type     runtime value                 why
 * ----------   ---------------------------   ---------------------------------------------------------------------
 * NULL         null                          one null for every type; `undefined` never appears in rows
 * BOOLEAN      boolean
 * INTEGER      number (int32)                arithmetic wraps with `| 0`, as Java's int does
 * BIGINT       bigint (int64)                exact: Kafka offsets, counters and ids above 2^53 must not round;
 *                                            BigInt.asIntN(64, …) wraps as Java's long does. Costs a few ns per
 *                                            operation, which row decoding dwarfs; TIMESTAMP (below) stays a number
 * DOUBLE       number
 * DECIMAL(p,s) Decimal (unscaled bigint,     exact; the value's scale equals the type's scale after any cast
 *              scale)
 * STRING       string
 * BYTES        Uint8Array (Buffer)
 * DATE         number: days since 1970-01-01
 * TIME         number: milliseconds of the day, 0 ≤ t < 86 400 000
 * TIMESTAMP    number: milliseconds since the epoch (UTC); exact up to year 285 616
 * ARRAY<T>     SqlValue[]
 * MAP<K,V>     Map<K, V>                     keeps non-string keys (INTEGER, BIGINT…) and insertion order
 * STRUCT<…>    plain object, field name → value (every declared field present, null when absent)
 */

import { Decimal } from "./decimal.ts";

export type SqlStruct = { [field: string]: SqlValue };

export type SqlValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Decimal
  | Uint8Array
  | SqlValue[]
  | Map<SqlValue, SqlValue>
  | SqlStruct;

/** A lambda argument of TRANSFORM, FILTER, REDUCE: the engine compiles the SQL lambda body to one of these. */
export type SqlLambda = (...args: SqlValue[]) => SqlValue;

/** What a function implementation receives: values, and compiled lambdas for lambda parameters. */
export type SqlArg = SqlValue | SqlLambda;

export function isStruct(value: SqlValue): value is SqlStruct {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Map) &&
    !(value instanceof Decimal) &&
    !(value instanceof Uint8Array)
  );
}

/**
 * Orders two non-null values of one primitive type the way Java's natural order does: numbers numerically,
 * strings by UTF-16 code unit ('Z' < 'a'), false < true, bytes unsigned lexicographically.
 */
export function compareValues(a: SqlValue, b: SqlValue): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : compareNaN(a, b);
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Decimal && b instanceof Decimal) return a.compareTo(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b);
  return compareMixedNumbers(a, b);
}

/** Java's Double.compareTo puts NaN above everything and equal to itself. */
function compareNaN(a: number, b: number): number {
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN && bNaN) return 0;
  if (aNaN) return 1;
  if (bNaN) return -1;
  return 0;
}

/** Fallback for a number against a bigint or a Decimal, which happens when one side was not widened. */
function compareMixedNumbers(a: SqlValue, b: SqlValue): number {
  const x = toComparableNumber(a);
  const y = toComparableNumber(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function toComparableNumber(value: SqlValue): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Decimal) return value.toNumber();
  throw new TypeError(`cannot order ${typeof value} values`);
}

/** Deep equality for collection membership (ARRAY_CONTAINS, DISTINCT, NULLIF): NaN equals NaN, 1.0 equals 1.00. */
export function valuesEqual(a: SqlValue, b: SqlValue): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof Decimal && b instanceof Decimal) return a.equals(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b) === 0;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => valuesEqual(v, b[i]!));
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !valuesEqual(v, b.get(k)!)) return false;
    return true;
  }
  if (isStruct(a) && isStruct(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && valuesEqual(a[k]!, b[k]!));
  }
  return false;
}

/**
 * A string that is equal for values that are `valuesEqual`: the key of sets and maps that hold SQL values
 * (COLLECT_SET, COUNT_DISTINCT, ARRAY_DISTINCT), so equal decimals or arrays land in one slot.
 */
export function valueKey(value: SqlValue): string {
  if (value === null) return "n";
  switch (typeof value) {
    case "boolean":
      return value ? "t" : "f";
    case "number":
      return `d${value}`;
    case "bigint":
      return `i${value}`;
    case "string":
      return `s${value}`;
  }
  if (value instanceof Decimal) return `m${normalizedDecimal(value)}`;
  if (value instanceof Uint8Array) return `b${Buffer.from(value).toString("base64")}`;
  if (Array.isArray(value)) return `[${value.map(valueKey).join(",")}]`;
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${valueKey(k)}:${valueKey(v)}`).join(",")}}`;
  return `(${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}:${valueKey(v)}`)
    .join(",")})`;
}

function normalizedDecimal(value: Decimal): string {
  let { unscaled, scale } = value;
  while (scale > 0 && unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  return `${unscaled}e${scale}`;
}
