// What the sink integration tests share: a sink runner that cleans up after its test, records to produce, the dead
// letters to read back, the outcomes as they come, and reads of the simulated PLC over its own connection.
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import { validateConnectorConfig } from "../../../src/connect/config/index.ts";
import type { ConnectLog } from "../../../src/connect/log.ts";
import { ConnectMetrics } from "../../../src/connect/rest/metrics.ts";
import { type SinkOutcome, SinkRunner } from "../../../src/connect/sink/index.ts";
import {
  createConsumer,
  createProducer,
  type KafkaConfig,
  type Message,
  stringDeserializers,
} from "../../../src/kafka/index.ts";
import { ConnectionManager, connect, drivers, type ReadResponse, realSchedule } from "../../../src/plc/index.ts";
import { uniqueTopic } from "../../support/kafka.ts";

/** The outcomes of a runner in order; `next` waits for the next one not yet taken. */
export class Outcomes {
  readonly #seen: SinkOutcome[] = [];
  readonly #waiting: ((outcome: SinkOutcome) => void)[] = [];
  #taken = 0;

  readonly push = (outcome: SinkOutcome): void => {
    this.#seen.push(outcome);
    this.#waiting.shift()?.(outcome);
  };

  get all(): readonly SinkOutcome[] {
    return this.#seen;
  }

  next(what: string, timeoutMs = 30_000): Promise<SinkOutcome> {
    const index = this.#taken++;
    const seen = this.#seen[index];
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
        timeoutMs,
      );
      // Outcomes come in order, so the n-th waiter gets the n-th outcome.
      this.#waiting.push((outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
    });
  }
}

/** Keeps every line, so a test can check what people are told. */
export class RecordingLog implements ConnectLog {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(`info: ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn: ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error: ${message}`);
  }
}

export interface StartedSink {
  readonly runner: SinkRunner;
  readonly outcomes: Outcomes;
  readonly metrics: ConnectMetrics;
  readonly log: RecordingLog;
  readonly manager: ConnectionManager;
}

/**
 * Starts sink `name` of a connector "line", configured as a connector file spells it. When the test ends the runner
 * stops and its connection manager closes, before cleanups the test registers afterwards (the plant) run.
 */
export async function startSink(
  t: TestContext,
  kafka: KafkaConfig,
  name: string,
  sink: Readonly<Record<string, unknown>>,
): Promise<StartedSink> {
  const manager = new ConnectionManager({ registry: drivers, backoff: { baseMs: 50, capMs: 200 } });
  const metrics = new ConnectMetrics();
  const outcomes = new Outcomes();
  const log = new RecordingLog();
  const { config } = validateConnectorConfig({ name: "line", sinks: { [name]: sink } });
  const runner = await SinkRunner.start({
    connector: config.name,
    workerId: "test-worker",
    sink: config.sinks[0]!,
    manager,
    kafka,
    metrics,
    log,
    schedule: realSchedule,
    retryBackoff: { baseMs: 20, capMs: 100 },
    random: () => 0.5,
    onOutcome: outcomes.push,
  });
  t.after(async () => {
    await runner.stop();
    await manager.close();
  });
  return { runner, outcomes, metrics, log, manager };
}

export interface ProducedRecord {
  readonly key?: string;
  /** Text, or bytes for a value that is not text. */
  readonly value: string | Buffer | null;
  readonly timestamp?: bigint;
  readonly headers?: Readonly<Record<string, string>>;
}

export async function produce(kafka: KafkaConfig, topic: string, records: readonly ProducedRecord[]): Promise<void> {
  const producer = createProducer<Buffer, Buffer, Buffer, Buffer>(kafka);
  try {
    await producer.send({
      messages: records.map((record) => ({
        topic,
        key: record.key === undefined ? undefined : Buffer.from(record.key),
        value: record.value === null ? undefined : Buffer.from(record.value),
        ...(record.timestamp === undefined ? {} : { timestamp: record.timestamp }),
        // Header names as bytes: without serializers the client writes what it is given.
        headers: new Map(Object.entries(record.headers ?? {}).map(([k, v]) => [Buffer.from(k), Buffer.from(v)])),
      })),
    });
  } finally {
    await producer.close();
  }
}

export type TextMessage = Message<string, string, string, string>;

/** The first `count` records of `topic` (the dead letter topic), from its beginning. */
export async function readRecords(kafka: KafkaConfig, topic: string, count: number): Promise<TextMessage[]> {
  const consumer = createConsumer(kafka, { groupId: uniqueTopic("dlq-reader"), deserializers: stringDeserializers });
  const records: TextMessage[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: "earliest" });
    for await (const message of stream) {
      records.push(message);
      if (records.length === count) break;
    }
  } finally {
    await consumer.close(true);
  }
  return records;
}

/** A record's headers as name → text. */
export function headersOf(message: TextMessage): Map<string, string> {
  return new Map(message.headers);
}

/** Reads tags from the PLC over a connection of its own, so what the sink did is seen from outside it. */
export async function readPlc(url: string, tags: Readonly<Record<string, string>>): Promise<ReadResponse> {
  const connection = await connect(url);
  try {
    return await connection.read(tags);
  } finally {
    await connection.close();
  }
}

/** The value of every tag, failing if one could not be read. */
export async function plcValues(url: string, tags: Readonly<Record<string, string>>): Promise<Record<string, unknown>> {
  const readings = await readPlc(url, tags);
  return Object.fromEntries(
    Object.entries(readings).map(([alias, reading]) => {
      assert.equal(reading.code, "OK", `reading ${alias}: ${reading.code === "OK" ? "" : reading.message}`);
      return [alias, reading.code === "OK" ? reading.value : undefined];
    }),
  );
}

/** Writes tags on the PLC directly, as an operator at the panel would. */
export async function writePlc(url: string, tags: Readonly<Record<string, { address: string; value: unknown }>>) {
  const connection = await connect(url);
  try {
    const results = await connection.write(tags);
    for (const [alias, result] of Object.entries(results)) assert.equal(result.code, "OK", `writing ${alias}`);
  } finally {
    await connection.close();
  }
}
