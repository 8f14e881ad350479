// A source keeps sampling through a 30 s broker outage; the buffer replays in order: nothing lost, nothing twice.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { decodeJson } from "../../../src/connect/records/index.ts";
import type { ConnectMetrics } from "../../../src/connect/rest/metrics.ts";
import type { ConnectLog } from "../../../src/connect/source/source-runner.ts";
import {
  createConsumer,
  type KafkaConfig,
  type RunningBroker,
  startBroker,
  stringDeserializers,
} from "../../../src/kafka/index.ts";
import { uniqueTopic } from "../../support/kafka.ts";
import { assertEachSampleOnce, createTopic, startPlant, startSource } from "./fixture.ts";

const OUTAGE_MS = 30_000;

test("across a 30 s broker outage every sample reaches Kafka once, in order", async (t) => {
  // This test stops its broker, so it runs its own instead of the shared one.
  const brokerDir = await mkdtemp(join(tmpdir(), "fabrik-outage-"));
  let broker: RunningBroker = await startBroker({ dir: brokerDir, heapMb: 384 });
  const kafka: KafkaConfig = { bootstrapServers: [broker.bootstrap] };
  const topic = await createTopic(kafka, "connect-outage");
  const { sim, port } = await startPlant(3);
  const warnings: string[] = [];
  const log: ConnectLog = { info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
  const { runner, metrics } = await startSource(
    t,
    kafka,
    "energy",
    {
      url: `modbus-tcp://127.0.0.1:${port}?unit-identifier=2`,
      jobs: [{ name: "meter", interval: "100ms", tags: { sequence: "input-register:1:UDINT" }, topic }],
    },
    { log },
  );
  t.after(async () => {
    await sim.stop();
    await broker.stop();
    await rm(brokerDir, { recursive: true, force: true });
  });

  await runner.drained();
  await broker.stop();
  await delay(OUTAGE_MS);
  const sampledDuringOutage = runner.live().tags[0]?.sampledAt ?? 0;
  const waiting = await metricValue(metrics, "fabrik_buffer_depth_records");
  broker = await startBroker({ dir: brokerDir, port: Number(kafka.bootstrapServers[0]!.split(":")[1]), heapMb: 384 });
  await runner.stopSampling();
  await runner.drained();

  const polls = await metricValue(metrics, "fabrik_source_values_total");
  const consumer = createConsumer(kafka, { groupId: uniqueTopic("group"), deserializers: stringDeserializers });
  t.after(() => consumer.close(true));
  const stream = await consumer.consume({ topics: [topic], mode: "earliest" });
  const samples: { sequence: number; timestamp: number }[] = [];
  for await (const message of stream) {
    const value = decodeJson(message.value) as { tags: { sequence: number }; timestamp: number };
    samples.push({ sequence: value.tags.sequence, timestamp: value.timestamp });
    if (samples.length === polls) break;
  }
  assert.ok(polls > OUTAGE_MS / 100 / 2, `${polls} polls: sampling went on during the outage`);
  assertEachSampleOnce(samples);
  assert.ok(
    samples.some((sample) => sample.timestamp >= sampledDuringOutage - 1_000),
    "samples from the outage arrived",
  );
  assert.ok(waiting > 0, `the buffer depth metric showed ${waiting} records waiting during the outage`);
  assert.equal(await metricValue(metrics, "fabrik_buffer_depth_records"), 0, "and none once Kafka took them");
  assert.ok(
    warnings.some((w) => w.includes("Kafka did not take records for 5 s")),
    `the outage was reported: ${warnings.join("; ")}`,
  );
});

/** The value of the one series of metric `name` (one source: polls taken, records waiting in its buffer). */
async function metricValue(metrics: ConnectMetrics, name: string): Promise<number> {
  const text = await metrics.metricsText();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`));
  return Number(line?.split(" ").at(-1));
}
