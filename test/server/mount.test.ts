// The Connect and SQL APIs mounted under /api/connect and /api/sql: bodies and errors in their own shapes, 404s when
// an API does not run here, push queries streamed over HTTP/1.1 and ended before the server closes; /api/info.
import assert from "node:assert/strict";
import { once } from "node:events";
import { type IncomingMessage, request } from "node:http";
import { test } from "node:test";
import { ConnectMetrics } from "../../src/connect/rest/metrics.ts";
import { startFabrikServer } from "../../src/server/index.ts";
import { FakeConnectService, SOURCE_CLASS } from "../connect/rest/fake-service.ts";
import { type FakeQuery, FakeSqlService, status } from "../sql/api/fake-service.ts";
import { whenEvent } from "../support/events.ts";
import { NO_KAFKA, quietLog, serverApp } from "./fixture.ts";

test("/api/connect is Kafka Connect's API with the prefix, its errors in Connect's shape", async (t) => {
  const service = new FakeConnectService();
  const app = await serverApp(t, { connect: { service, metrics: new ConnectMetrics() } });
  const created = await app.inject({
    method: "POST",
    url: "/api/connect/connectors",
    payload: { name: "line1", config: { "connector.class": SOURCE_CLASS } },
  });
  assert.equal(created.statusCode, 201, created.body);
  const listed = await app.inject({ url: "/api/connect/connectors?expand=status&expand=info" });
  assert.equal(listed.statusCode, 200);
  assert.deepEqual(Object.keys(listed.json()), ["line1"]);
  assert.equal(listed.json().line1.status.connector.state, "RUNNING");
  const missing = await app.inject({ url: "/api/connect/connectors/nope/status" });
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(missing.json(), { error_code: 404, message: "Connector nope not found" });
  const invalid = await app.inject({
    method: "PUT",
    url: "/api/connect/connectors/line1/config",
    payload: { "connector.class": SOURCE_CLASS, "tasks.max": "zero" },
  });
  assert.equal(invalid.statusCode, 400);
  assert.match(invalid.json().message, /tasks\.max: must be a positive integer/);
  const unknown = await app.inject({ url: "/api/connect/widgets" });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().error_code, 404);
  // A known path with a wrong method is Connect's 405, under the prefix as on Connect's own port.
  const wrongMethod = await app.inject({ method: "DELETE", url: "/api/connect/connectors/line1/status" });
  assert.equal(wrongMethod.statusCode, 405, wrongMethod.body);
  assert.equal(wrongMethod.json().error_code, 405);
  const metrics = await app.inject({ url: "/api/connect/metrics" });
  assert.equal(metrics.statusCode, 200);
  assert.match(String(metrics.headers["content-type"]), /^text\/plain/);
});

test("/api/sql is ksqlDB's API with the prefix, its errors in ksqlDB's shape", async (t) => {
  const service = new FakeSqlService();
  const app = await serverApp(t, { sql: service });
  const text = "CREATE STREAM s (id STRING KEY) WITH (kafka_topic='s', value_format='JSON');";
  const ran = await app.inject({
    method: "POST",
    url: "/api/sql/ksql",
    payload: { ksql: text, streamsProperties: {} },
  });
  assert.equal(ran.statusCode, 200);
  assert.deepEqual(ran.json(), [status(text, "Stream created")]);
  const malformed = await app.inject({ method: "POST", url: "/api/sql/ksql", payload: { sql: "x" } });
  assert.equal(malformed.statusCode, 400);
  assert.equal(malformed.json()["@type"], "generic_error");
  assert.equal(malformed.json().error_code, 40000);
  const info = await app.inject({ url: "/api/sql/info" });
  assert.equal(info.json().KsqlServerInfo.version, "0.1.0");
  const unknown = await app.inject({ url: "/api/sql/nothing" });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().error_code, 40400);
});

test("an API that does not run in this server answers 404 in its own shape; /api/info says which run", async (t) => {
  const app = await serverApp(t, { alerts: { table: "LIMIT_ALERTS", acks: "ALERT_ACKS" } });
  const connect = await app.inject({ url: "/api/connect/connectors" });
  assert.equal(connect.statusCode, 404);
  assert.equal(connect.json().error_code, 404);
  assert.match(connect.json().message, /No connect worker runs in this server/);
  const sql = await app.inject({ method: "POST", url: "/api/sql/ksql", payload: { ksql: "SHOW STREAMS;" } });
  assert.equal(sql.statusCode, 404);
  assert.equal(sql.json().error_code, 40400);
  const info = (await app.inject({ url: "/api/info" })).json();
  assert.equal(info.connect, false);
  assert.equal(info.sql, false);
  assert.deepEqual(info.alerts, { table: "LIMIT_ALERTS", acks: "ALERT_ACKS" });
});

test("a push query streams its rows over HTTP/1.1 chunked; closing the server ends the stream first", async () => {
  const service = new FakeSqlService();
  const server = await startFabrikServer({ kafka: NO_KAFKA, sql: service, port: 0, log: quietLog });
  const started = once(service, "query") as Promise<[FakeQuery]>;
  const req = request(`${server.url}/api/sql/query-stream`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/vnd.ksqlapi.delimited.v1" },
  });
  req.end(JSON.stringify({ sql: "SELECT * FROM s EMIT CHANGES;", properties: { "auto.offset.reset": "earliest" } }));
  const [response] = (await once(req, "response")) as [IncomingMessage];
  const [query] = await started;
  assert.equal(response.headers["transfer-encoding"], "chunked");
  let text = "";
  response.setEncoding("utf8");
  response.on("data", (chunk: string) => {
    text += chunk;
  });
  query.push(["a", 1.5]);
  await whenEvent("the header and a row", [response], "data", () => text.split("\n").length > 2);
  const [header, row] = text.split("\n");
  assert.deepEqual(JSON.parse(header!), {
    queryId: query.queryId,
    columnNames: ["ID", "SPEED"],
    columnTypes: ["STRING", "DOUBLE"],
  });
  assert.deepEqual(JSON.parse(row!), ["a", 1.5]);
  const ended = once(response, "end");
  await server.close();
  await ended;
  assert.equal(query.closed, true);
});

test("the server refuses a non-loopback address without auth, before listening", async () => {
  await assert.rejects(startFabrikServer({ kafka: NO_KAFKA, host: "0.0.0.0", port: 0 }), (error: Error) => {
    assert.equal((error as Error & { code: string }).code, "INSECURE_BIND");
    assert.match(error.message, /Fabrik server on 0\.0\.0\.0 without authentication/);
    return true;
  });
  await assert.rejects(
    startFabrikServer({ kafka: NO_KAFKA, host: "0.0.0.0", port: 0, auth: { token: "" } }),
    /token is empty/,
  );
});
