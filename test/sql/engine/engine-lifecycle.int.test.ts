// A stream's whole life through SqlService: CREATE, CSAS with a filter, records in and out, listings, DROP, TERMINATE.
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeTopics } from "../../../src/sql/engine/topics.ts";
import { createTopic } from "../../support/kafka.ts";
import { produce } from "./fixture.ts";
import {
  entity,
  kafka,
  recordsOf,
  refused,
  rowsOf,
  run,
  shownQuery,
  startEngine,
  text,
  uniqueService,
  whenQueryState,
} from "./statements/engine-fixture.ts";

test("CREATE STREAM, CSAS with a filter, records in and out, listings, DROP refused, TERMINATE, DROP … DELETE TOPIC", async (t) => {
  const service = uniqueService("life");
  const prefix = `${service}-`;
  const { engine } = await startEngine(t, service, { "ksql.output.topic.name.prefix": prefix });
  const topic = await createTopic(kafka, "life-readings", 2);

  const created = await engine.execute(
    `CREATE STREAM readings (machine STRING KEY, temp DOUBLE) WITH (kafka_topic='${topic}', value_format='JSON');`,
  );
  assert.equal(created.length, 1);
  const status = created[0];
  assert.equal(status?.["@type"], "currentStatus");
  if (status?.["@type"] !== "currentStatus") return;
  assert.equal(status.commandId, "stream/`READINGS`/create");
  assert.deepEqual(status.commandStatus, { status: "SUCCESS", message: "Stream created", queryId: null });
  const sequence = status.commandSequenceNumber;
  assert.ok(sequence >= 1, "the processing log's stream came first");

  // SET applies to the statements after it in the same request only.
  const csas = await run(
    engine,
    "SET 'auto.offset.reset'='earliest';\nCREATE STREAM hot AS SELECT machine, temp FROM readings WHERE temp > 50 EMIT CHANGES;",
  );
  const queryId = `CSAS_HOT_${sequence + 1}`;
  assert.deepEqual(csas, { status: "SUCCESS", message: `Created query with ID ${queryId}`, queryId });

  // Records come in through INSERT VALUES (no entity answered), land in both partitions, and the filter keeps two.
  const inserted = await engine.execute(
    "INSERT INTO readings (machine, temp) VALUES ('press', 72.5);" +
      "INSERT INTO readings (machine, temp) VALUES ('conveyor', 21.0);" +
      "INSERT INTO readings (machine, temp) VALUES ('robot', 55.0);",
  );
  assert.deepEqual(inserted, []);
  await produce(topic, [{ key: "packer", value: JSON.stringify({ TEMP: 10 }) }]);
  const out = await recordsOf(`${prefix}HOT`, 2);
  assert.deepEqual(out.map((r) => [text(r.key), JSON.parse(text(r.value) ?? "null")]).sort(), [
    ["press", { TEMP: 72.5 }],
    ["robot", { TEMP: 55 }],
  ]);

  // Listings in ksqlDB's shapes.
  const { query } = await whenQueryState(engine, queryId, "RUNNING");
  assert.deepEqual(query, {
    queryString: "CREATE STREAM hot AS SELECT machine, temp FROM readings WHERE temp > 50 EMIT CHANGES;",
    sinks: ["HOT"],
    sinkKafkaTopics: [`${prefix}HOT`],
    id: queryId,
    statusCount: { RUNNING: 1 },
    queryType: "PERSISTENT",
    state: "RUNNING",
  });
  const streams = await entity(engine, "SHOW STREAMS;", "streams");
  assert.deepEqual(
    streams.streams.map((s) => s.name),
    ["KSQL_PROCESSING_LOG", "READINGS", "HOT"],
  );
  const described = await entity(engine, "DESCRIBE EXTENDED hot;", "sourceDescription");
  assert.equal(described.sourceDescription.topic, `${prefix}HOT`);
  assert.equal(described.sourceDescription.partitions, 2);
  assert.deepEqual(
    described.sourceDescription.writeQueries.map((q) => q.id),
    [queryId],
  );
  const explained = await entity(engine, `EXPLAIN ${queryId};`, "queryDescription");
  assert.deepEqual(explained.queryDescription.sources, ["READINGS"]);
  assert.deepEqual(explained.queryDescription.sinks, ["HOT"]);
  assert.deepEqual(explained.queryDescription.overriddenProperties, { "auto.offset.reset": "earliest" });
  assert.match(explained.queryDescription.executionPlan, /\[ FILTER \] \| TEMP > 50/);
  assert.ok(explained.queryDescription.topology.includes(`Source: ${topic}`));
  const topics = await entity(engine, "SHOW TOPICS;", "kafka_topics");
  assert.ok(topics.topics.some((x) => x.name === topic && x.replicaInfo.length === 2));
  assert.ok(!topics.topics.some((x) => x.name.startsWith("_")), "SHOW TOPICS leaves internal topics out");

  // A push query reads the sink from its start and ends at its LIMIT.
  const push = await engine.query("SELECT * FROM hot EMIT CHANGES LIMIT 2;", { "auto.offset.reset": "earliest" });
  assert.equal(push.kind, "push");
  assert.match(push.queryId, /^transient_HOT_\d+$/);
  assert.deepEqual((await rowsOf(push)).sort(), [
    ["press", 72.5],
    ["robot", 55],
  ]);

  // A push query without LIMIT runs until closed, listed meanwhile among the queries.
  const open = await engine.query("SELECT machine FROM hot EMIT CHANGES;");
  const listed = await entity(engine, "SHOW QUERIES;", "queries");
  assert.deepEqual(
    listed.queries.filter((q) => q.queryType === "PUSH").map((q) => [q.id, q.queryString, q.state]),
    [[open.queryId, "SELECT machine FROM hot EMIT CHANGES", "RUNNING"]],
  );
  assert.equal(engine.closeQuery(open.queryId), true);
  assert.deepEqual(await rowsOf(open), []);
  assert.equal(engine.closeQuery(open.queryId), false);
  assert.deepEqual(await engine.healthy(), {
    isHealthy: true,
    details: { metastore: { isHealthy: true }, kafka: { isHealthy: true }, commandRunner: { isHealthy: true } },
  });
  assert.equal(engine.info().ksqlServiceId, service);

  // DROP is refused while a query reads the stream, and the catalog stays as it was.
  const drop = await refused(engine.execute("DROP STREAM readings;"));
  assert.equal(drop.error_code, 40001);
  assert.equal(drop.statementText, "DROP STREAM readings;");
  assert.match(drop.message, new RegExp(`read from this source: \\[${queryId}\\]`));

  // A failing statement in a request: the ones before it ran and are answered with the error; the catalog unchanged.
  const failure = await refused(
    engine.execute("SHOW TABLES;\nCREATE STREAM broken AS SELECT nosuch FROM readings EMIT CHANGES;"),
  );
  assert.equal(failure["@type"], "statement_error");
  assert.match(failure.message, /^line 2:32: unknown column NOSUCH/);
  assert.equal(failure.entities?.[0]?.["@type"], "tables");
  const syntax = await refused(engine.execute("SELEC * FROM readings;"));
  assert.match(syntax.message, /^line 1:1: /);
  assert.deepEqual(
    (await entity(engine, "SHOW STREAMS;", "streams")).streams.map((s) => s.name),
    ["KSQL_PROCESSING_LOG", "READINGS", "HOT"],
  );

  // TERMINATE stops the query; the sink stays until dropped, and DELETE TOPIC takes its topic with it.
  assert.equal((await run(engine, `TERMINATE ${queryId};`)).message, "Query terminated.");
  assert.equal((await shownQuery(engine, queryId)).query, undefined);
  assert.match((await refused(engine.execute(`TERMINATE ${queryId};`))).message, /Unknown queryId/);
  const dropped = await run(engine, "DROP STREAM hot DELETE TOPIC;");
  assert.equal(dropped.message, `Source \`HOT\` (topic: ${prefix}HOT) was dropped.`);
  assert.equal((await describeTopics(kafka, [`${prefix}HOT`])).size, 0);
  await run(engine, "DROP STREAM readings;");
  assert.equal((await describeTopics(kafka, [topic])).size, 1, "DROP without DELETE TOPIC keeps the topic");
});
