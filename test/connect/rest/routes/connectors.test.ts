// Connector resources: list and expand, create, read, configure, delete — success and Connect-shaped errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createConnector, fixture, SOURCE_CONFIG } from "../app-fixture.ts";
import { SINK_CLASS, SOURCE_CLASS } from "../fake-service.ts";

test("GET /connectors lists names; empty at first", async (t) => {
  const f = await fixture(t);
  assert.deepEqual((await f.request("GET", "/connectors")).body, []);
  await createConnector(f, "b");
  await createConnector(f, "a");
  const answer = await f.request("GET", "/connectors");
  assert.equal(answer.status, 200);
  assert.match(String(answer.headers["content-type"]), /^application\/json/);
  assert.deepEqual(answer.body, ["a", "b"]);
});

test("GET /connectors?expand=status and expand=info give {name: {status, info}} as Connect does", async (t) => {
  const f = await fixture(t);
  await createConnector(f, "press");
  const status = await f.request("GET", "/connectors?expand=status");
  assert.deepEqual(status.body, {
    press: {
      status: {
        name: "press",
        connector: { state: "RUNNING", worker_id: "worker-1:8083" },
        tasks: [{ id: 0, state: "RUNNING", worker_id: "worker-1:8083" }],
        type: "source",
      },
    },
  });
  const info = await f.request("GET", "/connectors?expand=info");
  assert.deepEqual(info.body, {
    press: { info: { name: "press", config: SOURCE_CONFIG, tasks: [{ connector: "press", task: 0 }], type: "source" } },
  });
  const both = await f.request("GET", "/connectors?expand=status&expand=info");
  const entry = (both.body as Record<string, Record<string, unknown>>).press;
  assert.deepEqual(Object.keys(entry ?? {}).sort(), ["info", "status"]);
  const unknown = await f.request("GET", "/connectors?expand=nonsense");
  assert.deepEqual(unknown.body, { press: {} }, "unknown expansions are ignored, as Connect does");
});

test("POST /connectors creates: 201, Location, ConnectorInfo; the service gets name and config", async (t) => {
  const f = await fixture(t);
  const answer = await f.request("POST", "/connectors", { name: "  press ", config: SOURCE_CONFIG });
  assert.equal(answer.status, 201);
  assert.equal(answer.headers.location, "/connectors/press");
  assert.deepEqual(answer.body, {
    name: "press",
    config: SOURCE_CONFIG,
    tasks: [{ connector: "press", task: 0 }],
    type: "source",
  });
  assert.deepEqual(
    f.service.calls.find((c) => c[0] === "create"),
    ["create", "press", SOURCE_CONFIG],
    "the name is trimmed as Connect trims it",
  );
});

test("POST /connectors accepts Fabrik's nested config with numbers, booleans and lists", async (t) => {
  const f = await fixture(t);
  const config = {
    "connector.class": SOURCE_CLASS,
    sources: { press: { url: "s7://10.0.0.1", jobs: [{ interval: 500, enabled: true }] } },
  };
  const answer = await f.request("POST", "/connectors", { name: "nested", config });
  assert.equal(answer.status, 201);
  assert.deepEqual((answer.body as { config: unknown }).config, config);
});

test("POST /connectors: 409 when it exists, Connect-shaped", async (t) => {
  const f = await fixture(t);
  await createConnector(f, "press");
  const answer = await f.request("POST", "/connectors", { name: "press", config: SOURCE_CONFIG });
  assert.equal(answer.status, 409);
  assert.deepEqual(answer.body, { error_code: 409, message: "Connector press already exists" });
});

test("POST /connectors: 400 listing every config problem, one per line as path: message", async (t) => {
  const f = await fixture(t);
  const config = { "tasks.max": "zero", sources: { press: {} } };
  const answer = await f.request("POST", "/connectors", { name: "press", config });
  assert.equal(answer.status, 400);
  const body = answer.body as { error_code: number; message: string };
  assert.equal(body.error_code, 400);
  const lines = body.message.split("\n");
  assert.match(lines[0] ?? "", /contains the following 3 error\(s\)/);
  assert.deepEqual(lines.slice(1, 4), [
    "connector.class: is required",
    "tasks.max: must be a positive integer",
    "sources.press.url: is required",
  ]);
});

test("POST /connectors: 400 on missing name or config, config not an object, body not an object", async (t) => {
  const f = await fixture(t);
  const cases: [unknown, RegExp][] = [
    [{ config: SOURCE_CONFIG }, /name/],
    [{ name: "x" }, /config/],
    [{ name: "x", config: "connector.class=foo" }, /config must be object/],
    [{ name: "x", config: ["a"] }, /config must be object/],
    [["x"], /body must be object/],
    [{ name: "   ", config: SOURCE_CONFIG }, /name is empty/],
    [{ name: "a\u0007b", config: SOURCE_CONFIG }, /control characters/],
  ];
  for (const [payload, message] of cases) {
    const answer = await f.request("POST", "/connectors", payload);
    assert.equal(answer.status, 400, JSON.stringify(payload));
    const body = answer.body as { error_code: number; message: string };
    assert.equal(body.error_code, 400);
    assert.match(body.message, message, JSON.stringify(payload));
  }
  const empty = await f.request("POST", "/connectors", "", { "content-type": "application/json" });
  assert.equal(empty.status, 400);
  assert.match((empty.body as { message: string }).message, /body must be object/);
  assert.equal(f.service.calls.filter((c) => c[0] === "create").length, 0, "nothing reached the service");
});

test("POST /connectors: a name inside config that differs from the body's is a 400, as Connect does", async (t) => {
  const f = await fixture(t);
  const answer = await f.request("POST", "/connectors", { name: "a", config: { ...SOURCE_CONFIG, name: "b" } });
  assert.equal(answer.status, 400);
  assert.match((answer.body as { message: string }).message, /\(b\) doesn't match connector name .*\(a\)/);
  const same = await f.request("POST", "/connectors", { name: "a", config: { ...SOURCE_CONFIG, name: "a" } });
  assert.equal(same.status, 201);
});

test("GET /connectors/{name} and /config; 404 Connect-shaped for an unknown one", async (t) => {
  const f = await fixture(t);
  await createConnector(f, "press");
  const info = await f.request("GET", "/connectors/press");
  assert.equal(info.status, 200);
  assert.equal((info.body as { name: string }).name, "press");
  const config = await f.request("GET", "/connectors/press/config");
  assert.deepEqual(config.body, SOURCE_CONFIG);
  for (const url of ["/connectors/nope", "/connectors/nope/config"]) {
    const missing = await f.request("GET", url);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { error_code: 404, message: "Connector nope not found" });
  }
});

test("names with spaces and slashes round-trip through URL encoding", async (t) => {
  const f = await fixture(t);
  await createConnector(f, "line 1/press");
  const info = await f.request("GET", `/connectors/${encodeURIComponent("line 1/press")}`);
  assert.equal(info.status, 200);
  assert.equal((info.body as { name: string }).name, "line 1/press");
});

test("PUT /connectors/{name}/config: 201 when created, 200 when replaced, ConnectorInfo both times", async (t) => {
  const f = await fixture(t);
  const created = await f.request("PUT", "/connectors/press/config", SOURCE_CONFIG);
  assert.equal(created.status, 201);
  assert.equal(created.headers.location, "/connectors/press");
  assert.equal((created.body as { name: string }).name, "press");
  const sink = { "connector.class": SINK_CLASS, topics: "plant" };
  const replaced = await f.request("PUT", "/connectors/press/config", sink);
  assert.equal(replaced.status, 200);
  assert.deepEqual(replaced.body, {
    name: "press",
    config: sink,
    tasks: [{ connector: "press", task: 0 }],
    type: "sink",
  });
});

test("PUT /connectors/{name}/config: 400 for a mismatched name, an invalid config, a non-object body", async (t) => {
  const f = await fixture(t);
  const mismatch = await f.request("PUT", "/connectors/press/config", { ...SOURCE_CONFIG, name: "other" });
  assert.equal(mismatch.status, 400);
  assert.match((mismatch.body as { message: string }).message, /\(other\) doesn't match connector name in the URL/);
  const invalid = await f.request("PUT", "/connectors/press/config", { "connector.class": "nope" });
  assert.equal(invalid.status, 400);
  assert.match((invalid.body as { message: string }).message, /^connector\.class: unknown class nope$/m);
  const list = await f.request("PUT", "/connectors/press/config", [1, 2]);
  assert.deepEqual(list.body, { error_code: 400, message: "Invalid request: body must be object" });
});

test("DELETE /connectors/{name}: 204 without a body, then 404", async (t) => {
  const f = await fixture(t);
  await createConnector(f, "press");
  const deleted = await f.request("DELETE", "/connectors/press");
  assert.equal(deleted.status, 204);
  assert.equal(deleted.text, "");
  assert.deepEqual((await f.request("GET", "/connectors")).body, []);
  const again = await f.request("DELETE", "/connectors/press");
  assert.deepEqual(again.body, { error_code: 404, message: "Connector press not found" });
});
