// What bench/sql reads of Kafka's bookkeeping: how many records a topic holds, and how far a consumer group has
// committed — the moment a query's group has committed every source record is the moment the query is done.

import { setTimeout as sleep } from "node:timers/promises";
import { type Admin, createAdmin, type KafkaConfig } from "../../src/kafka/index.ts";

/** ListOffsets' timestamps for "the end" and "the start" of a partition. */
const LATEST = -1n;
const EARLIEST = -2n;

export class BenchStallError extends Error {
  readonly code = "BENCH_SQL_STALLED";
}

/** Sum over partitions of the offsets at `timestamp` (LATEST: the end, EARLIEST: the first record kept). */
async function offsetSum(admin: Admin, topic: string, timestamp: bigint): Promise<number> {
  const metadata = await admin.metadata({ topics: [topic] });
  const partitions = metadata.topics.get(topic)?.partitionsCount ?? 0;
  const [listed] = await admin.listOffsets({
    topics: [
      { name: topic, partitions: Array.from({ length: partitions }, (_, p) => ({ partitionIndex: p, timestamp })) },
    ],
  });
  return (listed?.partitions ?? []).reduce((sum, p) => sum + Number(p.offset), 0);
}

/** Records in `topic` (end minus start offsets); undefined when it does not exist. */
export async function topicRecords(kafka: KafkaConfig, topic: string): Promise<number | undefined> {
  const admin = createAdmin(kafka, { clientId: "bench-sql-offsets" });
  try {
    if (!(await admin.listTopics({ includeInternals: true })).includes(topic)) return undefined;
    return (await offsetSum(admin, topic, LATEST)) - (await offsetSum(admin, topic, EARLIEST));
  } finally {
    await admin.close();
  }
}

/** How a query worked through its input, seen from its group's commits. */
export interface CommitProgress {
  /** When a commit was first seen (the first batch done), and how many records it covered. */
  readonly firstAt: number;
  readonly firstCount: number;
  /** When the commits first covered the whole input. */
  readonly endAt: number;
}

export interface WatchOptions {
  /** How often the group's offsets are read. */
  readonly pollMs: number;
  /** Fail when the commits stand still this long. */
  readonly stallMs: number;
  /** Called once, when the first commit is seen. */
  readonly onFirst?: () => void;
}

/** Waits until `groupId` has committed `records` records of `topic` (summed over partitions). */
export async function watchCommits(
  kafka: KafkaConfig,
  groupId: string,
  topic: string,
  records: number,
  options: WatchOptions,
): Promise<CommitProgress> {
  const admin = createAdmin(kafka, { clientId: "bench-sql-progress" });
  let first: { at: number; count: number } | undefined;
  let last = { at: Date.now(), count: 0 };
  try {
    for (;;) {
      const count = await committed(admin, groupId, topic);
      const now = Date.now();
      if (count > 0 && first === undefined) {
        first = { at: now, count };
        options.onFirst?.();
      }
      if (count >= records && first !== undefined) return { firstAt: first.at, firstCount: first.count, endAt: now };
      if (count > last.count) last = { at: now, count };
      else if (now - last.at > options.stallMs) {
        throw new BenchStallError(
          `group ${groupId} committed ${count} of ${records} records of ${topic} and nothing more for ${options.stallMs / 1000} s`,
        );
      }
      await sleep(options.pollMs);
    }
  } finally {
    await admin.close();
  }
}

async function committed(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [group] = await admin.listConsumerGroupOffsets({ groups: [groupId] });
  const partitions = group?.topics.find((t) => t.name === topic)?.partitions ?? [];
  return partitions.reduce((sum, p) => sum + Math.max(0, Number(p.committedOffset)), 0);
}

/** Deletes those of `topics` that exist, and every topic whose name starts with one of `prefixes`. */
export async function deleteTopics(
  kafka: KafkaConfig,
  topics: readonly string[],
  prefixes: readonly string[] = [],
): Promise<void> {
  const admin = createAdmin(kafka, { clientId: "bench-sql-cleanup" });
  try {
    const existing = await admin.listTopics({ includeInternals: true });
    const doomed = existing.filter((t) => topics.includes(t) || prefixes.some((p) => t.startsWith(p)));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed });
  } finally {
    await admin.close();
  }
}
