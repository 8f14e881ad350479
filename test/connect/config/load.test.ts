// Tests the loading API: file types, shape detection (Fabrik, Kafka Connect body, flat map), options and redaction.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  ConfigError,
  checkConnectorConfig,
  loadConnectorConfig,
  parseConnectorConfig,
  validateConnectorConfig,
} from "../../../src/connect/config/index.ts";
import { createSimulatedDriver, DriverRegistry } from "../../../src/plc/index.ts";

const CASES = join(import.meta.dirname, "cases");

const fabrik = {
  name: "plant",
  sources: {
    meter: {
      url: "modbus-tcp://127.0.0.1:5020?unit-identifier=2",
      jobs: [{ name: "power", interval: "2s", tags: { kw: "input-register:31:REAL" } }],
    },
  },
};

const flat = {
  "connector.class": "org.apache.plc4x.kafka.Plc4xSourceConnector",
  "default.topic": "machine",
  sources: "m",
  "sources.m.connectionString": "simulated://127.0.0.1",
  "sources.m.jobReferences": "j",
  jobs: "j",
  "jobs.j.tags": "a",
  "jobs.j.tags.a": "RANDOM/A:INT",
};

function problemsOf(document: unknown, options = {}): string[] {
  const check = checkConnectorConfig(document, options);
  assert.ok(!check.ok, "expected problems");
  return check.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

describe("loadConnectorConfig", () => {
  it("refuses a file whose extension names no format", async () => {
    await assert.rejects(loadConnectorConfig("plant.conf"), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.message, "cannot tell the format of 'plant.conf': name it .yaml, .yml, .json or .properties");
      return true;
    });
  });

  it("passes a missing file's error through", async () => {
    await assert.rejects(loadConnectorConfig(join(CASES, "no-such.yaml")), { code: "ENOENT" });
  });

  it("resolves a relative buffer dir against the file's directory", async () => {
    const { config } = await loadConnectorConfig(join(CASES, "fabrik-full", "config.yaml"));
    assert.equal(config.delivery.buffer.dir, join(CASES, "fabrik-full", "buffer"));
  });

  it("never shows a URL's password, in any golden case", async () => {
    await assert.rejects(loadConnectorConfig(join(CASES, "url-password-redacted", "config.yaml")), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.doesNotMatch(error.message, /hunter2/);
      assert.match(error.message, /admin:\*\*\*\*@/);
      assert.match(error.message, /password=\*\*\*\*/);
      return true;
    });
    for (const name of readdirSync(CASES)) {
      assert.doesNotMatch(readFileSync(join(CASES, name, "expected.json"), "utf8"), /hunter2/, name);
    }
  });
});

describe("parseConnectorConfig", () => {
  it("reads each format from text", () => {
    assert.equal(parseConnectorConfig(JSON.stringify(fabrik), "json").config.name, "plant");
    assert.equal(
      parseConnectorConfig(
        "name: x\nsources:\n  s:\n    url: simulated://h\n    jobs: [{name: j, tags: {a: 'STATE/A:INT'}}]\n",
        "yaml",
      ).config.name,
      "x",
    );
    const properties = Object.entries({ name: "p", ...flat })
      .map(([key, value]) => `${key}=${value}`)
      .join("\n");
    const loaded = parseConnectorConfig(properties, "properties");
    assert.equal(loaded.shape, "plc4x");
    assert.equal(loaded.config.sources[0]?.jobs[0]?.topic, "machine");
  });

  it("reports the problems of a properties file together with its syntax problems", () => {
    assert.throws(
      () => parseConnectorConfig("name=p\nbad\\u00=x\nsources=m\n", "properties"),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems.map((problem) => [problem.path, problem.line]),
          [
            ["", 2],
            ["sources.m.connectionString", 3],
            ["sources.m.jobReferences", 3],
          ],
        );
        return true;
      },
    );
  });
});

describe("validateConnectorConfig", () => {
  it("reads Fabrik's shape, applying every default", () => {
    const { config, shape, notes } = validateConnectorConfig(fabrik);
    assert.equal(shape, "fabrik");
    assert.deepEqual(notes, []);
    assert.deepEqual(config.sources[0]?.jobs[0], {
      name: "power",
      tags: [{ alias: "kw", address: "input-register:31:REAL" }],
      sampling: { kind: "poll", intervalMs: 2000 },
      topic: "plant.{source}.{job}",
      format: "job",
    });
  });

  it("reads a flat PLC4X map, its name from the options (PUT /connectors/{name}/config)", () => {
    const { config, shape } = validateConnectorConfig(flat, { name: "from-path" });
    assert.equal(shape, "plc4x");
    assert.equal(config.name, "from-path");
  });

  it("reads a Kafka Connect body wrapping either shape", () => {
    const body = validateConnectorConfig({ name: "body", config: flat });
    assert.equal(body.config.name, "body");
    const { name: _, ...unnamed } = fabrik;
    assert.equal(validateConnectorConfig({ name: "wrapped", config: unnamed }).config.name, "wrapped");
  });

  it("notes the tasks and type of a pasted GET /connectors/{name} answer", () => {
    const { notes } = validateConnectorConfig({ name: "got", config: flat, tasks: [], type: "source" });
    assert.ok(notes.includes("tasks and type are Kafka Connect's answer, not configuration: ignored"));
  });

  it("throws ConfigError with every problem", () => {
    assert.throws(
      () => validateConnectorConfig({ sources: { s: { jobs: [] } } }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.problems.map((problem) => problem.path).sort(), [
          "name",
          "sources.s.jobs",
          "sources.s.url",
        ]);
        return true;
      },
    );
  });

  it("judges URLs and addresses with the registry it is given", () => {
    const registry = new DriverRegistry([createSimulatedDriver()]);
    assert.deepEqual(problemsOf(fabrik, { registry }), [
      "sources.meter.url: modbus-tcp://127.0.0.1:5020?unit-identifier=2: unknown protocol 'modbus-tcp'; known protocols: simulated",
    ]);
  });
});

describe("checkConnectorConfig", () => {
  it("refuses empty documents and documents that are not mappings", () => {
    assert.deepEqual(problemsOf(null), [": the configuration is empty"]);
    assert.deepEqual(problemsOf(["a"]), [": expected a mapping of settings, found a list"]);
    assert.deepEqual(problemsOf("name: x"), [": expected a mapping of settings, found 'name: x'"]);
  });

  it("refuses a configuration with nothing to run", () => {
    assert.deepEqual(problemsOf({ name: "idle" }), [": nothing to run: the configuration has no sources and no sinks"]);
  });

  it("reports an unknown key with a suggestion, at the top and deep down", () => {
    assert.deepEqual(problemsOf({ ...fabrik, sorces: {} }), ["sorces: unknown key 'sorces'; did you mean 'sources'?"]);
    const job = { name: "j", interval: "1s", tag: { a: "STATE/A:INT" } };
    assert.deepEqual(problemsOf({ name: "x", sources: { s: { url: "simulated://h", jobs: [job] } } }), [
      "sources.s.jobs[0].tag: unknown key 'tag'; did you mean 'tags'?",
      "sources.s.jobs[0].tags: a job needs at least one tag to read",
    ]);
  });

  it("reports values of the wrong shape", () => {
    assert.deepEqual(problemsOf({ name: "x", sources: { s: { url: "simulated://h", jobs: { j: {} } } } }), [
      "sources.s.jobs: expected a list of jobs, found a mapping",
      "sources.s.jobs: a source needs at least one job",
    ]);
    assert.deepEqual(problemsOf({ name: "x", sources: [] }), [
      "sources: expected a mapping of names, found a list",
      ": nothing to run: the configuration has no sources and no sinks",
    ]);
  });

  it("takes reportByException: false as off, and a deadband given as a string of digits", () => {
    const job = (reportByException: unknown) => ({
      name: "x",
      sources: { s: { url: "simulated://h", jobs: [{ name: "j", reportByException, tags: { a: "STATE/A:INT" } }] } },
    });
    const off = checkConnectorConfig(job(false));
    assert.ok(off.ok);
    assert.equal(off.config.sources[0]?.jobs[0]?.reportByException, undefined);
    const digits = checkConnectorConfig(job({ deadband: "0.25" }));
    assert.ok(digits.ok);
    assert.deepEqual(digits.config.sources[0]?.jobs[0]?.reportByException, {
      deadband: { kind: "absolute", value: 0.25 },
    });
    assert.deepEqual(problemsOf(job({ deadband: -1 })), [
      "sources.s.jobs[0].reportByException.deadband: expected a deadband: a number >= 0 in the tag's unit or a percentage like '2%', found -1",
    ]);
  });
});

describe("shape detection", () => {
  it("takes a nested document with a slip for Fabrik's, and one naming a connector class for PLC4X's", () => {
    const slip = {
      name: "x",
      sources: "press",
      sinks: { k: { url: "simulated://h", topic: "t", tags: { a: "STATE/A:INT" } } },
    };
    assert.deepEqual(problemsOf(slip), ["sources: expected a mapping of names, found 'press'"]);
    assert.deepEqual(problemsOf({ ...flat, name: "n", "jobs.j.interval": { ms: 5 } }), [
      "jobs.j.interval: expected a string, found a mapping",
    ]);
  });

  it("takes a flat document of scalars with dotted keys for PLC4X's, even without a connector class", () => {
    const { "connector.class": _, ...classless } = flat;
    assert.equal(validateConnectorConfig(classless, { name: "n" }).shape, "plc4x");
  });
});
