// Moving rows to their new key's partition (repartition topic or in memory) and the stream-table join.

import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultPartition } from "../../../src/kafka/index.ts";
import { createPipeline } from "../../../src/sql/runtime/index.ts";
import type { InputRecord, PipelineOptions } from "../../../src/sql/runtime/pipeline.ts";
import { describeSource, Harness, json, PlanBuilder, parseJson, planSource, readable } from "./fixture.ts";

const options: PipelineOptions = { queryId: "CTAS_T_3", internalTopicPrefix: "_confluent-ksql-default_query_" };
const orders = describeSource("ORDERS", "STREAM", "ID STRING KEY, REGION STRING, AMOUNT DOUBLE", { partitions: 3 });
const sink = describeSource("BY_REGION", "TABLE", "REGION STRING PRIMARY KEY, N BIGINT, TOTAL DOUBLE");

function byRegion() {
  return new PlanBuilder(planSource(orders))
    .rekey("GROUP BY", [["KSQL_KEY", "REGION"]])
    .aggregate({
      groupBy: [["REGION", "KSQL_KEY"]],
      aggregates: [
        ["N", "COUNT(*)"],
        ["TOTAL", "SUM(AMOUNT)"],
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

function orderRecords(h: Harness): InputRecord[] {
  return [
    h.record("orders", "o1", { REGION: "EU", AMOUNT: 10 }, 100, 0),
    h.record("orders", "o2", { REGION: "US", AMOUNT: 5 }, 101, 1),
    h.record("orders", "o3", { REGION: "EU", AMOUNT: 1 }, 102, 2),
    h.record("orders", "o4", { REGION: null, AMOUNT: 1 }, 103, 2),
    h.record("orders", "o5", { REGION: "APAC", AMOUNT: 7 }, 104, 1),
  ];
}

test("GROUP BY a value column goes through the repartition topic, keyed by the group, and comes back", () => {
  const pipeline = createPipeline(byRegion(), { ...options, coalesce: false });
  assert.deepEqual(pipeline.topics, [
    { name: "orders", role: "source" },
    { name: "_confluent-ksql-default_query_CTAS_T_3-Rekey-repartition", role: "repartition", partitions: 3 },
    { name: "_confluent-ksql-default_query_CTAS_T_3-Aggregate-changelog", role: "changelog", partitions: 3 },
    { name: "by_region", role: "sink" },
  ]);
  const h = new Harness(pipeline, [0, 1, 2]);
  const out = h.run(orderRecords(h));
  assert.deepEqual(
    out.repartition.map((r) => [parseJson(r.key), r.partition, r.timestamp]),
    [
      ["EU", undefined, 100],
      ["US", undefined, 101],
      ["EU", undefined, 102],
      ["APAC", undefined, 104],
    ],
  );
  assert.deepEqual(readable(out.sink), [
    ["EU", { N: 1, TOTAL: 10 }, 100],
    ["US", { N: 1, TOTAL: 5 }, 101],
    ["EU", { N: 2, TOTAL: 11 }, 102],
    ["APAC", { N: 1, TOTAL: 7 }, 104],
  ]);
  assert.deepEqual(
    out.errors.map((e) => [e.code, e.partition, e.offset]),
    [["SQL_NULL_KEY", 2, 1n]],
  );
  // State lives in the partition Kafka's partitioner gives the group key, and the changelog says so.
  for (const record of out.changelog) {
    assert.equal(record.partition, defaultPartition(json(JSON.parse(record.key!.toString())[0][0]), 3));
  }
});

test("in-memory repartitioning gives the same results with no internal topic", () => {
  const topic = createPipeline(byRegion(), { ...options, coalesce: false });
  const memory = createPipeline(byRegion(), { ...options, coalesce: false, inMemoryRepartition: true });
  assert.ok(!memory.topics.some((t) => t.role === "repartition"));
  const a = new Harness(topic, [0, 1, 2]);
  const b = new Harness(memory, [0, 1, 2]);
  const viaTopic = a.run(orderRecords(a));
  const inMemory = b.run(orderRecords(b));
  assert.deepEqual(inMemory.repartition, []);
  assert.deepEqual(readable(inMemory.sink), readable(viaTopic.sink));
  assert.deepEqual(
    inMemory.changelog.map((r) => [r.partition, r.key!.toString(), r.value!.toString()]),
    viaTopic.changelog.map((r) => [r.partition, r.key!.toString(), r.value!.toString()]),
  );
  assert.deepEqual(topic.materialized!.get(["EU"]), memory.materialized!.get(["EU"]));
});

const readings = describeSource("READINGS", "STREAM", "MACHINE STRING KEY, TEMP DOUBLE", { partitions: 2 });
const machines = describeSource("MACHINES", "TABLE", "ID STRING PRIMARY KEY, LINE STRING, LIMIT_C DOUBLE", {
  partitions: 2,
});

function enriched(type: "INNER" | "LEFT") {
  return new PlanBuilder(planSource(readings, "R"))
    .join(type, planSource(machines, "M"), "R.MACHINE")
    .where("M.LIMIT_C IS NULL OR R.TEMP > M.LIMIT_C")
    .build(
      [["MACHINE", "R.MACHINE"]],
      [
        ["LINE", "M.LINE"],
        ["TEMP", "R.TEMP"],
      ],
    );
}

test("stream-table join: INNER drops unmatched rows, LEFT fills NULLs; table updates apply to later rows only", () => {
  for (const type of ["INNER", "LEFT"] as const) {
    const pipeline = createPipeline(enriched(type), options);
    assert.deepEqual(
      pipeline.topics.map((t) => [t.name, t.role]),
      [
        ["readings", "source"],
        ["machines", "table"],
      ],
    );
    const h = new Harness(pipeline, [0, 1]);
    const out = h.run([
      h.record("machines", "m1", { LINE: "L1", LIMIT_C: 50 }, 1),
      h.record("readings", "m1", { TEMP: 60 }, 10),
      h.record("readings", "m2", { TEMP: 60 }, 11),
      h.record("readings", "m1", { TEMP: 40 }, 12),
      h.record("machines", "m1", { LINE: "L9", LIMIT_C: 30 }, 13),
      h.record("readings", "m1", { TEMP: 40 }, 14),
      h.raw("machines", json("m1"), null, 15),
      h.record("readings", "m1", { TEMP: 41 }, 16),
    ]);
    const inner = [
      [["m1"], ["L1", 60]],
      [["m1"], ["L9", 40]],
    ];
    const left = [
      [["m1"], ["L1", 60]],
      [["m2"], [null, 60]],
      [["m1"], ["L9", 40]],
      [["m1"], [null, 41]],
    ];
    assert.deepEqual(
      out.rows.map((r) => [r.key, r.value]),
      type === "INNER" ? inner : left,
      type,
    );
  }
});

test("the table side restores from its topic before processing", () => {
  const pipeline = createPipeline(enriched("INNER"), options);
  const h = new Harness(pipeline, [0, 1]);
  pipeline.restore("machines", 1, [h.record("machines", "m7", { LINE: "L7", LIMIT_C: 0 }, 1, 1)]);
  const out = h.run([h.record("readings", "m7", { TEMP: 5 }, 2, 1), h.record("readings", "m7", { TEMP: 5 }, 3, 0)]);
  // Only partition 1 holds m7's row: co-partitioning means the stream's m7 records live there too.
  assert.deepEqual(
    out.rows.map((r) => [r.key, r.value]),
    [[["m7"], ["L7", 5]]],
  );
});

const events = describeSource("EVENTS", "STREAM", "ID STRING KEY, MACHINE_ID STRING, KIND STRING", { partitions: 5 });

function eventsWithLine() {
  return new PlanBuilder(planSource(events, "E")).join("LEFT", planSource(machines, "M"), "E.MACHINE_ID", true).build(
    [["MACHINE_ID", "KSQL_JOIN_KEY"]],
    [
      ["KIND", "E.KIND"],
      ["LINE", "M.LINE"],
    ],
  );
}

function eventRecords(h: Harness): InputRecord[] {
  const tableRecords = ["m1", "m2", "m3"].map((id) =>
    h.record("machines", id, { LINE: `line-${id}` }, 1, defaultPartition(json(id), 2)),
  );
  return [
    ...tableRecords,
    h.record("events", "e1", { MACHINE_ID: "m2", KIND: "start" }, 5, 4),
    h.record("events", "e2", { MACHINE_ID: "m3", KIND: "stop" }, 6, 0),
    h.record("events", "e3", { MACHINE_ID: null, KIND: "noise" }, 7, 0),
  ];
}

test("a join on a value column rekeys the stream by it, with the table's key bytes, through the join topic", () => {
  const pipeline = createPipeline(eventsWithLine(), options);
  assert.deepEqual(pipeline.topics[2], {
    name: "_confluent-ksql-default_query_CTAS_T_3-Join-repartition",
    role: "repartition",
    partitions: 2,
  });
  const h = new Harness(pipeline, [0, 1, 2, 3, 4]);
  const out = h.run(eventRecords(h));
  assert.deepEqual(
    out.repartition.map((r) => r.key!.toString()),
    ['"m2"', '"m3"'],
    "the null key never travels",
  );
  assert.deepEqual(
    out.rows.map((r) => [r.key, r.value]),
    [
      [[null], ["noise", null]],
      [["m2"], ["start", "line-m2"]],
      [["m3"], ["stop", "line-m3"]],
    ],
  );
});

test("in memory, the join's rekey finds the table row in the partition the partitioner gives its key", () => {
  const pipeline = createPipeline(eventsWithLine(), { ...options, inMemoryRepartition: true });
  const h = new Harness(pipeline, [0, 1, 2, 3, 4]);
  const out = h.run(eventRecords(h));
  assert.deepEqual(out.repartition, []);
  assert.deepEqual(
    out.rows.map((r) => [r.key, r.value]),
    [
      [["m2"], ["start", "line-m2"]],
      [["m3"], ["stop", "line-m3"]],
      [[null], ["noise", null]],
    ],
  );
});
