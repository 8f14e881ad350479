// Aggregate functions (COUNT, SUM, AVG, MIN, MAX, COLLECT_*, TOPK, HISTOGRAM, STDDEV_SAMP, *_BY_OFFSET) as
// init/add/undo/merge/result over JSON-serialisable state.

import { fitDecimal } from "../types/cast.ts";
import { Decimal } from "../types/decimal.ts";
import { evalError } from "../types/errors.ts";
import { BIGINT, type DecimalType, DOUBLE, INTEGER, mapType, type SqlType, STRING } from "../types/types.ts";
import { compareValues, type SqlValue, valueKey, valuesEqual } from "../types/values.ts";
import { latestEarliestFunctions } from "./aggregates-offset.ts";
import type { AggregateSignature, Aggregator, FunctionDescription, ParamType } from "./signature.ts";

/** ksqlDB's default ksql.functions.collect_list.limit / collect_set.limit, and HISTOGRAM's distinct-value cap. */
export const COLLECTION_LIMIT = 1000;

const T: ParamType = { kind: "GENERIC", name: "T" };
const ANY_DECIMAL: ParamType = { kind: "ANY_DECIMAL" };

function aggregate(name: string, description: string, signatures: AggregateSignature[]): FunctionDescription {
  return { name, kind: "aggregate", category: "aggregate", description, signatures };
}

const count: Aggregator<number> = {
  init: () => 0,
  add: (n) => n + 1,
  undo: (n) => n - 1,
  merge: (a, b) => a + b,
  result: (n) => BigInt(n),
};

const countNonNull: Aggregator<number> = {
  init: () => 0,
  add: (n, v) => (v === null ? n : n + 1),
  undo: (n, v) => (v === null ? n : n - 1),
  merge: (a, b) => a + b,
  result: (n) => BigInt(n),
};

/** A SUM over one numeric representation; `plus(a, b, sign)` adds or (sign -1) subtracts. */
function summing<S extends SqlValue & (number | bigint | Decimal)>(
  zero: S,
  plus: (a: S, b: S, sign: 1 | -1) => S,
): Aggregator<S> {
  return {
    init: () => zero,
    add: (s, v) => (v === null ? s : plus(s, v as S, 1)),
    undo: (s, v) => (v === null ? s : plus(s, v as S, -1)),
    merge: (a, b) => plus(a, b, 1),
    result: (s) => s,
  };
}

function decimalSum(type: DecimalType): Aggregator<Decimal> {
  return summing(new Decimal(0n, type.scale), (a, b, sign) => {
    const sum = sign > 0 ? a.add(b) : a.subtract(b);
    try {
      return fitDecimal(sum, type.precision, type.scale);
    } catch (error) {
      throw evalError("SUM", `sum ${sum} overflows ${`DECIMAL(${type.precision}, ${type.scale})`}`, error);
    }
  });
}

type AvgState = { sum: number | bigint | Decimal; count: number };

/** AVG keeps an exact sum for BIGINT and DECIMAL input and divides once, in DOUBLE; no rows gives 0.0 as ksqlDB. */
function average(zero: number | bigint | Decimal): Aggregator<AvgState> {
  const plus = (a: AvgState["sum"], b: SqlValue, sign: 1 | -1): AvgState["sum"] => {
    if (a instanceof Decimal) return sign > 0 ? a.add(b as Decimal) : a.subtract(b as Decimal);
    if (typeof a === "bigint") return a + BigInt(sign) * (b as bigint);
    return a + sign * (b as number);
  };
  return {
    init: () => ({ sum: zero, count: 0 }),
    add: (s, v) => (v === null ? s : { sum: plus(s.sum, v, 1), count: s.count + 1 }),
    undo: (s, v) => (v === null ? s : { sum: plus(s.sum, v, -1), count: s.count - 1 }),
    merge: (a, b) => ({ sum: plus(a.sum, b.sum, 1), count: a.count + b.count }),
    result: (s) => {
      if (s.count === 0) return 0;
      const sum = s.sum instanceof Decimal ? s.sum.toNumber() : Number(s.sum);
      return sum / s.count;
    },
  };
}

function extreme(sign: 1 | -1): Aggregator<SqlValue> {
  const better = (a: SqlValue, b: SqlValue) =>
    a === null ? b : b === null ? a : compareValues(b, a) * sign > 0 ? b : a;
  return { init: () => null, add: better, merge: better, result: (s) => s };
}

const collectList: Aggregator<SqlValue[]> = {
  init: () => [],
  add: (list, v) => {
    if (list.length < COLLECTION_LIMIT) list.push(v);
    return list;
  },
  undo: (list, v) => {
    for (let i = list.length - 1; i >= 0; i--) {
      if (valuesEqual(list[i]!, v)) {
        list.splice(i, 1);
        break;
      }
    }
    return list;
  },
  merge: (a, b) => [...a, ...b].slice(0, COLLECTION_LIMIT),
  result: (list) => [...list],
};

const collectSet: Aggregator<SqlValue[]> = {
  init: () => [],
  add: (set, v) => {
    if (set.length < COLLECTION_LIMIT && !set.some((x) => valuesEqual(x, v))) {
      set.push(v);
    }
    return set;
  },
  merge: (a, b) => b.reduce((acc: SqlValue[], v) => collectSet.add(acc, v), [...a]),
  result: (set) => [...set],
};

const countDistinct: Aggregator<Set<string>> = {
  init: () => new Set(),
  add: (set, v) => (v === null ? set : set.add(valueKey(v))),
  merge: (a, b) => new Set([...a, ...b]),
  result: (set) => BigInt(set.size),
};

/** TOPK keeps the k largest (distinct) values, largest first; NULLs are ignored. */
function topK(k: number, distinct: boolean): Aggregator<SqlValue[]> {
  const add = (top: SqlValue[], v: SqlValue): SqlValue[] => {
    if (v === null || (distinct && top.some((x) => valuesEqual(x, v)))) return top;
    let at = top.findIndex((x) => compareValues(v, x) > 0);
    if (at < 0) at = top.length;
    if (at < k) {
      top.splice(at, 0, v);
      if (top.length > k) top.pop();
    }
    return top;
  };
  return { init: () => [], add, merge: (a, b) => b.reduce(add, [...a]), result: (top) => [...top] };
}

const histogram: Aggregator<Map<string, number>> = {
  init: () => new Map(),
  add: (h, v) => {
    if (v === null) return h;
    const key = v as string;
    const current = h.get(key);
    if (current !== undefined || h.size < COLLECTION_LIMIT) h.set(key, (current ?? 0) + 1);
    return h;
  },
  undo: (h, v) => {
    const current = v === null ? undefined : h.get(v as string);
    if (current === undefined) return h;
    if (current <= 1) h.delete(v as string);
    else h.set(v as string, current - 1);
    return h;
  },
  merge: (a, b) => {
    const out = new Map(a);
    for (const [k, n] of b) if (out.has(k) || out.size < COLLECTION_LIMIT) out.set(k, (out.get(k) ?? 0) + n);
    return out;
  },
  result: (h) => new Map<SqlValue, SqlValue>([...h].map(([k, n]) => [k, BigInt(n)])),
};

type Moments = { count: number; mean: number; m2: number };

/** Welford's running variance, reversible for tables; fewer than two values give 0.0, as ksqlDB does. */
const stddevSample: Aggregator<Moments> = {
  init: () => ({ count: 0, mean: 0, m2: 0 }),
  add: (s, v) => {
    if (v === null) return s;
    const x = v as number;
    const count = s.count + 1;
    const delta = x - s.mean;
    const mean = s.mean + delta / count;
    return { count, mean, m2: s.m2 + delta * (x - mean) };
  },
  undo: (s, v) => {
    if (v === null || s.count === 0) return s;
    const x = v as number;
    if (s.count === 1) return { count: 0, mean: 0, m2: 0 };
    const count = s.count - 1;
    const mean = (s.mean * s.count - x) / count;
    return { count, mean, m2: Math.max(0, s.m2 - (x - mean) * (x - s.mean)) };
  },
  merge: (a, b) => {
    if (a.count === 0) return b;
    if (b.count === 0) return a;
    const count = a.count + b.count;
    const delta = b.mean - a.mean;
    return {
      count,
      mean: a.mean + (delta * b.count) / count,
      m2: a.m2 + b.m2 + (delta * delta * a.count * b.count) / count,
    };
  },
  result: (s) => (s.count < 2 ? 0 : Math.sqrt(s.m2 / (s.count - 1))),
};

const sameAsArg = (args: readonly { kind: string }[]) => args[0] as SqlType;

function positiveLiteral(fn: string, value: SqlValue, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw evalError(fn, `${what} must be a positive INTEGER literal, got ${String(value)}`);
  }
  return value;
}

export const aggregateFunctions: readonly FunctionDescription[] = [
  aggregate("COUNT", "COUNT(*) counts rows; COUNT(col) counts rows where col is not NULL.", [
    { params: [], returns: BIGINT, create: () => count },
    { params: [T], returns: BIGINT, create: () => countNonNull },
  ]),
  aggregate("SUM", "The sum of the non-NULL values (0 when there are none).", [
    { params: [INTEGER], returns: INTEGER, create: () => summing<number>(0, (a, b, s) => (a + s * b) | 0) },
    {
      params: [BIGINT],
      returns: BIGINT,
      create: () => summing<bigint>(0n, (a, b, s) => BigInt.asIntN(64, s > 0 ? a + b : a - b)),
    },
    { params: [DOUBLE], returns: DOUBLE, create: () => summing<number>(0, (a, b, s) => a + s * b) },
    { params: [ANY_DECIMAL], returns: sameAsArg, create: (types) => decimalSum(types[0] as DecimalType) },
  ]),
  aggregate("AVG", "The average of the non-NULL values as DOUBLE (0.0 when there are none).", [
    { params: [INTEGER], returns: DOUBLE, create: () => average(0) },
    { params: [BIGINT], returns: DOUBLE, create: () => average(0n) },
    { params: [DOUBLE], returns: DOUBLE, create: () => average(0) },
    {
      params: [ANY_DECIMAL],
      returns: DOUBLE,
      create: (types) => average(new Decimal(0n, (types[0] as DecimalType).scale)),
    },
  ]),
  aggregate("MIN", "The smallest non-NULL value.", [{ params: [T], returns: T, create: () => extreme(-1) }]),
  aggregate("MAX", "The largest non-NULL value.", [{ params: [T], returns: T, create: () => extreme(1) }]),
  aggregate("COUNT_DISTINCT", "The number of distinct non-NULL values (exact, where ksqlDB estimates).", [
    { params: [T], returns: BIGINT, create: () => countDistinct },
  ]),
  aggregate("COLLECT_LIST", `All values (NULLs included) in arrival order, up to ${COLLECTION_LIMIT}.`, [
    { params: [T], returns: { kind: "ARRAY", element: T }, create: () => collectList },
  ]),
  aggregate("COLLECT_SET", `The distinct values in arrival order, up to ${COLLECTION_LIMIT}.`, [
    { params: [T], returns: { kind: "ARRAY", element: T }, create: () => collectSet },
  ]),
  aggregate("TOPK", "The k largest non-NULL values, largest first.", [
    {
      params: [T, INTEGER],
      names: ["col", "k"],
      returns: { kind: "ARRAY", element: T },
      create: (_t, literals) => topK(positiveLiteral("TOPK", literals[0] ?? null, "k"), false),
    },
  ]),
  aggregate("TOPKDISTINCT", "The k largest distinct non-NULL values, largest first.", [
    {
      params: [T, INTEGER],
      names: ["col", "k"],
      returns: { kind: "ARRAY", element: T },
      create: (_t, literals) => topK(positiveLiteral("TOPKDISTINCT", literals[0] ?? null, "k"), true),
    },
  ]),
  aggregate("HISTOGRAM", `How often each non-NULL string occurs, for up to ${COLLECTION_LIMIT} distinct strings.`, [
    { params: [STRING], returns: mapType(STRING, BIGINT), create: () => histogram },
  ]),
  aggregate("STDDEV_SAMP", "The sample standard deviation of the non-NULL values (0.0 for fewer than two).", [
    { params: [DOUBLE], returns: DOUBLE, create: () => stddevSample },
  ]),
  ...latestEarliestFunctions(positiveLiteral),
];
