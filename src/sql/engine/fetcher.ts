// Reading chosen partitions from chosen offsets, one fetch round at a time: how the engine polls Kafka.
import { randomUUID } from "node:crypto";
import {
  type Consumer,
  FetchIsolationLevels,
  type fetchV17,
  findErrorBy,
  type RecordsBatch,
} from "@platformatic/kafka";
import { committedBatches, createConsumer, explainKafkaError, type KafkaConfig } from "../../kafka/index.ts";
import type { InputRecord } from "../runtime/pipeline.ts";
import { EngineError, topicMissing } from "./errors.ts";

type FetchRequestTopic = fetchV17.FetchRequestTopic;
type FetchResponse = fetchV17.FetchResponse;
export type ByteConsumer = Consumer<Buffer, Buffer, Buffer, Buffer>;
/** Where reading starts when there is no position to resume from: ksqlDB's `auto.offset.reset`. */
export type OffsetReset = "earliest" | "latest";

const LATEST = -1n;
const EARLIEST = -2n;
/** Batch attribute bit 3: the broker stamped the batch, and its max timestamp is every record's time. */
const LOG_APPEND_TIME = 0b1000;
const DEFAULT_MAX_BYTES = 1024 * 1024;

export interface FetcherOptions {
  /** read_committed (the default): records of aborted and still open transactions are never returned. */
  readonly readCommitted?: boolean;
  /** How long the broker holds a fetch that finds nothing new: the longest one poll takes (default 500 ms). */
  readonly maxWaitMs?: number;
  /** Bytes one poll asks for, per broker and per partition (default 1 MiB). */
  readonly maxBytes?: number;
  /** Where a partition goes on whose position left the log (retention deleted it, or the topic was recreated). */
  readonly reset?: OffsetReset;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/**
 * A fetcher on a client of its own, for a reader that chooses its partitions itself (the command log, a push query,
 * PRINT, a restore). The client reads only through a group, so it gets one of its own that it never joins.
 */
export function standaloneFetcher(kafka: KafkaConfig, clientId: string, options?: FetcherOptions): PartitionFetcher {
  const consumer: ByteConsumer = createConsumer(kafka, { clientId, groupId: `${clientId}-${randomUUID()}` });
  return new PartitionFetcher(consumer, options);
}

/**
 * Positions per topic partition, and `poll()` to fetch once from every partition's leader and advance. It never
 * joins a group, so it serves a group member (which decides the partitions), a transient query, PRINT and restores
 * alike. The consumer must only be used for fetching by one fetcher at a time: fetch sessions are per consumer.
 */
export class PartitionFetcher {
  readonly consumer: ByteConsumer;
  readonly #isolation: number;
  readonly #maxWaitMs: number;
  readonly #maxBytes: number;
  readonly #reset: OffsetReset;
  readonly #positions = new Map<string, Map<number, bigint>>();
  #closed = false;

  constructor(consumer: ByteConsumer, options: FetcherOptions = {}) {
    this.consumer = consumer;
    this.#isolation =
      options.readCommitted === false ? FetchIsolationLevels.READ_UNCOMMITTED : FetchIsolationLevels.READ_COMMITTED;
    this.#maxWaitMs = options.maxWaitMs ?? 500;
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.#reset = options.reset ?? "earliest";
  }

  seek(topic: string, partition: number, offset: bigint): void {
    let partitions = this.#positions.get(topic);
    if (partitions === undefined) {
      partitions = new Map();
      this.#positions.set(topic, partitions);
      // The client fetches and refreshes metadata only for topics it tracks; a group member tracks its own already.
      if (!this.consumer.topics.has(topic)) this.consumer.topics.track(topic);
    }
    partitions.set(partition, offset);
  }

  forget(topic: string, partition: number): void {
    const partitions = this.#positions.get(topic);
    partitions?.delete(partition);
    if (partitions?.size === 0) this.#positions.delete(topic);
  }

  /** The offset of the next record to read, or undefined for a partition not read. */
  position(topic: string, partition: number): bigint | undefined {
    return this.#positions.get(topic)?.get(partition);
  }

  positions(): { topic: string; partition: number; offset: bigint }[] {
    return [...this.#positions].flatMap(([topic, partitions]) =>
      [...partitions].map(([partition, offset]) => ({ topic, partition, offset })),
    );
  }

  get idle(): boolean {
    return this.#positions.size === 0;
  }

  /** Whether close() was called: a reader's loop ends on it. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Closes the client, for a fetcher that owns it (standaloneFetcher): a poll in flight, which could otherwise wait
   * maxWaitMs, then resolves with nothing at once, as does every poll after it.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.consumer.close(true).catch(() => {});
  }

  /** Partition counts of `topics`; a topic that does not exist fails with SQL_TOPIC_MISSING naming it. */
  async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const metadata = await this.#metadata(topics);
    return new Map(topics.map((topic) => [topic, metadata.topics.get(topic)?.partitionsCount ?? 0]));
  }

  /** Per partition of `topic`, its first offset or (read_committed: its last stable) end offset. */
  async offsets(topic: string, which: OffsetReset, partitions?: readonly number[]): Promise<bigint[]> {
    await this.#metadata([topic]);
    const listed = await this.consumer.listOffsets({
      topics: [topic],
      ...(partitions ? { partitions: { [topic]: [...partitions] } } : {}),
      timestamp: which === "earliest" ? EARLIEST : LATEST,
      isolationLevel: this.#isolation,
    });
    return listed.get(topic) ?? [];
  }

  /**
   * Fetches once from the leader of every positioned partition (a broker with nothing new answers after maxWaitMs)
   * and returns the records in offset order per partition, positions moved past them. Resolves with nothing at once
   * when no partition is positioned, and with nothing once closed.
   */
  async poll(): Promise<InputRecord[]> {
    try {
      return await this.#poll();
    } catch (error) {
      // Closing the client fails the fetch in flight: that is the end the reader asked for, not a failure.
      if (this.#closed) return [];
      throw error;
    }
  }

  async #poll(): Promise<InputRecord[]> {
    if (this.#positions.size === 0 || this.#closed) return [];
    const topics = [...this.#positions.keys()];
    const metadata = await this.#metadata(topics);
    const byLeader = new Map<number, Map<string, FetchRequestTopic>>();
    const requested = new Map<string, bigint>();
    for (const [topic, partitions] of this.#positions) {
      const info = metadata.topics.get(topic);
      if (info === undefined) throw topicMissing(topic);
      for (const [partition, offset] of partitions) {
        const leader = info.partitions[partition]?.leader ?? -1;
        let requests = byLeader.get(leader);
        if (requests === undefined) {
          requests = new Map();
          byLeader.set(leader, requests);
        }
        let request = requests.get(topic);
        if (request === undefined) {
          request = { topicId: info.id, partitions: [] };
          requests.set(topic, request);
        }
        request.partitions.push({
          partition,
          fetchOffset: offset,
          currentLeaderEpoch: -1,
          lastFetchedEpoch: -1,
          partitionMaxBytes: this.#maxBytes,
        });
        requested.set(`${info.id}:${partition}`, offset);
      }
    }
    const names = new Map(topics.map((topic) => [metadata.topics.get(topic)?.id ?? "", topic]));
    let responses: (FetchResponse | undefined)[];
    try {
      responses = await Promise.all(
        [...byLeader].map(([node, requests]) => this.#fetch(node, [...requests.values()], names)),
      );
    } catch (error) {
      // A topic deleted meanwhile fails the fetch with a topic id the broker no longer knows: name it.
      await this.#metadata(topics);
      throw new EngineError("SQL_KAFKA", `fetching from ${topics.join(", ")}: ${explainKafkaError(error)}`, {
        cause: error,
      });
    }
    const records: InputRecord[] = [];
    for (const response of responses) {
      if (response !== undefined) this.#take(response, names, requested, records);
    }
    return records;
  }

  async #fetch(
    node: number,
    topics: FetchRequestTopic[],
    names: ReadonlyMap<string, string>,
  ): Promise<FetchResponse | undefined> {
    try {
      return await this.consumer.fetch({
        node,
        topics,
        isolationLevel: this.#isolation,
        maxBytes: this.#maxBytes,
        minBytes: 1,
        maxWaitTime: this.#maxWaitMs,
      });
    } catch (error) {
      // Answered at the next poll from fresh metadata, which also names a topic that was deleted meanwhile.
      this.consumer.clearMetadata();
      if (await this.#resetOutOfRange(error, names)) return undefined;
      throw error;
    }
  }

  /** A position outside the log moves to the log's start or end (`reset`); other partitions are fetched again. */
  async #resetOutOfRange(error: unknown, names: ReadonlyMap<string, string>): Promise<boolean> {
    if (!(error instanceof Error) || findErrorBy(error, "apiId", "OFFSET_OUT_OF_RANGE") === null) return false;
    const response = (error as Error & { response?: FetchResponse }).response;
    if (response === undefined) return false;
    const outside = new Map<string, number[]>();
    for (const topicResponse of response.responses) {
      const topic = names.get(topicResponse.topicId);
      if (topic === undefined) continue;
      for (const partition of topicResponse.partitions) {
        if (partition.errorCode === 0 || this.position(topic, partition.partitionIndex) === undefined) continue;
        outside.set(topic, [...(outside.get(topic) ?? []), partition.partitionIndex]);
      }
    }
    // The broker's answer leaves the log's bounds out (-1) for a partition in error: ask for them.
    for (const [topic, partitions] of outside) {
      const offsets = await this.offsets(topic, this.#reset, partitions);
      for (const partition of partitions) this.seek(topic, partition, offsets[partition] ?? 0n);
    }
    return outside.size > 0;
  }

  #take(
    response: FetchResponse,
    names: ReadonlyMap<string, string>,
    requested: ReadonlyMap<string, bigint>,
    into: InputRecord[],
  ): void {
    for (const topicResponse of response.responses) {
      const topic = names.get(topicResponse.topicId);
      if (topic === undefined) continue;
      for (const partition of topicResponse.partitions) {
        const index = partition.partitionIndex;
        const from = requested.get(`${topicResponse.topicId}:${index}`);
        // A fetch session can return partitions this poll did not ask for; a position that moved meanwhile wins.
        if (from === undefined || this.position(topic, index) !== from) continue;
        const batches = partition.records ?? [];
        const last = batches.at(-1);
        if (last === undefined) continue;
        for (const batch of committedBatches(batches, partition.abortedTransactions)) {
          pushRecords(batch, topic, index, from, into);
        }
        const next = last.firstOffset + BigInt(last.lastOffsetDelta) + 1n;
        if (next > from) this.seek(topic, index, next);
      }
    }
  }

  async #metadata(topics: readonly string[]) {
    try {
      return await this.consumer.metadata({ topics: [...topics] });
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("Unknown topic ")) {
        // The client names a missing topic by its place in the broker's answer, which need not be the one asked
        // for there: ask for each alone to name the right one.
        for (const topic of topics) {
          const gone = await this.consumer.metadata({ topics: [topic], retries: 0 }).then(
            () => false,
            (alone: unknown) => alone instanceof Error && alone.message.startsWith("Unknown topic "),
          );
          if (gone) throw topicMissing(topic, "topic", error);
        }
      }
      throw new EngineError("SQL_KAFKA", `reading the metadata of ${topics.join(", ")}: ${explainKafkaError(error)}`, {
        cause: error,
      });
    }
  }
}

function pushRecords(batch: RecordsBatch, topic: string, partition: number, from: bigint, into: InputRecord[]): void {
  const appendTime = (batch.attributes & LOG_APPEND_TIME) !== 0;
  for (const record of batch.records) {
    const offset = batch.firstOffset + BigInt(record.offsetDelta);
    // A fetch starts at the beginning of the batch that holds the asked offset.
    if (offset < from) continue;
    into.push({
      topic,
      partition,
      offset,
      timestamp: Number(appendTime ? batch.maxTimestamp : batch.firstTimestamp + record.timestampDelta),
      key: record.key,
      value: record.value,
      headers: record.headers.map(([name, value]) => [name?.toString("utf8") ?? "", value ?? Buffer.alloc(0)] as const),
    });
  }
}
