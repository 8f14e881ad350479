// The REST server over real HTTP: loopback by default, refusing other addresses without auth, Connect tooling's flow.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConnectMetrics, startRestServer } from "../../../src/connect/rest/index.ts";
import { HttpServerError } from "../../../src/http/index.ts";
import { FakeConnectService, SOURCE_CLASS } from "./fake-service.ts";

test("a non-loopback host without auth is refused before anything listens, saying how to fix it", async () => {
  const options = { service: new FakeConnectService(), metrics: new ConnectMetrics(), port: 0 };
  for (const host of ["0.0.0.0", "::", "192.168.1.10"]) {
    await assert.rejects(
      startRestServer({ ...options, host }),
      (e: unknown) =>
        e instanceof HttpServerError &&
        e.code === "INSECURE_BIND" &&
        /without authentication.*Give `auth`/s.test(e.message),
      host,
    );
  }
  await assert.rejects(
    startRestServer({ ...options, host: "0.0.0.0", auth: { token: "" } }),
    (e: unknown) => e instanceof HttpServerError && e.code === "INVALID_AUTH",
  );
});

test("loopback without auth serves over real HTTP; close() stops it", async () => {
  const server = await startRestServer({ service: new FakeConnectService(), metrics: new ConnectMetrics(), port: 0 });
  try {
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
    const response = await fetch(`${server.url}/`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { version: "0.1.0", commit: "abc123", kafka_cluster_id: "cluster-xyz" });
  } finally {
    await server.close();
  }
  await assert.rejects(fetch(`${server.url}/`));
});

test("with auth over real HTTP: wrong token 401, Basic accepted", async () => {
  const server = await startRestServer({
    service: new FakeConnectService(),
    metrics: new ConnectMetrics(),
    port: 0,
    auth: { token: "t0ken", users: { ops: "pw" } },
  });
  try {
    const wrong = await fetch(`${server.url}/connectors`, { headers: { authorization: "Bearer nope" } });
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get("www-authenticate") ?? "", /Bearer realm="Fabrik Connect"/);
    assert.deepEqual(await wrong.json(), { error_code: 401, message: "Invalid bearer token" });
    const basic = `Basic ${Buffer.from("ops:pw").toString("base64")}`;
    const ok = await fetch(`${server.url}/connectors`, { headers: { authorization: basic } });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), []);
  } finally {
    await server.close();
  }
});

/** Sends what Connect clients (kcctl, confluent, curl scripts) send: JSON with Accept and Content-Type set. */
async function call(base: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
}

test("compatibility: the request sequence of Connect tooling, over real HTTP", async () => {
  const server = await startRestServer({ service: new FakeConnectService(), metrics: new ConnectMetrics(), port: 0 });
  const base = server.url;
  const state = async () => {
    const answer = await call(base, "GET", "/connectors/press/status");
    return (answer.body as { connector: { state: string } }).connector.state;
  };
  try {
    const config = { "connector.class": SOURCE_CLASS, "tasks.max": "1", "sources.press.connectionString": "s7://x" };
    // kcctl apply: does it exist? then PUT config (create or replace).
    assert.equal((await call(base, "GET", "/connectors/press")).status, 404);
    const created = await call(base, "PUT", "/connectors/press/config", config);
    assert.equal(created.status, 201);
    assert.equal((created.body as { name: string }).name, "press");
    // confluent connect cluster create: POST /connectors; a second time conflicts.
    assert.equal((await call(base, "POST", "/connectors", { name: "press", config })).status, 409);
    // kcctl get connectors: list with both expansions.
    const listed = await call(base, "GET", "/connectors?expand=status&expand=info");
    assert.equal(listed.status, 200);
    const press = (listed.body as Record<string, { status: { connector: { state: string } }; info: { type: string } }>)
      .press;
    assert.equal(press?.status.connector.state, "RUNNING");
    assert.equal(press?.info.type, "source");
    assert.equal(await state(), "RUNNING");
    assert.equal((await call(base, "PUT", "/connectors/press/pause")).status, 202);
    assert.equal(await state(), "PAUSED");
    assert.equal((await call(base, "PUT", "/connectors/press/resume")).status, 202);
    assert.equal(await state(), "RUNNING");
    assert.equal((await call(base, "POST", "/connectors/press/restart")).status, 204);
    const restarted = await call(base, "POST", "/connectors/press/restart?includeTasks=true&onlyFailed=false");
    assert.equal(restarted.status, 202);
    assert.equal((restarted.body as { connector: { state: string } }).connector.state, "RESTARTING");
    assert.equal((await call(base, "GET", "/connectors/press/tasks")).status, 200);
    assert.equal((await call(base, "DELETE", "/connectors/press")).status, 204);
    assert.deepEqual((await call(base, "GET", "/connectors")).body, []);
    assert.deepEqual(await call(base, "GET", "/connectors/press/status"), {
      status: 404,
      body: { error_code: 404, message: "Connector press not found" },
    });
  } finally {
    await server.close();
  }
});
