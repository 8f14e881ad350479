// A persistent query's task against the real broker: process → produce → commit, restores, source tables, failures.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createAdmin } from "../../../src/kafka/index.ts";
import { processingLogTopic, queryGroupId } from "../../../src/sql/engine/internal-names.ts";
import { uniqueTopic } from "../../support/kafka.ts";
import {
  afterBatches,
  committedOffsets,
  committedRecords,
  createTopics,
  javaPartition,
  kafka,
  produce,
  readAll,
  startTask,
  uniqueService,
  whenStatus,
} from "./fixture.ts";
import { CountingPipeline, JoinPipeline, UpperCasePipeline } from "./pipelines.ts";

test("a task processes every partition, produces with Java's partitioner, logs bad records and commits", async (t) => {
  const serviceId = uniqueService("task");
  const [source, sink] = [uniqueTopic("upper-in"), uniqueTopic("upper-out")];
  await createTopics([source, sink], 3);
  const pipeline = new UpperCasePipeline(source, sink);
  const task = startTask(t, { serviceId, queryId: "CSAS_UPPER_1", pipeline });
  const committed = committedRecords(task);
  await whenStatus(
    "the task to run on every partition",
    task,
    (s) => s.state === "RUNNING" && s.partitions.length === 3,
  );

  const keys = Array.from({ length: 12 }, (_, i) => `machine-${i}`);
  await produce(
    source,
    keys.map((key, i) => ({ partition: i % 3, key, value: JSON.stringify({ name: `belt ${i}` }) })),
  );
  await produce(source, [{ partition: 1, key: "bad", value: "{not json" }]);
  await afterBatches("all 13 records processed and committed", [task], () => committed() === 13);

  const out = await readAll(sink);
  assert.equal(out.length, 12);
  for (const record of out) {
    const key = record.key?.toString() ?? "";
    assert.equal(record.partition, javaPartition(key, 3), `${key} is where a Java producer puts it`);
    const value = JSON.parse(record.value?.toString() ?? "null");
    assert.equal(value.NAME, `BELT ${key.slice("machine-".length)}`);
  }
  const bad = pipeline.seen.processed.find((r) => r.key?.toString() === "bad");
  const [entry, ...more] = await readAll(processingLogTopic(serviceId));
  assert.equal(more.length, 0);
  assert.equal(entry?.key?.toString(), "CSAS_UPPER_1");
  assert.deepEqual(
    { ...JSON.parse(entry?.value?.toString() ?? "null"), TIME: 0 },
    {
      LOGGER: "processing.CSAS_UPPER_1",
      LEVEL: "ERROR",
      TIME: 0,
      QUERY_ID: "CSAS_UPPER_1",
      CODE: "SQL_SERDE",
      MESSAGE: "value: not JSON",
      TOPIC: source,
      PARTITION: 1,
      OFFSET: Number(bad?.offset),
    },
  );
  assert.deepEqual((await committedOffsets(queryGroupId(serviceId, "CSAS_UPPER_1")))[source], { 0: 4n, 1: 5n, 2: 4n });

  await task.stop();
  assert.equal(task.status().state, "NOT_RUNNING");
  assert.deepEqual(pipeline.seen.assigned, new Set(), "stopping revokes every partition from the pipeline");
});

test("a new task of the same query restores the changelog before it goes on counting", async (t) => {
  const serviceId = uniqueService("restore");
  const [source, sink, changelog] = [uniqueTopic("count-in"), uniqueTopic("count-out"), uniqueTopic("count-log")];
  await createTopics([source, sink], 2);
  const first = new CountingPipeline(source, changelog, sink);
  const one = startTask(t, { serviceId, queryId: "CTAS_COUNT_1", pipeline: first });
  await whenStatus("the first task to run", one, (s) => s.state === "RUNNING" && s.partitions.length === 2);
  await produce(source, [
    { partition: 0, key: "a", value: "x" },
    { partition: 0, key: "a", value: "x" },
    { partition: 1, key: "b", value: "x" },
  ]);
  await afterBatches("three records counted", [one], () => first.seen.processed.length === 3);
  await one.stop();

  const second = new CountingPipeline(source, changelog, sink);
  const two = startTask(t, { serviceId, queryId: "CTAS_COUNT_1", pipeline: second });
  const committed = committedRecords(two);
  await whenStatus("the second task to run", two, (s) => s.state === "RUNNING" && s.partitions.length === 2);
  assert.equal(second.seen.restored.length, 3, "every change of the store came back");
  assert.deepEqual(second.counts.get(0), new Map([["a", 2]]));
  assert.deepEqual(second.counts.get(1), new Map([["b", 1]]));
  await produce(source, [{ partition: 0, key: "a", value: "x" }]);
  await afterBatches("the fourth record counted and committed", [two], () => committed() === 1);
  assert.equal(second.seen.processed[0]?.offset, 2n, "it resumed at the committed offset: nothing twice");
  assert.equal(second.counts.get(0)?.get("a"), 3);
  const firstProcess = second.seen.events.findIndex((e) => e.startsWith("process"));
  assert.ok(
    second.seen.events.slice(0, firstProcess).some((e) => e.startsWith("restore 0")),
    "restored first",
  );
  const counts = (await readAll(sink)).filter((r) => r.key?.toString() === "a").map((r) => r.value?.toString());
  assert.deepEqual(counts, ["1", "2", "3"]);
});

test("a joined table is restored from its start on every assignment, then followed", async (t) => {
  const serviceId = uniqueService("table");
  const [stream, table] = [uniqueTopic("join-stream"), uniqueTopic("join-table")];
  await createTopics([stream, table], 1);
  await produce(table, [
    { key: "m1", value: "press" },
    { key: "m2", value: "lathe" },
    { key: "m1", value: "big press" },
  ]);
  for (const round of [1, 2]) {
    const pipeline = new JoinPipeline(stream, table);
    const task = startTask(t, { serviceId, queryId: "CSAS_JOINED_1", pipeline });
    await whenStatus(`run ${round} to start`, task, (s) => s.state === "RUNNING");
    assert.equal(pipeline.seen.restored.length, 3 + (round - 1), `run ${round}: the whole table, committed or not`);
    assert.deepEqual(pipeline.tables.get(0)?.get("m1"), "big press");
    if (round === 1) {
      await produce(table, [{ key: "m3", value: "mill" }]);
      await produce(stream, [{ key: "m3", value: "reading" }]);
      await afterBatches("the stream record joined", [task], () =>
        pipeline.seen.processed.some((r) => r.topic === stream),
      );
      assert.equal(pipeline.tables.get(0)?.get("m3"), "mill", "the table is followed after its restore");
    }
    await task.stop();
  }
});

test("a source table's history up to the committed offset is restored, what follows is processed", async (t) => {
  const serviceId = uniqueService("source-table");
  const table = uniqueTopic("source-table");
  await createTopics([table], 1);
  await produce(table, [
    { key: "k1", value: "v1" },
    { key: "k2", value: "v1" },
  ]);
  const first = new JoinPipeline(undefined, table, "source-table");
  const one = startTask(t, { serviceId, queryId: "CTAS_T_1", pipeline: first });
  await afterBatches("both rows processed", [one], () => first.seen.processed.length === 2);
  assert.equal(first.seen.restored.length, 0, "nothing committed, earliest: everything is processed");
  await one.stop();

  await produce(table, [{ key: "k1", value: "v2" }]);
  const second = new JoinPipeline(undefined, table, "source-table");
  const two = startTask(t, { serviceId, queryId: "CTAS_T_1", pipeline: second });
  await afterBatches("the update processed", [two], () => second.seen.processed.length === 1);
  assert.deepEqual(
    second.seen.restored.map((r) => `${r.key}=${r.value}`),
    ["k1=v1", "k2=v1"],
  );
  assert.deepEqual(
    second.seen.processed.map((r) => `${r.key}=${r.value}`),
    ["k1=v2"],
  );
});

test("a missing source puts the task in ERROR naming it; it runs once the topic exists, and errs when deleted", async (t) => {
  const serviceId = uniqueService("missing");
  const [source, sink] = [uniqueTopic("late-in"), uniqueTopic("late-out")];
  await createTopics([sink], 1);
  const pipeline = new UpperCasePipeline(source, sink);
  const task = startTask(t, { serviceId, queryId: "CSAS_LATE_1", pipeline });
  const failed = await whenStatus("the task to fail", task, (s) => s.state === "ERROR");
  assert.deepEqual(failed.error, { code: "SQL_TOPIC_MISSING", message: `topic ${source} does not exist` });

  await createTopics([source], 1);
  await whenStatus("the task to recover", task, (s) => s.state === "RUNNING");
  await produce(source, [{ key: "k", value: JSON.stringify({ name: "back" }) }]);
  await afterBatches("the record processed", [task], () => pipeline.seen.processed.length === 1);

  const admin = createAdmin(kafka);
  await admin.deleteTopics({ topics: [source] });
  await admin.close();
  const deleted = await whenStatus("the task to fail on the deleted topic", task, (s) => s.state === "ERROR");
  assert.equal(deleted.error?.code, "SQL_TOPIC_MISSING");
  assert.match(deleted.error?.message ?? "", new RegExp(source));
  assert.deepEqual(deleted.partitions, []);
});
