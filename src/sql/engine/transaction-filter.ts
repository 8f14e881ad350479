// Which batches of a read_committed fetch hold committed data: aborted transactions left out by Kafka's own rule.
import { IS_CONTROL, IS_TRANSACTIONAL, type RecordsBatch } from "@platformatic/kafka";

export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

/** The first record of a control batch is the marker; its key's second int16 says which (0 abort, 1 commit). */
const ABORT_MARKER = 0;

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
      if (batch.records[0]?.key?.readInt16BE(2) === ABORT_MARKER) aborting.delete(batch.producerId);
      continue;
    }
    if (batch.attributes & IS_TRANSACTIONAL && aborting.has(batch.producerId)) continue;
    kept.push(batch);
  }
  return kept;
}
