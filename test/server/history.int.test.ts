// GET /api/history against the real broker: a known series written as job records (with another machine's records
// and an aborted transaction in the same topic), read back whole, downsampled with its spike, cut to a range, and
// refused for a tag that holds text.
import assert from "node:assert/strict";
import { test } from "node:test";
import { jobRecord } from "../../src/connect/records/index.ts";
import { ConnectMetrics } from "../../src/connect/rest/metrics.ts";
import { createProducer } from "../../src/kafka/index.ts";
import { createTopic, testKafka, uniqueTopic } from "../support/kafka.ts";
import { serverApp } from "./fixture.ts";
import { PlantConnectService } from "./plant-service.ts";

const kafka = testKafka();
const BASE = 1_764_000_000_000;
const COUNT = 1000;
/** The press's pressure at sample i: a slow ramp, with one spike no average would show. */
const pressure = (i: number) => (i === 637 ? 500 : 100 + (i % 50) / 10);

function record(source: string, i: number, tags: Record<string, unknown>) {
  const ts = BASE + i * 1000;
  const readings = Object.fromEntries(
    Object.entries(tags).map(([alias, value]) => [alias, { code: "OK", quality: "GOOD", value, sampledAt: ts }]),
  );
  const draft = jobRecord({ source, job: "status", readings: readings as never, sampledAt: ts });
  return { key: Buffer.from(draft.key), value: Buffer.from(draft.value), timestamp: BigInt(ts) };
}

test("history reads one tag of one job back from Kafka, whole or as min/max buckets, within its range", async (t) => {
  const topic = await createTopic(kafka, "history", 2);
  const producer = createProducer(kafka, { transactionalId: uniqueTopic("history-txn") });
  t.after(() => producer.close(true));
  const init = await producer.beginTransaction({ producerId: -1n, producerEpoch: -1 });
  await init.cancel();
  const messages = [];
  for (let i = 0; i < COUNT; i++) {
    messages.push({
      topic,
      partition: i % 2,
      ...record("press", i, { pressure: pressure(i), running: i % 3 === 0, program: "P-12" }),
    });
    // Another machine writing to the same topic: never part of the press's history.
    messages.push({ topic, partition: i % 2, ...record("mixer", i, { pressure: -1 }) });
  }
  const committed = await producer.beginTransaction();
  await committed.send({ messages });
  await committed.commit();
  // A transaction that was aborted: read_committed never shows its wild value.
  const aborted = await producer.beginTransaction();
  await aborted.send({ messages: [{ topic, partition: 0, ...record("press", 500, { pressure: 9999 }) }] });
  await aborted.abort();

  const config = {
    name: "line1",
    topic,
    sources: Object.fromEntries(
      ["press", "mixer"].map((source) => [
        source,
        {
          url: `simulated://${source}`,
          jobs: [
            {
              name: "status",
              tags: { pressure: "RANDOM/p:REAL", running: "RANDOM/r:BOOL", program: "STATE/prog:STRING" },
            },
          ],
        },
      ]),
    ),
  };
  // A machine whose topic was never created: it has sampled nothing yet.
  const silent = uniqueTopic("history-none");
  (config.sources as Record<string, unknown>).idle = {
    url: "simulated://idle",
    jobs: [{ name: "status", topic: silent, tags: { pressure: "RANDOM/p:REAL" } }],
  };
  const app = await serverApp(t, {
    kafka,
    connect: { service: new PlantConnectService({ line1: config }), metrics: new ConnectMetrics() },
  });
  const history = async (query: string) => {
    const response = await app.inject({ url: `/api/history?connector=line1&source=press&job=status&${query}` });
    return { status: response.statusCode, body: response.json() };
  };
  const all = `from=${BASE}&to=${BASE + COUNT * 1000}`;

  const whole = await history(`tag=pressure&${all}`);
  assert.equal(whole.status, 200, JSON.stringify(whole.body));
  assert.equal(whole.body.records, COUNT);
  assert.equal(whole.body.downsampled, false);
  assert.deepEqual(
    whole.body.points,
    Array.from({ length: COUNT }, (_, i) => [BASE + i * 1000, pressure(i)]),
    "every sample, oldest first, across both partitions",
  );
  assert.deepEqual(
    { connector: whole.body.connector, source: whole.body.source, job: whole.body.job, tag: whole.body.tag },
    { connector: "line1", source: "press", job: "status", tag: "pressure" },
  );

  const chart = await history(`tag=pressure&${all}&points=20`);
  assert.equal(chart.body.records, COUNT);
  assert.equal(chart.body.downsampled, true);
  const points = chart.body.points as [number, number][];
  assert.ok(points.length <= 20, `${points.length} points`);
  assert.deepEqual(
    points.map((p) => p[0]),
    [...points.map((p) => p[0])].sort((a, b) => a - b),
    "in time order",
  );
  assert.deepEqual(
    points.find((p) => p[1] === 500),
    [BASE + 637_000, 500],
    "the spike survives",
  );
  assert.equal(Math.min(...points.map((p) => p[1])), 100);

  const window = await history(`tag=pressure&from=${BASE + 100_000}&to=${BASE + 199_000}`);
  assert.equal(window.body.records, 100);
  assert.deepEqual(window.body.points[0], [BASE + 100_000, pressure(100)]);
  assert.deepEqual(window.body.points.at(-1), [BASE + 199_000, pressure(199)]);

  const running = await history(`tag=running&from=${BASE}&to=${BASE + 5000}`);
  assert.deepEqual(running.body.points, [
    [BASE, 1],
    [BASE + 1000, 0],
    [BASE + 2000, 0],
    [BASE + 3000, 1],
    [BASE + 4000, 0],
    [BASE + 5000, 0],
  ]);

  const text = await history(`tag=program&${all}`);
  assert.equal(text.status, 400);
  assert.deepEqual(text.body, {
    error_code: 400,
    message: "tag: program holds text, not numbers; history answers numbers only (booleans as 0/1)",
  });

  const empty = await history(`tag=pressure&from=${BASE - 10_000}&to=${BASE - 1}`);
  assert.deepEqual({ records: empty.body.records, points: empty.body.points }, { records: 0, points: [] });
  const none = await app.inject({ url: `/api/history?connector=line1&source=idle&job=status&tag=pressure&${all}` });
  assert.equal(none.statusCode, 200, none.body);
  assert.deepEqual({ records: none.json().records, points: none.json().points }, { records: 0, points: [] });
});
