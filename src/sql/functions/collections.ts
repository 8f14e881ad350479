// ARRAY and MAP functions (ARRAY_CONTAINS, ARRAY_SORT, SLICE, MAP_KEYS, AS_MAP, ELT, FIELD, ENTRIES…).

import { evalError } from "../types/errors.ts";
import { arrayType, BIGINT, BOOLEAN, INTEGER, type SqlType, STRING } from "../types/types.ts";
import { valueToText } from "../types/value-text.ts";
import { compareValues, type SqlValue, valueKey, valuesEqual } from "../types/values.ts";
import type { ArgType, Bindings, FunctionDescription, ParamType, ScalarSignature } from "./signature.ts";

type Arr = SqlValue[] | null;
type SqlMap = Map<SqlValue, SqlValue> | null;
type Int = number | null;

const T: ParamType = { kind: "GENERIC", name: "T" };
const K: ParamType = { kind: "GENERIC", name: "K" };
const V: ParamType = { kind: "GENERIC", name: "V" };
const ARRAY_T: ParamType = { kind: "ARRAY", element: T };
const MAP_KV: ParamType = { kind: "MAP", key: K, value: V };

function scalar(name: string, description: string, signatures: ScalarSignature[]): FunctionDescription {
  return { name, kind: "scalar", category: "collections", description, signatures };
}

function distinct(values: Iterable<SqlValue>, exclude?: Set<string>): SqlValue[] {
  const seen = new Set<string>(exclude);
  const out: SqlValue[] = [];
  for (const v of values) {
    const key = valueKey(v);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(v);
    }
  }
  return out;
}

function extreme(sign: 1 | -1) {
  return (array: Arr): SqlValue => {
    if (array === null) return null;
    let best: SqlValue = null;
    for (const v of array) if (v !== null && (best === null || compareValues(v, best) * sign > 0)) best = v;
    return best;
  };
}

/** ARRAY_SORT: natural order, NULLs last in either direction; an unknown direction gives NULL. */
function sortArray(array: Arr, direction: string | null = "ASC"): Arr {
  if (array === null || direction === null) return null;
  const dir = direction.toUpperCase();
  if (dir !== "ASC" && dir !== "DESC") return null;
  const sign = dir === "ASC" ? 1 : -1;
  const present = array.filter((v) => v !== null).sort((a, b) => sign * compareValues(a, b));
  return [...present, ...array.filter((v) => v === null)];
}

/** GENERATE_SERIES refuses to build arrays longer than this rather than run out of memory on one row. */
const MAX_SERIES = 10_000_000;

function intSeries(start: Int, end: Int, by: Int = 1): Arr {
  if (start === null || end === null || by === null) return null;
  if (by === 0) throw evalError("GENERATE_SERIES", "step must not be 0");
  const out: SqlValue[] = [];
  for (let v = start; by > 0 ? v <= end : v >= end; v += by) {
    out.push(v);
    if (out.length > MAX_SERIES)
      throw evalError("GENERATE_SERIES", `series longer than ${MAX_SERIES.toLocaleString("en-US")} elements`);
  }
  return out;
}

const elementOf = (args: readonly ArgType[]): SqlType => {
  const arg = args[0]!;
  return arg.kind === "ARRAY" ? arg.element : STRING;
};

export const collectionFunctions: readonly FunctionDescription[] = [
  scalar("ARRAY_CONTAINS", "Whether the array contains the value (false for a NULL array).", [
    {
      params: [ARRAY_T, T],
      returns: BOOLEAN,
      impl: (array: Arr, value: SqlValue) => (array === null ? false : array.some((v) => valuesEqual(v, value))),
    },
  ]),
  scalar("ARRAY_LENGTH", "The number of elements; NULL for a NULL array.", [
    { params: [ARRAY_T], returns: INTEGER, impl: (array: Arr) => array?.length ?? null },
  ]),
  scalar("ARRAY_MAX", "The largest non-NULL element; NULL when there is none.", [
    { params: [ARRAY_T], returns: T, impl: extreme(1) },
  ]),
  scalar("ARRAY_MIN", "The smallest non-NULL element; NULL when there is none.", [
    { params: [ARRAY_T], returns: T, impl: extreme(-1) },
  ]),
  scalar("ARRAY_DISTINCT", "The distinct elements (NULL included) in order of first occurrence.", [
    { params: [ARRAY_T], returns: ARRAY_T, impl: (array: Arr) => (array === null ? null : distinct(array)) },
  ]),
  scalar("ARRAY_EXCEPT", "The distinct elements of array1 that are not in array2.", [
    {
      params: [ARRAY_T, ARRAY_T],
      returns: ARRAY_T,
      impl: (a: Arr, b: Arr) => (a === null || b === null ? null : distinct(a, new Set(b.map(valueKey)))),
    },
  ]),
  scalar("ARRAY_INTERSECT", "The distinct elements present in both arrays, in array1's order.", [
    {
      params: [ARRAY_T, ARRAY_T],
      returns: ARRAY_T,
      impl: (a: Arr, b: Arr) => {
        if (a === null || b === null) return null;
        const inB = new Set(b.map(valueKey));
        return distinct(a.filter((v) => inB.has(valueKey(v))));
      },
    },
  ]),
  scalar("ARRAY_UNION", "The distinct elements of both arrays in order of appearance.", [
    {
      params: [ARRAY_T, ARRAY_T],
      returns: ARRAY_T,
      impl: (a: Arr, b: Arr) => (a === null || b === null ? null : distinct([...a, ...b])),
    },
  ]),
  scalar("ARRAY_CONCAT", "array1 followed by array2; a NULL side counts as empty, both NULL gives NULL.", [
    {
      params: [ARRAY_T, ARRAY_T],
      returns: ARRAY_T,
      impl: (a: Arr, b: Arr) => (a === null && b === null ? null : [...(a ?? []), ...(b ?? [])]),
    },
  ]),
  scalar("ARRAY_REMOVE", "The array without the elements equal to the value (NULL removes NULLs).", [
    {
      params: [ARRAY_T, T],
      returns: ARRAY_T,
      impl: (a: Arr, value: SqlValue) => (a === null ? null : a.filter((v) => !valuesEqual(v, value))),
    },
  ]),
  scalar("ARRAY_SORT", "The elements in natural order ('ASC' default, or 'DESC'); NULLs last.", [
    { params: [ARRAY_T], returns: ARRAY_T, impl: (a: Arr) => sortArray(a) },
    { params: [ARRAY_T, STRING], names: ["array", "direction"], returns: ARRAY_T, impl: sortArray },
  ]),
  scalar("ARRAY_JOIN", "The elements as text joined by a delimiter (default ','); NULL elements print as null.", [
    {
      params: [ARRAY_T],
      returns: STRING,
      specialize: (types) => (a) =>
        a === null ? null : (a as SqlValue[]).map((v) => valueToText(v, elementOf(types))).join(","),
    },
    {
      params: [ARRAY_T, STRING],
      returns: STRING,
      specialize: (types) => (a, d) =>
        a === null
          ? null
          : (a as SqlValue[]).map((v) => valueToText(v, elementOf(types))).join((d as string | null) ?? ""),
    },
  ]),
  scalar("SLICE", "Elements from..to (1-based, inclusive); a NULL bound is open; bounds clamp to the array.", [
    {
      params: [ARRAY_T, INTEGER, INTEGER],
      names: ["array", "from", "to"],
      returns: ARRAY_T,
      impl: (a: Arr, from: Int, to: Int) => {
        if (a === null) return null;
        const start = Math.max((from ?? 1) - 1, 0);
        return a.slice(start, Math.max(Math.min(to ?? a.length, a.length), start));
      },
    },
  ]),
  scalar("GENERATE_SERIES", "The values from start to end inclusive, by step (default 1).", [
    { params: [INTEGER, INTEGER], returns: arrayType(INTEGER), impl: intSeries },
    { params: [INTEGER, INTEGER, INTEGER], returns: arrayType(INTEGER), impl: intSeries },
    { params: [BIGINT, BIGINT], returns: arrayType(BIGINT), impl: bigSeries },
    { params: [BIGINT, BIGINT, INTEGER], returns: arrayType(BIGINT), impl: bigSeries },
  ]),
  scalar("MAP_KEYS", "The keys of a map; NULL for a NULL map.", [
    {
      params: [MAP_KV],
      returns: { kind: "ARRAY", element: K },
      impl: (m: SqlMap) => (m === null ? null : [...m.keys()]),
    },
  ]),
  scalar("MAP_VALUES", "The values of a map; NULL for a NULL map.", [
    {
      params: [MAP_KV],
      returns: { kind: "ARRAY", element: V },
      impl: (m: SqlMap) => (m === null ? null : [...m.values()]),
    },
  ]),
  scalar("MAP_UNION", "The entries of both maps, map2 winning on equal keys; NULL when both are NULL.", [
    {
      params: [MAP_KV, MAP_KV],
      returns: MAP_KV,
      impl: (a: SqlMap, b: SqlMap) => (a === null && b === null ? null : new Map([...(a ?? []), ...(b ?? [])])),
    },
  ]),
  scalar("AS_MAP", "A map from an array of keys and an array of values (missing values are NULL).", [
    {
      params: [{ kind: "ARRAY", element: STRING }, ARRAY_T],
      names: ["keys", "values"],
      returns: { kind: "MAP", key: STRING, value: T },
      impl: (keys: Arr, values: Arr) => {
        if (keys === null || values === null) return null;
        const map = new Map<SqlValue, SqlValue>();
        keys.forEach((k, i) => {
          map.set(k, values[i] ?? null);
        });
        return map;
      },
    },
  ]),
  scalar("ENTRIES", "The entries of a map as an array of STRUCT<K, V>, sorted by key when asked.", [
    {
      params: [{ kind: "MAP", key: STRING, value: V }, BOOLEAN],
      names: ["map", "sorted"],
      returns: (_args, bindings: Bindings) =>
        arrayType({
          kind: "STRUCT",
          fields: [
            { name: "K", type: STRING },
            { name: "V", type: bindings.get("V") ?? STRING },
          ],
        }),
      impl: (m: SqlMap, sorted: boolean | null) => {
        if (m === null || sorted === null) return null;
        const entries = [...m].map(([k, v]) => ({ K: k, V: v }));
        return sorted ? entries.sort((x, y) => compareValues(x.K, y.K)) : entries;
      },
    },
  ]),
  scalar("ELT", "The n-th (1-based) of the strings; NULL when n is out of range.", [
    {
      params: [INTEGER, STRING],
      variadic: true,
      returns: STRING,
      impl: (n: Int, ...args: SqlValue[]) => (n === null || n < 1 || n > args.length ? null : args[n - 1]!),
    },
  ]),
  scalar("FIELD", "The 1-based position of str among the strings; 0 when absent or str is NULL.", [
    {
      params: [STRING, STRING],
      variadic: true,
      returns: INTEGER,
      impl: (s: string | null, ...args: SqlValue[]) => (s === null ? 0 : args.indexOf(s) + 1),
    },
  ]),
];

function bigSeries(start: bigint | null, end: bigint | null, by: Int = 1): Arr {
  if (start === null || end === null || by === null) return null;
  if (by === 0) throw evalError("GENERATE_SERIES", "step must not be 0");
  const step = BigInt(by);
  const out: SqlValue[] = [];
  for (let v = start; by > 0 ? v <= end : v >= end; v += step) {
    out.push(v);
    if (out.length > MAX_SERIES)
      throw evalError("GENERATE_SERIES", `series longer than ${MAX_SERIES.toLocaleString("en-US")} elements`);
  }
  return out;
}
