// Aggregates from aggregate-cases.json: add/undo/result sequences, with the state round-tripped through the
// changelog codec after every step; plus merge and the streams-only functions having no undo.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { createBuiltinRegistry } from "../../../src/sql/functions/builtins.ts";
import type { Aggregator } from "../../../src/sql/functions/signature.ts";
import { SqlFunctionError } from "../../../src/sql/types/errors.ts";
import { type JsonValue, toJsonText } from "../../../src/sql/types/json-value.ts";
import { type StateValue, stateFromJson, stateToJson } from "../../../src/sql/types/state-codec.ts";
import { parseTypeText } from "../../../src/sql/types/type-text.ts";
import { formatType, type SqlType } from "../../../src/sql/types/types.ts";
import type { SqlValue } from "../../../src/sql/types/values.ts";
import { caseValue } from "../types/json-case-values.ts";

interface AggregateCase {
  fn: string;
  types: string[];
  literals?: JsonValue[];
  steps: ["add" | "undo" | "result", JsonValue][];
  returns?: string;
  error?: string;
  note?: string;
}

const registry = createBuiltinRegistry();
const cases = JSON.parse(readFileSync(join(import.meta.dirname, "aggregate-cases.json"), "utf8")) as AggregateCase[];

function make(name: string, types: SqlType[], literals: SqlValue[]) {
  const resolved = registry.lookup(name, types);
  if (resolved.kind !== "aggregate") throw new Error(`${name} is not an aggregate`);
  return { resolved, aggregator: resolved.create(literals) };
}

for (const c of cases) {
  test(`${c.fn}(${c.types.join(", ")}) ${c.steps.map(([op, v]) => `${op}${op === "result" ? "" : ` ${JSON.stringify(v)}`}`).join(", ")}`, () => {
    const types = c.types.map(parseTypeText);
    const literals = (c.literals ?? []).map((v, i) => caseValue(v, types[i + 1]!));
    const run = () => {
      const { resolved, aggregator } = make(c.fn, types, literals);
      if (c.returns) assert.equal(formatType(resolved.returnType), formatType(parseTypeText(c.returns)));
      let state: StateValue = aggregator.init();
      for (const [op, raw] of c.steps) {
        if (op === "result") {
          const got = aggregator.result(state);
          const expected = raw === null ? null : caseValue(raw, resolved.returnType);
          assert.equal(toJsonText(got, resolved.returnType), toJsonText(expected, resolved.returnType));
          continue;
        }
        const value = raw === null || types.length === 0 ? (raw as null) : caseValue(raw, types[0]!);
        const step = op === "add" ? aggregator.add : aggregator.undo;
        assert.ok(step, `${c.fn} has no ${op}`);
        state = step.call(aggregator, state, value);
        state = stateFromJson(stateToJson(state));
      }
    };
    if (c.error) assert.throws(run, (e: unknown) => e instanceof SqlFunctionError && e.code === c.error);
    else run();
  });
}

function fold(aggregator: Aggregator, values: SqlValue[]): StateValue {
  return values.reduce((s: StateValue, v) => aggregator.add(s, v), aggregator.init());
}

test("merging two partial states equals aggregating everything at once", () => {
  const checks: [string, SqlType[], SqlValue[], SqlValue[], SqlValue[]][] = [
    ["SUM", [parseTypeText("BIGINT")], [], [1n, 2n], [3n, null]],
    ["AVG", [parseTypeText("DOUBLE")], [], [1, 2], [6]],
    ["STDDEV_SAMP", [parseTypeText("DOUBLE")], [], [2, 4, 4], [4, 5, 5, 7, 9]],
    ["HISTOGRAM", [parseTypeText("STRING")], [], ["a", "b"], ["a"]],
    ["TOPK", [parseTypeText("INTEGER"), parseTypeText("INTEGER")], [2], [1, 8], [5, 9]],
    ["LATEST_BY_OFFSET", [parseTypeText("STRING")], [], ["a", "b"], ["c", null]],
    ["EARLIEST_BY_OFFSET", [parseTypeText("STRING"), parseTypeText("INTEGER")], [3], [null, "a"], ["b", "c", "d"]],
  ];
  for (const [name, types, literals, first, second] of checks) {
    const { resolved, aggregator } = make(name, types, literals);
    assert.ok(aggregator.merge, `${name} merges`);
    const merged = aggregator.merge(fold(aggregator, first), fold(aggregator, second));
    const whole = fold(aggregator, [...first, ...second]);
    const text = (s: StateValue) => toJsonText(aggregator.result(s), resolved.returnType);
    assert.equal(text(merged), text(whole), name);
  }
});

test("stream-only aggregates have no undo, table-capable ones do", () => {
  const string = [parseTypeText("STRING")];
  for (const name of ["MIN", "MAX", "COLLECT_SET", "COUNT_DISTINCT", "LATEST_BY_OFFSET", "EARLIEST_BY_OFFSET"]) {
    assert.equal(make(name, string, []).aggregator.undo, undefined, name);
  }
  for (const name of ["COUNT", "COLLECT_LIST", "HISTOGRAM"]) assert.ok(make(name, string, []).aggregator.undo, name);
});

test("COLLECT_LIST stops at its limit of 1000", () => {
  const { aggregator } = make("COLLECT_LIST", [parseTypeText("INTEGER")], []);
  const state = fold(
    aggregator,
    Array.from({ length: 1005 }, (_, i) => i),
  );
  assert.equal((aggregator.result(state) as SqlValue[]).length, 1000);
});
