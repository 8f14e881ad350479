// Matching what the engine answered against what a golden case expects, with a few markers for what varies.

import type { JsonValue } from "../../../src/sql/engine/entities.ts";

/**
 * `exact`: objects must have the same fields (records, rows). `subset`: an expected object names only the fields it
 * cares about (REST entities), and an expected null also accepts an absent field.
 *
 * Markers, in either mode:
 * - a string starting with `~` is a regular expression the actual value's text must match (`~^CSAS_HOT_\d+$`);
 * - `{$approx: x}`: a number within 1e-9 (relative) of x;
 * - `{$contains: [...]}`: an array holding a distinct match for each item, in any order, maybe more;
 * - `{$unordered: [...]}`: an array of the same length whose items match in some order;
 * - `{$none: [...]}`: an array in which no item matches any of these.
 */
export type MatchMode = "exact" | "subset";

/** Undefined when `actual` matches `expected`; else where and how it differs. */
export function matchValue(expected: JsonValue, actual: unknown, mode: MatchMode, path = "$"): string | undefined {
  if (expected === null) {
    return actual === null || (mode === "subset" && actual === undefined) ? undefined : differ(path, expected, actual);
  }
  if (typeof expected === "string") {
    if (expected.startsWith("~")) {
      const text = typeof actual === "string" ? actual : JSON.stringify(actual);
      return new RegExp(expected.slice(1)).test(text ?? "") ? undefined : differ(path, expected, actual);
    }
    return actual === expected ? undefined : differ(path, expected, actual);
  }
  if (typeof expected !== "object") return actual === expected ? undefined : differ(path, expected, actual);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return differ(path, expected, actual);
    for (const [i, item] of expected.entries()) {
      const miss = matchValue(item, actual[i], mode, `${path}[${i}]`);
      if (miss !== undefined) return miss;
    }
    return undefined;
  }
  if ("$approx" in expected) {
    const want = Number(expected.$approx);
    const ok = typeof actual === "number" && Math.abs(actual - want) <= 1e-9 * Math.max(1, Math.abs(want));
    return ok ? undefined : differ(path, expected, actual);
  }
  if ("$none" in expected || "$contains" in expected || "$unordered" in expected) {
    if (!Array.isArray(actual)) return differ(path, expected, actual);
    const unwanted = (expected.$none ?? []) as JsonValue[];
    const found = actual.find((item) => unwanted.some((u) => matchValue(u, item, mode) === undefined));
    if (found !== undefined) return `${path}: unexpected ${JSON.stringify(found)}`;
    const items = (expected.$contains ?? expected.$unordered ?? []) as JsonValue[];
    if ("$unordered" in expected && actual.length !== items.length) return differ(path, expected, actual);
    return pairUp(items, actual, mode) ? undefined : differ(path, expected, actual);
  }
  if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return differ(path, expected, actual);
  const fields = actual as Record<string, unknown>;
  if (mode === "exact") {
    const extra = Object.keys(fields).filter((k) => !(k in expected));
    if (extra.length > 0) return `${path}: unexpected field(s) ${extra.join(", ")} in ${JSON.stringify(actual)}`;
  }
  for (const [key, value] of Object.entries(expected)) {
    if (mode === "exact" && !(key in fields)) return `${path}: missing field ${key} in ${JSON.stringify(actual)}`;
    const miss = matchValue(value, fields[key], mode, `${path}.${key}`);
    if (miss !== undefined) return miss;
  }
  return undefined;
}

/** Whether each expected item matches a different actual item (greedy over a bipartite search). */
function pairUp(expected: readonly JsonValue[], actual: readonly unknown[], mode: MatchMode): boolean {
  const taken = new Array<boolean>(actual.length).fill(false);
  const assign = (i: number): boolean => {
    if (i === expected.length) return true;
    for (let j = 0; j < actual.length; j++) {
      if (taken[j] || matchValue(expected[i]!, actual[j], mode) !== undefined) continue;
      taken[j] = true;
      if (assign(i + 1)) return true;
      taken[j] = false;
    }
    return false;
  };
  return assign(0);
}

function differ(path: string, expected: JsonValue, actual: unknown): string {
  return `${path}: expected ${JSON.stringify(expected)}, got ${actual === undefined ? "nothing" : JSON.stringify(actual)}`;
}
