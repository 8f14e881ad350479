// One source of a connector at work: sampling, records, the on-disk buffer, the producer, and their metrics.
import { join } from "node:path";
import type { Producer } from "@platformatic/kafka";
import { createProducer, explainKafkaError, type KafkaConfig } from "../../kafka/index.ts";
import { type ConnectionManager, errorMessage, type HealthState, type Schedule } from "../../plc/index.ts";
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

/** What the runner keeps per job: its record formatter, its metrics, and its tags' addresses by alias (for `live`). */
interface JobParts {
  readonly formatter: JobFormatter;
  readonly instruments: JobInstruments;
  readonly addresses: ReadonlyMap<string, string>;
}

export class SourceRunner {
  readonly #options: SourceRunnerOptions;
  readonly #task: SourceTask;
  readonly #buffer: StoreAndForward;
  readonly #producer: Producer<Buffer, Buffer, string, Buffer>;
  readonly #delivery: Delivery;
  readonly #jobs = new Map<string, JobParts>();
  #lastSendErrorReport = 0;
  #stoppingSampling: Promise<void> | undefined;

  private constructor(options: SourceRunnerOptions, buffer: StoreAndForward) {
    this.#options = options;
    this.#buffer = buffer;
    const { connector, source, metrics, log } = options;
    const labels = { connector, source: source.name };
    for (const job of source.jobs) {
      this.#jobs.set(job.name, {
        formatter: new JobFormatter(source.name, job),
        instruments: metrics.job({ ...labels, job: job.name }),
        addresses: new Map(job.tags.map((tag) => [tag.alias, tag.address])),
      });
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
      onStored: () => this.#reportDepth(),
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
        if (Date.now() - this.#lastSendErrorReport >= SEND_ERROR_REPORT_MS) {
          this.#reportKafkaAway(`(${explainKafkaError(error)})`);
        }
      },
      onRefused: (error) =>
        log.error(`${connector}/${source.name}: ${error.message}; sampling stops until Kafka takes records again`),
      onBufferError: (count, error) =>
        log.error(
          `${connector}/${source.name}: ${count} records could not be written to the buffer: ${errorMessage(error)}`,
        ),
      onBufferReadError: (error) =>
        log.error(
          `${connector}/${source.name}: the buffer at ${buffer.dir} could not be read or acknowledged ` +
            `(${errorMessage(error)}); delivery retries`,
        ),
    });
    this.#task = new SourceTask({
      connector,
      source,
      manager: options.manager,
      clock: options.clock ?? Date.now,
      schedule: options.schedule,
      onSample: (sample) => this.#sampled(sample),
      onOverrun: (job) => this.#jobs.get(job)?.instruments.recordError("OVERRUN"),
      onError: (job, error) => log.error(`${connector}/${source.name}/${job}: read failed: ${errorMessage(error)}`),
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
    let runner: SourceRunner | undefined;
    try {
      runner = new SourceRunner(options, buffer);
      runner.#reportDepth();
      runner.#delivery.start();
      await runner.#task.start();
      return runner;
    } catch (error) {
      // Nobody else can stop a runner that never started: a buffer left open would keep its directory locked.
      await (runner === undefined ? buffer.close() : runner.stop());
      throw error;
    }
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
    for (const [job, readings] of this.#task.latest()) {
      const addresses = this.#jobs.get(job)?.addresses;
      for (const [alias, reading] of readings) {
        tags.push({
          alias,
          job,
          address: addresses?.get(alias) ?? "",
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
    const parts = this.#jobs.get(sample.job);
    let bad = 0;
    let count = 0;
    for (const alias in sample.readings) {
      count++;
      if (sample.readings[alias]!.code !== "OK") bad++;
    }
    if (sample.latencyMs !== undefined) parts?.instruments.observePoll(sample.latencyMs / 1000, count);
    if (bad > 0) parts?.instruments.recordError("BAD_TAG", bad);
    if (parts === undefined || !this.#delivery.accepting) return;
    this.#delivery.submit(parts.formatter.records(sample).map(toBuffered));
  }

  async #send(records: readonly BufferedRecord[]): Promise<void> {
    const started = performance.now();
    // The client retries a batch for a long time on its own (keeping its sequence numbers, so the broker can drop a
    // duplicate); people should hear that Kafka is away long before it gives up.
    const cancelWarning = this.#options.schedule(
      () => this.#reportKafkaAway(`for ${STALLED_SEND_MS / 1000} s`),
      STALLED_SEND_MS,
    );
    try {
      await this.#producer.send({
        messages: records.map((record) => ({
          topic: record.topic,
          key: record.key ?? undefined,
          value: record.value ?? undefined,
          timestamp: BigInt(record.timestamp),
          ...(record.headers === undefined ? {} : { headers: Object.fromEntries(record.headers) }),
        })),
      });
    } finally {
      cancelWarning();
    }
    this.#options.metrics.observeProducerAck(
      { connector: this.#options.connector, source: this.name },
      (performance.now() - started) / 1000,
    );
  }

  /** `why` completes "Kafka did not take records ...". */
  #reportKafkaAway(why: string): void {
    this.#lastSendErrorReport = Date.now();
    this.#options.log.warn(
      `${this.#options.connector}/${this.name}: Kafka did not take records ${why}; ` +
        `${this.#buffer.depth.records} records wait in the buffer at ${this.#buffer.dir} and are retried`,
    );
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
