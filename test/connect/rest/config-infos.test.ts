// Mapping config problems to Connect's ConfigInfos: which key a problem path belongs to, and how values are shown.
import assert from "node:assert/strict";
import { test } from "node:test";
import { configInfos, configKeyOf } from "../../../src/connect/rest/config-infos.ts";

test("configKeyOf: exact key, longest covering flat key, nested top-level key, or the path itself", () => {
  const flat = ["sources", "sources.machineA", "sources.machineA.connectionString", "jobs.fast.interval"];
  assert.equal(configKeyOf("sources.machineA.connectionString", flat), "sources.machineA.connectionString");
  assert.equal(configKeyOf("sources.machineA.jobReferences", flat), "sources.machineA");
  assert.equal(configKeyOf("jobs.fast.interval", flat), "jobs.fast.interval");
  const nested = ["name", "sources", "delivery"];
  assert.equal(configKeyOf("sources.press.jobs[1].tags.temp", nested), "sources");
  assert.equal(configKeyOf("delivery.buffer.maxBytes", nested), "delivery");
  assert.equal(configKeyOf("sinks[0].url", nested), "sinks[0].url", "nothing covers it: the path names the gap");
  assert.equal(configKeyOf("sourcesX.a", nested), "sourcesX.a", "a key covers a path only up to a separator");
  assert.equal(configKeyOf("names", nested), "names");
});

test("configInfos: several problems on one key are all listed; counts every problem", () => {
  const infos = configInfos("c.Plugin", { sources: { a: 1 }, enabled: true, ratio: 0.5, list: ["x"], empty: null }, [
    { path: "sources.a", message: "must be an object" },
    { path: "sources.b.url", message: "is required" },
    { path: "sources", message: "needs two" },
  ]);
  assert.equal(infos.error_count, 3);
  const sources = infos.configs.find((c) => c.value.name === "sources");
  assert.deepEqual(sources?.value.errors, ["sources.a: must be an object", "sources.b.url: is required", "needs two"]);
  const shown = Object.fromEntries(infos.configs.map((c) => [c.value.name, [c.definition.type, c.value.value]]));
  assert.deepEqual(shown, {
    sources: ["STRING", '{"a":1}'],
    enabled: ["BOOLEAN", "true"],
    ratio: ["DOUBLE", "0.5"],
    list: ["LIST", '["x"]'],
    empty: ["STRING", null],
  });
});
