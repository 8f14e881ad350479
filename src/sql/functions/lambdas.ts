// The invocation functions that take SQL lambdas: TRANSFORM, FILTER, REDUCE over arrays and maps.

import { BOOLEAN } from "../types/types.ts";
import type { SqlLambda, SqlValue } from "../types/values.ts";
import type { FunctionDescription, ParamType } from "./signature.ts";

type Arr = SqlValue[] | null;
type SqlMap = Map<SqlValue, SqlValue> | null;

const T: ParamType = { kind: "GENERIC", name: "T" };
const U: ParamType = { kind: "GENERIC", name: "U" };
const K: ParamType = { kind: "GENERIC", name: "K" };
const V: ParamType = { kind: "GENERIC", name: "V" };
const K2: ParamType = { kind: "GENERIC", name: "K2" };
const V2: ParamType = { kind: "GENERIC", name: "V2" };
const S: ParamType = { kind: "GENERIC", name: "S" };
const lambda = (params: ParamType[], returns: ParamType): ParamType => ({ kind: "LAMBDA", params, returns });

export const lambdaFunctions: readonly FunctionDescription[] = [
  {
    name: "TRANSFORM",
    kind: "scalar",
    category: "lambda",
    description: "Applies a lambda to every array element, or two lambdas to every map key and value.",
    signatures: [
      {
        params: [{ kind: "ARRAY", element: T }, lambda([T], U)],
        returns: { kind: "ARRAY", element: U },
        impl: (a: Arr, fn: SqlLambda) => (a === null ? null : a.map((x) => fn(x))),
      },
      {
        params: [{ kind: "MAP", key: K, value: V }, lambda([K, V], K2), lambda([K, V], V2)],
        returns: { kind: "MAP", key: K2, value: V2 },
        impl: (m: SqlMap, keyFn: SqlLambda, valueFn: SqlLambda) => {
          if (m === null) return null;
          const out = new Map<SqlValue, SqlValue>();
          for (const [k, v] of m) out.set(keyFn(k, v), valueFn(k, v));
          return out;
        },
      },
    ],
  },
  {
    name: "FILTER",
    kind: "scalar",
    category: "lambda",
    description: "Keeps the array elements, or map entries, for which the lambda is true (NULL counts as false).",
    signatures: [
      {
        params: [{ kind: "ARRAY", element: T }, lambda([T], BOOLEAN)],
        returns: { kind: "ARRAY", element: T },
        impl: (a: Arr, fn: SqlLambda) => (a === null ? null : a.filter((x) => fn(x) === true)),
      },
      {
        params: [{ kind: "MAP", key: K, value: V }, lambda([K, V], BOOLEAN)],
        returns: { kind: "MAP", key: K, value: V },
        impl: (m: SqlMap, fn: SqlLambda) => {
          if (m === null) return null;
          const out = new Map<SqlValue, SqlValue>();
          for (const [k, v] of m) if (fn(k, v) === true) out.set(k, v);
          return out;
        },
      },
    ],
  },
  {
    name: "REDUCE",
    kind: "scalar",
    category: "lambda",
    description: "Folds a collection into a state with a lambda; NULL state gives NULL, a NULL collection the state.",
    signatures: [
      {
        params: [{ kind: "ARRAY", element: T }, S, lambda([S, T], S)],
        returns: S,
        impl: (a: Arr, state: SqlValue, fn: SqlLambda) => {
          if (state === null) return null;
          let acc: SqlValue = state;
          for (const x of a ?? []) acc = fn(acc, x);
          return acc;
        },
      },
      {
        params: [{ kind: "MAP", key: K, value: V }, S, lambda([S, K, V], S)],
        returns: S,
        impl: (m: SqlMap, state: SqlValue, fn: SqlLambda) => {
          if (state === null) return null;
          let acc: SqlValue = state;
          for (const [k, v] of m ?? []) acc = fn(acc, k, v);
          return acc;
        },
      },
    ],
  },
];
