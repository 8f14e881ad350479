// Which fetched batches hold committed data: transaction markers read, and aborted transactions left out by Kafka's rule.
import { IS_CONTROL, IS_TRANSACTIONAL, type RecordsBatch } from "@platformatic/kafka";

export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

export type TransactionMarker = "commit" | "abort";

/**
 * What a control batch marks: its first record is the marker, whose key is a version (int16) then the type (int16:
 * 0 abort, 1 commit). Undefined for a data batch, and for a control record of another type or too short to hold one,
 * which readers pass over as Kafka's own consumer passes over control records it does not know.
 */
export function transactionMarker(batch: RecordsBatch): TransactionMarker | undefined {
  if ((batch.attributes & IS_CONTROL) === 0) return undefined;
  const key = batch.records[0]?.key;
  const type = key && key.length >= 4 ? key.readInt16BE(2) : undefined;
  return type === 0 ? "abort" : type === 1 ? "commit" : undefined;
}

/**
 * The data batches of one partition's fetch that the application may see, in offset order. A read_committed fetch
 * returns the records of aborted transactions together with the list of those transactions (producer id and first
 * offset); an aborted transaction runs from its first offset to its producer's next abort marker. Walking the batches
 * in order, a producer is "aborting" from the first offset of one of its listed transactions until its abort marker,
 * and its transactional batches meanwhile are dropped. The client library (2.12) keys the list by producer id alone,
 * so when one fetch holds two aborted transactions of one producer it keeps the earlier one; this runs after it and
 * drops what it kept. Control batches are never returned: they hold markers, not data.
 */
export function committedBatches(
  batches: readonly RecordsBatch[],
  aborted: readonly AbortedTransaction[] | null | undefined,
): RecordsBatch[] {
  const pending = [...(aborted ?? [])].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1));
  const aborting = new Set<bigint>();
  const kept: RecordsBatch[] = [];
  let next = 0;
  for (const batch of batches) {
    const last = batch.firstOffset + BigInt(batch.lastOffsetDelta);
    for (; next < pending.length && (pending[next]?.firstOffset ?? last + 1n) <= last; next++) {
      aborting.add(pending[next]?.producerId ?? -1n);
    }
    if (batch.attributes & IS_CONTROL) {
      if (transactionMarker(batch) === "abort") aborting.delete(batch.producerId);
      continue;
    }
    if (batch.attributes & IS_TRANSACTIONAL && aborting.has(batch.producerId)) continue;
    kept.push(batch);
  }
  return kept;
}
