// One source of a connector at work: sampling, records, the on-disk buffer, the producer, and their metrics.
import { join } from "node:path";
import type { Producer } from "@platformatic/kafka";
import { createProducer, explainKafkaError, type KafkaConfig } from "../../kafka/index.ts";
import type { ConnectionManager, HealthState, Schedule } from "../../plc/index.ts";
import { type BufferedRecord, type CapEvent, StoreAndForward } from "../buffer/index.ts";
import type { DeliveryConfig, SourceConfig } from "../config/model.ts";
import { JobFormatter } from "../records/index.ts";
import type { ConnectMetrics, JobInstruments } from "../rest/metrics.ts";
import type { LiveSource, LiveTag } from "../service.ts";
import { Delivery } from "./delivery.ts";
import type { JobSample } from "./job-sampler.ts";
import { SourceTask } from "./source-task.ts";

/** Where the runtime reports what people must see: a cap reached, Kafka away, a device lost. */
export interface ConnectLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface SourceRunnerOptions {
  readonly connector: string;
  readonly workerId: string;
  readonly source: SourceConfig;
  readonly delivery: DeliveryConfig;
  readonly manager: ConnectionManager;
  readonly kafka: KafkaConfig;
  readonly metrics: ConnectMetrics;
  readonly log: ConnectLog;
  readonly clock?: () => number;
  readonly schedule: Schedule;
}

/** A failing broker is reported when it starts failing and then at most this often, not on every retry. */
const SEND_ERROR_REPORT_MS = 30_000;
/** A send not acknowledged for this long means Kafka is away or overloaded: say so while the client retries. */
const STALLED_SEND_MS = 5_000;

export class SourceRunner {
  readonly #options: SourceRunnerOptions;
  readonly #task: SourceTask;
  readonly #buffer: StoreAndForward;
  readonly #producer: Producer<Buffer, Buffer, string, Buffer>;
  readonly #delivery: Delivery;
  readonly #formatters = new Map<string, JobFormatter>();
  readonly #instruments = new Map<string, JobInstruments>();
  #lastSendErrorReport = 0;
  #refusedSamples = 0;
  #stoppingSampling: Promise<void> | undefined;

  private constructor(options: SourceRunnerOptions, buffer: StoreAndForward) {
    this.#options = options;
    this.#buffer = buffer;
    const { connector, source, metrics, log } = options;
    const labels = { connector, source: source.name };
    for (const job of source.jobs) {
      this.#formatters.set(job.name, new JobFormatter(source.name, job));
      this.#instruments.set(job.name, metrics.job({ ...labels, job: job.name }));
    }
    this.#producer = createProducer<Buffer, Buffer, string, Buffer>(options.kafka, {
      clientId: `fabrik-connect-${connector}-${source.name}`,
    });
    this.#delivery = new Delivery({
      buffer,
      send: (records) => this.#send(records),
      batchSize: options.delivery.batchSize,
      lingerMs: options.delivery.lingerMs,
      schedule: options.schedule,
      onDelivered: (records) => {
        metrics.recordProduced(labels, records.length);
        this.#reportDepth();
        if (this.#lastSendErrorReport !== 0) {
          log.info(`${connector}/${source.name}: Kafka takes records again; the buffer replays in order`);
          this.#lastSendErrorReport = 0;
        }
      },
      onSendError: (error) => {
        metrics.recordProducerErrors(labels);
        const now = Date.now();
        if (now - this.#lastSendErrorReport >= SEND_ERROR_REPORT_MS) {
          this.#lastSendErrorReport = now;
          const depth = buffer.depth;
          log.warn(
            `${connector}/${source.name}: Kafka did not take records (${explainKafkaError(error)}); ` +
              `${depth.records} records wait in the buffer at ${buffer.dir} and are retried`,
          );
        }
      },
      onRefused: (count, error) => {
        this.#refusedSamples += count;
        log.error(`${connector}/${source.name}: ${error.message}; sampling stops until Kafka takes records again`);
      },
      onBufferError: (count, error) =>
        log.error(
          `${connector}/${source.name}: ${count} records could not be written to the buffer: ${describe(error)}`,
        ),
    });
    this.#task = new SourceTask({
      connector,
      source,
      manager: options.manager,
      clock: options.clock ?? Date.now,
      schedule: options.schedule,
      onSample: (sample) => this.#sampled(sample),
      onOverrun: (job) => this.#instruments.get(job)?.recordError("OVERRUN"),
      onError: (job, error) => log.error(`${connector}/${source.name}/${job}: read failed: ${describe(error)}`),
      onHealth: (state: HealthState) => metrics.setConnectionState(labels, state),
    });
  }

  /** Opens the buffer (replaying what an earlier run left), starts delivery, then sampling. */
  static async start(options: SourceRunnerOptions): Promise<SourceRunner> {
    const { connector, source, delivery, log, metrics } = options;
    const labels = { connector, source: source.name };
    const buffer = await StoreAndForward.open(join(delivery.buffer.dir, connector, source.name), {
      maxBytes: delivery.buffer.maxBytes,
      maxAgeMs: delivery.buffer.maxAgeMs,
      whenFull: delivery.buffer.whenFull,
      onCapReached: (event: CapEvent) => {
        if (event.dropped > 0) metrics.recordBufferDropped(labels, event.dropped);
        log.error(
          `${connector}/${source.name}: the store-and-forward buffer reached its ${event.cap} cap ` +
            `(${event.measured} of ${event.limit}); policy ${event.policy}` +
            (event.dropped > 0 ? `: dropped the ${event.dropped} oldest records` : ": sampling stops"),
        );
      },
    });
    if (buffer.recovery.records > 0) {
      log.info(`${connector}/${source.name}: ${buffer.recovery.records} records from an earlier run replay first`);
    }
    const runner = new SourceRunner(options, buffer);
    runner.#delivery.start();
    await runner.#task.start();
    return runner;
  }

  get name(): string {
    return this.#options.source.name;
  }

  /** Stops sampling and releases the device; what was sampled is still delivered. */
  stopSampling(): Promise<void> {
    this.#stoppingSampling ??= this.#task.stop();
    return this.#stoppingSampling;
  }

  /** Stops sampling, writes what was sampled to the buffer, stops sending; unsent records wait on disk. */
  async stop(): Promise<void> {
    await this.stopSampling();
    await this.#delivery.stop();
    await this.#producer.close();
    await this.#buffer.close();
  }

  /** Resolves once everything sampled so far is in Kafka. */
  drained(): Promise<void> {
    return this.#delivery.drained();
  }

  live(): LiveSource {
    const tags: LiveTag[] = [];
    const addresses = new Map(
      this.#options.source.jobs.map((job) => [job.name, new Map(job.tags.map((t) => [t.alias, t.address]))]),
    );
    for (const [job, readings] of this.#task.latest()) {
      for (const [alias, reading] of readings) {
        tags.push({
          alias,
          job,
          address: addresses.get(job)?.get(alias) ?? "",
          code: reading.code,
          quality: reading.quality,
          value: reading.code === "OK" ? reading.value : null,
          sampledAt: reading.sampledAt,
          ...(reading.code === "OK" ? {} : { message: reading.message }),
        });
      }
    }
    return {
      source: this.name,
      connector: this.#options.connector,
      worker_id: this.#options.workerId,
      health: this.#task.health,
      tags,
    };
  }

  #sampled(sample: JobSample): void {
    const instruments = this.#instruments.get(sample.job);
    let bad = 0;
    let count = 0;
    for (const alias in sample.readings) {
      count++;
      if (sample.readings[alias]!.code !== "OK") bad++;
    }
    if (sample.latencyMs !== undefined) instruments?.observePoll(sample.latencyMs / 1000, count);
    if (bad > 0) instruments?.recordError("BAD_TAG", bad);
    if (!this.#delivery.accepting) {
      this.#refusedSamples++;
      return;
    }
    const records = this.#formatters.get(sample.job)?.records(sample) ?? [];
    this.#delivery.submit(records.map(toBuffered));
  }

  async #send(records: readonly BufferedRecord[]): Promise<void> {
    const started = performance.now();
    // The client retries a batch for a long time on its own (keeping its sequence numbers, so the broker can drop a
    // duplicate); people should hear that Kafka is away long before it gives up.
    const cancelWarning = this.#options.schedule(() => this.#reportStalled(), STALLED_SEND_MS);
    try {
      await this.#produce(records);
    } finally {
      cancelWarning();
    }
    this.#options.metrics.observeProducerAck(
      { connector: this.#options.connector, source: this.name },
      (performance.now() - started) / 1000,
    );
  }

  #reportStalled(): void {
    const { connector, log } = this.#options;
    this.#lastSendErrorReport = Date.now();
    log.warn(
      `${connector}/${this.name}: Kafka did not take records for ${STALLED_SEND_MS / 1000} s; ` +
        `${this.#buffer.depth.records} records wait in the buffer at ${this.#buffer.dir} and are retried`,
    );
  }

  async #produce(records: readonly BufferedRecord[]): Promise<void> {
    await this.#producer.send({
      messages: records.map((record) => ({
        topic: record.topic,
        key: record.key ?? undefined,
        value: record.value ?? undefined,
        timestamp: BigInt(record.timestamp),
        ...(record.headers === undefined ? {} : { headers: Object.fromEntries(record.headers) }),
      })),
    });
  }

  #reportDepth(): void {
    const depth = this.#buffer.depth;
    this.#options.metrics.setBufferDepth(
      { connector: this.#options.connector, source: this.name },
      depth.records,
      depth.bytes,
    );
  }
}

function toBuffered(record: { topic: string; key: string; value: string; timestamp: number }): BufferedRecord {
  return {
    topic: record.topic,
    key: Buffer.from(record.key),
    value: Buffer.from(record.value),
    timestamp: record.timestamp,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
