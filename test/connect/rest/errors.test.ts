// Every error the API gives is Connect's {error_code, message}: bad bodies, unknown routes, wrong methods, bugs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { RestError, shapeError } from "../../../src/connect/rest/errors.ts";
import { ConnectServiceError } from "../../../src/connect/service.ts";
import { createConnector, fixture, SOURCE_CONFIG } from "./app-fixture.ts";

test("malformed JSON: 400 Connect-shaped, saying what is wrong with it", async (t) => {
  const f = await fixture(t);
  const answer = await f.request("POST", "/connectors", '{"name": "a", "config": {', {
    "content-type": "application/json",
  });
  assert.equal(answer.status, 400);
  const body = answer.body as { error_code: number; message: string };
  assert.equal(body.error_code, 400);
  assert.match(body.message, /^Request body is not valid JSON: .*JSON/);
});

test("a __proto__ key is refused, so a config can never reach the service with a poisoned prototype", async (t) => {
  const f = await fixture(t);
  const answer = await f.request("POST", "/connectors", '{"name":"a","config":{"__proto__":{"x":1}}}', {
    "content-type": "application/json",
  });
  assert.equal(answer.status, 400);
  assert.match((answer.body as { message: string }).message, /__proto__/);
  assert.equal(f.service.calls.length, 0);
});

test("a body that is not JSON: 415 Connect-shaped naming the content type; no content type with a body too", async (t) => {
  const f = await fixture(t);
  const form = await f.request("POST", "/connectors", "name=a", {
    "content-type": "application/x-www-form-urlencoded",
  });
  assert.deepEqual(form.body, {
    error_code: 415,
    message: "Content-Type application/x-www-form-urlencoded is not supported: send application/json",
  });
  const text = await f.request("PUT", "/connectors/a/config", "connector.class=x", { "content-type": "text/plain" });
  assert.equal(text.status, 415);
  const none = await f.app.inject({ method: "POST", url: "/connectors", payload: Buffer.from("{}") });
  assert.equal(none.statusCode, 415);
  assert.equal(JSON.parse(none.body).error_code, 415);
});

test("a body over the limit: 413 Connect-shaped", async (t) => {
  const f = await fixture(t, { bodyLimit: 1024 });
  const config = { ...SOURCE_CONFIG, padding: "x".repeat(2000) };
  const answer = await f.request("POST", "/connectors", { name: "a", config });
  assert.deepEqual(answer.body, { error_code: 413, message: "Request body is larger than this server accepts" });
});

test("unknown route: 404 Connect-shaped naming method and path", async (t) => {
  const f = await fixture(t);
  const answer = await f.request("GET", "/connectors/a/b/c?x=1");
  assert.deepEqual(answer.body, {
    error_code: 404,
    message: "HTTP 404 Not Found: no resource at GET /connectors/a/b/c",
  });
  assert.equal((await f.request("GET", "/nothing")).status, 404);
});

test("wrong method on a known path: 405 Connect-shaped with Allow", async (t) => {
  const f = await fixture(t);
  const cases: [string, string, string][] = [
    ["POST", "/connectors/a/status", "GET"],
    ["GET", "/connectors/a/pause", "PUT"],
    ["PATCH", "/connectors/a", "DELETE, GET"],
    ["DELETE", "/connectors", "GET, POST"],
    ["POST", "/", "GET"],
  ];
  for (const [method, url, allow] of cases) {
    const answer = await f.request(method as "GET", url);
    assert.equal(answer.status, 405, `${method} ${url}`);
    assert.equal(answer.headers.allow, allow);
    const body = answer.body as { error_code: number; message: string };
    assert.equal(body.error_code, 405);
    assert.equal(body.message, `HTTP 405 Method Not Allowed: ${method} ${url} takes ${allow}`);
  }
});

test("a trailing slash is the same resource, as in Connect", async (t) => {
  const f = await fixture(t);
  await createConnector(f, "a");
  assert.deepEqual((await f.request("GET", "/connectors/")).body, ["a"]);
  assert.equal((await f.request("GET", "/connectors/a/status/")).status, 200);
});

test("a bug in the service: 500 with a generic message and the request id; the error is logged, not shown", async (t) => {
  const f = await fixture(t);
  f.service.failNext = new TypeError("cannot read properties of undefined (reading 'secret://password')");
  const answer = await f.request("GET", "/connectors");
  assert.equal(answer.status, 500);
  const body = answer.body as { error_code: number; message: string };
  assert.equal(body.error_code, 500);
  assert.match(body.message, /^Internal server error; the worker's log has the details under request id \S+$/);
  assert.doesNotMatch(answer.text, /secret|TypeError|at /);
  assert.equal(f.logged.length, 1);
  assert.match(f.logged[0]?.[0] ?? "", /^REST GET \/connectors \(\S+\) failed$/);
  assert.ok(f.logged[0]?.[1] instanceof TypeError);
});

test("an answer JSON cannot carry (a NaN): 500 Connect-shaped and logged, never a silent null", async (t) => {
  const f = await fixture(t);
  f.service.live.set("press", {
    source: "press",
    connector: "plant",
    worker_id: "worker-1:8083",
    health: "connected",
    tags: [
      { alias: "a", address: "RANDOM/A:INT", job: "j", code: "OK", quality: "GOOD", value: 1, sampledAt: Number.NaN },
    ],
  });
  const answer = await f.request("GET", "/sources/press/tags");
  assert.equal(answer.status, 500);
  assert.match((answer.body as { message: string }).message, /^Internal server error; .* request id \S+$/);
  assert.equal(f.logged.length, 1);
  assert.match(String(f.logged[0]?.[1]), /\$\.tags\[0\]\.sampledAt/);
});

test("service errors keep their status: rebalancing 409, unavailable 503", async (t) => {
  const f = await fixture(t);
  f.service.failNext = new ConnectServiceError("REBALANCING", "Cannot complete request momentarily due to a rebalance");
  const rebalancing = await f.request("PUT", "/connectors/a/config", SOURCE_CONFIG);
  assert.deepEqual(rebalancing.body, {
    error_code: 409,
    message: "Cannot complete request momentarily due to a rebalance",
  });
  f.service.failNext = new ConnectServiceError("UNAVAILABLE", "Kafka is not reachable");
  const unavailable = await f.request("GET", "/");
  assert.deepEqual(unavailable.body, { error_code: 503, message: "Kafka is not reachable" });
  assert.equal(f.logged.length, 0, "expected errors are not bugs");
});

test("a badly encoded URL: 400 Connect-shaped", async (t) => {
  const f = await fixture(t);
  const answer = await f.request("GET", "/connectors/%E0%A4%A");
  assert.equal(answer.status, 400);
  assert.equal((answer.body as { error_code: number }).error_code, 400);
});

test("shapeError: REST errors keep theirs; INVALID_CONFIG without problems keeps the service's message", () => {
  assert.deepEqual(shapeError(new RestError("CONFLICT", "busy"), "r1"), {
    status: 409,
    body: { error_code: 409, message: "busy" },
    unexpected: false,
  });
  const invalid = shapeError(new ConnectServiceError("INVALID_CONFIG", "config is empty"), "r1");
  assert.deepEqual(invalid.body, { error_code: 400, message: "config is empty" });
  const thrown = shapeError("a string", "r9");
  assert.equal(thrown.status, 500);
  assert.equal(thrown.unexpected, true);
  assert.match(thrown.body.message, /request id r9$/);
});

test("shapeError: INVALID_CONFIG lists each problem as the config layer words it (no path, a line)", () => {
  const problems = [
    { path: "", message: "the configuration is empty" },
    { path: "sources.press.url", message: "missing: a source needs a url", line: 3, column: 5 },
  ];
  const shaped = shapeError(new ConnectServiceError("INVALID_CONFIG", "invalid", problems), "r1");
  assert.equal(shaped.status, 400);
  assert.deepEqual(shaped.body.message.split("\n").slice(0, 3), [
    "Connector configuration is invalid and contains the following 2 error(s):",
    "the configuration is empty",
    "sources.press.url: missing: a source needs a url (line 3, column 5)",
  ]);
});
