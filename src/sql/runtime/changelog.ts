// Aggregate state to changelog records and back: the compacted topic a partition's state is restored from.

import type { Row } from "../expressions/scope.ts";
import { SqlSerdeError } from "../serde/errors.ts";
import { decodeState, type StateValue, stateToJson } from "../types/state-codec.ts";
import type { Collector } from "./collector.ts";
import { HeldUpdates } from "./held-updates.ts";
import type { AggregateEntry } from "./partition-state.ts";
import type { InputRecord, OutputRecord } from "./pipeline.ts";

/*
 * Key: state JSON of [group values] or [group values, window start, window end], so one group's window is one
 * compacted key. Value: {"s": [aggregator states], "t": result timestamp, "f": final row emitted}; a tombstone when
 * the group or window is gone. Records go to the partition whose state they are (explicit partition, not the
 * partitioner), because restore hands partition p's changelog to partition p's state.
 */

export interface RestoredEntry {
  readonly key: Row;
  readonly start: number;
  readonly end: number;
  /** Null: the entry was removed. */
  readonly value: { readonly states: StateValue[]; readonly ts: number; readonly emitted: boolean } | null;
}

export class ChangelogWriter {
  readonly #topic: string;
  readonly #windowed: boolean;
  readonly #collector: Collector;
  readonly #coalesce: boolean;
  readonly #pending = new HeldUpdates<OutputRecord>();

  constructor(topic: string, windowed: boolean, collector: Collector, coalesce: boolean) {
    this.#topic = topic;
    this.#windowed = windowed;
    this.#collector = collector;
    this.#coalesce = coalesce;
  }

  put(entry: AggregateEntry): void {
    const value = stateToJson({ s: entry.states, t: entry.ts, f: entry.emitted });
    this.#write(entry, Buffer.from(value));
  }

  delete(entry: AggregateEntry): void {
    this.#write(entry, null);
  }

  /** How many changelog records wait for `flush`. */
  get held(): number {
    return this.#pending.size;
  }

  /** Forgets the waiting records of a revoked partition. */
  drop(partition: number): void {
    this.#pending.drop(partition);
  }

  flush(): void {
    this.#pending.release((record) => this.#collector.internal(record));
  }

  #write(entry: AggregateEntry, value: Buffer | null): void {
    if (entry.changelogKey === undefined) {
      const key: StateValue[] = [entry.key as StateValue[]];
      if (this.#windowed) key.push(entry.start, entry.end);
      entry.changelogKey = stateToJson(key);
    }
    const partition = entry.owner.partition;
    const record = { topic: this.#topic, partition, key: Buffer.from(entry.changelogKey), value, timestamp: entry.ts };
    if (!this.#coalesce) {
      this.#collector.internal(record);
      return;
    }
    this.#pending.hold(partition, entry.changelogKey, record);
  }
}

export function decodeChangelog(record: InputRecord): RestoredEntry {
  const key = parse(record.key, "key");
  if (!Array.isArray(key) || !Array.isArray(key[0]) || (key.length !== 1 && key.length !== 3)) {
    throw malformed("key", "not [group values] or [group values, start, end]");
  }
  const start = key.length === 3 ? Number(key[1]) : 0;
  const end = key.length === 3 ? Number(key[2]) : 0;
  if (record.value === null) return { key: key[0] as Row, start, end, value: null };
  const value = parse(record.value, "value") as { s?: StateValue; t?: StateValue; f?: StateValue } | null;
  if (value === null || !Array.isArray(value.s) || typeof value.t !== "number") {
    throw malformed("value", "not {s: [states], t: timestamp}");
  }
  return { key: key[0] as Row, start, end, value: { states: value.s, ts: value.t, emitted: value.f === true } };
}

function parse(bytes: Uint8Array | null, root: string): StateValue {
  if (bytes === null) throw malformed(root, "missing");
  try {
    return decodeState(JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8")));
  } catch (error) {
    throw malformed(root, `not state JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function malformed(root: string, problem: string): SqlSerdeError {
  return new SqlSerdeError("SQL_SERDE", `changelog ${root}`, problem);
}
