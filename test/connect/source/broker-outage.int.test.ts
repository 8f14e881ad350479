// A source keeps sampling through a 30 s broker outage; the buffer replays in order: nothing lost, nothing twice.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { validateConnectorConfig } from "../../../src/connect/config/index.ts";
import { decodeJson } from "../../../src/connect/records/index.ts";
import { ConnectMetrics } from "../../../src/connect/rest/metrics.ts";
import { type ConnectLog, SourceRunner } from "../../../src/connect/source/source-runner.ts";
import {
  createConsumer,
  type KafkaConfig,
  type RunningBroker,
  startBroker,
  stringDeserializers,
} from "../../../src/kafka/index.ts";
import { ConnectionManager, drivers, realSchedule } from "../../../src/plc/index.ts";
import { uniqueTopic } from "../../support/kafka.ts";
import { createTopic, startPlant } from "./fixture.ts";

const OUTAGE_MS = 30_000;

test("across a 30 s broker outage every sample reaches Kafka once, in order", async (t) => {
  // This test stops its broker, so it runs its own instead of the shared one.
  const brokerDir = await mkdtemp(join(tmpdir(), "fabrik-outage-"));
  let broker: RunningBroker = await startBroker({ dir: brokerDir, heapMb: 384 });
  const kafka: KafkaConfig = { bootstrapServers: [broker.bootstrap] };
  const topic = await createTopic(kafka, "connect-outage");
  const { sim, port } = await startPlant(3);
  const bufferDir = await mkdtemp(join(tmpdir(), "fabrik-outage-buffer-"));
  const { config } = validateConnectorConfig({
    name: "line",
    sources: {
      energy: {
        url: `modbus-tcp://127.0.0.1:${port}?unit-identifier=2`,
        jobs: [{ name: "meter", interval: "100ms", tags: { sequence: "input-register:1:UDINT" }, topic }],
      },
    },
    buffer: { dir: bufferDir },
  });
  const warnings: string[] = [];
  const log: ConnectLog = { info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
  const manager = new ConnectionManager({ registry: drivers });
  const metrics = new ConnectMetrics();
  const runner = await SourceRunner.start({
    connector: config.name,
    workerId: "test-worker",
    source: config.sources[0]!,
    delivery: config.delivery,
    manager,
    kafka,
    metrics,
    log,
    schedule: realSchedule,
  });
  t.after(async () => {
    await runner.stop();
    await manager.close();
    await sim.stop();
    await broker.stop();
    await rm(brokerDir, { recursive: true, force: true });
    await rm(bufferDir, { recursive: true, force: true });
  });

  await runner.drained();
  await broker.stop();
  await delay(OUTAGE_MS);
  const sampledDuringOutage = runner.live().tags[0]?.sampledAt ?? 0;
  broker = await startBroker({ dir: brokerDir, port: Number(kafka.bootstrapServers[0]!.split(":")[1]), heapMb: 384 });
  await runner.stopSampling();
  await runner.drained();

  const polls = await valuesTotal(metrics);
  const consumer = createConsumer(kafka, { groupId: uniqueTopic("group"), deserializers: stringDeserializers });
  t.after(() => consumer.close(true));
  const stream = await consumer.consume({ topics: [topic], mode: "earliest" });
  const sequences: number[] = [];
  const times: number[] = [];
  for await (const message of stream) {
    const value = decodeJson(message.value) as { tags: { sequence: number }; timestamp: number };
    sequences.push(value.tags.sequence);
    times.push(value.timestamp);
    if (sequences.length === polls) break;
  }
  assert.ok(polls > OUTAGE_MS / 100 / 2, `${polls} polls: sampling went on during the outage`);
  assert.equal(new Set(sequences).size, sequences.length, "no sample twice");
  for (let i = 1; i < sequences.length; i++) assert.ok(sequences[i]! > sequences[i - 1]!, "in sample order");
  assert.ok(
    times.some((time) => time >= sampledDuringOutage - 1_000),
    "samples from the outage arrived",
  );
  assert.ok(
    warnings.some((w) => w.includes("Kafka did not take records for 5 s")),
    `the outage was reported: ${warnings.join("; ")}`,
  );
});

/** Samples taken: the source's value counter (one tag per sample). */
async function valuesTotal(metrics: ConnectMetrics): Promise<number> {
  const text = await metrics.metricsText();
  const line = text.split("\n").find((l) => l.startsWith("fabrik_source_values_total{"));
  return Number(line?.split(" ").at(-1));
}
