// Tables as input (upserts, tombstones, retractions), HAVING, coalescing and the materialized view.

import assert from "node:assert/strict";
import { test } from "node:test";
import { createPipeline, SqlRuntimeError } from "../../../src/sql/runtime/index.ts";
import type { PipelineOptions } from "../../../src/sql/runtime/pipeline.ts";
import { decodeState } from "../../../src/sql/types/state-codec.ts";
import { describeSource, Harness, json, PlanBuilder, parseJson, planSource, readable, tumbling } from "./fixture.ts";

const options: PipelineOptions = { queryId: "CTAS_U_2", internalTopicPrefix: "_q_", coalesce: false };
const users = describeSource("USERS", "TABLE", "ID STRING PRIMARY KEY, REGION STRING, SCORE INT", { partitions: 2 });

test("a filtered table: a row that stops matching becomes a tombstone; rows never shown make none", () => {
  const sink = describeSource("HIGH", "TABLE", "ID STRING PRIMARY KEY, SCORE INT");
  const plan = new PlanBuilder(planSource(users)).where("SCORE > 10").build([["ID", "ID"]], [["SCORE", "SCORE"]], {
    sink,
  });
  const pipeline = createPipeline(plan, options);
  assert.deepEqual(pipeline.topics[0], { name: "users", role: "source-table" });
  const h = new Harness(pipeline, [0, 1]);
  const out = h.run([
    h.record("users", "a", { REGION: "EU", SCORE: 20 }, 1),
    h.record("users", "b", { REGION: "EU", SCORE: 5 }, 2),
    h.record("users", "a", { REGION: "EU", SCORE: 30 }, 3),
    h.record("users", "a", { REGION: "EU", SCORE: 1 }, 4),
    h.raw("users", json("b"), null, 5),
    h.record("users", "c", { REGION: "US", SCORE: 50 }, 6),
    h.raw("users", json("c"), null, 7),
    h.raw("users", null, json({ SCORE: 99 }), 8),
  ]);
  assert.deepEqual(readable(out.sink), [
    ["a", { SCORE: 20 }, 1],
    ["a", { SCORE: 30 }, 3],
    ["a", null, 4],
    ["c", { SCORE: 50 }, 6],
    ["c", null, 7],
  ]);
  assert.deepEqual(
    out.errors.map((e) => e.code),
    ["SQL_NULL_KEY"],
  );
  assert.deepEqual([...pipeline.materialized!.scan()], []);
});

function regionCounts() {
  const sink = describeSource("PER_REGION", "TABLE", "REGION STRING PRIMARY KEY, N BIGINT, TOTAL INT");
  return new PlanBuilder(planSource(users))
    .rekey("GROUP BY", [["KSQL_KEY", "REGION"]])
    .aggregate({
      groupBy: [["REGION", "KSQL_KEY"]],
      aggregates: [
        ["N", "COUNT(*)"],
        ["TOTAL", "SUM(SCORE)"],
      ],
    })
    .build(
      [["REGION", "REGION"]],
      [
        ["N", "N"],
        ["TOTAL", "TOTAL"],
      ],
      { sink },
    );
}

test("aggregating a table retracts a row's old version before adding the new one, across groups", () => {
  const pipeline = createPipeline(regionCounts(), options);
  const h = new Harness(pipeline, [0, 1]);
  const out = h.run([
    h.record("users", "a", { REGION: "EU", SCORE: 1 }, 1),
    h.record("users", "b", { REGION: "EU", SCORE: 2 }, 2, 1),
    h.record("users", "a", { REGION: "EU", SCORE: 10 }, 3), // same group: one repartition record
    h.record("users", "b", { REGION: "US", SCORE: 2 }, 4, 1), // moves: two records
    h.raw("users", json("a"), null, 5),
  ]);
  assert.deepEqual(
    out.repartition.map((r) => {
      const [next, previous] = decodeState(parseJson(r.value)) as unknown[];
      return [parseJson(r.key), next === null ? null : "add", previous === null ? null : "retract"];
    }),
    [
      ["EU", "add", null],
      ["EU", "add", null],
      ["EU", "add", "retract"],
      ["EU", null, "retract"],
      ["US", "add", null],
      ["EU", null, "retract"],
    ],
  );
  assert.deepEqual(readable(out.sink), [
    ["EU", { N: 1, TOTAL: 1 }, 1],
    ["EU", { N: 2, TOTAL: 3 }, 2],
    ["EU", { N: 2, TOTAL: 12 }, 3],
    ["EU", { N: 1, TOTAL: 10 }, 4],
    ["US", { N: 1, TOTAL: 2 }, 4],
    ["EU", { N: 0, TOTAL: 0 }, 5],
  ]);
  assert.deepEqual(
    pipeline.materialized!.get(["US"]).map((r) => r.value),
    [[1n, 2]],
  );
});

test("HAVING: a row shows once it passes and is tombstoned when it stops; never-shown rows make no tombstone", () => {
  const payments = describeSource("PAYMENTS", "STREAM", "ID INT KEY, V INT");
  const plan = new PlanBuilder(planSource(payments))
    .aggregate({ groupBy: [["ID", "ID"]], aggregates: [["S", "SUM(V)"]], having: "S > 0" })
    .build([["ID", "ID"]], [["S", "S"]]);
  const pipeline = createPipeline(plan, options);
  assert.deepEqual(
    pipeline.topics.map((t) => t.role),
    ["source"],
    "a query for a client keeps no changelog",
  );
  const h = new Harness(pipeline);
  const out = h.run([-5, 6, -2, -1, 3].map((v, i) => h.record("payments", 1, { V: v }, i)));
  assert.deepEqual(
    out.rows.map((r) => r.value),
    [[1], null, [1]],
  );
  assert.deepEqual(
    pipeline.materialized!.get([1]).map((r) => r.value),
    [[1]],
  );
});

test("coalescing: one batch produces only the last update per key, for the sink and the changelog", () => {
  const run = (coalesce: boolean) => {
    const pipeline = createPipeline(regionCounts(), { ...options, coalesce, inMemoryRepartition: true });
    const h = new Harness(pipeline, [0, 1]);
    const first = h.run([
      h.record("users", "a", { REGION: "EU", SCORE: 1 }, 1),
      h.record("users", "b", { REGION: "US", SCORE: 2 }, 2),
      h.record("users", "c", { REGION: "EU", SCORE: 3 }, 3),
      h.record("users", "a", { REGION: "EU", SCORE: 4 }, 4),
    ]);
    const second = h.run([h.record("users", "d", { REGION: "US", SCORE: 5 }, 5)]);
    return { first, second };
  };
  const coalesced = run(true);
  assert.deepEqual(readable(coalesced.first.sink), [
    ["US", { N: 1, TOTAL: 2 }, 2],
    ["EU", { N: 2, TOTAL: 7 }, 4],
  ]);
  assert.deepEqual(
    coalesced.first.changelog.map((r) => r.key!.toString()),
    ['[["US"]]', '[["EU"]]'],
  );
  assert.deepEqual(readable(coalesced.second.sink), [["US", { N: 2, TOTAL: 7 }, 5]]);
  const every = run(false);
  assert.equal(every.first.sink.length, 4);
  assert.equal(every.first.changelog.length, 4);
  assert.deepEqual(readable(every.first.sink).at(-1), readable(coalesced.first.sink).at(-1));
});

test("held updates: coalesced across process calls until flush, dropped with a revoked partition", () => {
  const pipeline = createPipeline(regionCounts(), { ...options, coalesce: true, inMemoryRepartition: true });
  const h = new Harness(pipeline, [0, 1]);
  const first = h.run([h.record("users", "a", { REGION: "EU", SCORE: 1 }, 1)], true);
  const second = h.run(
    [h.record("users", "b", { REGION: "US", SCORE: 2 }, 2), h.record("users", "c", { REGION: "EU", SCORE: 3 }, 3)],
    true,
  );
  assert.equal(first.sink.length + first.changelog.length + second.sink.length + second.changelog.length, 0);
  assert.ok((pipeline.heldBytes ?? 0) > 0, "what is held has a size");
  const flushed = h.flush();
  assert.deepEqual(readable(flushed.sink), [
    ["US", { N: 1, TOTAL: 2 }, 2],
    ["EU", { N: 2, TOTAL: 4 }, 3],
  ]);
  assert.equal(flushed.changelog.length, 2);
  assert.equal(pipeline.heldBytes, 0);
  assert.deepEqual(h.flush().sink, [], "a flush gives each update once");
  // The view is current at once, held or not: pull queries see the last row.
  assert.equal(pipeline.materialized?.get(["EU"])[0]?.value?.[1], 4);
  // An update held for a partition that moves away never goes out; the other partition's does. The groups' rows
  // live in the partition of their key: "EU" in 1, "US" in 0 (Kafka's default partitioner over 2).
  h.run(
    [h.record("users", "d", { REGION: "EU", SCORE: 5 }, 4), h.record("users", "e", { REGION: "US", SCORE: 6 }, 5)],
    true,
  );
  pipeline.revoke(1);
  assert.deepEqual(readable(h.flush().sink), [["US", { N: 2, TOTAL: 8 }, 5]]);
});

test("without coalescing nothing is held: every update comes out of the process call itself", () => {
  const pipeline = createPipeline(regionCounts(), { ...options, coalesce: false, inMemoryRepartition: true });
  const h = new Harness(pipeline, [0, 1]);
  const out = h.run(
    [h.record("users", "a", { REGION: "EU", SCORE: 1 }, 1), h.record("users", "c", { REGION: "EU", SCORE: 3 }, 2)],
    true,
  );
  assert.equal(out.sink.length, 2);
  assert.equal(out.changelog.length, 2);
  assert.equal(pipeline.heldBytes, 0);
  assert.deepEqual(h.flush().sink, []);
});

test("plans the operators cannot run are refused when the pipeline is built", () => {
  const refuse = (build: () => unknown, pattern: RegExp) =>
    assert.throws(
      build,
      (e: unknown) => e instanceof SqlRuntimeError && e.code === "SQL_PLAN_UNSUPPORTED" && pattern.test(e.message),
    );
  const minOverTable = new PlanBuilder(planSource(users))
    .aggregate({ groupBy: [["ID", "ID"]], aggregates: [["M", "MIN(SCORE)"]] })
    .build([["ID", "ID"]], [["M", "M"]]);
  refuse(() => createPipeline(minOverTable, options), /MIN over a table/);
  const finalUnwindowed = new PlanBuilder(planSource(users))
    .aggregate({ groupBy: [["ID", "ID"]], aggregates: [["N", "COUNT(*)"]] })
    .build([["ID", "ID"]], [["N", "N"]], { emit: "FINAL" });
  refuse(() => createPipeline(finalUnwindowed, options), /EMIT FINAL/);
  const windowedTable = new PlanBuilder(planSource(users))
    .aggregate({ groupBy: [["ID", "ID"]], aggregates: [["N", "COUNT(*)"]], window: tumbling(1000) })
    .build([["ID", "ID"]], [["N", "N"]]);
  refuse(() => createPipeline(windowedTable, options), /TUMBLING window over table USERS/);
  const wrongSink = new PlanBuilder(planSource(users)).build([["ID", "ID"]], [["SCORE", "SCORE"]], {
    sink: describeSource("NARROW", "TABLE", "ID STRING PRIMARY KEY"),
  });
  refuse(() => createPipeline(wrongSink, options), /sink NARROW has 1 and 0/);
});

test("aggregates log a NULL group key and a failing HAVING, and carry on with the next records", () => {
  const payments = describeSource("PAYMENTS", "STREAM", "ID INT KEY, V INT");
  const plan = new PlanBuilder(planSource(payments))
    .aggregate({ groupBy: [["ID", "ID"]], aggregates: [["S", "SUM(V)"]], having: "10 / (S - 3) > 0" })
    .build([["ID", "ID"]], [["S", "S"]]);
  const h = new Harness(createPipeline(plan, options));
  const out = h.run([
    h.record("payments", null, { V: 1 }, 1),
    h.record("payments", 7, { V: 3 }, 2),
    h.record("payments", 7, { V: 1 }, 3),
  ]);
  assert.deepEqual(
    out.errors.map((e) => [e.code, e.offset]),
    [
      ["SQL_NULL_KEY", 0n],
      ["SQL_EVAL", 1n],
    ],
  );
  assert.deepEqual(
    out.rows.map((r) => [r.key, r.value, r.timestamp]),
    [[[7], [4], 3]],
  );
});
