// Reads what a topic holds committed right now, leaving out aborted and still-open transactions by their markers.
//
// Why not the client's read_committed stream: @platformatic/kafka 2.12 filters aborted transactions by a map keyed by
// producer id, so when one fetch holds two aborted transactions of the same producer (one transactional id: the
// producer id stays, only its epoch moves) the earlier one is delivered as if committed. An exactly-once source aborts a
// transaction every time it dies mid-batch, so that case is ordinary here. This reader fetches read_uncommitted up to
// the high watermark it saw when it started and decides every transactional batch by its own producer's marker: a
// commit marker releases the batches held for that producer, an abort marker drops them, and batches still held at the
// end belong to transactions not finished yet (not committed, so not read).
import { randomUUID } from "node:crypto";
import {
  type Consumer,
  FetchIsolationLevels,
  findErrorBy,
  IS_CONTROL,
  IS_TRANSACTIONAL,
  type RecordsBatch,
} from "@platformatic/kafka";
import { createConsumer, type KafkaConfig } from "./client.ts";
import { transactionMarker } from "./transaction-filter.ts";

/** Reading a topic's committed records failed: the topic is missing, or a partition could not be read to its end. */
export class CommittedReadError extends Error {
  readonly code = "COMMITTED_READ_FAILED";
  readonly topic: string;
  readonly partition: number | undefined;

  constructor(topic: string, partition: number | undefined, detail: string, cause?: unknown) {
    super(`reading the committed records of ${topic}${partition === undefined ? "" : `/${partition}`}: ${detail}`, {
      cause,
    });
    this.name = "CommittedReadError";
    this.topic = topic;
    this.partition = partition;
  }
}

export interface CommittedRecord {
  readonly partition: number;
  readonly offset: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: bigint;
}

/** Counts of what a read found, records of control batches not included. */
export interface CommittedReadStats {
  readonly committed: number;
  /** Records of aborted transactions, left out. */
  readonly aborted: number;
  /** Records of transactions without a marker yet, left out. */
  readonly open: number;
}

const FETCH_BYTES = 1024 * 1024;
const EARLIEST = -2n;
/** Fetches in a row that bring nothing while the end is not reached before the read is given up. */
const EMPTY_FETCHES = 3;

type ByteConsumer = Consumer<Buffer, Buffer, Buffer, Buffer>;

export interface CommittedReadOptions {
  readonly clientId?: string;
  /**
   * Ends the read: its client is closed, so a request Kafka does not answer fails at once instead of after the client's
   * timeouts and retries (minutes), and the read rejects.
   */
  readonly signal?: AbortSignal;
}

/**
 * Calls `visit` for every committed record of `topic` up to its end when called, partition by partition. A transaction's
 * records are visited when its commit marker is read, so the order is commit order: each producer's records keep theirs.
 */
export async function readCommitted(
  kafka: KafkaConfig,
  topic: string,
  visit: (record: CommittedRecord) => void,
  { clientId = "fabrik-committed-reader", signal }: CommittedReadOptions = {},
): Promise<CommittedReadStats> {
  signal?.throwIfAborted();
  // The client reads only through a group; this one never joins it, it only fetches.
  const consumer: ByteConsumer = createConsumer(kafka, { clientId, groupId: `${clientId}-${randomUUID()}` });
  const abort = () => {
    consumer.close(true).catch(() => {});
  };
  signal?.addEventListener("abort", abort, { once: true });
  try {
    // Tracked so that the client's own metadata refreshes (leader moves while fetching) cover this topic.
    consumer.topics.track(topic);
    const metadata = await consumer.metadata({ topics: [topic] }).catch((error: unknown) => {
      throw isUnknownTopic(error, topic)
        ? new CommittedReadError(topic, undefined, "the topic does not exist", error)
        : error;
    });
    const info = metadata.topics.get(topic);
    if (info === undefined) throw new CommittedReadError(topic, undefined, "the topic does not exist");
    const starts = (await consumer.listOffsets({ topics: [topic], timestamp: EARLIEST })).get(topic) ?? [];
    const ends =
      (await consumer.listOffsets({ topics: [topic], isolationLevel: FetchIsolationLevels.READ_UNCOMMITTED })).get(
        topic,
      ) ?? [];
    const stats = { committed: 0, aborted: 0, open: 0 };
    for (let partition = 0; partition < info.partitionsCount; partition++) {
      const reader = new PartitionReader(topic, partition, visit, stats);
      await reader.read(consumer, info.id, starts[partition] ?? 0n, ends[partition] ?? 0n);
    }
    signal?.throwIfAborted();
    return stats;
  } catch (error) {
    // Aborting closes the client, which fails the request in flight: the abort is what happened.
    signal?.throwIfAborted();
    throw error;
  } finally {
    signal?.removeEventListener("abort", abort);
    await consumer.close(true);
  }
}

/** The client reports a missing topic as a user error that names it, the broker's code left behind. */
function isUnknownTopic(error: unknown, topic: string): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.message === `Unknown topic ${topic}.` || findErrorBy(error, "apiId", "UNKNOWN_TOPIC_OR_PARTITION") !== null
  );
}

class PartitionReader {
  readonly #topic: string;
  readonly #partition: number;
  readonly #visit: (record: CommittedRecord) => void;
  readonly #stats: { committed: number; aborted: number; open: number };
  /** Per producer id, the records of its transaction in progress. */
  readonly #held = new Map<bigint, CommittedRecord[]>();

  constructor(
    topic: string,
    partition: number,
    visit: (record: CommittedRecord) => void,
    stats: { committed: number; aborted: number; open: number },
  ) {
    this.#topic = topic;
    this.#partition = partition;
    this.#visit = visit;
    this.#stats = stats;
  }

  async read(consumer: ByteConsumer, topicId: string, start: bigint, end: bigint): Promise<void> {
    let next = start;
    let empty = 0;
    while (next < end) {
      const metadata = await consumer.metadata({ topics: [this.#topic] });
      const leader = metadata.topics.get(this.#topic)?.partitions[this.#partition]?.leader ?? -1;
      const response = await consumer.fetch({
        node: leader,
        topics: [
          {
            topicId,
            partitions: [
              {
                partition: this.#partition,
                fetchOffset: next,
                currentLeaderEpoch: -1,
                lastFetchedEpoch: -1,
                partitionMaxBytes: FETCH_BYTES,
              },
            ],
          },
        ],
        isolationLevel: FetchIsolationLevels.READ_UNCOMMITTED,
        maxBytes: FETCH_BYTES,
        minBytes: 1,
        maxWaitTime: 500,
      });
      const batches = response.responses[0]?.partitions.find((p) => p.partitionIndex === this.#partition)?.records;
      const reached = this.#take(batches ?? [], next, end);
      if (reached > next) {
        next = reached;
        empty = 0;
      } else if (++empty >= EMPTY_FETCHES) {
        throw new CommittedReadError(
          this.#topic,
          this.#partition,
          `${EMPTY_FETCHES} fetches from offset ${next} returned nothing before the end at ${end}`,
        );
      }
    }
    for (const records of this.#held.values()) this.#stats.open += records.length;
  }

  /** Takes the batches of one fetch from offset `from`, up to `end`; returns the offset after the last one taken. */
  #take(batches: readonly RecordsBatch[], from: bigint, end: bigint): bigint {
    let next = from;
    for (const batch of batches) {
      if (batch.firstOffset >= end) break;
      const last = batch.firstOffset + BigInt(batch.lastOffsetDelta);
      if (last < next) continue;
      if (batch.attributes & IS_CONTROL) this.#marker(batch);
      else this.#data(batch, next);
      next = last + 1n;
    }
    return next;
  }

  #marker(batch: RecordsBatch): void {
    const type = transactionMarker(batch);
    const held = this.#held.get(batch.producerId) ?? [];
    this.#held.delete(batch.producerId);
    if (type === "commit") for (const record of held) this.#emit(record);
    else if (type === "abort") this.#stats.aborted += held.length;
  }

  #data(batch: RecordsBatch, from: bigint): void {
    const transactional = (batch.attributes & IS_TRANSACTIONAL) !== 0;
    let held = transactional ? this.#held.get(batch.producerId) : undefined;
    if (transactional && held === undefined) {
      held = [];
      this.#held.set(batch.producerId, held);
    }
    for (const record of batch.records) {
      const offset = batch.firstOffset + BigInt(record.offsetDelta);
      // A fetch starts at the beginning of the batch that holds the asked offset.
      if (offset < from) continue;
      const read: CommittedRecord = {
        partition: this.#partition,
        offset,
        key: record.key,
        value: record.value,
        timestamp: batch.firstTimestamp + record.timestampDelta,
      };
      if (held === undefined) this.#emit(read);
      else held.push(read);
    }
  }

  #emit(record: CommittedRecord): void {
    this.#stats.committed++;
    this.#visit(record);
  }
}
