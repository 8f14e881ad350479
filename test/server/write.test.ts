// Writes from the UI: which tags the plant marks writable (a sink's allow-list on the same device, alias and address),
// POST /api/write producing one job record for the sink and logging it, and everything it refuses (404, 400, auth,
// CSRF, Kafka away). The Kafka producer is replaced: no broker is reached.
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { ConnectMetrics } from "../../src/connect/rest/metrics.ts";
import type { RawConnectorConfig } from "../../src/connect/service.ts";
import type { FabrikAppOptions, Published, WritePublisher, WriteRecord } from "../../src/server/index.ts";
import { buildCatalog } from "../../src/server/plant-catalog.ts";
import { serverApp } from "./fixture.ts";
import { PlantConnectService } from "./plant-service.ts";

const NOW = 1_764_000_000_000;
const UI = { "x-requested-with": "fabrik-ui" } as const;
const AUTH = { token: "s3cret-token", users: { alice: "wonderland" } } as const;

/** The press is writable through `writer` for three tags; the oven shares an alias on another device. */
const CONFIG: RawConnectorConfig = {
  name: "line1",
  topic: "plant.{source}",
  sources: {
    press: {
      url: "simulated://press",
      jobs: [
        {
          name: "status",
          tags: {
            pressure: "RANDOM/pressure:REAL",
            setpoint: { address: "STATE/setpoint:REAL", unit: "bar" },
            mode: "STATE/mode:STRING",
            enabled: "STATE/enabled:BOOL",
            other: "STATE/other:REAL",
          },
        },
      ],
    },
    oven: { url: "simulated://oven", jobs: [{ name: "temps", tags: { setpoint: "STATE/setpoint:REAL" } }] },
  },
  sinks: {
    writer: {
      url: "simulated://press",
      topic: "press.setpoints",
      tags: {
        setpoint: "STATE/setpoint:REAL",
        mode: "STATE/mode:STRING",
        enabled: "STATE/enabled:BOOL",
        // The alias of a tag the source reads, but another address: writing it would not set what the UI shows.
        other: "STATE/elsewhere:REAL",
      },
    },
  },
};

class FakePublisher implements WritePublisher {
  readonly records: WriteRecord[] = [];
  failure: Error | undefined;
  closed = false;

  async publish(record: WriteRecord): Promise<Published> {
    if (this.failure !== undefined) throw this.failure;
    this.records.push(record);
    return { partition: 0, offset: BigInt(41 + this.records.length) };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

interface Lines {
  readonly info: string[];
  readonly warn: string[];
  readonly error: string[];
}

async function writeApp(
  t: TestContext,
  options: Partial<FabrikAppOptions> = {},
): Promise<{ app: FastifyInstance; publisher: FakePublisher; lines: Lines }> {
  const publisher = new FakePublisher();
  const lines: Lines = { info: [], warn: [], error: [] };
  const app = await serverApp(t, {
    connect: { service: new PlantConnectService({ line1: CONFIG }), metrics: new ConnectMetrics() },
    writePublisher: publisher,
    now: () => NOW,
    log: {
      info: (line) => lines.info.push(line),
      warn: (line) => lines.warn.push(line),
      error: (line) => lines.error.push(line),
    },
    ...options,
  });
  return { app, publisher, lines };
}

const write = (app: FastifyInstance, body: object, headers: Record<string, string> = {}) =>
  app.inject({ method: "POST", url: "/api/write", payload: body, headers });

test("the plant marks a tag writable only where a sink of the connector allow-lists it on the same device and address", () => {
  const catalog = buildCatalog([{ name: "line1", config: CONFIG }]);
  const tagsOf = (source: string) =>
    Object.fromEntries(
      catalog.plant.sources.find((s) => s.source === source)!.jobs[0]!.tags.map((tag) => [tag.alias, tag.writable]),
    );
  const writer = { sink: "writer", topic: "press.setpoints" };
  assert.deepEqual(tagsOf("press"), {
    pressure: undefined,
    setpoint: writer,
    mode: writer,
    enabled: writer,
    other: undefined,
  });
  assert.deepEqual(tagsOf("oven"), { setpoint: undefined }, "another device, though the alias and address match");
  assert.deepEqual([...catalog.writable.keys()].sort(), [
    "line1\u0000press\u0000enabled",
    "line1\u0000press\u0000mode",
    "line1\u0000press\u0000setpoint",
  ]);
  const setpoint = catalog.plant.sources[0]!.jobs[0]!.tags.find((tag) => tag.alias === "setpoint");
  assert.deepEqual(setpoint, { alias: "setpoint", address: "STATE/setpoint:REAL", unit: "bar", writable: writer });
});

test("a write produces one job record to the sink's topic, answers 202 with where it went, and is logged", async (t) => {
  const { app, publisher, lines } = await writeApp(t);
  const response = await write(app, { connector: "line1", source: "press", tag: "setpoint", value: 181.5 });
  assert.equal(response.statusCode, 202, response.body);
  assert.deepEqual(response.json(), { topic: "press.setpoints", partition: 0, offset: 42 });
  assert.deepEqual(publisher.records, [
    {
      topic: "press.setpoints",
      key: "press/setpoint",
      value: JSON.stringify({ tags: { setpoint: 181.5 }, expires: NOW + 30_000 }),
      timestamp: NOW,
    },
  ]);
  assert.deepEqual(lines.info, [
    "write: operator set line1/press/setpoint = 181.5 via sink writer (topic press.setpoints, partition 0, offset 42)",
  ]);

  // Booleans and strings where the tag's type takes them.
  assert.equal(
    (await write(app, { connector: "line1", source: "press", tag: "enabled", value: true })).statusCode,
    202,
  );
  assert.equal((await write(app, { connector: "line1", source: "press", tag: "mode", value: "AUTO" })).statusCode, 202);
  assert.equal(
    lines.info[2],
    'write: operator set line1/press/mode = "AUTO" via sink writer (topic press.setpoints, partition 0, offset 44)',
  );
});

test("a tag no sink allow-lists for its device and address is 404, and nothing is produced", async (t) => {
  const { app, publisher, lines } = await writeApp(t);
  for (const [source, tag] of [
    ["press", "pressure"],
    ["press", "other"],
    ["oven", "setpoint"],
    ["press", "nothing"],
  ] as const) {
    const response = await write(app, { connector: "line1", source, tag, value: 1 });
    assert.equal(response.statusCode, 404, `${source}/${tag}`);
    assert.deepEqual(response.json(), {
      error_code: 404,
      message: `line1/${source}/${tag} is not writable: no sink of connector line1 allow-lists that tag for that device`,
    });
  }
  assert.equal((await write(app, { connector: "line2", source: "press", tag: "setpoint", value: 1 })).statusCode, 404);
  assert.deepEqual(publisher.records, []);
  assert.deepEqual(lines.info, []);
});

test("a value of the wrong JSON kind or that the tag's type refuses is 400, checked as the sink checks it", async (t) => {
  const { app, publisher } = await writeApp(t);
  const cases: [string, unknown, RegExp][] = [
    ["setpoint", null, /^value: expected a number, a boolean or a string, got null$/],
    ["setpoint", [1, 2], /^value: expected a number, a boolean or a string, got an array$/],
    ["setpoint", { v: 1 }, /^value: expected a number, a boolean or a string, got a JSON object$/],
    ["setpoint", "fast", /^value "fast" does not fit setpoint \(STATE\/setpoint:REAL\): expected a number for REAL/],
    ["setpoint", 1e39, /^value 1e\+39 does not fit setpoint \(STATE\/setpoint:REAL\): .*out of range for REAL/],
    ["enabled", "maybe", /^value "maybe" does not fit enabled \(STATE\/enabled:BOOL\): /],
  ];
  for (const [tag, value, message] of cases) {
    const response = await write(app, { connector: "line1", source: "press", tag, value });
    assert.equal(response.statusCode, 400, `${tag} = ${JSON.stringify(value)}: ${response.body}`);
    assert.match(response.json().message, message);
  }
  const missing = await write(app, { connector: "line1", source: "press", tag: "setpoint" });
  assert.equal(missing.statusCode, 400);
  assert.match(missing.json().message, /value/);
  assert.deepEqual(publisher.records, []);
});

test("without a connect worker nothing is writable (404)", async (t) => {
  const { app } = await writeApp(t, { connect: undefined });
  const response = await write(app, { connector: "line1", source: "press", tag: "setpoint", value: 1 });
  assert.equal(response.statusCode, 404);
  assert.match(response.json().message, /No connect worker runs in this server/);
});

test("with auth a write needs credentials; a cookie needs the UI's header; another site is refused; the user is logged", async (t) => {
  const { app, publisher, lines } = await writeApp(t, { auth: AUTH });
  const body = { connector: "line1", source: "press", tag: "setpoint", value: 150 };
  assert.equal((await write(app, body, UI)).statusCode, 401);

  const login = await app.inject({
    method: "POST",
    url: "/api/session",
    payload: { user: "alice", password: "wonderland" },
  });
  const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
  assert.equal((await write(app, body, { cookie })).statusCode, 403, "a cookie without X-Requested-With");
  const crossSite = await write(app, body, { cookie, ...UI, origin: "https://evil.example" });
  assert.equal(crossSite.statusCode, 403);
  assert.deepEqual(publisher.records, []);

  assert.equal((await write(app, body, { cookie, ...UI })).statusCode, 202);
  assert.equal((await write(app, body, { authorization: `Bearer ${AUTH.token}` })).statusCode, 202);
  assert.deepEqual(
    lines.info.map((line) => line.slice(0, line.indexOf(" set "))),
    ["write: alice", "write: operator"],
  );
});

test("without a server on loopback's host name the write is refused (DNS rebinding), as every /api/ change is", async (t) => {
  const { app, publisher } = await writeApp(t);
  const response = await write(
    app,
    { connector: "line1", source: "press", tag: "setpoint", value: 1 },
    {
      host: "evil.example",
    },
  );
  assert.equal(response.statusCode, 403);
  assert.deepEqual(publisher.records, []);
});

test("Kafka refusing the record is 503, logged as an error and not as a write; the producer closes with the server", async (t) => {
  const { app, publisher, lines } = await writeApp(t);
  publisher.failure = new Error("broker unreachable");
  const response = await write(app, { connector: "line1", source: "press", tag: "setpoint", value: 99 });
  assert.equal(response.statusCode, 503);
  assert.match(response.json().message, /^Kafka did not take the write to press\.setpoints: .*broker unreachable/);
  assert.deepEqual(lines.info, []);
  assert.equal(lines.error.length, 1);
  assert.match(lines.error[0]!, /^write: operator could not set line1\/press\/setpoint = 99 via sink writer: /);
  await app.close();
  assert.equal(publisher.closed, true);
});

test("a log without info still gets every write, as a warning", async (t) => {
  const warnings: string[] = [];
  const { app } = await writeApp(t, { log: { warn: (line) => warnings.push(line), error: () => {} } });
  assert.equal((await write(app, { connector: "line1", source: "press", tag: "setpoint", value: 1 })).statusCode, 202);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^write: operator set line1\/press\/setpoint = 1 via sink writer/);
});
