// Transaction markers, and the read_committed filter over the cases in data/transaction-filter.json (the client's miss too).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { IS_CONTROL, IS_TRANSACTIONAL, type RecordsBatch } from "@platformatic/kafka";
import { committedBatches, transactionMarker } from "../../src/kafka/transaction-filter.ts";

interface BatchSpec {
  readonly offset: number;
  readonly records?: number;
  readonly producer: number;
  readonly transactional?: boolean;
  readonly marker?: "commit" | "abort";
}

interface Case {
  readonly name: string;
  readonly batches: readonly BatchSpec[];
  readonly aborted: readonly { producer: number; first: number }[] | null;
  readonly kept: readonly number[];
}

const { cases } = JSON.parse(readFileSync(new URL("data/transaction-filter.json", import.meta.url), "utf8")) as {
  cases: Case[];
};

/** A batch as the client decodes it; a marker's key is version (int16) then type (int16: 0 abort, 1 commit). */
function batch(spec: BatchSpec): RecordsBatch {
  const markerKey = Buffer.alloc(4);
  markerKey.writeInt16BE(spec.marker === "commit" ? 1 : 0, 2);
  const count = spec.marker ? 1 : (spec.records ?? 1);
  return {
    firstOffset: BigInt(spec.offset),
    length: 0,
    partitionLeaderEpoch: 0,
    magic: 2,
    crc: 0,
    attributes: (spec.marker ? IS_CONTROL | IS_TRANSACTIONAL : 0) | (spec.transactional ? IS_TRANSACTIONAL : 0),
    lastOffsetDelta: count - 1,
    firstTimestamp: 0n,
    maxTimestamp: 0n,
    producerId: BigInt(spec.producer),
    producerEpoch: 0,
    firstSequence: 0,
    records: Array.from({ length: count }, (_, i) => ({
      length: 0,
      attributes: 0,
      timestampDelta: 0n,
      offsetDelta: i,
      key: spec.marker ? markerKey : null,
      value: spec.marker ? null : Buffer.from(`v${spec.offset + i}`),
      headers: [],
    })),
  };
}

for (const c of cases) {
  test(`committed batches: ${c.name}`, () => {
    const aborted = c.aborted?.map((a) => ({ producerId: BigInt(a.producer), firstOffset: BigInt(a.first) })) ?? null;
    const kept = committedBatches(c.batches.map(batch), aborted).map((b) => Number(b.firstOffset));
    assert.deepEqual(kept, c.kept);
  });
}

test("a control batch's key says commit or abort; data batches and unknown or short keys mark nothing", () => {
  assert.equal(transactionMarker(batch({ offset: 0, marker: "commit", producer: 7 })), "commit");
  assert.equal(transactionMarker(batch({ offset: 0, marker: "abort", producer: 7 })), "abort");
  assert.equal(transactionMarker(batch({ offset: 0, producer: 7, transactional: true })), undefined);
  const control = batch({ offset: 0, marker: "abort", producer: 7 });
  const withKey = (key: Buffer): RecordsBatch => ({
    ...control,
    records: control.records.map((r) => ({ ...r, key })),
  });
  assert.equal(transactionMarker(withKey(Buffer.from([0, 0, 0, 5]))), undefined, "a type Kafka may add later");
  assert.equal(transactionMarker(withKey(Buffer.from([0, 0, 0]))), undefined, "too short to hold a type");
});
