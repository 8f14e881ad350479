// A source keeps sampling through a broker outage; the buffer replays in order: nothing lost, nothing twice. Once with
// at-least-once delivery over 30 s, once with exactly-once delivery (its transactions cut off and begun again).
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import type { ConnectLog } from "../../../src/connect/log.ts";
import { type KafkaConfig, type RunningBroker, startBroker } from "../../../src/kafka/index.ts";
import { eventually, uniqueTopic } from "../../support/kafka.ts";
import { assertEachSampleOnce, createTopic, metricValue, readSamples, startPlant, startSource } from "./fixture.ts";

async function acrossOutage(t: TestContext, outageMs: number, exactlyOnce: boolean): Promise<void> {
  // This test stops its broker, so it runs its own instead of the shared one.
  const brokerDir = await mkdtemp(join(tmpdir(), "fabrik-outage-"));
  let broker: RunningBroker = await startBroker({ dir: brokerDir, heapMb: 384 });
  const kafka: KafkaConfig = { bootstrapServers: [broker.bootstrap] };
  const topic = await createTopic(kafka, "connect-outage");
  const offsetsTopic = await createTopic(kafka, "connect-outage-offsets");
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
    { log, ...(exactlyOnce ? { exactlyOnce: { transactionalId: uniqueTopic("txn"), offsetsTopic } } : {}) },
  );
  t.after(async () => {
    await sim.stop();
    await broker.stop();
    await rm(brokerDir, { recursive: true, force: true });
  });

  // Kafka goes while the source delivers, so a batch (a transaction) can be cut off half way.
  await eventually("a first delivery", async () => (await metricValue(metrics, "fabrik_producer_records_total")) > 0);
  await broker.stop();
  await delay(outageMs);
  const sampledDuringOutage = runner.live().tags[0]?.sampledAt ?? 0;
  const waiting = await metricValue(metrics, "fabrik_buffer_depth_records");
  broker = await startBroker({ dir: brokerDir, port: Number(kafka.bootstrapServers[0]!.split(":")[1]), heapMb: 384 });
  await runner.stopSampling();
  await runner.drained();

  const polls = await metricValue(metrics, "fabrik_source_values_total");
  const { samples } = await readSamples(kafka, topic);
  assert.equal(samples.length, polls, "every poll's record arrived");
  assert.ok(polls > outageMs / 100 / 2, `${polls} polls: sampling went on during the outage`);
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
  assert.equal(runner.fenced, false, "an outage is no takeover");
}

test("across a 30 s broker outage every sample reaches Kafka once, in order", (t) => acrossOutage(t, 30_000, false));

test("with exactly-once delivery, across a 12 s broker outage every sample reaches Kafka once, in order", (t) =>
  acrossOutage(t, 12_000, true));
