// How PLC values appear in records' JSON: the one mapping from IEC 61131 values to JSON, shared by every record format.
import type { Duration, PlcValue, ScalarValue } from "../../plc/index.ts";
import type { JsonValue } from "./json.ts";

/** A float JSON cannot spell, by the name JavaScript prints for it. */
export type NonFinite = "NaN" | "Infinity" | "-Infinity";

/**
 * Which parts of a tag's value were NaN or ±Infinity and are `null` in the JSON: the kind for a scalar; for an array,
 * an array of the same length with the kind at those indexes and `null` elsewhere.
 */
export type NonFiniteMark = NonFinite | readonly (NonFinite | null)[];

export interface ValueJson {
  readonly json: JsonValue;
  /** Present only when the value held NaN or ±Infinity (a PLC's REAL can): records carry it beside the value. */
  readonly nonFinite?: NonFiniteMark;
}

/**
 * The JSON of a tag's value, chosen for what a SQL consumer can use without knowing Fabrik's types:
 *
 * | PLC value                              | JSON                                                                 |
 * |----------------------------------------|----------------------------------------------------------------------|
 * | BOOL                                   | `true` / `false`                                                     |
 * | integers, REAL, LREAL                  | a number                                                             |
 * | LINT, ULINT, LWORD (bigint)            | an integer with every digit (`18446744073709551615`)                 |
 * | CHAR, STRING, WCHAR, WSTRING           | a string                                                             |
 * | TIME, TIME_OF_DAY (`{ms}`)             | a number of milliseconds (TIME_OF_DAY: since midnight)               |
 * | LTIME (`{ns}`)                         | an integer number of nanoseconds (exact, like LINT)                  |
 * | DATE, DATE_AND_TIME (Date)             | an ISO 8601 UTC string, `2024-03-01T06:00:00.000Z`                   |
 * | arrays                                 | arrays of the above                                                  |
 * | NaN, ±Infinity, an invalid Date        | `null`, and `nonFinite` says which ("NaN", "Infinity", "-Infinity")  |
 *
 * Durations are bare numbers rather than `{"ms": n}` so that SQL can compare and add them; the unit follows from the
 * tag's type (milliseconds, except nanoseconds for LTIME, whose range and resolution milliseconds cannot carry).
 */
export function plcValueToJson(value: PlcValue): ValueJson {
  if (!isArrayValue(value)) {
    const kind = nonFiniteKind(value);
    return kind === undefined ? { json: scalarJson(value) } : { json: null, nonFinite: kind };
  }
  const kinds = value.map(nonFiniteKind);
  const json = value.map((element, i) => (kinds[i] === undefined ? scalarJson(element) : null));
  if (kinds.every((kind) => kind === undefined)) return { json };
  return { json, nonFinite: kinds.map((kind) => kind ?? null) };
}

function isArrayValue(value: PlcValue): value is readonly ScalarValue[] {
  return Array.isArray(value);
}

function isDuration(value: ScalarValue): value is Duration {
  return typeof value === "object" && !(value instanceof Date);
}

/** Why `value` has no JSON number, or undefined when it has one. */
function nonFiniteKind(value: ScalarValue): NonFinite | undefined {
  let number: number;
  if (typeof value === "number") number = value;
  else if (value instanceof Date) number = value.getTime();
  else if (isDuration(value) && "ms" in value) number = value.ms;
  else return undefined;
  if (Number.isFinite(number)) return undefined;
  return Number.isNaN(number) ? "NaN" : number > 0 ? "Infinity" : "-Infinity";
}

/** A scalar's JSON; the caller has ruled out non-finite values. */
function scalarJson(value: ScalarValue): JsonValue {
  if (value instanceof Date) return value.toISOString();
  if (isDuration(value)) return "ms" in value ? value.ms : value.ns;
  return value;
}
