// GET /api/live on a real port with the Kafka reader replaced: plant first, history, batches to every browser from one
// reader, health from the connect service and its metrics (pause shows as paused), keep-alives, a browser that reads
// nothing dropped, and close ending every stream.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { connect } from "node:net";
import { test } from "node:test";
import { jobRecord } from "../../src/connect/records/index.ts";
import { ConnectMetrics } from "../../src/connect/rest/metrics.ts";
import { type FabrikServer, startFabrikServer } from "../../src/server/index.ts";
import type { FeedRecord } from "../../src/server/live/samples.ts";
import type { FollowedTopics } from "../../src/server/live/tail.ts";
import { whenEvent } from "../support/events.ts";
import { NO_KAFKA, quietLog, SseReader } from "./fixture.ts";
import { PlantConnectService } from "./plant-service.ts";

/** Stands in for the Kafka reader: the test hands it records; it remembers what it was told to follow. */
class FakeTail extends EventEmitter {
  readonly follows: FollowedTopics[] = [];
  closed = false;
  deliver: (records: readonly FeedRecord[]) => void = () => {};
  follow(topics: FollowedTopics): void {
    this.follows.push(topics);
    this.emit("follow");
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function pressRecord(ts: number, pressure: number): FeedRecord {
  const ok = (value: unknown) => ({ code: "OK", quality: "GOOD", value, sampledAt: ts });
  const readings = { pressure: ok(pressure), state: ok(1), program: ok("P-12") };
  const draft = jobRecord({ source: "press", job: "status", readings: readings as never, sampledAt: ts });
  return { topic: "plant.press", key: Buffer.from(draft.key), value: Buffer.from(draft.value), timestamp: ts };
}

interface Running {
  readonly server: FabrikServer;
  readonly service: PlantConnectService;
  readonly metrics: ConnectMetrics;
  readonly tail: FakeTail;
  readonly warnings: string[];
}

async function start(t: { after: (fn: () => Promise<void>) => void }, hub = {}): Promise<Running> {
  const service = new PlantConnectService();
  const metrics = new ConnectMetrics();
  const tail = new FakeTail();
  const warnings: string[] = [];
  const server = await startFabrikServer({
    kafka: NO_KAFKA,
    connect: { service, metrics },
    port: 0,
    log: { ...quietLog, warn: (message) => warnings.push(message) },
    live: {
      tickMs: 20,
      batchMs: 5,
      keepAliveMs: 50,
      hub,
      tail: (deliver) => {
        tail.deliver = deliver;
        return tail;
      },
    },
  });
  t.after(() => server.close());
  return { server, service, metrics, tail, warnings };
}

test("two browsers get the plant, the history, then the same batches from the one reader; keep-alives between", async (t) => {
  const { server, tail } = await start(t);
  await whenEvent("the reader told what to follow", [tail], "follow", () => tail.follows.length > 0);
  assert.deepEqual(
    [...tail.follows[0]!],
    [
      ["plant.press", 120],
      ["plant.oven.zone1", 120],
      ["plant.oven.zone2", 120],
    ],
    "each topic with the records that hold its last 120 samples per series",
  );
  tail.deliver([pressRecord(1000, 180.5)]);
  const first = new SseReader(`${server.url}/api/live`);
  const second = new SseReader(`${server.url}/api/live`);
  t.after(() => {
    first.close();
    second.close();
  });
  for (const reader of [first, second]) {
    const plant = await reader.next("plant");
    assert.equal(reader.events[0], plant, "plant comes first");
    const sources = (plant.data as { sources: { source: string }[] }).sources.map((s) => s.source);
    assert.deepEqual(sources, ["press", "oven"]);
    const history = await reader.next("samples");
    assert.equal(reader.events[1], history, "the history right after the plant");
    assert.deepEqual(
      (history.data as { samples: { ts: number }[] }).samples.map((s) => s.ts),
      [1000],
    );
  }
  tail.deliver([pressRecord(2000, 181.5), pressRecord(3000, 182.5)]);
  const batches = await Promise.all(
    [first, second].map((reader) =>
      reader.next("samples", (data) => (data as { samples: unknown[] }).samples.length === 2),
    ),
  );
  assert.deepEqual(batches[0]!.data, batches[1]!.data);
  const [sample] = (batches[0]!.data as { samples: Record<string, unknown>[] }).samples;
  assert.deepEqual(sample, {
    connector: "line1",
    source: "press",
    job: "status",
    ts: 2000,
    tags: { pressure: 181.5, state: 1, program: "P-12" },
    quality: { pressure: "GOOD", state: "GOOD", program: "GOOD" },
    errors: {},
  });
  await first.next("health");
  await first.until("a keep-alive comment", () => first.comments.includes("keep-alive"));
  assert.ok(tail.follows.length > 1, "the catalog is read again each tick");
});

test("health: each source's state, poll latency over the window, totals from the metrics, last sample; pause shows as paused", async (t) => {
  const { server, service, metrics, tail } = await start(t);
  service.live.set("press", { source: "press", connector: "line1", worker_id: "w1", health: "connected", tags: [] });
  const reader = new SseReader(`${server.url}/api/live`);
  t.after(() => reader.close());
  await reader.next("plant");
  const job = metrics.job({ connector: "line1", source: "press", job: "status" });
  job.observePoll(0.02, 3);
  job.observePoll(0.04, 3);
  job.recordError("TIMEOUT", 2);
  tail.deliver([pressRecord(5000, 180)]);
  const health = await reader.next("health", (data) => {
    const press = (data as { sources: { source: string; pollLatencyMs: number | null }[] }).sources[0];
    return press?.pollLatencyMs !== null && press?.pollLatencyMs !== undefined;
  });
  const [press, oven] = (health.data as { sources: Record<string, unknown>[] }).sources;
  assert.equal(press!.state, "connected");
  assert.ok(Math.abs((press!.pollLatencyMs as number) - 30) < 1e-9, String(press!.pollLatencyMs));
  assert.equal(press!.values, 6);
  assert.equal(press!.errors, 2);
  // The oven's task runs, but no worker reports the source live: nobody samples it.
  assert.deepEqual(oven, {
    connector: "line1",
    source: "oven",
    state: "unassigned",
    pollLatencyMs: null,
    errors: 0,
    values: 0,
    lastSampleTs: null,
  });
  await reader.next(
    "health",
    (data) => (data as { sources: { lastSampleTs: number | null }[] }).sources[0]?.lastSampleTs === 5000,
  );
  service.states.set("line1", "PAUSED");
  const paused = await reader.next("health", (data) =>
    (data as { sources: { state: string }[] }).sources.every((s) => s.state === "paused"),
  );
  assert.ok(paused);
});

test("a changed connector config sends the plant again", async (t) => {
  const { server, service } = await start(t);
  const reader = new SseReader(`${server.url}/api/live`);
  t.after(() => reader.close());
  await reader.next("plant");
  const { oven: _gone, ...sources } = (service.configs.get("line1") as { sources: Record<string, unknown> }).sources;
  service.configs.set("line1", { ...service.configs.get("line1"), sources });
  const next = await reader.next("plant", (data) => (data as { sources: unknown[] }).sources.length === 1);
  assert.equal((next.data as { sources: { source: string }[] }).sources[0]!.source, "press");
});

test("a browser that reads nothing is dropped once it is too far behind; closing the server ends every stream", async (t) => {
  const { server, tail, warnings } = await start(t, { maxClientBacklog: 64 * 1024 });
  const stalled = connect(server.port, "127.0.0.1");
  stalled.write(`GET /api/live HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
  stalled.pause();
  t.after(() => stalled.destroy());
  const reader = new SseReader(`${server.url}/api/live`);
  await reader.next("plant");
  // Batches of 2,000 samples until the stalled browser's backlog passes the bound: the kernel's socket buffers take
  // a few megabytes first.
  let ts = 0;
  while (!warnings.some((w) => w.includes("dropped a browser"))) {
    tail.deliver(Array.from({ length: 2000 }, () => pressRecord(++ts, ts)));
    await reader.next("samples", (data) => (data as { samples: { ts: number }[] }).samples.at(-1)?.ts === ts);
    assert.ok(ts < 2_000_000, "the stalled browser was never dropped");
  }
  assert.match(warnings.find((w) => w.includes("dropped"))!, /fell \d+ bytes behind \(at most 65536\)/);
  assert.equal(reader.ended, false, "the browser that reads goes on");
  await server.close();
  await reader.done;
  assert.equal(reader.ended, true);
  assert.equal(tail.closed, true);
});
