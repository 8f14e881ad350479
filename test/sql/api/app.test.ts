// The request/response endpoints through Fastify's inject: bodies, properties, ksqlDB's error shapes, health, auth.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildSqlApp } from "../../../src/sql/api/app.ts";
import { KsqlRequestError } from "../../../src/sql/engine/entities.ts";
import { FakeSqlService, status } from "./fake-service.ts";

const silent = { error: () => {} };

async function app(service = new FakeSqlService(), options = {}) {
  const built = await buildSqlApp(service, { logger: silent, ...options });
  return { app: built, service };
}

test("POST /ksql runs the statements with the request's properties and answers the entities", async (t) => {
  const { app: api, service } = await app();
  t.after(() => api.close());
  const response = await api.inject({
    method: "POST",
    url: "/ksql",
    headers: { "content-type": "application/vnd.ksql.v1+json; charset=utf-8", accept: "application/vnd.ksql.v1+json" },
    payload: {
      ksql: "CREATE STREAM s (id STRING KEY) WITH (kafka_topic='s', value_format='JSON');",
      streamsProperties: { "auto.offset.reset": "earliest" },
    },
  });
  assert.equal(response.statusCode, 200);
  assert.match(response.headers["content-type"] as string, /^application\/vnd\.ksql\.v1\+json/);
  assert.deepEqual(response.json(), [status(service.executed[0]!.text, "Stream created")]);
  assert.deepEqual(service.executed[0]!.properties, { "auto.offset.reset": "earliest" });
});

test("a body without a Content-Type is still JSON (curl's default form type too), and `properties` is read", async (t) => {
  const { app: api, service } = await app();
  t.after(() => api.close());
  const response = await api.inject({
    method: "POST",
    url: "/ksql",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    payload: JSON.stringify({ ksql: "SHOW STREAMS;", properties: { a: "1" }, streamsProperties: { a: "0", b: "2" } }),
  });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(service.executed[0]!.properties, { a: "1", b: "2" });
});

test("malformed requests answer 400 with ksqlDB's generic_error body", async (t) => {
  const { app: api, service } = await app();
  t.after(() => api.close());
  const cases: [string, string, RegExp][] = [
    ["/ksql", "{not json", /not valid JSON/],
    ["/ksql", "", /body must be object/],
    ["/ksql", JSON.stringify({ sql: "SHOW STREAMS;" }), /must have required property 'ksql'/],
    ["/ksql", JSON.stringify({ ksql: "x;", sessionVariables: { v: "1" } }), /sessionVariables are not supported/],
    ["/query-stream", JSON.stringify({ ksql: "SELECT 1;" }), /must have required property 'sql'/],
    ["/query", JSON.stringify({ streamsProperties: {} }), /names no statement/],
    ["/close-query", JSON.stringify({}), /must have required property 'queryId'/],
  ];
  for (const [url, payload, message] of cases) {
    const response = await api.inject({
      method: "POST",
      url,
      headers: { "content-type": "application/json" },
      payload,
    });
    assert.equal(response.statusCode, 400, `${url} ${payload}`);
    const body = response.json();
    assert.equal(body["@type"], "generic_error");
    assert.equal(body.error_code, 40000);
    assert.match(body.message, message);
  }
  assert.equal(service.executed.length, 0);
});

test("the service's KsqlRequestError goes out as it is, status and body", async (t) => {
  const service = new FakeSqlService();
  const body = {
    "@type": "statement_error",
    error_code: 40001,
    message: "line 1:15: unknown source PLANT",
    statementText: "SELECT * FROM plant;",
    entities: [],
  } as const;
  service.onExecute = () => {
    throw new KsqlRequestError(400, body);
  };
  const { app: api } = await app(service);
  t.after(() => api.close());
  const response = await api.inject({ method: "POST", url: "/ksql", payload: { ksql: "DESCRIBE plant;" } });
  assert.equal(response.statusCode, 400);
  assert.deepEqual(response.json(), body);
});

test("any other failure is a 500 generic_error that leaks nothing, and is logged", async (t) => {
  const service = new FakeSqlService();
  service.onExecute = () => {
    throw new Error("ECONNREFUSED 10.0.0.7:9092 password=hunter2");
  };
  const logged: unknown[] = [];
  const { app: api } = await app(service, { logger: { error: (_m: string, e: unknown) => logged.push(e) } });
  t.after(() => api.close());
  const response = await api.inject({ method: "POST", url: "/ksql", payload: { ksql: "SHOW TOPICS;" } });
  assert.equal(response.statusCode, 500);
  assert.equal(response.json().error_code, 50000);
  assert.equal(response.json()["@type"], "generic_error");
  assert.doesNotMatch(response.body, /hunter2|10\.0\.0\.7/);
  assert.equal(logged.length, 1);
});

test("a query the service refuses is answered as an error before any streaming", async (t) => {
  const service = new FakeSqlService();
  service.onQuery = () => {
    throw new KsqlRequestError(400, { "@type": "statement_error", error_code: 40001, message: "unknown column X" });
  };
  const { app: api } = await app(service);
  t.after(() => api.close());
  for (const [url, payload] of [
    ["/query", { ksql: "SELECT x FROM s EMIT CHANGES;" }],
    ["/query-stream", { sql: "SELECT x FROM s EMIT CHANGES;" }],
  ] as const) {
    const response = await api.inject({ method: "POST", url, payload });
    assert.equal(response.statusCode, 400, url);
    assert.equal(response.json().message, "unknown column X");
  }
});

test("GET /info, /healthcheck (503 when unhealthy) and /clusterStatus", async (t) => {
  const { app: api, service } = await app();
  t.after(() => api.close());
  const info = await api.inject({ method: "GET", url: "/info" });
  assert.deepEqual(info.json(), { KsqlServerInfo: service.info() });
  const healthy = await api.inject({ method: "GET", url: "/healthcheck" });
  assert.equal(healthy.statusCode, 200);
  assert.deepEqual(healthy.json(), {
    isHealthy: true,
    details: { metastore: { isHealthy: true }, kafka: { isHealthy: true } },
  });
  service.reachable = false;
  const unhealthy = await api.inject({ method: "GET", url: "/healthcheck" });
  assert.equal(unhealthy.statusCode, 503);
  assert.equal(unhealthy.json().details.kafka.isHealthy, false);
  const cluster = await api.inject({ method: "GET", url: "/clusterStatus", headers: { host: "sql1:8088" } });
  assert.equal(cluster.json().clusterStatus["sql1:8088"].hostAlive, true);
});

test("POST /close-query closes a running query; an unknown id is a 400", async (t) => {
  const { app: api, service } = await app();
  t.after(() => api.close());
  const query = await service.query("SELECT * FROM s EMIT CHANGES;");
  const closed = await api.inject({ method: "POST", url: "/close-query", payload: { queryId: query.queryId } });
  assert.equal(closed.statusCode, 200);
  assert.equal(service.queries[0]!.closed, true);
  const unknown = await api.inject({ method: "POST", url: "/close-query", payload: { queryId: "nope" } });
  assert.equal(unknown.statusCode, 400);
  assert.equal(unknown.json().error_code, 40400);
  assert.match(unknown.json().message, /No query with id nope/);
});

test("unknown paths answer 404 in ksqlDB's shape", async (t) => {
  const { app: api } = await app();
  t.after(() => api.close());
  const response = await api.inject({ method: "GET", url: "/status/whatever" });
  assert.equal(response.statusCode, 404);
  assert.equal(response.json().error_code, 40400);
});

test("with auth, requests need a valid Bearer token or Basic user, and 401s carry challenges", async (t) => {
  const { app: api, service } = await app(new FakeSqlService(), { auth: { token: "s3cret", users: { ops: "pw" } } });
  t.after(() => api.close());
  const refused = await api.inject({ method: "POST", url: "/ksql", payload: { ksql: "SHOW STREAMS;" } });
  assert.equal(refused.statusCode, 401);
  assert.equal(refused.json().error_code, 40100);
  assert.deepEqual(refused.headers["www-authenticate"], [
    'Basic realm="Fabrik SQL", charset="UTF-8"',
    'Bearer realm="Fabrik SQL"',
  ]);
  const wrong = await api.inject({ method: "GET", url: "/info", headers: { authorization: "Bearer guess" } });
  assert.equal(wrong.statusCode, 401);
  const bearer = await api.inject({ method: "GET", url: "/info", headers: { authorization: "Bearer s3cret" } });
  assert.equal(bearer.statusCode, 200);
  const basic = `Basic ${Buffer.from("ops:pw").toString("base64")}`;
  const ok = await api.inject({
    method: "POST",
    url: "/ksql",
    headers: { authorization: basic },
    payload: { ksql: "SHOW STREAMS;" },
  });
  assert.equal(ok.statusCode, 200);
  assert.equal(service.executed.length, 1);
});
