// The live feed end to end on the real broker: a connect worker sampling the simulated driver, the server reading its
// topics once for two browsers (job and tag records), health from the worker, and a pause through the mounted Connect
// API showing as "paused".
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { ConnectMetrics } from "../../src/connect/rest/metrics.ts";
import { startConnectWorker } from "../../src/connect/worker/start.ts";
import { startFabrikServer } from "../../src/server/index.ts";
import { silentLog } from "../connect/source/fixture.ts";
import { testKafka, uniqueTopic } from "../support/kafka.ts";
import { quietLog, type SseEvent, SseReader } from "./fixture.ts";

const kafka = testKafka();

interface Sample {
  readonly source: string;
  readonly job: string;
  readonly ts: number;
  readonly tags: Record<string, unknown>;
  readonly quality: Record<string, string>;
}

interface Health {
  readonly source: string;
  readonly state: string;
  readonly values: number;
  readonly pollLatencyMs: number | null;
  readonly lastSampleTs: number | null;
}

/** A connect worker of a new group, whose metrics the server reads too; stopped when the test ends. */
async function startWorker(t: TestContext) {
  const metrics = new ConnectMetrics();
  const baseDir = await mkdtemp(join(tmpdir(), "fabrik-server-live-"));
  const { worker, service } = await startConnectWorker({
    kafka,
    group: uniqueTopic("group"),
    workerId: "w1",
    workerUrl: "http://127.0.0.1:9",
    metrics,
    log: silentLog,
    baseDir,
  });
  t.after(async () => {
    await worker.close();
    await rm(baseDir, { recursive: true, force: true });
  });
  return { service, metrics };
}

const samplesOf = (event: SseEvent) => (event.data as { samples: Sample[] }).samples;
const healthOf = (event: SseEvent) => (event.data as { sources: Health[] }).sources;

test("two browsers get the plant, the same samples from one reader, health, and a pause as paused", async (t) => {
  const press = uniqueTopic("live-press");
  const oven = uniqueTopic("live-oven");
  const { service, metrics } = await startWorker(t);
  await service.create("line1", {
    sources: {
      press: {
        url: "simulated://press?seed=7",
        jobs: [
          {
            name: "status",
            interval: "100ms",
            topic: press,
            tags: {
              pressure: { address: "RANDOM/pressure:REAL", unit: "bar", description: "Hydraulic pressure" },
              strokes: "RANDOM/strokes:UDINT",
            },
          },
        ],
      },
      oven: {
        url: "simulated://oven?seed=8",
        jobs: [
          {
            name: "temps",
            interval: "200ms",
            format: "tag",
            topic: `${oven}.{tag}`,
            tags: { zone1: "RANDOM/z1:REAL" },
          },
        ],
      },
    },
  });
  const warnings: string[] = [];
  const server = await startFabrikServer({
    kafka,
    connect: { service, metrics },
    port: 0,
    log: { ...quietLog, warn: (message) => warnings.push(message) },
  });
  t.after(() => server.close());

  const first = new SseReader(`${server.url}/api/live`);
  const second = new SseReader(`${server.url}/api/live`);
  t.after(() => {
    first.close();
    second.close();
  });
  const plant = await first.next("plant", (data) => (data as { sources: unknown[] }).sources.length === 2);
  const [pressSource] = (plant.data as { sources: { source: string; jobs: { topic: string; tags: object[] }[] }[] })
    .sources;
  assert.equal(pressSource!.jobs[0]!.topic, press);
  assert.deepEqual(pressSource!.jobs[0]!.tags[0], {
    alias: "pressure",
    address: "RANDOM/pressure:REAL",
    unit: "bar",
    description: "Hydraulic pressure",
  });

  // Live batches (after each browser's history): ten press samples and a tag record of the oven.
  const live = (reader: SseReader) =>
    reader.events
      .filter((e) => e.event === "samples")
      .slice(1)
      .flatMap(samplesOf);
  await first.until("ten press samples and an oven sample", () => {
    const samples = live(first);
    return samples.filter((s) => s.source === "press").length >= 10 && samples.some((s) => s.source === "oven");
  });
  const pressSample = live(first).find((s) => s.source === "press")!;
  assert.equal(pressSample.job, "status");
  assert.equal(typeof pressSample.tags.pressure, "number");
  assert.equal(typeof pressSample.tags.strokes, "number");
  assert.deepEqual(pressSample.quality, { pressure: "GOOD", strokes: "GOOD" });
  const ovenSample = live(first).find((s) => s.source === "oven")!;
  assert.deepEqual(Object.keys(ovenSample.tags), ["zone1"]);
  assert.equal(ovenSample.job, "temps");

  // Both browsers read the same samples: each one the first saw live, the second saw too (live or in its history).
  const key = (s: Sample) => `${s.source}/${s.ts}/${JSON.stringify(s.tags)}`;
  const wanted = live(first).slice(0, 10).map(key);
  await second.until("the first browser's samples", () => {
    const seen = new Set(
      second.events
        .filter((e) => e.event === "samples")
        .flatMap(samplesOf)
        .map(key),
    );
    return wanted.every((k) => seen.has(k));
  });

  // A health event sent after those samples: the press connected, polled, and its last sample known.
  const since = first.events.length;
  const health = await first.until("the press's health with its poll latency", () =>
    first.events
      .slice(since)
      .find((e) => e.event === "health" && healthOf(e).find((s) => s.source === "press")?.pollLatencyMs != null),
  );
  const pressHealth = healthOf(health).find((s) => s.source === "press")!;
  assert.equal(pressHealth.state, "connected");
  assert.ok(pressHealth.values > 0);
  assert.ok(
    pressHealth.lastSampleTs !== null && pressHealth.lastSampleTs >= pressSample.ts,
    JSON.stringify(pressHealth),
  );

  const pause = await fetch(`${server.url}/api/connect/connectors/line1/pause`, { method: "PUT" });
  assert.equal(pause.status, 202);
  const from = first.events.length;
  await first.until("every source paused", () =>
    first.events.slice(from).some((e) => e.event === "health" && healthOf(e).every((s) => s.state === "paused")),
  );
  assert.deepEqual(warnings, []);

  await server.close();
  await Promise.all([first.done, second.done]);
});
