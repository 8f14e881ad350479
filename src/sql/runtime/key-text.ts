// One string per key, equal for equal keys: how groups, table rows and materialized rows are found in their maps.

import type { Row } from "../expressions/scope.ts";
import { Decimal } from "../types/decimal.ts";
import { encodeState } from "../types/state-codec.ts";
import { type SqlValue, valueKey } from "../types/values.ts";

/**
 * Primitive values use valueKey (type-tagged: the INTEGER 1 and the STRING '1' differ, 1.0 and 1.00 as DECIMAL do
 * not); collections and structs their state JSON. Several columns are joined with each part's length in front, so no
 * text inside a value can make two different keys collide.
 */
export function keyText(row: Row): string {
  if (row.length === 1) return valueText(row[0]!);
  let text = "";
  for (let i = 0; i < row.length; i++) {
    const part = valueText(row[i]!);
    text += `${part.length}:${part}`;
  }
  return text;
}

function valueText(value: SqlValue): string {
  if (value === null || typeof value !== "object" || value instanceof Decimal || value instanceof Uint8Array) {
    return valueKey(value);
  }
  return `j${JSON.stringify(encodeState(value))}`;
}

/** True when any column of the key is NULL: such rows are left out of a GROUP BY, as in ksqlDB. */
export function hasNull(row: Row): boolean {
  for (let i = 0; i < row.length; i++) if (row[i] === null) return true;
  return false;
}
