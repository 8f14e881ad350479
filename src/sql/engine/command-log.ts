// The catalog's history: statements in one single-partition topic that every server of a service replays in order.
import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { ensureTopics, explainKafkaError, type KafkaConfig } from "../../kafka/index.ts";
import type { TopicInfo } from "../analysis/catalog.ts";
import type { InputRecord } from "../runtime/pipeline.ts";
import type { JsonValue } from "./entities.ts";
import { EngineError } from "./errors.ts";
import { type PartitionFetcher, standaloneFetcher } from "./fetcher.ts";
import { checkServiceId, commandTopic } from "./internal-names.ts";
import { type ByteProducer, createRecordProducer } from "./record-producer.ts";

/** The format of the commands this version writes; a higher one was written by a newer Fabrik and is not applied. */
export const COMMAND_VERSION = 1;

/**
 * One statement as the catalog applies it. Everything that decides the outcome is in it, so that every server, and
 * every restart, rebuilds the same catalog: the statement text, the properties in force when it was issued, and what
 * the issuing server saw of the topics it names. (The ids of the queries it starts follow from its sequence number.)
 */
export interface Command {
  /** One statement, as written (`CREATE STREAM …;`). */
  readonly statement: string;
  /** The properties in force for it: the request's and those SET before it. */
  readonly properties: Readonly<Record<string, JsonValue>>;
  /**
   * CREATE STREAM|TABLE: the topics as the issuing server found them, so that a replay after the topic was deleted
   * still rebuilds the source (its queries then show ERROR) instead of failing for want of PARTITIONS.
   */
  readonly topics?: Readonly<Record<string, TopicInfo>>;
}

export interface LoggedCommand {
  /** Its offset in the command topic: the order every server applies it in. */
  readonly sequence: number;
  readonly command: Command;
  /** When it was appended (the record's timestamp). */
  readonly timestamp: number;
  /** The server that appended it. */
  readonly origin: string;
}

export interface CommandLogOptions {
  readonly kafka: KafkaConfig;
  readonly serviceId: string;
  /** Names this server in the commands it appends (default: a random id). */
  readonly serverId?: string;
  /** Applies one command: called once per command, in sequence order, one at a time, and awaited. */
  readonly apply: (command: LoggedCommand) => void | Promise<void>;
  /** A record that is no command, or an `apply` that threw: reported here, skipped, and the log goes on. */
  readonly onProblem?: (sequence: number, error: Error) => void;
  /** First wait after Kafka failed to answer a poll; doubles up to 30 s. Default 1 s. */
  readonly retryMs?: number;
}

interface Waiter {
  readonly offset: bigint;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

const MAX_RETRY_MS = 30_000;

/**
 * Opens by reading the command topic from its start and applying every command (`open` resolves once it has read
 * what the topic held), then follows it: commands appended by any server are applied as they arrive. An append counts
 * once this log has read it back and applied it, so the answer to a statement reflects the catalog after it.
 *
 * Two servers appending at once serialize by the topic's single partition: each command gets the next offset, and
 * every server applies them in that order. What a statement was checked against before its append may be older than
 * what precedes it in the log, so `apply` checks again, and fails alike on every server.
 */
export class CommandLog {
  readonly topic: string;
  readonly serverId: string;
  readonly #options: CommandLogOptions;
  readonly #fetcher: PartitionFetcher;
  readonly #producer: ByteProducer;
  readonly #stop = new AbortController();
  /** Offset after the last record read and applied. */
  #readTo = 0n;
  #waiters: Waiter[] = [];
  #following: Promise<void> = Promise.resolve();
  #lastError: Error | undefined;

  private constructor(options: CommandLogOptions) {
    this.#options = options;
    this.topic = commandTopic(checkServiceId(options.serviceId));
    this.serverId = options.serverId ?? randomUUID();
    const clientId = `fabrik-sql-${options.serviceId}-commands`;
    // Not a group member: every server reads everything.
    this.#fetcher = standaloneFetcher(options.kafka, clientId);
    this.#producer = createRecordProducer(options.kafka, clientId);
  }

  static async open(options: CommandLogOptions): Promise<CommandLog> {
    const log = new CommandLog(options);
    try {
      await ensureTopics(
        options.kafka,
        [{ name: log.topic, partitions: 1, configs: { "cleanup.policy": "delete", "retention.ms": "-1" } }],
        "fabrik-sql-commands",
      );
      const partitions = (await log.#fetcher.partitionCounts([log.topic])).get(log.topic);
      if (partitions !== 1) {
        throw new EngineError(
          "SQL_KAFKA",
          `command topic ${log.topic} has ${partitions} partitions; it needs exactly 1 to keep the commands in order`,
          { topic: log.topic },
        );
      }
      log.#fetcher.seek(log.topic, 0, (await log.#fetcher.offsets(log.topic, "earliest"))[0] ?? 0n);
      const [end = 0n] = await log.#fetcher.offsets(log.topic, "latest");
      while (log.#readTo < end) await log.#readOnce();
      log.#following = log.#follow();
      return log;
    } catch (error) {
      await log.close();
      throw error;
    }
  }

  /** The sequence number the next command will have once read: how many commands this log has gone through. */
  get next(): number {
    return Number(this.#readTo);
  }

  /** Whether the last poll of the command topic succeeded (for health checks), and why not. */
  health(): { readonly healthy: boolean; readonly error: string | undefined } {
    return { healthy: this.#lastError === undefined, error: this.#lastError?.message };
  }

  /** Appends `command` and resolves with its sequence number once this log has applied it. */
  async append(command: Command, commandId?: string): Promise<number> {
    if (this.#stop.signal.aborted) throw this.#closed();
    const value = { version: COMMAND_VERSION, ...command, origin: this.serverId };
    const result = await this.#producer.send({
      messages: [
        {
          topic: this.topic,
          partition: 0,
          key: commandId === undefined ? undefined : Buffer.from(commandId, "utf8"),
          value: Buffer.from(JSON.stringify(value), "utf8"),
        },
      ],
    });
    const offset = result.offsets?.[0]?.offset;
    if (offset === undefined) throw new EngineError("SQL_KAFKA", `appending to ${this.topic}: no offset came back`);
    await this.#reached(offset + 1n);
    return Number(offset);
  }

  /** Resolves once every command the topic holds now has been applied (to check a statement against the latest). */
  async caughtUp(): Promise<void> {
    const [end = 0n] = await this.#fetcher.offsets(this.topic, "latest");
    await this.#reached(end);
  }

  async close(): Promise<void> {
    this.#stop.abort();
    for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#closed());
    // Ends a fetch in flight, and so the follow loop, at once.
    await this.#fetcher.close();
    await this.#following;
    await this.#producer.close().catch(() => {});
  }

  #closed(): EngineError {
    return new EngineError("SQL_COMMAND_LOG_CLOSED", `the command log of ${this.topic} is closed`);
  }

  async #follow(): Promise<void> {
    let wait = this.#options.retryMs ?? 1_000;
    while (!this.#stop.signal.aborted) {
      try {
        await this.#readOnce();
        this.#lastError = undefined;
        wait = this.#options.retryMs ?? 1_000;
      } catch (error) {
        if (this.#stop.signal.aborted) return;
        this.#lastError = new EngineError("SQL_KAFKA", `reading ${this.topic}: ${explainKafkaError(error)}`, {
          cause: error,
        });
        await delay(wait, undefined, { signal: this.#stop.signal }).catch(() => {});
        wait = Math.min(wait * 2, MAX_RETRY_MS);
      }
    }
  }

  async #readOnce(): Promise<void> {
    for (const record of await this.#fetcher.poll()) {
      if (this.#stop.signal.aborted) return;
      await this.#apply(record);
    }
    const position = this.#fetcher.position(this.topic, 0) ?? this.#readTo;
    if (position > this.#readTo) this.#advance(position);
  }

  async #apply(record: InputRecord): Promise<void> {
    const sequence = Number(record.offset);
    try {
      const logged = { ...parseCommand(record.value, sequence), timestamp: record.timestamp };
      await this.#options.apply(logged);
    } catch (error) {
      this.#options.onProblem?.(sequence, error instanceof Error ? error : new Error(String(error)));
    }
    this.#advance(record.offset + 1n);
  }

  #advance(to: bigint): void {
    this.#readTo = to;
    if (this.#waiters.length === 0) return;
    const waiting = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiting) {
      if (waiter.offset <= to) waiter.resolve();
      else this.#waiters.push(waiter);
    }
  }

  #reached(offset: bigint): Promise<void> {
    if (this.#readTo >= offset) return Promise.resolve();
    if (this.#stop.signal.aborted) return Promise.reject(this.#closed());
    return new Promise((resolve, reject) => this.#waiters.push({ offset, resolve, reject }));
  }
}

/** A command record's value, checked; anything else is SQL_COMMAND_INVALID naming the sequence number. */
export function parseCommand(bytes: Buffer | null, sequence: number): Omit<LoggedCommand, "timestamp"> {
  const invalid = (why: string) => new EngineError("SQL_COMMAND_INVALID", `command ${sequence}: ${why}`);
  let value: unknown;
  try {
    value = JSON.parse(bytes?.toString("utf8") ?? "null");
  } catch {
    throw invalid("not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid("not a JSON object");
  const fields = value as Record<string, unknown>;
  if (typeof fields.version !== "number" || fields.version > COMMAND_VERSION) {
    throw invalid(`format version ${String(fields.version)} is not one this server reads (up to ${COMMAND_VERSION})`);
  }
  if (typeof fields.statement !== "string") throw invalid("no statement");
  const properties = fields.properties ?? {};
  if (typeof properties !== "object" || properties === null || Array.isArray(properties)) {
    throw invalid("properties is not an object");
  }
  if (fields.origin !== undefined && typeof fields.origin !== "string") throw invalid("origin is not a string");
  const topics = fields.topics;
  if (topics !== undefined && !isTopicRecord(topics)) throw invalid("topics is not {name: {partitions, replicas}}");
  const command: Command = {
    statement: fields.statement,
    properties: properties as Record<string, JsonValue>,
    ...(topics === undefined ? {} : { topics }),
  };
  return { sequence, command, origin: typeof fields.origin === "string" ? fields.origin : "" };
}

function isTopicRecord(value: unknown): value is Record<string, TopicInfo> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (info: unknown) =>
      typeof info === "object" &&
      info !== null &&
      typeof (info as Record<string, unknown>).partitions === "number" &&
      typeof (info as Record<string, unknown>).replicas === "number",
  );
}
