// Restore: a pipeline rebuilt from changelog and table records goes on exactly as the one that wrote them.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { QueryPlan } from "../../../src/sql/plan/plan.ts";
import { createPipeline } from "../../../src/sql/runtime/index.ts";
import type { InputRecord, Pipeline, PipelineOptions } from "../../../src/sql/runtime/pipeline.ts";
import { describeSource, Harness, json, PlanBuilder, planSource, readable, session, tumbling } from "./fixture.ts";

const options: PipelineOptions = { queryId: "CTAS_R_9", internalTopicPrefix: "_q_", coalesce: false };
const clicks = describeSource("CLICKS", "STREAM", "USER_ID STRING KEY, PAGE STRING, MS INT", { partitions: 2 });

function perUser(window?: ReturnType<typeof tumbling>, emit: "CHANGES" | "FINAL" = "CHANGES"): QueryPlan {
  const sink = describeSource(
    "PER_USER",
    "TABLE",
    "USER_ID STRING PRIMARY KEY, N BIGINT, PAGES ARRAY<STRING>, AVG_MS DOUBLE",
    {
      window: window && { kind: window.kind, sizeMs: window.sizeMs },
    },
  );
  return new PlanBuilder(planSource(clicks))
    .aggregate({
      groupBy: [["USER_ID", "USER_ID"]],
      aggregates: [
        ["N", "COUNT(*)"],
        ["PAGES", "COLLECT_LIST(PAGE)"],
        ["AVG_MS", "AVG(MS)"],
      ],
      window,
    })
    .build(
      [["USER_ID", "USER_ID"]],
      [
        ["N", "N"],
        ["PAGES", "PAGES"],
        ["AVG_MS", "AVG_MS"],
      ],
      { sink, emit },
    );
}

/** A second pipeline of the same plan, restored from everything the first wrote to its changelog. */
function restoredFrom(h: Harness, plan: QueryPlan, partitions: readonly number[]): Harness {
  const copy = createPipeline(plan, options);
  const restored = new Harness(copy, partitions);
  const topic = copy.topics.find((t) => t.role === "changelog")!.name;
  for (const p of partitions)
    copy.restore(
      topic,
      p,
      h.changelog.filter((r) => r.partition === p),
    );
  return restored;
}

function clicksBatch(h: Harness, from: number): InputRecord[] {
  return [
    h.record("clicks", "ann", { PAGE: `p${from}`, MS: from }, from, 0),
    h.record("clicks", "bob", { PAGE: `q${from}`, MS: 2 * from }, from + 1, 1),
    h.record("clicks", "ann", { PAGE: `r${from}`, MS: 3 }, from + 2, 0),
  ];
}

function sameOutputs(a: Harness, b: Harness, records: (h: Harness) => InputRecord[]): void {
  const left = a.run(records(a));
  const right = b.run(records(b));
  const bytes = (o: typeof left) => o.sink.map((r) => [r.key?.toString("hex"), r.value?.toString(), r.timestamp]);
  assert.deepEqual(bytes(right), bytes(left));
  assert.ok(left.sink.length > 0 || left.changelog.length > 0, "the comparison saw some output");
  assert.deepEqual(
    right.changelog.map((r) => [r.partition, r.key, r.value]),
    left.changelog.map((r) => [r.partition, r.key, r.value]),
  );
}

function view(pipeline: Pipeline) {
  return [...pipeline.materialized!.scan()].sort((x, y) => String(x.key[0]).localeCompare(String(y.key[0])));
}

test("unwindowed aggregate state restored from the changelog carries on identically", () => {
  const plan = perUser();
  const original = new Harness(createPipeline(plan, options), [0, 1]);
  original.run(clicksBatch(original, 100));
  const restored = restoredFrom(original, plan, [0, 1]);
  assert.deepEqual(view(restored.pipeline), view(original.pipeline));
  sameOutputs(original, restored, (h) => clicksBatch(h, 200));
  assert.deepEqual(
    restored.pipeline.materialized!.get(["ann"]).map((r) => r.value),
    [[4n, ["p100", "r100", "p200", "r200"], (100 + 3 + 200 + 3) / 4]],
  );
});

test("windowed state restores with its stream time: EMIT FINAL closes the same windows, and only once", () => {
  const window = tumbling(1000, 0, 5000);
  const plan = perUser(window, "FINAL");
  const original = new Harness(createPipeline(plan, options), [0, 1]);
  original.run(clicksBatch(original, 100));
  original.run([original.record("clicks", "ann", { PAGE: "x", MS: 1 }, 1500, 0)]); // closes ann's [0, 1000)
  const restored = restoredFrom(original, plan, [0, 1]);
  assert.deepEqual(view(restored.pipeline), view(original.pipeline));
  // Partition 1's [0, 1000) closes now in both; partition 0's closed before the restore and must not come again.
  sameOutputs(original, restored, (h) => [
    h.record("clicks", "bob", { PAGE: "y", MS: 1 }, 1200, 1),
    h.record("clicks", "ann", { PAGE: "z", MS: 1 }, 1600, 0),
  ]);
  const late = restored.run([restored.record("clicks", "ann", { PAGE: "old", MS: 1 }, 900, 0)]);
  assert.deepEqual(
    late.errors.map((e) => e.code),
    ["SQL_LATE_RECORD"],
    "the restored stream time makes the old window closed",
  );
});

test("restored sessions merge with later records exactly as the originals would", () => {
  const plan = perUser(session(100, 0, 10_000));
  const original = new Harness(createPipeline(plan, options), [0, 1]);
  original.run([
    original.record("clicks", "ann", { PAGE: "a", MS: 1 }, 1000),
    original.record("clicks", "ann", { PAGE: "b", MS: 1 }, 1150),
  ]);
  const restored = restoredFrom(original, plan, [0, 1]);
  sameOutputs(original, restored, (h) => [h.record("clicks", "ann", { PAGE: "c", MS: 1 }, 1075)]);
  assert.deepEqual(
    restored.pipeline.materialized!.get(["ann"]).map((r) => [r.window, r.value]),
    [[{ start: 1000, end: 1150 }, [3n, ["a", "b", "c"], 1]]],
  );
});

const users = describeSource("USERS", "TABLE", "ID STRING PRIMARY KEY, REGION STRING, SCORE INT");

test("a table source restores its rows from its own topic, so later changes retract and tombstone correctly", () => {
  const sink = describeSource("HIGH", "TABLE", "ID STRING PRIMARY KEY, SCORE INT");
  const plan = new PlanBuilder(planSource(users)).where("SCORE > 10").build([["ID", "ID"]], [["SCORE", "SCORE"]], {
    sink,
  });
  const pipeline = createPipeline(plan, options);
  const h = new Harness(pipeline);
  pipeline.restore("users", 0, [
    h.record("users", "a", { SCORE: 50 }, 1),
    h.record("users", "b", { SCORE: 60 }, 2),
    h.raw("users", json("b"), null, 3),
    h.record("users", "c", { SCORE: 1 }, 4),
  ]);
  assert.deepEqual(
    pipeline.materialized!.get(["a"]).map((r) => r.value),
    [[50]],
  );
  const out = h.run([h.record("users", "a", { SCORE: 2 }, 5), h.record("users", "c", { SCORE: 0 }, 6)]);
  assert.deepEqual(readable(out.sink), [["a", null, 5]]);
});

test("a table aggregate restores the table's rows and the aggregate's changelog, then retracts correctly", () => {
  const sink = describeSource("PER_REGION", "TABLE", "REGION STRING PRIMARY KEY, N BIGINT");
  const plan = new PlanBuilder(planSource(users))
    .rekey("GROUP BY", [["KSQL_KEY", "REGION"]])
    .aggregate({ groupBy: [["REGION", "KSQL_KEY"]], aggregates: [["N", "COUNT(*)"]] })
    .build([["REGION", "REGION"]], [["N", "N"]], { sink });
  const original = new Harness(createPipeline(plan, options));
  const history = [
    original.record("users", "a", { REGION: "EU" }, 1),
    original.record("users", "b", { REGION: "EU" }, 2),
  ];
  original.run(history);
  const restored = restoredFrom(original, plan, [0]);
  restored.pipeline.restore("users", 0, history);
  const out = restored.run([restored.record("users", "a", { REGION: "US" }, 3)]);
  assert.deepEqual(readable(out.sink), [
    ["EU", { N: 1 }, 3],
    ["US", { N: 1 }, 3],
  ]);
});

test("a changelog record that does not decode is reported with the next batch; revoking drops a partition", () => {
  const plan = perUser();
  const pipeline = createPipeline(plan, options);
  const h = new Harness(pipeline, [0, 1]);
  const topic = pipeline.topics.find((t) => t.role === "changelog")!.name;
  pipeline.restore(topic, 1, [h.raw(topic, Buffer.from("nope"), Buffer.from("{}"), 1, 1)]);
  const out = h.run(clicksBatch(h, 10));
  assert.deepEqual(
    out.errors.map((e) => [e.code, e.topic, e.partition]),
    [["SQL_SERDE", topic, 1]],
  );
  assert.equal(pipeline.materialized!.get(["bob"]).length, 1);
  pipeline.revoke(1);
  assert.deepEqual(pipeline.materialized!.get(["bob"]), []);
  assert.equal(pipeline.materialized!.get(["ann"]).length, 1);
});
