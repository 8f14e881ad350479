// Stream time moving on: closes windows for EMIT FINAL and drops windows past their retention, per partition.

import type { AggregateCore } from "./aggregate-core.ts";
import type { AggregateEntry, PartitionState } from "./partition-state.ts";

/** When a window stops taking records (`closeAt`) and when its state goes (`expireAt`, never before closeAt). */
export interface WindowClock {
  closeAt(entry: AggregateEntry): number;
  expireAt(entry: AggregateEntry): number;
}

/** The next stream time at which `entry` needs the sweep: its close for EMIT FINAL, else its expiry. */
export function deadline(clock: WindowClock, entry: AggregateEntry, emitFinal: boolean): number {
  return emitFinal && !entry.emitted ? clock.closeAt(entry) : clock.expireAt(entry);
}

/**
 * Runs when stream time reached the partition's `nextSweep`: emits the closed windows' final rows (EMIT FINAL) in
 * order of window end, then drops the expired ones, then notes the next stream time worth sweeping at. Costs one pass
 * over the partition's windows, which happens once per window boundary rather than per record.
 */
export function sweep(
  state: PartitionState,
  entries: Iterable<AggregateEntry>,
  clock: WindowClock,
  core: AggregateCore,
  drop: (entry: AggregateEntry) => void,
): void {
  const now = state.streamTime;
  if (now < state.nextSweep) return;
  let next = Number.POSITIVE_INFINITY;
  const closing: AggregateEntry[] = [];
  const expiring: AggregateEntry[] = [];
  for (const entry of entries) {
    if (core.emitFinal && !entry.emitted) {
      const close = clock.closeAt(entry);
      if (close > now) {
        if (close < next) next = close;
        continue;
      }
      closing.push(entry);
    }
    const expire = clock.expireAt(entry);
    if (expire <= now) expiring.push(entry);
    else if (expire < next) next = expire;
  }
  closing.sort((a, b) => a.end - b.end || a.start - b.start);
  for (const entry of closing) {
    try {
      core.close(entry);
    } catch (error) {
      core.collector.failWith(error);
    }
  }
  for (const entry of expiring) {
    drop(entry);
    core.remove(entry, false);
  }
  state.nextSweep = next;
}

/** For late-record messages: an instant as ISO text. */
export function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms);
}
