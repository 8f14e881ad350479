// Push queries against the real broker: columns and JSON rows, latest/earliest, table changes, LIMIT, close, failures.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createAdmin } from "../../../../src/kafka/index.ts";
import { KsqlRequestError } from "../../../../src/sql/engine/entities.ts";
import { insertValues, startPushQuery } from "../../../../src/sql/engine/interactive/index.ts";
import { createRecordProducer } from "../../../../src/sql/engine/record-producer.ts";
import type { ProcessingLogEntry } from "../../../../src/sql/runtime/pipeline.ts";
import { kafka, produce } from "../fixture.ts";
import { catalogOver, collect, endCounter, insertPlan, pushPlan } from "./fixture.ts";

const READINGS = `CREATE STREAM READINGS (MACHINE_ID STRING KEY, READING DOUBLE, SEQ BIGINT)
  WITH (KAFKA_TOPIC='{topic}', PARTITIONS=2, VALUE_FORMAT='JSON');`;

const pushOptions = { kafka, internalTopicPrefix: "_fabrik_test_" };

test("a push query shows its columns in SELECT order and its rows as JSON, from the end, until its LIMIT", async (t) => {
  const { catalog } = await catalogOver("push-rows", 2, READINGS);
  const producer = createRecordProducer(kafka, "test-push-rows");
  t.after(() => producer.close());
  const insert = (sql: string) => insertValues(producer, insertPlan(catalog, sql));
  await insert("INSERT INTO READINGS VALUES ('m0', 99, 0);");

  const ends = endCounter();
  const plan = pushPlan(
    catalog,
    "SELECT READING, MACHINE_ID, SEQ FROM READINGS WHERE READING > 10 EMIT CHANGES LIMIT 2;",
  );
  const query = await startPushQuery({ ...pushOptions, plan, queryId: "transient_rows_1", ...ends });
  assert.equal(query.kind, "push");
  assert.equal(query.queryId, "transient_rows_1");
  assert.deepEqual(query.columns, [
    { name: "READING", type: "DOUBLE", key: false },
    { name: "MACHINE_ID", type: "STRING", key: true },
    { name: "SEQ", type: "BIGINT", key: false },
  ]);
  await insert("INSERT INTO READINGS VALUES ('m1', 5, 1);");
  await insert("INSERT INTO READINGS VALUES ('m1', 12.5, 2);");
  await insert("INSERT INTO READINGS VALUES ('m2', 20, 9007199254740993);");
  await insert("INSERT INTO READINGS VALUES ('m3', 3, 4);");
  const rows = await collect(query.rows);
  assert.deepEqual(
    rows.sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    // BIGINT beyond 2^53 is sent as its digits; the row inserted before the query is not read.
    [
      [12.5, "m1", 2],
      [20, "m2", "9007199254740993"],
    ],
  );
  assert.equal(ends.count(), 1, "onEnd once the LIMIT is reached");
  query.close();
  assert.equal(ends.count(), 1, "and not again on close");
});

test("auto.offset.reset=earliest reads the stream from its start", async (t) => {
  const { catalog } = await catalogOver("push-earliest", 2, READINGS);
  const producer = createRecordProducer(kafka, "test-push-earliest");
  t.after(() => producer.close());
  await insertValues(producer, insertPlan(catalog, "INSERT INTO READINGS VALUES ('m1', 1.5, 7);"));
  const plan = pushPlan(catalog, "SELECT * FROM READINGS EMIT CHANGES LIMIT 1;");
  const query = await startPushQuery({
    ...pushOptions,
    plan,
    queryId: "transient_early_1",
    offsetReset: "earliest",
  });
  assert.deepEqual(await collect(query.rows), [["m1", 1.5, 7]]);
});

test("a table result shows every change; deletions are left out and do not count toward LIMIT", async (t) => {
  const { catalog } = await catalogOver("push-table", 1, READINGS.replace("PARTITIONS=2", "PARTITIONS=1"));
  const producer = createRecordProducer(kafka, "test-push-table");
  t.after(() => producer.close());
  const plan = pushPlan(
    catalog,
    "SELECT MACHINE_ID, SUM(READING) AS TOTAL FROM READINGS GROUP BY MACHINE_ID HAVING SUM(READING) < 10 " +
      "EMIT CHANGES LIMIT 3;",
  );
  assert.equal(plan.resultKind, "TABLE");
  const query = await startPushQuery({
    ...pushOptions,
    plan,
    queryId: "transient_table_1",
    // No record cache: every update is shown, as ksqlDB does with a cache of 0 bytes.
    coalesce: false,
  });
  for (const [machine, reading] of [
    ["m1", 5],
    ["m1", 10], // m1's total leaves the HAVING: a deletion, not shown
    ["m2", 1],
    ["m2", 2],
  ] as const) {
    await insertValues(producer, insertPlan(catalog, `INSERT INTO READINGS VALUES ('${machine}', ${reading}, 0);`));
  }
  assert.deepEqual(await collect(query.rows), [
    ["m1", 5],
    ["m2", 1],
    ["m2", 3],
  ]);
});

test("close() ends a query waiting for records, once; records it set aside reach onErrors", async () => {
  const { catalog, topic } = await catalogOver("push-close", 1, READINGS.replace("PARTITIONS=2", "PARTITIONS=1"));
  let reported: (entries: readonly ProcessingLogEntry[]) => void = () => {};
  const errors = new Promise<readonly ProcessingLogEntry[]>((resolve) => {
    reported = resolve;
  });
  const ends = endCounter();
  const query = await startPushQuery({
    ...pushOptions,
    plan: pushPlan(catalog, "SELECT * FROM READINGS EMIT CHANGES;"),
    queryId: "transient_close_1",
    onErrors: (entries) => reported(entries),
    ...ends,
  });
  const iterator = query.rows[Symbol.asyncIterator]();
  const next = iterator.next();
  await produce(topic, [{ key: "m1", value: "{not json" }]);
  const [entry] = await errors;
  assert.equal(entry?.code, "SQL_SERDE");
  assert.equal(entry?.topic, topic);
  query.close();
  query.close();
  assert.deepEqual(await next, { value: undefined, done: true });
  assert.equal(ends.count(), 1);
});

test("a source topic deleted under a running query ends its rows with ksqlDB's error naming the topic", async () => {
  const { catalog, topic } = await catalogOver("push-deleted", 1, READINGS.replace("PARTITIONS=2", "PARTITIONS=1"));
  const ends = endCounter();
  const query = await startPushQuery({
    ...pushOptions,
    plan: pushPlan(catalog, "SELECT * FROM READINGS EMIT CHANGES;"),
    queryId: "transient_deleted_1",
    ...ends,
  });
  const next = query.rows[Symbol.asyncIterator]().next();
  const admin = createAdmin(kafka);
  await admin.deleteTopics({ topics: [topic] });
  await admin.close();
  await assert.rejects(next, (error: unknown) => {
    assert.ok(error instanceof KsqlRequestError, String(error));
    assert.equal(error.body.error_code, 50000);
    assert.match(error.body.message, new RegExp(`^query transient_deleted_1 stopped: .*${topic}`));
    return true;
  });
  assert.equal(ends.count(), 1);
});

test("a push query over a topic that does not exist is refused before it starts", async () => {
  const { catalog, topic } = await catalogOver("push-missing", 0, READINGS);
  const ends = endCounter();
  await assert.rejects(
    startPushQuery({
      ...pushOptions,
      plan: pushPlan(catalog, "SELECT * FROM READINGS EMIT CHANGES;"),
      queryId: "transient_missing_1",
      ...ends,
    }),
    { code: "SQL_TOPIC_MISSING", message: `topic ${topic} does not exist` },
  );
  assert.equal(ends.count(), 0);
});
