// Table functions: EXPLODE (one row per array element) and CUBE_EXPLODE (every combination with NULLs).

import type { SqlValue } from "../types/values.ts";
import type { FunctionDescription, ParamType } from "./signature.ts";

const T: ParamType = { kind: "GENERIC", name: "T" };
const ARRAY_T: ParamType = { kind: "ARRAY", element: T };

/** For [a, b]: [null, null], [null, b], [a, null], [a, b] — the order ksqlDB documents. */
function cube(array: SqlValue[] | null): SqlValue[] {
  if (array === null) return [];
  const n = array.length;
  const rows: SqlValue[] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    rows.push(array.map((v, i) => ((mask >> (n - 1 - i)) & 1 ? v : null)));
  }
  return rows;
}

export const tableFunctions: readonly FunctionDescription[] = [
  {
    name: "EXPLODE",
    kind: "table",
    category: "table",
    description: "One output row per array element; a NULL or empty array gives no rows.",
    signatures: [
      { params: [ARRAY_T], returns: T, impl: (array: SqlValue[] | null) => (array === null ? [] : [...array]) },
    ],
  },
  {
    name: "CUBE_EXPLODE",
    kind: "table",
    category: "table",
    description: "One output row per combination of the array's elements and NULL (2^n rows).",
    signatures: [{ params: [ARRAY_T], returns: ARRAY_T, impl: cube }],
  },
];
