// Kafka's default partitioner (murmur2 of the key bytes, as the Java client computes it), for in-memory repartitioning.

/*
 * A transient query owns every partition, so it moves rekeyed rows between its partitions' state without a topic; to
 * land each key where a repartition topic would (and where the joined table's row lives), it must pick the partition
 * exactly as a Kafka producer does: murmur2 with Kafka's seed, made positive by masking the sign bit.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 (MurmurHash2, 32 bit, seed 0x9747b28c), as a signed 32-bit integer like Java's. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= data[whole + 2]! << 16;
  if (rest >= 2) h ^= data[whole + 1]! << 8;
  if (rest >= 1) h = Math.imul(h ^ data[whole]!, M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition a producer with the default partitioner sends a keyed record to; null keys go to partition 0. */
export function defaultPartition(key: Uint8Array | null, partitions: number): number {
  if (key === null || partitions <= 1) return 0;
  return (murmur2(key) & 0x7fffffff) % partitions;
}
