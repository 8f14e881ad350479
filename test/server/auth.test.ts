// Who gets into the server's API: the auth matrix (none, token, Basic, session cookie), the CSRF guard, 401 bodies,
// session expiry on an injected clock, and the loopback-host and cross-site checks of a server without auth.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { FastifyInstance } from "fastify";
import { ConnectMetrics } from "../../src/connect/rest/metrics.ts";
import { SESSION_IDLE_MS } from "../../src/server/index.ts";
import { FakeConnectService } from "../connect/rest/fake-service.ts";
import { serverApp } from "./fixture.ts";

const AUTH = { token: "s3cret-token", users: { alice: "wonderland" } } as const;
const UI = { "x-requested-with": "fabrik-ui" } as const;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

async function withConnect(t: Parameters<typeof serverApp>[0], options: Parameters<typeof serverApp>[1] = {}) {
  const service = new FakeConnectService();
  const app = await serverApp(t, { connect: { service, metrics: new ConnectMetrics() }, ...options });
  return { app, service };
}

async function login(app: FastifyInstance, body: object): Promise<string> {
  const response = await app.inject({ method: "POST", url: "/api/session", payload: body });
  assert.equal(response.statusCode, 204, response.body);
  const cookie = String(response.headers["set-cookie"]);
  assert.match(cookie, /^fabrik_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
  return cookie.split(";")[0]!;
}

test("without auth every API answers, and /api/info says so", async (t) => {
  const { app } = await withConnect(t);
  const info = await app.inject({ url: "/api/info" });
  assert.deepEqual(info.json(), {
    version: "0.1.0",
    auth: "none",
    authenticated: true,
    schemes: [],
    connect: true,
    sql: false,
    alerts: null,
  });
  assert.equal((await app.inject({ url: "/api/connect/connectors" })).statusCode, 200);
});

test("with auth, /api/ needs credentials except info and session; 401 in one shape, challenged only outside the UI", async (t) => {
  const { app } = await withConnect(t, { auth: AUTH });
  const bare = await app.inject({ url: "/api/connect/connectors" });
  assert.equal(bare.statusCode, 401);
  assert.deepEqual(bare.json(), {
    error_code: 401,
    message: "Authentication required: log in, or send an Authorization header",
  });
  assert.deepEqual(bare.headers["www-authenticate"], [
    'Basic realm="Fabrik", charset="UTF-8"',
    'Bearer realm="Fabrik"',
  ]);
  const fromUi = await app.inject({ url: "/api/connect/connectors", headers: UI });
  assert.equal(fromUi.statusCode, 401);
  assert.equal(fromUi.headers["www-authenticate"], undefined, "no native login prompt for the UI");
  for (const url of ["/api/live", "/api/history?connector=a&source=b&job=c&tag=d", "/api/sql/info", "/api/nothing"]) {
    assert.equal((await app.inject({ url, headers: UI })).statusCode, 401, url);
  }
  // The router decodes a path before it routes it: a spelling of /api/ that the router takes for it is guarded too.
  for (const url of ["/%61pi/connect/connectors", "/api/connect/%63onnectors", "/api/connect/connectors/"]) {
    const sneaky = await app.inject({ url });
    assert.equal(sneaky.statusCode, 401, url);
  }
  assert.equal((await app.inject({ url: "/api/info/" })).statusCode, 200, "info stays public whatever its spelling");
  const info = await app.inject({ url: "/api/info" });
  assert.equal(info.statusCode, 200);
  assert.deepEqual(
    { auth: info.json().auth, authenticated: info.json().authenticated, schemes: info.json().schemes },
    { auth: "required", authenticated: false, schemes: ["bearer", "basic"] },
  );
  // The UI's files are code, not plant data.
  assert.notEqual((await app.inject({ url: "/" })).statusCode, 401);
});

test("a Bearer token and Basic users are accepted; wrong ones get a 401 that says which", async (t) => {
  const { app } = await withConnect(t, { auth: AUTH });
  const cases: [string, number, string | undefined][] = [
    [`Bearer ${AUTH.token}`, 200, undefined],
    [basic("alice", "wonderland"), 200, undefined],
    ["Bearer wrong", 401, "Invalid bearer token"],
    [basic("alice", "nope"), 401, "Invalid user name or password"],
    [basic("mallory", "wonderland"), 401, "Invalid user name or password"],
    ["Digest abc", 401, 'Authorization scheme "digest" is not accepted here'],
  ];
  for (const [authorization, status, message] of cases) {
    const response = await app.inject({ url: "/api/connect/connectors", headers: { authorization } });
    assert.equal(response.statusCode, status, authorization);
    if (message !== undefined) assert.deepEqual(response.json(), { error_code: 401, message });
  }
  const info = await app.inject({ url: "/api/info", headers: { authorization: basic("alice", "wonderland") } });
  assert.equal(info.json().authenticated, true);
  assert.equal(info.json().user, "alice");
  const byToken = await app.inject({ url: "/api/info", headers: { authorization: `Bearer ${AUTH.token}` } });
  assert.equal(byToken.json().user, undefined);
});

test("a session cookie from POST /api/session lets the UI in; DELETE forgets it", async (t) => {
  const { app } = await withConnect(t, { auth: AUTH });
  const refused = await app.inject({ method: "POST", url: "/api/session", payload: { token: "wrong" } });
  assert.equal(refused.statusCode, 401);
  assert.deepEqual(refused.json(), { error_code: 401, message: "Invalid bearer token" });
  assert.equal(refused.headers["set-cookie"], undefined);
  const wrongUser = await app.inject({
    method: "POST",
    url: "/api/session",
    payload: { user: "alice", password: "x" },
  });
  assert.equal(wrongUser.statusCode, 401);
  const empty = await app.inject({ method: "POST", url: "/api/session", payload: {} });
  assert.equal(empty.statusCode, 400);

  const cookie = await login(app, { user: "alice", password: "wonderland" });
  const info = await app.inject({ url: "/api/info", headers: { cookie, ...UI } });
  assert.equal(info.json().authenticated, true);
  assert.equal(info.json().user, "alice");
  assert.equal((await app.inject({ url: "/api/connect/connectors", headers: { cookie, ...UI } })).statusCode, 200);

  const out = await app.inject({ method: "DELETE", url: "/api/session", headers: { cookie, ...UI } });
  assert.equal(out.statusCode, 204);
  assert.match(String(out.headers["set-cookie"]), /^fabrik_session=; .*Max-Age=0/);
  const after = await app.inject({ url: "/api/connect/connectors", headers: { cookie, ...UI } });
  assert.equal(after.statusCode, 401);
  assert.match(after.json().message, /expired or is unknown/);

  const byToken = await login(app, { token: AUTH.token });
  assert.equal((await app.inject({ url: "/api/info", headers: { cookie: byToken } })).json().user, undefined);
});

test("a change made with a session cookie needs X-Requested-With: fabrik-ui; with a header credential it does not", async (t) => {
  const { app, service } = await withConnect(t, { auth: AUTH });
  await service.create("line1", { "connector.class": "org.apache.plc4x.kafka.Plc4xSourceConnector" });
  const cookie = await login(app, { token: AUTH.token });
  const forged = await app.inject({ method: "PUT", url: "/api/connect/connectors/line1/pause", headers: { cookie } });
  assert.equal(forged.statusCode, 403);
  assert.match(forged.json().message, /X-Requested-With: fabrik-ui/);
  assert.equal(service.calls.filter(([m]) => m === "pause").length, 0, "the forged request changed nothing");
  // Reading needs no header: a cross-site page cannot read the answer anyway.
  assert.equal((await app.inject({ url: "/api/connect/connectors", headers: { cookie } })).statusCode, 200);
  const fromUi = await app.inject({
    method: "PUT",
    url: "/api/connect/connectors/line1/pause",
    headers: { cookie, ...UI },
  });
  assert.equal(fromUi.statusCode, 202);
  const byToken = await app.inject({
    method: "PUT",
    url: "/api/connect/connectors/line1/resume",
    headers: { authorization: `Bearer ${AUTH.token}` },
  });
  assert.equal(byToken.statusCode, 202);
});

test("sessions expire after 12 hours without a request; each request restarts the idle time", async (t) => {
  let now = 1_000_000;
  const { app } = await withConnect(t, { auth: AUTH, now: () => now });
  const cookie = await login(app, { token: AUTH.token });
  const get = () => app.inject({ url: "/api/connect/connectors", headers: { cookie, ...UI } });
  now += SESSION_IDLE_MS - 1;
  assert.equal((await get()).statusCode, 200, "just before 12 h idle");
  now += SESSION_IDLE_MS - 1;
  assert.equal((await get()).statusCode, 200, "the last request restarted the idle time");
  now += SESSION_IDLE_MS;
  const expired = await get();
  assert.equal(expired.statusCode, 401);
  assert.match(expired.json().message, /expired/);
});

test("without auth, a request naming another host than loopback is refused (DNS rebinding)", async (t) => {
  const { app } = await withConnect(t);
  for (const host of ["127.0.0.1:8080", "localhost:8080", "[::1]:8080"]) {
    assert.equal((await app.inject({ url: "/api/connect/connectors", headers: { host } })).statusCode, 200, host);
  }
  const rebound = await app.inject({ url: "/api/connect/connectors", headers: { host: "attacker.example:8080" } });
  assert.equal(rebound.statusCode, 403);
  assert.match(rebound.json().message, /attacker\.example:8080 is not this server's/);
  // With auth the server may be reached by any name: credentials, not the name, decide.
  const { app: open } = await withConnect(t, { auth: AUTH });
  const named = await open.inject({
    url: "/api/connect/connectors",
    headers: { host: "plant-server.example:8080", authorization: `Bearer ${AUTH.token}` },
  });
  assert.equal(named.statusCode, 200);
});

test("changes asked by another site's page are refused, whatever the credentials", async (t) => {
  const { app, service } = await withConnect(t);
  await service.create("line1", { "connector.class": "org.apache.plc4x.kafka.Plc4xSourceConnector" });
  const url = "/api/connect/connectors/line1/pause";
  const host = "127.0.0.1:8080";
  for (const headers of [
    { host, origin: "https://evil.example" },
    { host, origin: "null" },
    { host, "sec-fetch-site": "cross-site" },
  ]) {
    const response = await app.inject({ method: "PUT", url, headers });
    assert.equal(response.statusCode, 403, JSON.stringify(headers));
    assert.match(response.json().message, /Cross-site/);
  }
  // The UI's development server proxies from another port of the same host.
  const proxied = await app.inject({ method: "PUT", url, headers: { host, origin: "http://127.0.0.1:5173" } });
  assert.equal(proxied.statusCode, 202);
  const login = await app.inject({
    method: "POST",
    url: "/api/session",
    headers: { host, "content-type": "text/plain" },
    payload: JSON.stringify({ token: "x" }),
  });
  assert.equal(login.statusCode, 415, "a form cannot post the login");
});
