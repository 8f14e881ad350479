// What the source tests share: a one-partition topic, the simulated plant on a free port (fast enough for 100 ms polls),
// a source runner that cleans up after its test, reading samples back committed, and the check that every sample
// reached Kafka once.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { validateConnectorConfig } from "../../../src/connect/config/index.ts";
import type { ConnectLog } from "../../../src/connect/log.ts";
import { decodeJson } from "../../../src/connect/records/index.ts";
import { ConnectMetrics } from "../../../src/connect/rest/metrics.ts";
import { type ExactlyOnceOptions, SourceRunner } from "../../../src/connect/source/source-runner.ts";
import { type CommittedReadStats, type KafkaConfig, readCommitted } from "../../../src/kafka/index.ts";
import { type BackoffPolicy, ConnectionManager, drivers, realSchedule } from "../../../src/plc/index.ts";
import { Simulator } from "../../../src/sim/runner.ts";
import { eventually } from "../../support/kafka.ts";
import { freePort } from "../../support/ports.ts";

export { createTopic } from "../../support/kafka.ts";

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
  readonly exactlyOnce?: ExactlyOnceOptions;
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
): Promise<{ readonly runner: SourceRunner; readonly metrics: ConnectMetrics; readonly bufferDir: string }> {
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
    ...(options.exactlyOnce === undefined ? {} : { exactlyOnce: options.exactlyOnce }),
  });
  return { runner, metrics, bufferDir };
}

/** A job record as the source tests read it back: the sequence register's value and the sample time. */
export interface SequenceSample {
  readonly sequence: number;
  readonly timestamp: number;
}

/**
 * The sequence samples of a topic's job records (taken GOOD), as a read_committed consumer sees them once no
 * transaction is open: a commit returns before the coordinator has written its markers to the partitions.
 */
export function readSamples(
  kafka: KafkaConfig,
  topic: string,
  /** Only this source's records (the job key's `sourceName`). */
  source?: string,
): Promise<{ readonly samples: SequenceSample[]; readonly stats: CommittedReadStats }> {
  return eventually(`the transactions of ${topic} to be complete`, async () => {
    const samples: SequenceSample[] = [];
    const stats = await readCommitted(kafka, topic, (record) => {
      if (source !== undefined) {
        const key = JSON.parse(record.key?.toString("utf8") ?? "{}") as { sourceName?: string };
        if (key.sourceName !== source) return;
      }
      const value = decodeJson(record.value?.toString("utf8") ?? "null") as {
        tags: { sequence: number | null };
        timestamp: number;
      };
      if (value.tags.sequence !== null) samples.push({ sequence: value.tags.sequence, timestamp: value.timestamp });
    });
    return stats.open === 0 ? { samples, stats } : undefined;
  });
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

/** The value of the one series of metric `name` (one source: polls taken, records waiting in its buffer). */
export async function metricValue(metrics: ConnectMetrics, name: string): Promise<number> {
  const text = await metrics.metricsText();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`));
  return Number(line?.split(" ").at(-1));
}
