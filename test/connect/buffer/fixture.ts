// Scratch directories, numbered records and a hand-driven clock for the store-and-forward buffer's tests.
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type BufferedRecord,
  type CapEvent,
  StoreAndForward,
  type StoreAndForwardOptions,
} from "../../../src/connect/buffer/index.ts";

/** Runs `body` with a fresh directory under the OS temp dir, removed afterwards whatever happens. */
export async function withDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "fabrik-buffer-"));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Records whose values are the numbers from..from+count-1, so order, loss and duplicates show in the values. */
export function numbered(from: number, count: number, padding = 0): BufferedRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    topic: "plant.press-1",
    key: Buffer.from(`press-1/seq`),
    value: Buffer.from(`${from + i}${" ".repeat(padding)}`),
    timestamp: 1_700_000_000_000 + from + i,
  }));
}

export function valuesOf(records: readonly BufferedRecord[]): number[] {
  return records.map((record) => Number(record.value?.toString("utf8")));
}

export function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

/** Time that moves only when told to. */
export class ManualClock {
  now = 1_000_000;
  readonly read = (): number => this.now;
}

export interface Opened {
  readonly store: StoreAndForward;
  readonly caps: CapEvent[];
}

const roomy = { maxBytes: 1e9, maxAgeMs: 1e9, whenFull: "drop-oldest" } as const;

/** Opens a store in `dir` with caps that never bind unless `options` sets them, recording cap events. */
export async function openStore(dir: string, options: Partial<StoreAndForwardOptions> = {}): Promise<Opened> {
  const caps: CapEvent[] = [];
  const store = await StoreAndForward.open(dir, { ...roomy, onCapReached: (event) => caps.push(event), ...options });
  return { store, caps };
}

/** Peeks everything written, in batches of `batch`, checking that each batch's positions are consecutive. */
export async function drain(store: StoreAndForward, batch = 1000): Promise<{ values: number[]; last: number }> {
  const values: number[] = [];
  let after: number | undefined;
  for (;;) {
    const next = await store.peek(batch, after);
    if (next.records.length === 0) return { values, last: after ?? next.position };
    assert.equal(next.position, next.first + next.records.length - 1);
    if (after !== undefined) assert.ok(next.first > after, `batch from ${next.first} after ${after}`);
    values.push(...valuesOf(next.records));
    after = next.position;
  }
}

export async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith(".seg")).sort();
}
