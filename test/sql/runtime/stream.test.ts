// Stream queries: decode, event time, filter, project, explode, PARTITION BY, LIMIT and the processing log.

import assert from "node:assert/strict";
import { test } from "node:test";
import { createPipeline, SqlRuntimeError } from "../../../src/sql/runtime/index.ts";
import type { PipelineOptions } from "../../../src/sql/runtime/pipeline.ts";
import { describeSource, Harness, json, PlanBuilder, planSource, readable } from "./fixture.ts";

const options: PipelineOptions = { queryId: "CSAS_OUT_1", internalTopicPrefix: "_fabrik_" };
const readings = describeSource("READINGS", "STREAM", "MACHINE STRING KEY, TEMP DOUBLE, SPEED INT, LINE STRING", {
  partitions: 2,
});

test("WHERE and SELECT: matching rows are projected and encoded for the sink, with the record's timestamp", () => {
  const sink = describeSource("HOT", "STREAM", "MACHINE STRING KEY, FAHRENHEIT DOUBLE, LINE STRING");
  const plan = new PlanBuilder(planSource(readings)).where("TEMP > 80").build(
    [["MACHINE", "MACHINE"]],
    [
      ["FAHRENHEIT", "TEMP * 9 / 5 + 32"],
      ["LINE", "UCASE(LINE)"],
    ],
    { sink },
  );
  const pipeline = createPipeline(plan, options);
  assert.deepEqual(pipeline.topics, [
    { name: "readings", role: "source" },
    { name: "hot", role: "sink" },
  ]);
  const h = new Harness(pipeline, [0, 1]);
  const out = h.run([
    h.record("readings", "m1", { TEMP: 85, SPEED: 3, LINE: "a" }, 1000),
    h.record("readings", "m2", { TEMP: 20, SPEED: 3, LINE: "a" }, 1001),
    h.record("readings", "m3", { TEMP: 100, SPEED: 1, LINE: null }, 1002, 1),
  ]);
  assert.deepEqual(readable(out.sink), [
    ["m1", { FAHRENHEIT: 185, LINE: "A" }, 1000],
    ["m3", { FAHRENHEIT: 212, LINE: null }, 1002],
  ]);
  assert.equal(out.sink[0]!.partition, undefined, "the producer's partitioner places sink records");
  assert.deepEqual(out.errors, []);
});

test("a record that does not decode or evaluate becomes a processing-log entry and the next one goes on", () => {
  const plan = new PlanBuilder(planSource(readings)).build([["MACHINE", "MACHINE"]], [["RATIO", "100 / SPEED"]]);
  const h = new Harness(createPipeline(plan, options), [0, 1]);
  const out = h.run([
    h.raw("readings", json("m1"), Buffer.from("{not json"), 5),
    h.record("readings", "m2", { TEMP: 1, SPEED: 0 }, 6, 1),
    h.record("readings", "m3", { TEMP: "hot", SPEED: 1 }, 7),
    h.record("readings", "m4", { TEMP: 1, SPEED: 4 }, 8),
  ]);
  assert.deepEqual(
    out.errors.map((e) => [e.code, e.topic, e.partition, e.offset]),
    [
      ["SQL_SERDE", "readings", 0, 0n],
      ["SQL_EVAL", "readings", 1, 0n],
      ["SQL_SERDE", "readings", 0, 1n],
    ],
  );
  assert.match(out.errors[1]!.message, /division by zero/);
  assert.match(out.errors[2]!.message, /value\.TEMP: expected DOUBLE/);
  assert.deepEqual(
    out.rows.map((r) => [r.key, r.value, r.timestamp]),
    [[["m4"], [25], 8]],
  );
});

test("event time comes from a TIMESTAMP, BIGINT or formatted STRING column; NULL gives SQL_TIMESTAMP", () => {
  const cases = [
    { type: "TIMESTAMP", format: undefined, value: 1767225600000 },
    { type: "BIGINT", format: undefined, value: 1767225600000 },
    { type: "STRING", format: "yyyy-MM-dd HH:mm:ss", value: "2026-01-01 00:00:00" },
    { type: "STRING", format: undefined, value: "2026-01-01T00:00:00Z" },
  ];
  for (const c of cases) {
    const source = describeSource("EVENTS", "STREAM", `ID STRING KEY, AT ${c.type}`, {
      timestamp: { column: "AT", format: c.format },
    });
    const plan = new PlanBuilder(planSource(source)).build([["ID", "ID"]], [["T", "ROWTIME"]]);
    const h = new Harness(createPipeline(plan, options));
    const out = h.run([h.record("events", "e", { AT: c.value }, 42), h.record("events", "f", { AT: null }, 43)]);
    assert.deepEqual(
      out.rows.map((r) => [r.value, r.timestamp]),
      [[[1767225600000n], 1767225600000]],
      `${c.type} ${c.format ?? ""}`,
    );
    assert.deepEqual(
      out.errors.map((e) => [e.code, e.offset]),
      [["SQL_TIMESTAMP", 1n]],
    );
  }
});

test("the sink's record timestamp can come from an output column (WITH TIMESTAMP)", () => {
  const source = describeSource("EVENTS", "STREAM", "ID STRING KEY, AT BIGINT");
  const sink = describeSource("OUT", "STREAM", "ID STRING KEY, AT BIGINT", { timestamp: { column: "AT" } });
  const plan = new PlanBuilder(planSource(source)).build([["ID", "ID"]], [["AT", "AT * 2"]], {
    sink,
    timestampColumn: 0,
  });
  const h = new Harness(createPipeline(plan, options));
  assert.deepEqual(readable(h.run([h.record("events", "e", { AT: 500 }, 1)]).sink), [["e", { AT: 1000 }, 1000]]);
});

test("header columns: HEADERS lists every header, HEADER('k') is the last value of k", () => {
  const source = describeSource(
    "TAGGED",
    "STREAM",
    "ID STRING KEY, V INT, ALL_H ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS, TRACE BYTES HEADER('trace')",
  );
  const plan = new PlanBuilder(planSource(source)).build(
    [["ID", "ID"]],
    [
      ["N", "ARRAY_LENGTH(ALL_H)"],
      ["FIRST_KEY", "ALL_H[1]->KEY"],
      ["TRACE", "FROM_BYTES(TRACE, 'utf8')"],
    ],
  );
  const h = new Harness(createPipeline(plan, options));
  const headers = [
    ["trace", Buffer.from("one")],
    ["other", Buffer.from("x")],
    ["trace", Buffer.from("two")],
  ] as const;
  const out = h.run([
    h.raw("tagged", json("i"), json({ V: 1 }), 1, 0, headers),
    h.raw("tagged", json("j"), json({ V: 2 }), 2),
  ]);
  assert.deepEqual(
    out.rows.map((r) => r.value),
    [
      [3, "trace", "two"],
      [0, null, null],
    ],
  );
});

test("a stream record with a null value reads as NULL value columns", () => {
  const plan = new PlanBuilder(planSource(readings)).build([["MACHINE", "MACHINE"]], [["T", "TEMP"]]);
  const h = new Harness(createPipeline(plan, options));
  const out = h.run([h.raw("readings", json("m1"), null, 1)]);
  assert.deepEqual(
    out.rows.map((r) => [r.key, r.value]),
    [[["m1"], [null]]],
  );
});

test("PARTITION BY rekeys without an internal topic: the sink's producer partitions by the new key", () => {
  const sink = describeSource("BY_LINE", "STREAM", "LINE STRING KEY, MACHINE STRING, TEMP DOUBLE");
  const plan = new PlanBuilder(planSource(readings)).rekey("PARTITION BY", [["KSQL_KEY", "LINE"]]).build(
    [["LINE", "KSQL_KEY"]],
    [
      ["MACHINE", "MACHINE"],
      ["TEMP", "TEMP"],
    ],
    { sink },
  );
  const pipeline = createPipeline(plan, options);
  assert.deepEqual(
    pipeline.topics.map((t) => t.role),
    ["source", "sink"],
  );
  const h = new Harness(pipeline, [0, 1]);
  const out = h.run([h.record("readings", "m1", { TEMP: 1, LINE: "L2" }, 9, 1)]);
  assert.deepEqual(readable(out.sink), [["L2", { MACHINE: "m1", TEMP: 1 }, 9]]);
  assert.deepEqual(out.repartition, []);
});

test("EXPLODE: one row per element; two functions are zipped and the shorter padded with NULL", () => {
  const source = describeSource("BATCHES", "STREAM", "ID STRING KEY, VALS ARRAY<INT>, NAMES ARRAY<STRING>");
  const plan = new PlanBuilder(planSource(source))
    .explode(["V", "EXPLODE(VALS)"], ["N", "EXPLODE(NAMES)"])
    .where("ID <> 'skip'")
    .build(
      [["ID", "ID"]],
      [
        ["V", "V"],
        ["N", "N"],
      ],
    );
  const h = new Harness(createPipeline(plan, options));
  const out = h.run([
    h.record("batches", "b", { VALS: [1, 2, 3], NAMES: ["x", "y"] }, 1),
    h.record("batches", "c", { VALS: [], NAMES: null }, 2),
  ]);
  assert.deepEqual(
    out.rows.map((r) => r.value),
    [
      [1, "x"],
      [2, "y"],
      [3, null],
    ],
  );
});

test("LIMIT: the pipeline is done after n rows and emits nothing more", () => {
  const plan = new PlanBuilder(planSource(readings)).build([["MACHINE", "MACHINE"]], [["T", "TEMP"]], { limit: 2 });
  const h = new Harness(createPipeline(plan, options));
  const first = h.run([h.record("readings", "a", { TEMP: 1 }, 1)]);
  assert.equal(first.done, false);
  const second = h.run([h.record("readings", "b", { TEMP: 2 }, 2), h.record("readings", "c", { TEMP: 3 }, 3)]);
  assert.deepEqual(
    second.rows.map((r) => r.key),
    [["b"]],
  );
  assert.equal(second.done, true);
  const third = h.run([h.record("readings", "d", { TEMP: 4 }, 4)]);
  assert.deepEqual([third.rows, third.done], [[], true]);
});

test("a record from a topic the pipeline did not declare is the caller's bug: a typed error", () => {
  const plan = new PlanBuilder(planSource(readings)).build([["MACHINE", "MACHINE"]], [["T", "TEMP"]]);
  const h = new Harness(createPipeline(plan, options));
  assert.throws(
    () => h.run([h.record("elsewhere", "a", { TEMP: 1 }, 1)]),
    (e: unknown) => e instanceof SqlRuntimeError && e.code === "SQL_UNKNOWN_TOPIC",
  );
});
