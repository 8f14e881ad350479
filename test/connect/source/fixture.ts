// What the source tests share: a one-partition topic, the simulated plant on a free port (fast enough for 100 ms polls),
// a source runner that cleans up after its test, and the check that every sample reached Kafka once.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { validateConnectorConfig } from "../../../src/connect/config/index.ts";
import { ConnectMetrics } from "../../../src/connect/rest/metrics.ts";
import { type ConnectLog, SourceRunner } from "../../../src/connect/source/source-runner.ts";
import { createAdmin, type KafkaConfig } from "../../../src/kafka/index.ts";
import { type BackoffPolicy, ConnectionManager, drivers, realSchedule } from "../../../src/plc/index.ts";
import { Simulator } from "../../../src/sim/runner.ts";
import { uniqueTopic } from "../../support/kafka.ts";
import { freePort } from "../../support/ports.ts";

export async function createTopic(kafka: KafkaConfig, prefix: string): Promise<string> {
  const topic = uniqueTopic(prefix);
  const admin = createAdmin(kafka);
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
  await admin.close();
  return topic;
}

/** Speed 5: the sequence registers step every 20 ms or so (the simulator wakes at most every 20 ms). */
export async function startPlant(seed: number): Promise<{ readonly sim: Simulator; readonly port: number }> {
  const port = await freePort();
  const sim = new Simulator({ seed, speed: 5, modbus: { port } });
  await sim.start();
  return { sim, port };
}

export interface SourceOptions {
  readonly log?: ConnectLog;
  /** Reconnect backoff of the source's connection manager. */
  readonly backoff?: Partial<BackoffPolicy>;
}

export const silentLog: ConnectLog = { info() {}, warn() {}, error() {} };

/**
 * Starts source `name` of a connector "line", configured as a connector file spells it, with a buffer in a fresh
 * directory. When the test ends the runner stops, its connection manager closes and the buffer directory goes; cleanups
 * the test registers afterwards (the plant, a broker) run after these.
 */
export async function startSource(
  t: TestContext,
  kafka: KafkaConfig,
  name: string,
  source: Readonly<Record<string, unknown>>,
  options: SourceOptions = {},
): Promise<{ readonly runner: SourceRunner; readonly metrics: ConnectMetrics }> {
  const bufferDir = await mkdtemp(join(tmpdir(), `fabrik-source-${name}-`));
  const manager = new ConnectionManager({
    registry: drivers,
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
  });
  const metrics = new ConnectMetrics();
  let runner: SourceRunner | undefined;
  t.after(async () => {
    await runner?.stop();
    await manager.close();
    await rm(bufferDir, { recursive: true, force: true });
  });
  const { config } = validateConnectorConfig({ name: "line", sources: { [name]: source }, buffer: { dir: bufferDir } });
  runner = await SourceRunner.start({
    connector: config.name,
    workerId: "test-worker",
    source: config.sources[0]!,
    delivery: config.delivery,
    manager,
    kafka,
    metrics,
    log: options.log ?? silentLog,
    schedule: realSchedule,
  });
  return { runner, metrics };
}

/** A job record as the source tests read it back: the sequence register's value and the sample time. */
export interface SequenceSample {
  readonly sequence: number;
  readonly timestamp: number;
}

/**
 * Asserts that samples arrived in sample order and none twice. Two polls can read the same sequence value (the
 * simulator steps at most every 20 ms, and a slow answer brings the next poll closer), so a sample is known by its
 * value and its sample time together: a record delivered twice repeats both.
 */
export function assertEachSampleOnce(samples: readonly SequenceSample[]): void {
  for (let i = 1; i < samples.length; i++) {
    const before = samples[i - 1]!;
    const after = samples[i]!;
    assert.ok(
      after.sequence > before.sequence || (after.sequence === before.sequence && after.timestamp > before.timestamp),
      `sample ${JSON.stringify(after)} after ${JSON.stringify(before)}: every sample once, in sample order`,
    );
  }
}
