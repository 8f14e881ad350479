// INSERT INTO … VALUES against the real broker: the source's formats, ROWTIME, the Java partitioner, refusals.
import assert from "node:assert/strict";
import { test } from "node:test";
import { KsqlRequestError } from "../../../../src/sql/engine/entities.ts";
import { insertValues } from "../../../../src/sql/engine/interactive/index.ts";
import { createRecordProducer } from "../../../../src/sql/engine/record-producer.ts";
import { javaPartition, kafka, readAll } from "../fixture.ts";
import { catalogOver, insertPlan } from "./fixture.ts";

test("a keyed stream's row is written in its formats, at its ROWTIME, in the partition Kafka's Java client picks", async (t) => {
  const { catalog, topic } = await catalogOver(
    "insert-stream",
    3,
    `CREATE STREAM READINGS (MACHINE_ID STRING KEY, READING DOUBLE, SEQ BIGINT, AT TIMESTAMP)
       WITH (KAFKA_TOPIC='{topic}', PARTITIONS=3, VALUE_FORMAT='JSON');`,
  );
  const producer = createRecordProducer(kafka, "test-insert-stream");
  t.after(() => producer.close());
  const machines = ["press-1", "press-2", "lathe-7", "robot-3", "oven-12", "mill-5"];
  for (const [i, machine] of machines.entries()) {
    const sql = `INSERT INTO READINGS (ROWTIME, MACHINE_ID, SEQ, READING, AT) VALUES (${1_000 + i}, '${machine}', ${i}, 1.5, '2026-11-24T10:00:00');`;
    await insertValues(producer, insertPlan(catalog, sql));
  }
  const records = (await readAll(topic)).sort((a, b) => Number(a.timestamp - b.timestamp));
  assert.deepEqual(
    records.map((r) => ({
      partition: r.partition,
      key: r.key?.toString(),
      value: JSON.parse(r.value?.toString() ?? "null"),
      timestamp: r.timestamp,
    })),
    machines.map((machine, i) => ({
      partition: javaPartition(machine, 3),
      key: machine,
      value: { READING: 1.5, SEQ: i, AT: Date.parse("2026-11-24T10:00:00Z") },
      timestamp: BigInt(1_000 + i),
    })),
  );
});

test("without ROWTIME the record's time is now; columns left out are NULL, never a tombstone", async (t) => {
  const { catalog, topic } = await catalogOver(
    "insert-now",
    1,
    `CREATE TABLE SETTINGS (LINE STRING PRIMARY KEY, CELL INT PRIMARY KEY, NAME STRING, LIMIT_C DOUBLE)
       WITH (KAFKA_TOPIC='{topic}', PARTITIONS=1, KEY_FORMAT='JSON', VALUE_FORMAT='DELIMITED');`,
  );
  const producer = createRecordProducer(kafka, "test-insert-now");
  t.after(() => producer.close());
  await insertValues(
    producer,
    insertPlan(catalog, "INSERT INTO SETTINGS (LINE, CELL, LIMIT_C) VALUES ('L1', 4, 80.5);"),
    () => 1_764_000_000_000,
  );
  const before = Date.now();
  await insertValues(producer, insertPlan(catalog, "INSERT INTO SETTINGS VALUES ('L2', 1, 'oven', 2);"));
  const after = Date.now();
  const [first, second] = await readAll(topic);
  assert.deepEqual(JSON.parse(first?.key?.toString() ?? "null"), { LINE: "L1", CELL: 4 });
  assert.equal(first?.value?.toString(), ",80.5");
  assert.equal(first?.timestamp, 1_764_000_000_000n);
  assert.equal(second?.value?.toString(), "oven,2.0");
  const time = Number(second?.timestamp);
  assert.ok(time >= before && time <= after, `${time} within [${before}, ${after}]`);
});

test("a stream without key columns is written with a null key", async (t) => {
  const { catalog, topic } = await catalogOver(
    "insert-keyless",
    2,
    "CREATE STREAM EVENTS (TEXT STRING) WITH (KAFKA_TOPIC='{topic}', PARTITIONS=2, VALUE_FORMAT='JSON');",
  );
  const producer = createRecordProducer(kafka, "test-insert-keyless");
  t.after(() => producer.close());
  await insertValues(producer, insertPlan(catalog, "INSERT INTO EVENTS VALUES ('door open');"));
  const [record] = await readAll(topic);
  assert.equal(record?.key, null);
  assert.deepEqual(JSON.parse(record?.value?.toString() ?? "null"), { TEXT: "door open" });
});

test("a negative ROWTIME is refused before Kafka; a producer that cannot write rejects with SQL_KAFKA", async () => {
  const { catalog, topic } = await catalogOver(
    "insert-refused",
    1,
    "CREATE STREAM EVENTS (TEXT STRING) WITH (KAFKA_TOPIC='{topic}', PARTITIONS=1, VALUE_FORMAT='JSON');",
  );
  const producer = createRecordProducer(kafka, "test-insert-refused");
  await assert.rejects(
    insertValues(producer, insertPlan(catalog, "INSERT INTO EVENTS (ROWTIME, TEXT) VALUES (-5, 'x');")),
    (error: unknown) =>
      error instanceof KsqlRequestError && error.status === 400 && /ROWTIME -5 is before 1970/.test(error.message),
  );
  await producer.close();
  await assert.rejects(insertValues(producer, insertPlan(catalog, "INSERT INTO EVENTS VALUES ('x');")), {
    code: "SQL_KAFKA",
    topic,
  });
  assert.deepEqual(await readAll(topic), []);
});
