// Tables through SqlService: a windowed CTAS read by pull queries, source tables, and the processing log as a stream.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createAdmin, createProducer } from "../../../src/kafka/index.ts";
import { internalTopicPrefix, queryGroupId } from "../../../src/sql/engine/index.ts";
import { describeTopics } from "../../../src/sql/engine/topics.ts";
import { createTopic, eventually } from "../../support/kafka.ts";
import { produce } from "./fixture.ts";
import { kafka, recordsOf, refused, rowsOf, run, startEngine, uniqueService } from "./statements/engine-fixture.ts";

const MINUTE = 60_000;
/** A minute boundary, so that the windows of the records below are known. */
const T0 = 1_767_225_600_000;

async function produceAt(topic: string, records: readonly { key: string; value: unknown; at: number }[]) {
  const producer = createProducer(kafka);
  try {
    await producer.send({
      messages: records.map((r) => ({
        topic,
        key: Buffer.from(r.key),
        value: Buffer.from(JSON.stringify(r.value)),
        timestamp: BigInt(r.at),
      })),
    });
  } finally {
    await producer.close();
  }
}

test("CTAS with a tumbling window, then pull queries by key and window", async (t) => {
  const service = uniqueService("tables");
  const { engine } = await startEngine(t, service, {
    "ksql.output.topic.name.prefix": `${service}-`,
    "auto.offset.reset": "earliest",
  });
  const topic = await createTopic(kafka, "tables-readings", 2);
  await run(engine, `CREATE STREAM readings (machine STRING KEY, temp DOUBLE) WITH (kafka_topic='${topic}');`);
  const created = await run(
    engine,
    "CREATE TABLE stats AS SELECT machine, COUNT(*) AS n, MAX(temp) AS hottest FROM readings " +
      "WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY machine EMIT CHANGES;",
  );
  assert.match(created.message, /^Created query with ID CTAS_STATS_\d+$/);
  await produceAt(topic, [
    { key: "press", value: { TEMP: 40 }, at: T0 + 1_000 },
    { key: "press", value: { TEMP: 45 }, at: T0 + 2_000 },
    { key: "conveyor", value: { TEMP: 30 }, at: T0 + 3_000 },
    { key: "press", value: { TEMP: 41 }, at: T0 + MINUTE + 1_000 },
  ]);
  await recordsOf(`${service}-STATS`, 3);

  const expected = [
    ["press", T0, T0 + MINUTE, 2, 45],
    ["press", T0 + MINUTE, T0 + 2 * MINUTE, 1, 41],
  ];
  const pressRows = await eventually("both windows of press in the table", async () => {
    const rows = await rowsOf(await engine.query("SELECT * FROM stats WHERE machine = 'press';"));
    return JSON.stringify(rows) === JSON.stringify(expected) ? rows : undefined;
  });
  assert.deepEqual(pressRows, expected);
  const pull = await engine.query(
    `SELECT machine, n FROM stats WHERE machine = 'press' AND WINDOWSTART >= ${T0 + MINUTE};`,
  );
  assert.equal(pull.kind, "pull");
  assert.deepEqual(
    pull.columns.map((c) => [c.name, c.type, c.key]),
    [
      ["MACHINE", "STRING", true],
      ["N", "BIGINT", false],
    ],
  );
  assert.deepEqual(await rowsOf(pull), [["press", 1]]);
  assert.deepEqual(await rowsOf(await engine.query("SELECT * FROM stats WHERE machine = 'robot';")), []);

  const onStream = await refused(engine.query("SELECT * FROM readings;"));
  assert.match(onStream.message, /pull queries read tables: READINGS is a stream/);
  const onEndpoint = await refused(engine.execute("SELECT * FROM stats;"));
  assert.match(onEndpoint.message, /should be issued to the websocket endpoint '\/query'/);

  // TERMINATE takes the query's internal topics and consumer group with it.
  const queryId = created.queryId!;
  const changelog = `${internalTopicPrefix(service)}${queryId}-Aggregate-changelog`;
  assert.equal((await describeTopics(kafka, [changelog])).size, 1);
  await run(engine, `TERMINATE ${queryId};`);
  assert.equal((await describeTopics(kafka, [changelog])).size, 0);
  const admin = createAdmin(kafka);
  try {
    assert.ok(!(await admin.listGroups()).has(queryGroupId(service, queryId)));
  } finally {
    await admin.close();
  }
  const gone = await refused(engine.query("SELECT * FROM stats WHERE machine = 'press';"));
  assert.match(gone.message, /The `STATS` table isn't queryable/);
});

test("a table over a topic is not pull-queryable, a source table is", async (t) => {
  const service = uniqueService("source-table");
  const { engine } = await startEngine(t, service);
  const topic = await createTopic(kafka, "machines", 1);
  await produce(topic, [
    { key: "press", value: JSON.stringify({ LINE: "A", RATED_KW: 40 }) },
    { key: "robot", value: JSON.stringify({ LINE: "B", RATED_KW: 12 }) },
    { key: "press", value: JSON.stringify({ LINE: "A", RATED_KW: 45 }) },
  ]);
  await run(
    engine,
    `CREATE TABLE machines (id STRING PRIMARY KEY, line STRING, rated_kw INT) WITH (kafka_topic='${topic}');`,
  );
  const plain = await refused(engine.query("SELECT * FROM machines WHERE id = 'press';"));
  assert.match(plain.message, /The `MACHINES` table isn't queryable\. To derive a queryable table, you can do/);

  await run(engine, "DROP TABLE machines;");
  const created = await run(
    engine,
    `CREATE SOURCE TABLE machines (id STRING PRIMARY KEY, line STRING, rated_kw INT) WITH (kafka_topic='${topic}');`,
  );
  assert.equal(created.message, "Table created");
  const rows = await eventually("the source table's rows", async () => {
    const found = await rowsOf(await engine.query("SELECT * FROM machines;"));
    return found.length === 2 && found.some((r) => r[2] === 45) ? found : undefined;
  });
  assert.deepEqual(rows.sort(), [
    ["press", "A", 45],
    ["robot", "B", 12],
  ]);
  const insert = await refused(engine.execute("INSERT INTO machines (id, line, rated_kw) VALUES ('k1', 'C', 3);"));
  assert.match(insert.message, /read-only/);
  const cst = (await engine.execute("SHOW QUERIES;"))[0];
  assert.ok(cst?.["@type"] === "queries" && cst.queries.some((q) => q.id.startsWith("CST_MACHINES_")));
  await run(engine, "DROP TABLE machines;");
  const after = (await engine.execute("SHOW QUERIES;"))[0];
  assert.ok(after?.["@type"] === "queries" && after.queries.length === 0, "DROP TABLE ended the CST query");
});

test("a record a query cannot read goes to KSQL_PROCESSING_LOG, which is a stream like any other", async (t) => {
  const service = uniqueService("proclog");
  const { engine } = await startEngine(t, service, {
    "ksql.output.topic.name.prefix": `${service}-`,
    "auto.offset.reset": "earliest",
  });
  const topic = await createTopic(kafka, "proclog-readings", 1);
  await run(engine, `CREATE STREAM readings (machine STRING KEY, temp DOUBLE) WITH (kafka_topic='${topic}');`);
  const { queryId } = await run(engine, "CREATE STREAM copy AS SELECT * FROM readings EMIT CHANGES;");
  await produce(topic, [
    { key: "press", value: '{"TEMP": "hot"}' },
    { key: "press", value: '{"TEMP": 50}' },
  ]);
  await recordsOf(`${service}-COPY`, 1);
  const logged = await engine.query(
    `SELECT QUERY_ID, CODE, TOPIC, \`OFFSET\` FROM KSQL_PROCESSING_LOG WHERE QUERY_ID = '${queryId}' EMIT CHANGES LIMIT 1;`,
  );
  assert.deepEqual(await rowsOf(logged), [[queryId, "SQL_SERDE", topic, 0]]);
});
