// The seam between a query's operators and Kafka: records in, records to produce and rows for clients out.

/*
 * A Pipeline is a query's operators with no Kafka client inside: the engine's query task consumes the pipeline's
 * input topics, hands the records over in batches, produces what comes back, and commits the input offsets once the
 * produced records are acknowledged (at-least-once). All state lives in the pipeline, per partition number: Kafka
 * co-partitions the inputs, so partition p of the source, the table and the repartition topic are always assigned
 * together to one process, and moving a partition moves its state, which the changelog topics restore.
 */

import type { Row } from "../expressions/scope.ts";

/** A consumed Kafka record. */
export interface InputRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly (readonly [string, Buffer])[];
}

/** A record to produce; without `partition`, Kafka's default (Java-compatible murmur2) partitioner picks it. */
export interface OutputRecord {
  readonly topic: string;
  readonly partition?: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers?: readonly (readonly [string, Buffer])[];
}

/** A result row for a client (push and pull queries): key and value columns as ProjectStage lists them. */
export interface ResultRow {
  readonly key: Row;
  /** null: the key was deleted (a table's tombstone). */
  readonly value: Row | null;
  readonly timestamp: number;
  readonly window?: { readonly start: number; readonly end: number };
}

/** A record set aside: it could not be decoded or evaluated, or came after its window closed. */
export interface ProcessingLogEntry {
  /** SQL_SERDE, SQL_EVAL, SQL_LATE_RECORD, … */
  readonly code: string;
  readonly message: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

export type PipelineTopicRole =
  /** a stream read by the query */
  | "source"
  /**
   * a table read as the query's input: its records before the committed offset go to `restore` on assignment (they
   * rebuild the last row per key, so that later changes retract the old row), later ones to `process`
   */
  | "source-table"
  /** a table read by the query: restored from the beginning on assignment, then followed */
  | "table"
  /** internal: written and read by this query to move rows to the partition of their new key */
  | "repartition"
  /** internal, compacted: a state store's changes, read back on assignment */
  | "changelog"
  /** the sink */
  | "sink";

export interface PipelineTopic {
  readonly name: string;
  readonly role: PipelineTopicRole;
  /** Internal topics (repartition, changelog): the partition count to create them with. */
  readonly partitions?: number;
}

export interface PipelineOptions {
  /** Names the internal topics: `{internalTopicPrefix}{queryId}-Aggregate-changelog`, `…-Rekey-repartition`. */
  readonly queryId: string;
  readonly internalTopicPrefix: string;
  /**
   * One process owns every partition (transient queries): rekeyed rows go straight to the partition Kafka's default
   * partitioner would have chosen, with no topic in between. Default false.
   */
  readonly inMemoryRepartition?: boolean;
  /**
   * Only the last update per key of a table result and of a state store is produced, as ksqlDB's record cache does:
   * per `process` call, or per `flush()` when the caller holds updates (ProcessOptions.hold). Default true; false
   * (ksqlDB's `cache.max.bytes.buffering=0`) emits every update at once and holds nothing back, whatever `hold` says.
   */
  readonly coalesce?: boolean;
  /** Write state-store changes to changelog topics. Default: true when the output is a sink, false for clients. */
  readonly changelog?: boolean;
}

export interface PipelineOutput {
  readonly records: readonly OutputRecord[];
  readonly rows: readonly ResultRow[];
  readonly errors: readonly ProcessingLogEntry[];
  /** True once a LIMIT is reached: the query is done. */
  readonly done: boolean;
}

/** A table's materialized rows, for pull queries. */
export interface MaterializedView {
  /** The rows of one key; for a windowed table, every window of that key whose start lies in [from, to]. */
  get(key: Row, windowStart?: { readonly from?: number; readonly to?: number }): ResultRow[];
  scan(): Iterable<ResultRow>;
}

export interface ProcessOptions {
  /**
   * Keep the coalesced table updates (sink, client and changelog records of a table result) for a later `flush()`
   * instead of emitting them at the end of this call: the query task flushes once per commit interval, so a key
   * updated many times in the interval goes out once. Stream results, repartition records and processing-log entries
   * are returned at once either way. Default false: the call ends with a flush.
   */
  readonly hold?: boolean;
}

export interface Pipeline {
  readonly topics: readonly PipelineTopic[];
  /** Partition p of every input topic now belongs to this process; its state starts empty. */
  assign(partition: number): void;
  /** Partition p's stored history (a changelog or a table topic's records, oldest first), before any `process`. */
  restore(topic: string, partition: number, records: readonly InputRecord[]): void;
  /**
   * Partition p moved away: drop its state, and its held updates unemitted (their input was not committed, so
   * whoever owns p next processes it again). A caller that wants them out flushes first.
   */
  revoke(partition: number): void;
  /** Records of assigned partitions, in offset order per partition. */
  process(records: readonly InputRecord[], options?: ProcessOptions): PipelineOutput;
  /**
   * Gives up every update held by `process(…, { hold: true })`, the last per key, in the order of their last change.
   * The caller must produce them before it commits the offsets of the input processed so far (at-least-once).
   * Optional: a pipeline without it never holds anything across calls.
   */
  flush?(): PipelineOutput;
  /**
   * An estimate of the encoded size of what is held for `flush()`, in bytes (held updates × the average size of the
   * records they turned into so far): the caller flushes early past its bound (ksqlDB's `cache.max.bytes.buffering`).
   */
  readonly heldBytes?: number;
  /** Present when the query's result is a table. */
  readonly materialized?: MaterializedView;
}
