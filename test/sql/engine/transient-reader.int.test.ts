// Push queries against the real broker: tables restored first, streams from their end or start, LIMIT, close, errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openTransientReader } from "../../../src/sql/engine/transient-reader.ts";
import type { ProcessingLogEntry, ResultRow } from "../../../src/sql/runtime/pipeline.ts";
import { uniqueTopic } from "../../support/kafka.ts";
import { createTopics, kafka, produce } from "./fixture.ts";
import { JoinPipeline, limited, UpperCasePipeline } from "./pipelines.ts";

async function collect(rows: AsyncIterable<ResultRow>): Promise<ResultRow[]> {
  const out: ResultRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

test("a push query restores its table, reads the stream from its end, and ends at its LIMIT", async () => {
  const [stream, table] = [uniqueTopic("push-stream"), uniqueTopic("push-table")];
  await createTopics([stream, table], 2);
  await produce(table, [
    { partition: 0, key: "m1", value: "press" },
    { partition: 1, key: "m2", value: "lathe" },
  ]);
  await produce(stream, [{ partition: 0, key: "m1", value: "before the query" }]);
  const pipeline = new JoinPipeline(stream, table);
  const reader = await openTransientReader({ kafka, queryId: "transient_1", pipeline: limited(pipeline, 2) });
  assert.deepEqual(pipeline.seen.assigned, new Set([0, 1]), "a push query owns every partition");
  assert.equal(pipeline.seen.restored.length, 2);
  await produce(stream, [
    { partition: 0, key: "m1", value: "r1" },
    { partition: 1, key: "m2", value: "r2" },
    { partition: 1, key: "m2", value: "r3" },
  ]);
  const rows = await collect(reader.rows);
  assert.deepEqual(rows.map((r) => r.value).sort(), [
    ["r1", "press"],
    ["r2", "lathe"],
  ]);
  assert.ok(!pipeline.seen.processed.some((r) => r.value?.toString() === "before the query"), "latest by default");
});

test("with earliest a push query reads the stream from its start; a source table's history is processed", async () => {
  const [stream, table] = [uniqueTopic("push-early"), uniqueTopic("push-early-table")];
  await createTopics([stream, table], 1);
  await produce(stream, [{ key: "m1", value: "old" }]);
  const reader = await openTransientReader({
    kafka,
    queryId: "transient_2",
    pipeline: limited(new JoinPipeline(stream, table), 1),
    offsetReset: "earliest",
  });
  assert.deepEqual((await collect(reader.rows))[0]?.value, ["old", null]);

  await produce(table, [{ key: "k", value: "v1" }]);
  const latest = new JoinPipeline(undefined, table, "source-table");
  const changes = await openTransientReader({ kafka, queryId: "transient_3", pipeline: limited(latest, 1) });
  assert.equal(latest.seen.restored.length, 1, "latest: the table so far is restored, not emitted");
  await produce(table, [{ key: "k", value: "v2" }]);
  assert.deepEqual((await collect(changes.rows))[0]?.value, ["v2"]);
});

test("close ends a push query that waits for records, and set-aside records reach onErrors", async () => {
  const [stream, sink] = [uniqueTopic("push-close"), uniqueTopic("push-close-sink")];
  await createTopics([stream, sink], 1);
  let reported: (entries: readonly ProcessingLogEntry[]) => void = () => {};
  const errors = new Promise<readonly ProcessingLogEntry[]>((resolve) => {
    reported = resolve;
  });
  const reader = await openTransientReader({
    kafka,
    queryId: "transient_4",
    pipeline: new UpperCasePipeline(stream, sink),
    onErrors: (entries) => reported(entries),
  });
  const iterator = reader.rows[Symbol.asyncIterator]();
  const next = iterator.next();
  await produce(stream, [{ key: "k", value: "{oops" }]);
  assert.equal((await errors)[0]?.code, "SQL_SERDE");
  await reader.close();
  assert.deepEqual(await next, { value: undefined, done: true });
});

test("a push query over a topic that does not exist is refused, naming the topic", async () => {
  const [missing, table] = [uniqueTopic("push-missing"), uniqueTopic("push-missing-table")];
  await createTopics([table], 1);
  await assert.rejects(
    openTransientReader({ kafka, queryId: "transient_5", pipeline: new JoinPipeline(missing, table) }),
    { code: "SQL_TOPIC_MISSING", message: `topic ${missing} does not exist` },
  );
});
