// connector-plugins: the list, and validate answering Connect's ConfigInfos built from the service's problems.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ConfigInfos } from "../../../../src/connect/rest/index.ts";
import { findPlugin } from "../../../../src/connect/rest/routes/plugins.ts";
import { fixture } from "../app-fixture.ts";
import { FakeConnectService, SINK_CLASS, SOURCE_CLASS } from "../fake-service.ts";

test("GET /connector-plugins lists class, type, version; connectorsOnly=false lists the same", async (t) => {
  const f = await fixture(t);
  const expected = [
    { class: SINK_CLASS, type: "sink", version: "0.1.0" },
    { class: SOURCE_CLASS, type: "source", version: "0.1.0" },
  ];
  assert.deepEqual((await f.request("GET", "/connector-plugins")).body, expected);
  assert.deepEqual((await f.request("GET", "/connector-plugins/?connectorsOnly=false")).body, expected);
});

test("findPlugin takes the class name, the simple name, or the alias without 'Connector'", () => {
  const plugins = new FakeConnectService().plugins();
  for (const name of [SOURCE_CLASS, "Plc4xSourceConnector", "Plc4xSource"]) {
    assert.equal(findPlugin(plugins, name)?.class, SOURCE_CLASS, name);
  }
  assert.equal(findPlugin(plugins, "Plc4xSinkConnector")?.class, SINK_CLASS);
  assert.equal(findPlugin(plugins, "FileStreamSource"), undefined);
});

test("PUT validate of a good config: error_count 0, every key with its value", async (t) => {
  const f = await fixture(t);
  const config = { "connector.class": SOURCE_CLASS, "tasks.max": 2 };
  const answer = await f.request("PUT", "/connector-plugins/Plc4xSourceConnector/config/validate", config);
  assert.equal(answer.status, 200);
  const infos = answer.body as ConfigInfos;
  assert.equal(infos.name, SOURCE_CLASS);
  assert.equal(infos.error_count, 0);
  assert.deepEqual(infos.groups, ["Common"]);
  assert.deepEqual(
    infos.configs.map((c) => c.value),
    [
      { name: "connector.class", value: SOURCE_CLASS, recommended_values: [], errors: [], visible: true },
      { name: "tasks.max", value: "2", recommended_values: [], errors: [], visible: true },
    ],
  );
  assert.deepEqual(
    infos.configs.map((c) => [c.definition.name, c.definition.type, c.definition.order]),
    [
      ["connector.class", "STRING", 1],
      ["tasks.max", "LONG", 2],
    ],
  );
});

test("PUT validate of a bad config: errors on the keys their paths belong to, missing keys added", async (t) => {
  const f = await fixture(t);
  const config = { "tasks.max": "0", sources: { press: { jobs: [] } }, "sources.machineA.connectionString": "bad" };
  const answer = await f.request("PUT", "/connector-plugins/Plc4xSource/config/validate", config);
  const infos = answer.body as ConfigInfos;
  assert.equal(infos.error_count, 4);
  const errors = Object.fromEntries(infos.configs.map((c) => [c.value.name, c.value.errors]));
  assert.deepEqual(errors, {
    "tasks.max": ["must be a positive integer"],
    sources: ["sources.press.url: is required"],
    "sources.machineA.connectionString": ["is bad"],
    "connector.class": ["is required"],
  });
  const sources = infos.configs.find((c) => c.value.name === "sources");
  assert.equal(sources?.value.value, '{"press":{"jobs":[]}}', "nested values are shown as their JSON");
  const missing = infos.configs.find((c) => c.value.name === "connector.class");
  assert.equal(missing?.value.value, null);
  assert.equal(missing?.definition.required, true);
});

test("PUT validate: 404 for an unknown plugin, 400 when connector.class disagrees with the path", async (t) => {
  const f = await fixture(t);
  const unknown = await f.request("PUT", "/connector-plugins/FileStreamSource/config/validate", {});
  assert.equal(unknown.status, 404);
  assert.match((unknown.body as { message: string }).message, /Unknown connector plugin FileStreamSource.*Plc4xSink/);
  const mismatch = await f.request("PUT", "/connector-plugins/Plc4xSource/config/validate", {
    "connector.class": SINK_CLASS,
  });
  assert.deepEqual(mismatch.body, {
    error_code: 400,
    message: `Included connector type ${SINK_CLASS} does not match request type Plc4xSource`,
  });
  const notObject = await f.request("PUT", "/connector-plugins/Plc4xSource/config/validate", "[]", {
    "content-type": "application/json",
  });
  assert.equal(notObject.status, 400);
  assert.equal(f.service.calls.filter((c) => c[0] === "validate").length, 0);
});
