// A persistent query at work on this server: its share of the query's partitions, kept running through failures.
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { setTimeout as delay } from "node:timers/promises";
import { explainKafkaError, type KafkaConfig } from "../../kafka/index.ts";
import type { Pipeline } from "../runtime/pipeline.ts";
import { EngineError } from "./errors.ts";
import type { OffsetReset } from "./fetcher.ts";
import { processingLogTopic, queryGroupId } from "./internal-names.ts";
import { type BatchReport, TaskSession } from "./task-session.ts";

export type { BatchReport, SettleReason } from "./task-session.ts";

/**
 * Kafka Streams' states, which ksqlDB shows: CREATED before the first join, REBALANCING while the group assigns and
 * state is restored, RUNNING while processing, ERROR after a failure (it retries), PENDING_SHUTDOWN while stopping,
 * NOT_RUNNING once stopped (or done at its LIMIT).
 */
export type QueryTaskState = "CREATED" | "REBALANCING" | "RUNNING" | "ERROR" | "PENDING_SHUTDOWN" | "NOT_RUNNING";

export interface QueryTaskStatus {
  readonly queryId: string;
  readonly state: QueryTaskState;
  /** The partition numbers this server processes. */
  readonly partitions: readonly number[];
  /** In ERROR: what failed (SQL_TOPIC_MISSING for a missing or deleted input topic, else SQL_KAFKA). */
  readonly error: { readonly code: string; readonly message: string } | undefined;
}

export interface QueryTaskOptions {
  readonly kafka: KafkaConfig;
  readonly serviceId: string;
  readonly queryId: string;
  /** The query's operators; one instance for the task's whole life (its state is per partition). */
  readonly pipeline: Pipeline;
  /** Where a source partition the group never committed starts: ksqlDB's `auto.offset.reset`, latest by default. */
  readonly offsetReset?: OffsetReset;
  /** Names this server in client ids (default: random). */
  readonly serverId?: string;
  /** A member silent this long is dropped from the group and its partitions move (default 30 s). */
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** The longest one poll waits for records, and so how long stop can wait for a batch (default 500 ms). */
  readonly maxWaitMs?: number;
  /**
   * How often the table updates held for coalescing go out and the input offsets are committed: ksqlDB's
   * `commit.interval.ms`, whose default (2000) this follows. Stream results go out as they come either way; 0 settles
   * after every batch. The task also settles whenever a poll finds nothing new.
   */
  readonly commitIntervalMs?: number;
  /**
   * The estimated bytes of held table updates past which they go out early: ksqlDB's `cache.max.bytes.buffering`,
   * default 10 MB. (Its 0, which turns coalescing off, is the pipeline's `coalesce: false`: nothing is held then.)
   */
  readonly cacheMaxBytes?: number;
  /** First wait before retrying after a failure, doubling up to maxRetryMs (defaults 1 s and 30 s). */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  readonly clock?: () => number;
}

interface QueryTaskEvents {
  state: [status: QueryTaskStatus];
  batch: [report: BatchReport];
}

/**
 * Runs one persistent query's pipeline as a member of the consumer group `_fabrik-sql-{serviceId}-query-{queryId}`.
 * Servers that run the same query split its partitions (partition p of every input topic to one member). Batches are
 * polled, processed and sent; table updates are held and coalesced per key (ksqlDB's record cache) until the commit
 * interval elapses, then sent, and once Kafka acknowledged everything sent the input offsets are committed: at least
 * once.
 *
 * Duplicates: a record is processed twice when a server stops without committing it (a crash, or its batch failed
 * after producing), or when its partition moves in a rebalance while the old owner still processes a batch it had
 * already fetched (the new owner starts from the last commit). A clean `stop()` commits first, so a planned hand-over
 * duplicates nothing.
 *
 * A failure (an input topic missing or deleted, Kafka unreachable, a pipeline that throws) never escapes: the task
 * enters ERROR with the reason (a 'state' event) and starts a new session after a backoff, which joins the group
 * again, restores the state and resumes from the committed offsets. A topic that comes back is picked up so.
 */
export class QueryTask extends EventEmitter<QueryTaskEvents> {
  readonly queryId: string;
  readonly #options: QueryTaskOptions;
  readonly #clientId: string;
  readonly #stop = new AbortController();
  #status: QueryTaskStatus;
  #running: Promise<void> = Promise.resolve();

  private constructor(options: QueryTaskOptions) {
    super();
    this.queryId = options.queryId;
    this.#options = options;
    this.#clientId = `fabrik-sql-${options.serviceId}-${options.queryId}-${options.serverId ?? randomUUID()}`;
    this.#status = { queryId: options.queryId, state: "CREATED", partitions: [], error: undefined };
  }

  /** Starts the task in the background; follow it with status() and the 'state' and 'batch' events. */
  static start(options: QueryTaskOptions): QueryTask {
    const task = new QueryTask(options);
    task.#running = task.#run();
    return task;
  }

  status(): QueryTaskStatus {
    return this.#status;
  }

  /**
   * Finishes the batch in flight, sends the held table updates, commits everything processed, leaves the group (its
   * partitions move at once) and stops.
   */
  async stop(): Promise<void> {
    if (!this.#stop.signal.aborted) {
      this.#set({ state: "PENDING_SHUTDOWN" });
      this.#stop.abort();
    }
    await this.#running;
  }

  async #run(): Promise<void> {
    const o = this.#options;
    const retryMs = o.retryMs ?? 1_000;
    let wait = retryMs;
    while (!this.#stop.signal.aborted) {
      let progressed = false;
      const session = new TaskSession({
        kafka: o.kafka,
        queryId: o.queryId,
        groupId: queryGroupId(o.serviceId, o.queryId),
        clientId: this.#clientId,
        pipeline: o.pipeline,
        processingLogTopic: processingLogTopic(o.serviceId),
        offsetReset: o.offsetReset ?? "latest",
        sessionTimeoutMs: o.sessionTimeoutMs ?? 30_000,
        heartbeatIntervalMs: o.heartbeatIntervalMs ?? 3_000,
        maxWaitMs: o.maxWaitMs ?? 500,
        commitIntervalMs: o.commitIntervalMs ?? 2_000,
        maxHeldBytes: o.cacheMaxBytes ?? 10 * 1024 * 1024,
        clock: o.clock ?? Date.now,
        onRebalancing: () => this.#set({ state: "REBALANCING" }),
        onAssigned: (partitions) => {
          progressed = true;
          this.#set({ state: "RUNNING", partitions, error: undefined });
        },
        onBatch: (report) => this.emit("batch", report),
      });
      try {
        if ((await session.run(this.#stop.signal)) === "done") break;
      } catch (error) {
        if (this.#stop.signal.aborted) break;
        wait = progressed ? retryMs : wait;
        this.#set({ state: "ERROR", partitions: [], error: describe(error) });
        await delay(wait, undefined, { signal: this.#stop.signal }).catch(() => {});
        wait = Math.min(wait * 2, o.maxRetryMs ?? 30_000);
      }
    }
    this.#set({ state: "NOT_RUNNING", partitions: [] });
  }

  #set(change: Partial<Omit<QueryTaskStatus, "queryId">>): void {
    // Stopping wins over what the session in flight still reports.
    const stopping = this.#stop.signal.aborted && change.state !== "NOT_RUNNING" && change.state !== "PENDING_SHUTDOWN";
    if (stopping && change.state !== undefined) return;
    this.#status = { ...this.#status, ...change };
    this.emit("state", this.#status);
  }
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof EngineError) return { code: error.code, message: error.message };
  // The pipeline's own errors (SqlEvalError, SqlSerdeError that escaped it) keep their codes.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code.startsWith("SQL_")) return { code, message: (error as Error).message };
  return { code: "SQL_KAFKA", message: explainKafkaError(error) };
}
