// The demo's connector file against the simulator it reads: every machine, every address, pointed where the demo runs.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { FILE_SIMULATOR_ADDRESS, loadDemoConnector, pointAtSimulator } from "../../src/demo/connector.ts";
import { DemoError } from "../../src/demo/errors.ts";
import { describeSimulator } from "../../src/sim/describe.ts";
import { Plant } from "../../src/sim/model/index.ts";

const FILE = fileURLToPath(new URL("../../examples/demo-plant/connect.yaml", import.meta.url));

describe("examples/demo-plant/connect.yaml", () => {
  it("reads every machine of the simulator, each on its unit, every tag at the address of its signal", async () => {
    const connector = await loadDemoConnector(FILE, FILE_SIMULATOR_ADDRESS, tmpdir());
    const plant = new Plant({ seed: 1, startTime: Date.UTC(2026, 10, 24, 10) });
    const [host, port] = FILE_SIMULATOR_ADDRESS.split(":");
    const machines = describeSimulator(plant.describe(), { modbus: { host: host!, port: Number(port) } }).machines;
    assert.equal(connector.config.sources.length, machines.length);
    for (const machine of machines) {
      const face = machine.faces[0]!;
      const source = connector.config.sources.find((s) => s.url === face.url);
      assert.ok(source, `a source reads ${machine.name} at ${face.url}`);
      const [job] = source.jobs;
      assert.equal(source.jobs.length, 1);
      assert.equal(job!.name, "status");
      assert.deepEqual(job!.sampling, { kind: "poll", intervalMs: 1000 });
      for (const tag of job!.tags) {
        const signal = face.tags.find((t) => t.address === tag.address);
        assert.equal(signal?.signal, tag.alias, `${source.name}.${tag.alias} reads ${tag.address}`);
      }
      for (const needed of ["sequence", "state", "stopReason"]) {
        assert.ok(
          job!.tags.some((t) => t.alias === needed),
          `${source.name} reads ${needed}`,
        );
      }
    }
  });

  it("writes one topic per machine, plant.{source}, in the job-record format", async () => {
    const connector = await loadDemoConnector(FILE, FILE_SIMULATOR_ADDRESS, tmpdir());
    assert.equal(connector.name, "demo-plant");
    assert.deepEqual(
      connector.topics,
      connector.config.sources.map((s) => `plant.${s.name}`),
    );
    for (const source of connector.config.sources) assert.equal(source.jobs[0]!.format, "job");
  });

  it("points every source at the simulator where the demo runs it, and keeps its buffer in the demo's folder", async () => {
    const connector = await loadDemoConnector(FILE, "127.0.0.1:40123", "/var/demo-state");
    for (const source of connector.config.sources)
      assert.match(source.url, /^modbus-tcp:\/\/127\.0\.0\.1:40123\?unit-identifier=[1-7]$/);
    assert.equal(connector.config.delivery.buffer.dir, "/var/demo-state/.fabrik/buffer");
  });
});

describe("pointAtSimulator", () => {
  it("changes URLs on the simulator's default address only, whole authority only", () => {
    const document = {
      name: "x",
      sources: {
        a: { url: "modbus-tcp://127.0.0.1:5020?unit-identifier=1" },
        b: { url: "modbus-tcp://127.0.0.1:50200?unit-identifier=1" },
        c: { url: "s7://10.0.0.5" },
      },
      sinks: { d: { url: "modbus-tcp://127.0.0.1:5020" } },
    };
    const pointed = pointAtSimulator(document, "127.0.0.1:9999") as typeof document;
    assert.equal(pointed.sources.a.url, "modbus-tcp://127.0.0.1:9999?unit-identifier=1");
    assert.equal(pointed.sources.b.url, "modbus-tcp://127.0.0.1:50200?unit-identifier=1");
    assert.equal(pointed.sources.c.url, "s7://10.0.0.5");
    assert.equal(pointed.sinks.d.url, "modbus-tcp://127.0.0.1:9999");
    assert.equal(
      document.sources.a.url,
      "modbus-tcp://127.0.0.1:5020?unit-identifier=1",
      "the input is left as it was",
    );
  });
});

describe("loadDemoConnector", () => {
  it("lists every problem of a connector file that cannot run", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fabrik-demo-connector-"));
    try {
      const path = join(dir, "bad.yaml");
      await writeFile(
        path,
        "name: bad\nsources:\n  m:\n    url: modbus-tcp://127.0.0.1:5020?unit-identifier=999\n    jobs:\n      - name: j\n        intervall: 1s\n        tags: { a: input-register:1:UDINT }\n",
      );
      await assert.rejects(
        loadDemoConnector(path, FILE_SIMULATOR_ADDRESS, dir),
        (error: unknown) =>
          error instanceof DemoError &&
          error.code === "DEMO_CONNECTOR_INVALID" &&
          error.where === path &&
          error.message.includes("2 problem(s)") &&
          error.message.includes("unit-identifier") &&
          error.message.includes("did you mean 'interval'"),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
