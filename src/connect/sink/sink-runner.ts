// One sink of a connector at work: a consumer group on its topics, writes to the device, dead letters, offsets, metrics.
import { FetchIsolationLevels } from "@platformatic/kafka";
import {
  type Consumer,
  consumeOwned,
  createConsumer,
  explainKafkaError,
  type KafkaConfig,
  type Message,
  type OwnedStream,
} from "../../kafka/index.ts";
import {
  Backoff,
  type BackoffPolicy,
  type ConnectionManager,
  DeadlineGroup,
  type DriverRegistry,
  drivers,
  type HealthState,
  type ManagedConnection,
  type RandomSource,
  type Schedule,
} from "../../plc/index.ts";
import type { SinkConfig } from "../config/model.ts";
import type { ConnectLog } from "../log.ts";
import type { ConnectMetrics, SinkLabels } from "../rest/metrics.ts";
import { AllowList } from "./allow-list.ts";
import type { ConsumedRecord } from "./dead-letter.ts";
import { DeadLetterQueue } from "./dead-letter-queue.ts";
import type { DeadLetterReason, SinkError } from "./errors.ts";
import { RecordWriter } from "./record-writer.ts";
import { StoppableWaits } from "./stoppable-waits.ts";
import { WarningLimiter } from "./warning-limiter.ts";
import { planRecord } from "./write-plan.ts";

/** How long stop waits for Kafka to take the last commits and the group leave before closing the consumer at once. */
const STOP_GRACE_MS = 2_000;

export interface SinkRunnerOptions {
  readonly connector: string;
  readonly workerId: string;
  readonly sink: SinkConfig;
  readonly manager: ConnectionManager;
  readonly kafka: KafkaConfig;
  readonly metrics: ConnectMetrics;
  readonly log: ConnectLog;
  readonly schedule: Schedule;
  /** For `expires`; Date.now by default. */
  readonly clock?: () => number;
  /** Kafka Connect's task number, for the dead letters' `__connect.errors.task.id`; 0 by default. */
  readonly taskId?: number;
  /** Where the allow-list's address grammar comes from; the default registry (`drivers`) by default. */
  readonly registry?: DriverRegistry;
  /** Delays between write attempts of a record. */
  readonly retryBackoff?: Partial<BackoffPolicy>;
  /** Jitter of every backoff; Math.random by default. */
  readonly random?: RandomSource;
  /** Hears every record once it was handled and its offset handed to the commit (for status pages and tests). */
  readonly onOutcome?: (outcome: SinkOutcome) => void;
}

/** What became of one record. */
export interface SinkOutcome {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly result: "WRITTEN" | DeadLetterReason;
  /** Writes sent to the device for it: 0 for a record refused before any. */
  readonly attempts: number;
  /** Why it went to the dead letters. */
  readonly message?: string;
}

export interface SinkStatus {
  readonly state: "RUNNING" | "STOPPED";
  /** The device's connection. */
  readonly health: HealthState;
  /** Records written, and records sent to the dead letter topic, by this runner. */
  readonly written: number;
  readonly deadLettered: number;
  /** What keeps the sink from consuming while it lasts (it retries): for a task's status trace. */
  readonly trace: string | undefined;
}

/** PLC4X's sink waits its `timeout` between attempts; a jittered, growing delay spares a device that is struggling. */
const WRITE_BACKOFF: BackoffPolicy = { baseMs: 250, factor: 2, capMs: 5_000 };
const KAFKA_BACKOFF: BackoffPolicy = { baseMs: 250, factor: 2, capMs: 10_000 };
/** Dead letters and Kafka trouble are said at once, then at most once per this long. */
const WARNING_WINDOW_MS = 30_000;

/**
 * Records are handled one at a time, in the order the consumer delivers them, so an offset is committed only after
 * its record and every one before it in the partition was written or dead-lettered. A record is delivered again only
 * when the runner stopped (or lost its partition) after writing it but before the commit: at least once, never lost.
 */
export class SinkRunner {
  readonly #options: SinkRunnerOptions;
  readonly #labels: SinkLabels;
  readonly #label: string;
  readonly #allowList: AllowList;
  readonly #connection: ManagedConnection;
  readonly #writer: RecordWriter;
  readonly #deadLetters: DeadLetterQueue;
  readonly #deadLetterWarnings: WarningLimiter;
  readonly #kafkaWarnings: WarningLimiter;
  readonly #waits: StoppableWaits;
  readonly #commits = new Set<Promise<void>>();
  #running: Promise<void> = Promise.resolve();
  #consumer: Consumer<Buffer, Buffer, Buffer, Buffer> | undefined;
  #stream: OwnedStream<Buffer, Buffer, Buffer, Buffer> | undefined;
  #stopping: Promise<void> | undefined;
  #written = 0;
  #deadLettered = 0;
  #trace: string | undefined;

  private constructor(options: SinkRunnerOptions, allowList: AllowList, connection: ManagedConnection) {
    const { connector, sink, schedule, log } = options;
    const random = options.random ?? Math.random;
    this.#options = options;
    this.#labels = { connector, sink: sink.name };
    this.#label = `${connector}/${sink.name}`;
    this.#allowList = allowList;
    this.#connection = connection;
    this.#waits = new StoppableWaits(schedule);
    this.#writer = new RecordWriter({
      connection,
      retries: sink.retries,
      timeoutMs: sink.timeoutMs,
      backoff: new Backoff({ ...WRITE_BACKOFF, ...options.retryBackoff }, random),
      schedule,
      clock: options.clock ?? Date.now,
    });
    const limiter = (what: string) =>
      new WarningLimiter({
        warn: (message) => log.warn(message),
        windowMs: WARNING_WINDOW_MS,
        schedule,
        summary: (count, latest) =>
          `${this.#label}: ${count} more ${what} in ${WARNING_WINDOW_MS / 1000} s; latest: ${latest}`,
      });
    this.#deadLetterWarnings = limiter("dead letters");
    this.#kafkaWarnings = limiter("Kafka problems");
    this.#deadLetters = new DeadLetterQueue({
      kafka: options.kafka,
      clientId: `fabrik-sink-${connector}-${sink.name}-dlq`,
      topic: sink.deadLetterTopic,
      connector,
      taskId: options.taskId ?? 0,
      schedule,
      backoff: new Backoff(KAFKA_BACKOFF, random),
      onError: (error, what) =>
        this.#kafkaWarnings.warn(
          what === "topic"
            ? `${this.#label}: could not check or create dead letter topic ${sink.deadLetterTopic} ` +
                `(${explainKafkaError(error)}); sending to it all the same`
            : `${this.#label}: dead letter topic ${sink.deadLetterTopic} did not take a record ` +
                `(${explainKafkaError(error)}); retrying, and the sink consumes nothing else meanwhile`,
        ),
    });
  }

  /**
   * Checks the allow-list against the device's address grammar, takes a handle on the device's shared connection and
   * starts consuming. Rejects, having started nothing, when the sink cannot run at all: a URL or an allow-listed
   * address its driver refuses (InvalidUrlError, UnknownProtocolError, InvalidAddressError...; the config validator
   * catches these first). Kafka being away does not reject: the runner retries, and `status().trace` says why.
   */
  static async start(options: SinkRunnerOptions): Promise<SinkRunner> {
    const { sink, log } = options;
    const { url, driver } = (options.registry ?? drivers).check(sink.url);
    const allowList = AllowList.of(sink.tags, driver);
    const connection = await options.manager.acquire(url);
    const runner = new SinkRunner(options, allowList, connection);
    log.info(
      `${runner.#label}: writing records of ${sink.topics.join(", ")} to ${url.redacted} ` +
        `(may write ${allowList.aliases.join(", ")}); dead letters go to ${sink.deadLetterTopic}`,
    );
    runner.#running = runner.#run();
    return runner;
  }

  get name(): string {
    return this.#options.sink.name;
  }

  status(): SinkStatus {
    return {
      state: this.#stopping === undefined ? "RUNNING" : "STOPPED",
      health: this.#connection.health.state,
      written: this.#written,
      deadLettered: this.#deadLettered,
      trace: this.#trace,
    };
  }

  /**
   * Stops consuming; a write in progress is abandoned (it may or may not reach the device) and its record is not
   * committed, so the next owner of the partition writes it again. Offsets already handed over are committed, then the
   * consumer leaves the group and the device handle is released. Safe to call twice.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#waits.stop();
      this.#writer.abandon();
      this.#deadLetters.abandon();
      // Closing the stream ends the loop's wait for the next record; without one yet, a join may be in progress.
      await (this.#stream?.close() ?? this.#consumer?.close(true))?.catch(() => {});
      // Commits in flight and leaving the group politely wait on Kafka; one that does not answer would hold stop for
      // the client's whole timeouts. After a grace period the consumer is closed at once (the group then rebalances
      // after its session timeout instead of at once).
      await new DeadlineGroup(this.#options.schedule).run(this.#running, STOP_GRACE_MS);
      await this.#consumer?.close(true).catch(() => {});
      await this.#running;
      await this.#deadLetters
        .close()
        .catch((error: unknown) => this.#kafkaProblem("closing the dead letter producer", error, "stopping anyway"));
      this.#deadLetterWarnings.stop();
      this.#kafkaWarnings.stop();
      await this.#connection.release();
      this.#options.log.info(`${this.#label}: stopped`);
    })();
    return this.#stopping;
  }

  /** Consumes until stopped; a consumer that fails is closed and a new one joins after a backoff. */
  async #run(): Promise<void> {
    const backoff = new Backoff(KAFKA_BACKOFF, this.#options.random ?? Math.random);
    while (!this.#waits.stopped) {
      try {
        await this.#consume(() => backoff.reset());
      } catch (error) {
        if (this.#waits.stopped) return;
        this.#kafkaProblem(`consuming ${this.#options.sink.topics.join(", ")}`, error);
      }
      await this.#waits.wait(backoff.next());
    }
  }

  async #consume(onRecord: () => void): Promise<void> {
    const { kafka, sink, connector } = this.#options;
    const consumer = createConsumer<Buffer, Buffer, Buffer, Buffer>(kafka, {
      groupId: sink.groupId,
      clientId: `fabrik-sink-${connector}-${sink.name}`,
      // A record of a transaction that is later aborted must never reach a machine.
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
    });
    this.#consumer = consumer;
    let stream: OwnedStream<Buffer, Buffer, Buffer, Buffer> | undefined;
    try {
      stream = await consumeOwned(consumer, {
        topics: [...sink.topics],
        mode: "committed",
        // Kafka Connect's sinks start a new group at the beginning of their topics; `expires` keeps old commands off.
        fallbackMode: "earliest",
        autocommit: false,
      });
      this.#stream = stream;
      if (this.#waits.stopped) return;
      for await (const message of stream.messages) {
        onRecord();
        this.#trace = undefined;
        const outcome = await this.#handle(message);
        if (outcome === undefined) return;
        this.#commit(message);
        this.#tell(outcome);
        if (this.#waits.stopped) return;
      }
    } finally {
      this.#stream = undefined;
      await stream
        ?.close()
        .catch((error: unknown) => this.#kafkaProblem("closing the record stream", error, "continuing"));
      await Promise.allSettled(this.#commits);
      await consumer
        .close()
        .catch((error: unknown) => this.#kafkaProblem("leaving the consumer group", error, "continuing"));
      this.#consumer = undefined;
    }
  }

  /** Writes or dead-letters one record; undefined when abandoned by stop (the record is then not committed). */
  async #handle(message: Message<Buffer, Buffer, Buffer, Buffer>): Promise<SinkOutcome | undefined> {
    const { metrics, clock } = this.#options;
    const planned = planRecord(message, this.#allowList, (clock ?? Date.now)());
    if (!planned.ok) return this.#deadLetter(message, planned.error, 0);
    const outcome = await this.#writer.write(planned.plan);
    if (outcome.kind === "abandoned") return undefined;
    if (outcome.written > 0) metrics.recordSinkWrites(this.#labels, outcome.written);
    if (outcome.kind !== "written") return this.#deadLetter(message, outcome.error, outcome.attempts);
    this.#written++;
    return { ...where(message), result: "WRITTEN", attempts: outcome.attempts };
  }

  async #deadLetter(
    message: Message<Buffer, Buffer, Buffer, Buffer>,
    error: SinkError,
    attempts: number,
  ): Promise<SinkOutcome | undefined> {
    const record: ConsumedRecord = {
      ...where(message),
      key: message.key,
      value: message.value,
      timestamp: message.timestamp,
      headers: message.headers,
    };
    if (!(await this.#deadLetters.send(record, error))) return undefined;
    this.#options.metrics.recordDeadLetters(this.#labels);
    this.#deadLettered++;
    this.#deadLetterWarnings.warn(
      `${this.#label}: record ${message.topic}[${message.partition}]@${message.offset} went to ` +
        `${this.#deadLetters.topic} as ${error.code}: ${error.message}`,
    );
    return { ...where(message), result: error.code, attempts, message: error.message };
  }

  /** Hands the record's offset to the consumer's commit; stop waits for what is in flight. */
  #commit(message: Message<Buffer, Buffer, Buffer, Buffer>): void {
    const committing = message.commit();
    if (!(committing instanceof Promise)) return;
    const tracked: Promise<void> = committing
      .catch((error: unknown) =>
        this.#kafkaProblem(
          `committing offset ${message.offset + 1n} of ${message.topic}[${message.partition}]`,
          error,
          "the record may be written again after a restart or rebalance",
        ),
      )
      .finally(() => this.#commits.delete(tracked));
    this.#commits.add(tracked);
  }

  #tell(outcome: SinkOutcome): void {
    try {
      this.#options.onOutcome?.(outcome);
    } catch (error) {
      this.#options.log.error(`${this.#label}: the outcome listener failed: ${String(error)}`);
    }
  }

  #kafkaProblem(doing: string, error: unknown, then = "retrying"): void {
    this.#trace = `${doing} failed: ${explainKafkaError(error)}`;
    this.#kafkaWarnings.warn(`${this.#label}: ${this.#trace}; ${then}`);
  }
}

function where(message: Message<Buffer, Buffer, Buffer, Buffer>) {
  return { topic: message.topic, partition: message.partition, offset: message.offset };
}
