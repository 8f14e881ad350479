// Failures that must not crash a server: a source topic deleted under a query, a command that fails when applied.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createAdmin } from "../../../src/kafka/index.ts";
import { CommandLog } from "../../../src/sql/engine/command-log.ts";
import { createTopic, eventually } from "../../support/kafka.ts";
import {
  entity,
  kafka,
  run,
  shownQuery,
  startEngine,
  uniqueService,
  whenQueryState,
} from "./statements/engine-fixture.ts";

test("a deleted source topic puts the query in ERROR, with the reason, in SHOW QUERIES", async (t) => {
  const service = uniqueService("deleted");
  const { engine, log } = await startEngine(t, service, { "ksql.output.topic.name.prefix": `${service}-` });
  const topic = await createTopic(kafka, "deleted-readings", 1);
  await run(engine, `CREATE STREAM readings (machine STRING KEY, temp DOUBLE) WITH (kafka_topic='${topic}');`);
  const { queryId } = await run(engine, "CREATE STREAM copy AS SELECT * FROM readings EMIT CHANGES;");
  await whenQueryState(engine, queryId!, "RUNNING");

  const admin = createAdmin(kafka);
  await admin.deleteTopics({ topics: [topic] });
  await admin.close();

  const { query, warnings } = await whenQueryState(engine, queryId!, "ERROR", 60_000);
  assert.deepEqual(query?.statusCount, { ERROR: 1 });
  assert.ok(
    warnings.some((w) => w.startsWith(`Query ${queryId} is in ERROR:`) && w.includes(topic)),
    warnings.join("\n"),
  );
  const explained = await entity(engine, `EXPLAIN ${queryId};`, "queryDescription");
  assert.equal(explained.queryDescription.state, "ERROR");
  assert.ok(log.some((line) => line.startsWith(`WARN query ${queryId} failed:`)));
  // The server still answers, and the query is still there to be terminated.
  assert.equal((await run(engine, `TERMINATE ${queryId};`)).message, "Query terminated.");
  assert.equal((await shownQuery(engine, queryId!)).query, undefined);
});

test("a command that another server appended and that fails when applied changes nothing", async (t) => {
  const service = uniqueService("raced");
  const { engine, log } = await startEngine(t, service);
  const topic = await createTopic(kafka, "raced-readings", 1);
  await run(engine, `CREATE STREAM readings (machine STRING KEY, temp DOUBLE) WITH (kafka_topic='${topic}');`);
  const before = await entity(engine, "DESCRIBE readings;", "sourceDescription");

  // Another server checked its statement against a catalog that did not have READINGS yet.
  const other = await CommandLog.open({ kafka, serviceId: service, apply: () => {} });
  t.after(() => other.close());
  const statement = `CREATE STREAM readings (machine STRING KEY, pressure INT) WITH (kafka_topic='${topic}');`;
  const sequence = await other.append({ statement, properties: {} });
  await eventually("the engine applying the other server's command", () =>
    log.find((line) => line.startsWith(`WARN command ${sequence} (`)),
  );
  assert.ok(log.some((line) => line.includes("already exists")));
  assert.deepEqual(await entity(engine, "DESCRIBE readings;", "sourceDescription"), before);
});
