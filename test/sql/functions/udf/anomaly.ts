// Example user-defined functions: a z-score UDF and a range UDAF, loaded by loadUserFunctions in the tests.

import type { SqlValue } from "../../../../src/sql/types/values.ts";

type Num = number | null;

export default [
  {
    name: "anomaly_score",
    kind: "scalar",
    description: "How many standard deviations x lies from the mean; NULL when any input is NULL or sd is 0.",
    signatures: [{ params: ["DOUBLE", "DOUBLE", "DOUBLE"], returns: "DOUBLE" }],
    impl: (x: Num, mean: Num, sd: Num): SqlValue =>
      x === null || mean === null || sd === null || sd === 0 ? null : (x - mean) / sd,
  },
  {
    name: "value_range",
    kind: "aggregate",
    description: "The spread (max - min) of the non-NULL values.",
    signatures: [
      {
        params: ["DOUBLE"],
        returns: "DOUBLE",
        create: () => ({
          init: () => ({ min: null, max: null }),
          add: (s: { min: Num; max: Num }, v: SqlValue) =>
            typeof v !== "number"
              ? s
              : { min: s.min === null ? v : Math.min(s.min, v), max: s.max === null ? v : Math.max(s.max, v) },
          result: (s: { min: Num; max: Num }) => (s.min === null || s.max === null ? null : s.max - s.min),
        }),
      },
    ],
  },
];
