// The plant as connectors describe it: the `plant` event's shape, units and descriptions, secrets left out, and the
// index that tells which job or tag a record of a topic belongs to.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildCatalog, findJob } from "../../src/server/plant-catalog.ts";
import { PLANT_CONFIG } from "./plant-service.ts";

test("the plant lists each source with its protocol, URL (passwords redacted), jobs and tags (unit and description when given)", () => {
  const catalog = buildCatalog([{ name: "line1", config: PLANT_CONFIG }]);
  assert.deepEqual(catalog.plant, {
    sources: [
      {
        connector: "line1",
        source: "press",
        protocol: "simulated",
        url: "simulated://operator:****@press?seed=3",
        jobs: [
          {
            name: "status",
            topic: "plant.press",
            format: "job",
            intervalMs: 1000,
            tags: [
              { alias: "pressure", address: "RANDOM/pressure:REAL", unit: "bar", description: "Hydraulic pressure" },
              { alias: "state", address: "RANDOM/state:INT" },
              { alias: "program", address: "STATE/program:STRING" },
            ],
          },
        ],
      },
      {
        connector: "line1",
        source: "oven",
        protocol: "simulated",
        url: "simulated://oven",
        jobs: [
          {
            name: "temps",
            topic: "plant.oven.{tag}",
            format: "tag",
            intervalMs: 500,
            tags: [
              { alias: "zone1", address: "RANDOM/zone1:REAL" },
              { alias: "zone2", address: "RANDOM/zone2:REAL" },
            ],
          },
        ],
      },
    ],
  });
  assert.deepEqual([...catalog.topics.keys()], ["plant.press", "plant.oven.zone1", "plant.oven.zone2"]);
  assert.equal(catalog.topics.get("plant.press")!.jobs.get("press\u0000status")!.task, 0);
  assert.equal(catalog.topics.get("plant.oven.zone2")!.tagKeys.get("oven/zone2")!.tag, "zone2");
  assert.equal(findJob(catalog, "line1", "oven", "temps")!.task, 1);
  assert.equal(findJob(catalog, "line1", "oven", "status"), undefined);
});

test("a connector whose configuration does not validate is left out and named; equal catalogs fingerprint equal", () => {
  const broken = { name: "bad", sources: { x: { url: "nope://", jobs: [] } } };
  const catalog = buildCatalog([
    { name: "line1", config: PLANT_CONFIG },
    { name: "bad", config: broken },
  ]);
  assert.equal(catalog.plant.sources.length, 2);
  assert.equal(catalog.unreadable.length, 1);
  assert.match(catalog.unreadable[0]!, /^bad: \d+ problem\(s\)/);
  assert.equal(catalog.fingerprint, buildCatalog([{ name: "line1", config: PLANT_CONFIG }]).fingerprint);
  assert.notEqual(catalog.fingerprint, buildCatalog([]).fingerprint);
});
