// The demo's connector file against the simulator it reads: every machine, every address, pointed where the demo runs.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { FILE_SIMULATOR_ADDRESSES, loadDemoConnector, pointAtSimulator } from "../../src/demo/connector.ts";
import { DemoError } from "../../src/demo/errors.ts";
import { describeSimulator } from "../../src/sim/describe.ts";
import { Plant } from "../../src/sim/model/index.ts";

const FILE = fileURLToPath(new URL("../../examples/demo-plant/connect.yaml", import.meta.url));

describe("examples/demo-plant/connect.yaml", () => {
  it("reads every machine of the simulator, the press on S7 and the others on their Modbus unit, every tag at the address of its signal", async () => {
    const connector = await loadDemoConnector(FILE, FILE_SIMULATOR_ADDRESSES, tmpdir());
    const plant = new Plant({ seed: 1, startTime: Date.UTC(2026, 10, 24, 10) });
    const endpoint = (address: string) => {
      const [host, port] = address.split(":");
      return { host: host!, port: Number(port) };
    };
    const machines = describeSimulator(plant.describe(), {
      modbus: endpoint(FILE_SIMULATOR_ADDRESSES.modbus),
      s7: endpoint(FILE_SIMULATOR_ADDRESSES.s7),
    }).machines;
    assert.equal(connector.config.sources.length, machines.length);
    const protocols = new Set<string>();
    for (const machine of machines) {
      // A Modbus face has a URL of its own (the unit id); the S7 face is one CPU for all, the machine's own DB in it.
      const faces = [...machine.faces, ...(machine.s7 === undefined ? [] : [machine.s7])];
      const readsFace = (s: (typeof connector.config.sources)[number], face: (typeof faces)[number]) =>
        face.url === s.url && s.jobs.every((j) => j.tags.every((t) => face.tags.some((f) => f.address === t.address)));
      const source = connector.config.sources.find((s) => faces.some((face) => readsFace(s, face)));
      assert.ok(source, `a source reads ${machine.name} at one of ${faces.map((f) => f.url).join(", ")}`);
      const face = faces.find((f) => readsFace(source, f))!;
      protocols.add(face.protocol);
      const [job] = source.jobs;
      assert.equal(source.jobs.length, 1);
      assert.equal(job!.name, "status");
      assert.deepEqual(job!.sampling, { kind: "poll", intervalMs: 1000 });
      for (const tag of job!.tags) {
        const signal = face.tags.find((t) => t.address === tag.address);
        assert.equal(signal?.signal, tag.alias, `${source.name}.${tag.alias} reads ${tag.address}`);
        assert.equal(tag.unit ?? "", signal?.unit, `${source.name}.${tag.alias} has its signal's unit`);
      }
      for (const needed of ["sequence", "state", "stopReason"]) {
        assert.ok(
          job!.tags.some((t) => t.alias === needed),
          `${source.name} reads ${needed}`,
        );
      }
    }
    assert.equal(connector.config.sources.find((s) => s.name === "press")?.url, machines[0]!.s7?.url);
    assert.deepEqual([...protocols].sort(), ["modbus-tcp", "s7"], "the plant is read over two protocols");
  });

  it("writes one topic per machine, plant.{source}, in the job-record format", async () => {
    const connector = await loadDemoConnector(FILE, FILE_SIMULATOR_ADDRESSES, tmpdir());
    assert.equal(connector.name, "demo-plant");
    assert.deepEqual(
      connector.topics,
      connector.config.sources.map((s) => `plant.${s.name}`),
    );
    for (const source of connector.config.sources) assert.equal(source.jobs[0]!.format, "job");
  });

  it("points every source at the simulator where the demo runs it, and keeps its buffer in the demo's folder", async () => {
    const running = { modbus: "127.0.0.1:40123", s7: "127.0.0.1:40124" };
    const connector = await loadDemoConnector(FILE, running, "/var/demo-state");
    for (const source of connector.config.sources) {
      if (source.name === "press") assert.match(source.url, /^s7:\/\/127\.0\.0\.1:40124\?/);
      else assert.match(source.url, /^modbus-tcp:\/\/127\.0\.0\.1:40123\?unit-identifier=[1-7]$/);
    }
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
        e: { url: "s7://127.0.0.1:1102?remote-slot=1" },
      },
      sinks: { d: { url: "modbus-tcp://127.0.0.1:5020" } },
    };
    const pointed = pointAtSimulator(document, { modbus: "127.0.0.1:9999", s7: "127.0.0.1:9102" }) as typeof document;
    assert.equal(pointed.sources.a.url, "modbus-tcp://127.0.0.1:9999?unit-identifier=1");
    assert.equal(pointed.sources.b.url, "modbus-tcp://127.0.0.1:50200?unit-identifier=1");
    assert.equal(pointed.sources.c.url, "s7://10.0.0.5");
    assert.equal(pointed.sources.e.url, "s7://127.0.0.1:9102?remote-slot=1");
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
        loadDemoConnector(path, FILE_SIMULATOR_ADDRESSES, dir),
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
