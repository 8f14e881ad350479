// What `fabrik demo --fresh` removes: the demo's own topics, groups and buffer, and nothing of another service's.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { FILE_SIMULATOR_ADDRESSES, loadDemoConnector } from "../../src/demo/connector.ts";
import { demoFootprint } from "../../src/demo/fresh.ts";
import { readPipelineScript } from "../../src/demo/pipeline-script.ts";

const EXAMPLES = new URL("../../examples/demo-plant/", import.meta.url);

describe("demoFootprint", async () => {
  const connector = await loadDemoConnector(
    fileURLToPath(new URL("connect.yaml", EXAMPLES)),
    FILE_SIMULATOR_ADDRESSES,
    "/state/demo",
  );
  const pipeline = readPipelineScript(readFileSync(new URL("pipeline.sql", EXAMPLES), "utf8"), "pipeline.sql");
  const footprint = demoFootprint({ serviceId: "demo-plant", connectGroup: "demo-plant", connector, pipeline });
  const isTopic = (name: string) =>
    footprint.topics.includes(name) || footprint.topicPrefixes.some((p) => name.startsWith(p));
  const isGroup = (name: string) =>
    footprint.groups.includes(name) || footprint.groupPrefixes.some((p) => name.startsWith(p));

  it("covers the plant topics, the connect group's topics, the pipeline's topics and the SQL service's", () => {
    for (const topic of [
      "plant.press",
      "plant.environment",
      "fabrik-connect-demo-plant-configs",
      "fabrik-connect-demo-plant-offsets",
      "plant.machines",
      "plant.status",
      "MACHINE_STATS_1M",
      "plant.oee.shifts",
      "_fabrik-sql-demo-plant-commands",
      "_fabrik-sql-demo-plant-processing-log",
      "_fabrik-sql-demo-plant-query-CTAS_OEE_MINUTES_32-Aggregate-changelog",
    ]) {
      assert.ok(isTopic(topic), topic);
    }
    assert.ok(isGroup("fabrik-connect-demo-plant"));
    assert.ok(isGroup("_fabrik-sql-demo-plant-query-CTAS_MACHINE_STATS_1M_25"));
  });

  it("leaves other services, other connectors and other topics alone", () => {
    for (const topic of [
      "plant.other",
      "_fabrik-sql-default-commands",
      "_fabrik-sql-demo-plant-2-commands",
      "__consumer_offsets",
    ]) {
      assert.ok(!isTopic(topic), topic);
    }
    for (const group of ["fabrik-connect-plant", "_fabrik-sql-demo-plant-2-query-CSAS_X_1"])
      assert.ok(!isGroup(group), group);
  });

  it("removes the connector's buffer (its positions belong to the offsets topic removed with it)", () => {
    assert.deepEqual(footprint.dirs, [
      "/state/demo/.fabrik/buffer/demo-plant",
      "/state/demo/.fabrik/buffer/rejected/demo-plant",
    ]);
  });
});
