// One source of a connector at work: sampling, records, the on-disk buffer, the producer, and their metrics.
import { join } from "node:path";
import { explainKafkaError, isRecordTooLarge, type KafkaConfig } from "../../kafka/index.ts";
import {
  type ConnectionManager,
  DeadlineGroup,
  errorMessage,
  type HealthState,
  type Schedule,
} from "../../plc/index.ts";
import { type BufferedRecord, type CapEvent, StoreAndForward } from "../buffer/index.ts";
import type { DeliveryConfig, SourceConfig } from "../config/model.ts";
import type { ConnectLog } from "../log.ts";
import { JobFormatter } from "../records/index.ts";
import type { ConnectMetrics, JobInstruments } from "../rest/metrics.ts";
import type { LiveSource, LiveTag } from "../service.ts";
import { Delivery } from "./delivery.ts";
import { SourceFencedError } from "./errors.ts";
import type { JobSample } from "./job-sampler.ts";
import { keepRejected } from "./rejected.ts";
import { IdempotentSender, type Sender } from "./sender.ts";
import { SourceTask } from "./source-task.ts";
import { TransactionalSender } from "./transactional-sender.ts";

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
  /** Absent: at least once (an idempotent producer; a crash between Kafka's ack and the buffer's replays a batch). */
  readonly exactlyOnce?: ExactlyOnceOptions;
  /** Told after each batch of records reached the buffer (an append resolved): what a crash can no longer lose. */
  readonly onBuffered?: (records: readonly BufferedRecord[]) => void;
}

/** Exactly-once delivery: every batch in a Kafka transaction with the buffer position it reaches (transactional-sender.ts). */
export interface ExactlyOnceOptions {
  /** One per source and group, the same on every worker: `fabrik-{group}-{connector}-{source}`. */
  readonly transactionalId: string;
  /** Where the committed buffer positions are kept (offsets.ts); the caller creates it. */
  readonly offsetsTopic: string;
  /** Another owner took the transactional id: this runner stopped sending and sampling for good. */
  readonly onFenced?: (error: SourceFencedError) => void;
}

/** Where a source's records that Kafka refuses for their size are kept (rejected.ts), beside its buffer. */
export function rejectedPath(bufferDir: string, connector: string, source: string): string {
  return join(bufferDir, "rejected", connector, `${source}.jsonl`);
}

/** A failing broker is reported when it starts failing and then at most this often, not on every retry. */
const SEND_ERROR_REPORT_MS = 30_000;
/** How long stop waits for a send in flight before it drops it (its records stay in the buffer). */
const STOP_GRACE_MS = 2_000;
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
  readonly #sender: Sender;
  readonly #delivery: Delivery;
  readonly #jobs = new Map<string, JobParts>();
  #lastSendErrorReport = 0;
  #stoppingSampling: Promise<void> | undefined;
  /** The highest buffer position handed to Kafka by this process (whether or not the send succeeded). */
  #highestSent = -1;
  #fenced: SourceFencedError | undefined;

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
    const clientId = `fabrik-connect-${connector}-${source.name}`;
    const exactlyOnce = options.exactlyOnce;
    this.#sender =
      exactlyOnce === undefined
        ? new IdempotentSender(options.kafka, clientId)
        : new TransactionalSender({
            kafka: options.kafka,
            clientId,
            connector,
            source: source.name,
            transactionalId: exactlyOnce.transactionalId,
            offsetsTopic: exactlyOnce.offsetsTopic,
            bufferId: buffer.id,
          });
    const resume = this.#sender.resume;
    this.#delivery = new Delivery({
      buffer,
      send: (records, position) => this.#send(records, position),
      ...(resume === undefined ? {} : { resume: () => this.#resume(resume) }),
      isFatal: (error) => error instanceof SourceFencedError,
      isTooLarge: isRecordTooLarge,
      setAside: async (record, error) => {
        const path = rejectedPath(options.delivery.buffer.dir, connector, source.name);
        await keepRejected(path, record, explainKafkaError(error), (options.clock ?? Date.now)());
        metrics.recordRejected(labels);
        log.error(
          `${connector}/${source.name}: Kafka refused a ${record.value?.length ?? 0}-byte record for topic ` +
            `${record.topic} as too large (the topic's max.message.bytes); it is set aside in ${path}`,
        );
      },
      onHalted: (error) => {
        if (error instanceof SourceFencedError) this.#fence(error);
      },
      batchSize: options.delivery.batchSize,
      lingerMs: options.delivery.lingerMs,
      schedule: options.schedule,
      onStored: (records) => {
        this.#reportDepth();
        options.onBuffered?.(records);
      },
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

  /** True once another owner took this source's transactional id (exactly-once only): the runner sends no more. */
  get fenced(): boolean {
    return this.#fenced !== undefined;
  }

  /** Stops sampling and releases the device; what was sampled is still delivered. */
  stopSampling(): Promise<void> {
    this.#stoppingSampling ??= this.#task.stop();
    return this.#stoppingSampling;
  }

  /** Stops sampling, writes what was sampled to the buffer, stops sending; unsent records wait on disk. */
  async stop(): Promise<void> {
    await this.stopSampling();
    const stopped = this.#delivery.stop();
    // A send Kafka does not answer (broker away, topic missing) would hold stop for as long as the client retries:
    // after a grace period the producer is closed under it, and its batch stays in the buffer for the next run.
    await new DeadlineGroup(this.#options.schedule).run(stopped, STOP_GRACE_MS);
    await this.#sender.close();
    await stopped;
    await this.#buffer.close();
  }

  /** Resolves once everything sampled so far is in Kafka; rejects with SourceFencedError if the runner was fenced. */
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

  async #send(records: readonly BufferedRecord[], position: number): Promise<void> {
    const started = performance.now();
    // Before the send: a send that fails may still have committed, and resume must then accept this position.
    this.#highestSent = Math.max(this.#highestSent, position);
    await this.#warnWhileStalled(() => this.#sender.send(records, position));
    this.#options.metrics.observeProducerAck(
      { connector: this.#options.connector, source: this.name },
      (performance.now() - started) / 1000,
    );
  }

  /** Readies the exactly-once sender; answers how far Kafka holds this buffer, for delivery to acknowledge. */
  async #resume(resume: NonNullable<Sender["resume"]>): Promise<number | undefined> {
    const offset = await this.#warnWhileStalled(resume);
    if (offset === undefined || offset.bufferId !== this.#buffer.id) return undefined;
    // Kafka can hold only positions this buffer stored in earlier runs or sent in this one. A committed position beyond
    // them means the buffer lost its tail (a power loss before a sync) and gives those positions to new records now.
    const stored = Math.max(this.#buffer.recovery.nextPosition - 1, this.#highestSent);
    if (offset.position > stored) {
      this.#options.log.warn(
        `${this.#options.connector}/${this.name}: Kafka holds buffer position ${offset.position} but the buffer at ` +
          `${this.#buffer.dir} stored only up to ${stored} (records lost before a sync); newer records are sent`,
      );
    }
    return Math.min(offset.position, stored);
  }

  /** The client retries on its own for a long time; people should hear that Kafka is away long before it gives up. */
  async #warnWhileStalled<T>(work: () => Promise<T>): Promise<T> {
    const cancelWarning = this.#options.schedule(
      () => this.#reportKafkaAway(`for ${STALLED_SEND_MS / 1000} s`),
      STALLED_SEND_MS,
    );
    try {
      return await work();
    } finally {
      cancelWarning();
    }
  }

  #fence(error: SourceFencedError): void {
    this.#fenced = error;
    const { connector, log, exactlyOnce } = this.#options;
    log.error(
      `${error.message}: this runner stops sending and sampling; ${this.#buffer.depth.records} records stay in the ` +
        `buffer at ${this.#buffer.dir}`,
    );
    exactlyOnce?.onFenced?.(error);
    this.stopSampling().catch((stopError: unknown) =>
      log.error(`${connector}/${this.name}: stopping sampling failed: ${errorMessage(stopError)}`),
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
