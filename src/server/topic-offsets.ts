// Offsets of a topic's partitions for a point in time, for the live feed's starting point and the history's range.
import { FetchIsolationLevels } from "@platformatic/kafka";
import type { PartitionFetcher } from "../sql/engine/fetcher.ts";

export interface PartitionRange {
  readonly partition: number;
  /** The first offset to read. */
  readonly start: bigint;
  /** The offset after the last one to read (read_committed: never past the last stable offset). */
  readonly end: bigint;
}

/**
 * Per partition of `topic`, the first offset whose record time is at or after `fromMs` and the first one after
 * `toMs` (the end of the committed log when none is); `toMs` undefined reads to that end. Kafka answers such lookups
 * from its time index by record timestamp, which a producer sets: ranges are approximate where producers' clocks
 * disagree, so readers still check each record's time.
 */
export async function rangesByTime(
  fetcher: PartitionFetcher,
  topic: string,
  fromMs: number,
  toMs?: number,
): Promise<PartitionRange[]> {
  const count = (await fetcher.partitionCounts([topic])).get(topic) ?? 0;
  const ends = await fetcher.offsets(topic, "latest");
  const starts = await offsetsAt(fetcher, topic, fromMs, ends);
  const stops = toMs === undefined ? ends : await offsetsAt(fetcher, topic, toMs + 1, ends);
  return Array.from({ length: count }, (_, partition) => {
    const end = ends[partition] ?? 0n;
    const stop = stops[partition] ?? end;
    return { partition, start: starts[partition] ?? end, end: stop < end ? stop : end };
  });
}

/** The first offset at or after `ms` per partition; `ends` where no record is that late. */
async function offsetsAt(
  fetcher: PartitionFetcher,
  topic: string,
  ms: number,
  ends: readonly bigint[],
): Promise<bigint[]> {
  const listed =
    (
      await fetcher.consumer.listOffsets({
        topics: [topic],
        timestamp: BigInt(Math.max(0, Math.floor(ms))),
        isolationLevel: FetchIsolationLevels.READ_COMMITTED,
      })
    ).get(topic) ?? [];
  return ends.map((end, partition) => {
    const offset = listed[partition];
    return offset === undefined || offset < 0n || offset > end ? end : offset;
  });
}
