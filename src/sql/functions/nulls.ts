// NULL handling and pass-through functions: COALESCE, IFNULL, NULLIF, AS_VALUE.

import { type SqlValue, valuesEqual } from "../types/values.ts";
import type { FunctionDescription, ParamType } from "./signature.ts";

const T: ParamType = { kind: "GENERIC", name: "T" };

export const nullFunctions: readonly FunctionDescription[] = [
  {
    name: "COALESCE",
    kind: "scalar",
    category: "null",
    description: "The first argument that is not NULL (complex values are not inspected).",
    signatures: [
      {
        params: [T, T],
        variadic: true,
        returns: T,
        impl: (...values: SqlValue[]) => {
          for (const v of values) if (v !== null) return v;
          return null;
        },
      },
    ],
  },
  {
    name: "IFNULL",
    kind: "scalar",
    category: "null",
    description: "expression when it is not NULL, otherwise altValue.",
    signatures: [
      { params: [T, T], names: ["expression", "altValue"], returns: T, impl: (v: SqlValue, alt: SqlValue) => v ?? alt },
    ],
  },
  {
    name: "NULLIF",
    kind: "scalar",
    category: "null",
    description: "NULL when expression1 equals expression2, otherwise expression1.",
    signatures: [
      {
        params: [T, T],
        names: ["expression1", "expression2"],
        returns: T,
        impl: (a: SqlValue, b: SqlValue) => (valuesEqual(a, b) ? null : a),
      },
    ],
  },
  {
    name: "AS_VALUE",
    kind: "scalar",
    category: "null",
    description:
      "The argument unchanged: selecting a key column through it copies the key into the record value as well " +
      "(`AS_VALUE(id) AS id_value`).",
    signatures: [{ params: [T], names: ["keyColumn"], returns: T, impl: (v: SqlValue) => v }],
  },
];
