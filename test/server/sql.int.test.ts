// The SQL engine mounted under /api/sql on the real broker: a push query's rows stream to the browser over HTTP/1.1 as
// they are written, and closing the server ends the stream and the query.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createProducer } from "../../src/kafka/index.ts";
import { startFabrikServer } from "../../src/server/index.ts";
import { startSqlEngine } from "../../src/sql/engine/index.ts";
import { createTopic, testKafka, uniqueTopic } from "../support/kafka.ts";
import { idleTail, quietLog } from "./fixture.ts";

const kafka = testKafka();
const silent = { info: () => {}, warn: () => {}, error: () => {} };

test("a push query through /api/sql/query-stream streams rows as they arrive, until the server closes", async (t) => {
  const topic = await createTopic(kafka, "server-sql");
  const engine = await startSqlEngine({ kafka, serviceId: uniqueTopic("svc"), log: silent });
  t.after(() => engine.close());
  const server = await startFabrikServer({ kafka, sql: engine, port: 0, log: quietLog, live: { tail: idleTail } });
  t.after(() => server.close());
  const ui = { "content-type": "application/json", "x-requested-with": "fabrik-ui" };
  const stream = `READINGS_${topic.replace(/\W/g, "_").toUpperCase()}`;
  const created = await fetch(`${server.url}/api/sql/ksql`, {
    method: "POST",
    headers: ui,
    body: JSON.stringify({
      ksql: `CREATE STREAM ${stream} (MACHINE VARCHAR KEY, SPEED DOUBLE) WITH (KAFKA_TOPIC='${topic}', VALUE_FORMAT='JSON');`,
    }),
  });
  assert.equal(created.status, 200, await created.clone().text());

  const producer = createProducer(kafka);
  t.after(() => producer.close());
  const write = (machine: string, speed: number) =>
    producer.send({
      messages: [{ topic, key: Buffer.from(machine), value: Buffer.from(JSON.stringify({ SPEED: speed })) }],
    });
  await write("conveyor", 1.5);

  const response = await fetch(`${server.url}/api/sql/query-stream`, {
    method: "POST",
    headers: { ...ui, accept: "application/vnd.ksqlapi.delimited.v1" },
    body: JSON.stringify({
      sql: `SELECT MACHINE, SPEED FROM ${stream} EMIT CHANGES;`,
      properties: { "auto.offset.reset": "earliest" },
    }),
  });
  assert.equal(response.status, 200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const lines = async (count: number) => {
    while (text.split("\n").length <= count) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended after: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    return text.split("\n").slice(0, count);
  };
  const [header, row] = await lines(2);
  assert.deepEqual(JSON.parse(header!).columnNames, ["MACHINE", "SPEED"]);
  assert.deepEqual(JSON.parse(row!), ["conveyor", 1.5]);
  // A row written after the query started arrives while the response is still open.
  await write("press", 2.5);
  assert.deepEqual(JSON.parse((await lines(3))[2]!), ["press", 2.5]);

  await server.close();
  for (;;) {
    const { done } = await reader.read();
    if (done) break;
  }
});
