// LATEST_BY_OFFSET and EARLIEST_BY_OFFSET: the last or first value(s) in offset order, NULLs ignored by default.

import { BOOLEAN, INTEGER } from "../types/types.ts";
import type { SqlValue } from "../types/values.ts";
import type { AggregateSignature, Aggregator, FunctionDescription, ParamType } from "./signature.ts";

const T: ParamType = { kind: "GENERIC", name: "T" };
const ARRAY_T: ParamType = { kind: "ARRAY", element: T };

type One = { seen: boolean; value: SqlValue };

/** Values arrive in offset order within a partition, so "latest" is the last one added. */
function single(latest: boolean, ignoreNulls: boolean): Aggregator<One> {
  return {
    init: () => ({ seen: false, value: null }),
    add: (s, v) => {
      if (v === null && ignoreNulls) return s;
      if (!latest && s.seen) return s;
      return { seen: true, value: v };
    },
    merge: (a, b) => (latest ? (b.seen ? b : a) : a.seen ? a : b),
    result: (s) => s.value,
  };
}

function several(latest: boolean, n: number, ignoreNulls: boolean): Aggregator<SqlValue[]> {
  const keep = (values: SqlValue[]) => (latest ? values.slice(-n) : values.slice(0, n));
  return {
    init: () => [],
    add: (list, v) => {
      if (v === null && ignoreNulls) return list;
      if (latest) {
        list.push(v);
        if (list.length > n) list.shift();
      } else if (list.length < n) list.push(v);
      return list;
    },
    merge: (a, b) => keep([...a, ...b]),
    result: (list) => [...list],
  };
}

function flag(value: SqlValue | undefined): boolean {
  return value === undefined || value === null ? true : value === true;
}

export function latestEarliestFunctions(
  positive: (fn: string, value: SqlValue, what: string) => number,
): FunctionDescription[] {
  return (["LATEST_BY_OFFSET", "EARLIEST_BY_OFFSET"] as const).map((name) => {
    const latest = name === "LATEST_BY_OFFSET";
    const which = latest ? "largest" : "smallest";
    const signatures: AggregateSignature[] = [
      { params: [T], returns: T, create: () => single(latest, true) },
      {
        params: [T, BOOLEAN],
        names: ["col", "ignoreNulls"],
        returns: T,
        create: (_t, l) => single(latest, flag(l[0])),
      },
      {
        params: [T, INTEGER],
        names: ["col", "n"],
        returns: ARRAY_T,
        create: (_t, l) => several(latest, positive(name, l[0] ?? null, "n"), true),
      },
      {
        params: [T, INTEGER, BOOLEAN],
        names: ["col", "n", "ignoreNulls"],
        returns: ARRAY_T,
        create: (_t, l) => several(latest, positive(name, l[0] ?? null, "n"), flag(l[1])),
      },
    ];
    return {
      name,
      kind: "aggregate",
      category: "aggregate",
      description: `The value (or the n values) with the ${which} offset; NULLs are ignored unless ignoreNulls is false.`,
      signatures,
    };
  });
}
