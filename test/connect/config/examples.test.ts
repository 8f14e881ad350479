// Loads every configuration in examples/connect/ and compares it with what it must mean, so the examples never rot.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadConnectorConfig } from "../../../src/connect/config/index.ts";

const EXAMPLES = join(import.meta.dirname, "../../../examples/connect");
const EXPECTED = join(import.meta.dirname, "examples");

describe("examples/connect", () => {
  const files = readdirSync(EXAMPLES).sort();

  it("holds the demo plant and both PLC4X examples, each with an expectation", () => {
    assert.deepEqual(files, ["plant.yaml", "plc4x-sink.properties", "plc4x-source.properties"]);
    assert.deepEqual(
      readdirSync(EXPECTED).sort(),
      files.map((file) => `${file}.expected.json`),
    );
  });

  for (const file of files) {
    it(file, async () => {
      const expected = JSON.parse(readFileSync(join(EXPECTED, `${file}.expected.json`), "utf8"));
      // A fixed base directory: relative buffer directories resolve against the file's, which differs per checkout.
      const loaded = await loadConnectorConfig(join(EXAMPLES, file), { baseDir: "/examples" });
      assert.deepEqual(JSON.parse(JSON.stringify(loaded)), expected);
    });
  }

  it("reads the sequence register of every machine in plant.yaml", async () => {
    const { config } = await loadConnectorConfig(join(EXAMPLES, "plant.yaml"));
    assert.deepEqual(
      config.sources.map((source) => [source.name, source.url]),
      [
        ["conveyor", "modbus-tcp://127.0.0.1:5020?unit-identifier=1"],
        ["energy", "modbus-tcp://127.0.0.1:5020?unit-identifier=2"],
      ],
    );
    for (const source of config.sources) {
      const tags = source.jobs.flatMap((job) => job.tags);
      assert.ok(
        tags.some((tag) => tag.alias === "sequence" && tag.address === "input-register:1:UDINT"),
        source.name,
      );
      assert.ok(source.jobs.every((job) => job.topic === "plant.{source}"));
    }
  });
});
