// Reading partitions of state topics (changelogs, tables) from their start up to an end, before a query processes.
import type { InputRecord } from "../runtime/pipeline.ts";
import { EngineError } from "./errors.ts";
import type { PartitionFetcher, TopicPartition } from "./fetcher.ts";

/** Polls in a row that move no position before a restore is given up as stuck. */
const STALLED_POLLS = 5;

export interface RestoreRange extends TopicPartition {
  /** Where the restore stops (exclusive): the offset processing starts at. Default: the end when it starts. */
  readonly end?: bigint;
}

/**
 * Reads every partition in `wanted` from its first offset up to its end (by default the last stable offset when the
 * restore starts: open transactions are not waited for), handing the records over per partition, oldest first, in
 * chunks as they are fetched; nothing at or past the end is handed over. Resolves with each partition's end, where
 * following it goes on.
 */
export async function restorePartitions(
  fetcher: PartitionFetcher,
  wanted: readonly RestoreRange[],
  deliver: (topic: string, partition: number, records: readonly InputRecord[]) => void,
  signal?: AbortSignal,
): Promise<Map<string, bigint>> {
  const ends = new Map<string, bigint>();
  const pending = new Map<string, bigint>();
  for (const topic of new Set(wanted.map((w) => w.topic))) {
    const ranges = wanted.filter((w) => w.topic === topic);
    const partitions = ranges.map((w) => w.partition);
    const starts = await fetcher.offsets(topic, "earliest", partitions);
    const latest = ranges.some((w) => w.end === undefined) ? await fetcher.offsets(topic, "latest", partitions) : [];
    for (const { partition, end: asked } of ranges) {
      const start = starts[partition] ?? 0n;
      const end = asked ?? latest[partition] ?? 0n;
      ends.set(key(topic, partition), end);
      if (start < end) {
        pending.set(key(topic, partition), end);
        fetcher.seek(topic, partition, start);
      }
    }
  }
  let stalled = 0;
  while (pending.size > 0) {
    signal?.throwIfAborted();
    const before = new Map(fetcher.positions().map((p) => [key(p.topic, p.partition), p.offset]));
    const records = await fetcher.poll();
    const moved =
      records.length > 0 || fetcher.positions().some((p) => p.offset !== before.get(key(p.topic, p.partition)));
    for (const [topic, partition, chunk] of byPartition(records)) {
      const end = pending.get(key(topic, partition)) ?? 0n;
      const below = chunk.filter((record) => record.offset < end);
      if (below.length > 0) deliver(topic, partition, below);
    }
    for (const { topic, partition, offset } of fetcher.positions()) {
      const end = pending.get(key(topic, partition));
      if (end !== undefined && offset >= end) {
        pending.delete(key(topic, partition));
        fetcher.forget(topic, partition);
      }
    }
    stalled = moved || pending.size === 0 ? 0 : stalled + 1;
    if (stalled >= STALLED_POLLS) {
      const [first] = pending;
      throw new EngineError("SQL_KAFKA", `restoring ${first?.[0]}: no progress before its end offset ${first?.[1]}`);
    }
  }
  return ends;
}

export function key(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/** Records split per topic partition, each list in the order fetched (offset order). */
function byPartition(records: readonly InputRecord[]): [string, number, InputRecord[]][] {
  const groups = new Map<string, [string, number, InputRecord[]]>();
  for (const record of records) {
    const k = key(record.topic, record.partition);
    let group = groups.get(k);
    if (group === undefined) {
      group = [record.topic, record.partition, []];
      groups.set(k, group);
    }
    group[2].push(record);
  }
  return [...groups.values()];
}
