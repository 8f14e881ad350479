// TUMBLING and HOPPING windows: each record adds to every window [start, start + size) that holds its event time.

import type { Row } from "../expressions/scope.ts";
import type { WindowPlan } from "../plan/plan.ts";
import type { AggregateCore, AggregateOperator, RestoredValue } from "./aggregate-core.ts";
import { keyText } from "./key-text.ts";
import type { AggregateEntry, PartitionState } from "./partition-state.ts";
import { deadline, iso, sweep, type WindowClock } from "./window-sweep.ts";

/*
 * Windows start at multiples of the advance (TUMBLING: advance = size), as Kafka Streams aligns them to the epoch. A
 * window takes records while stream time < end + grace; a record whose every window is closed is late (logged as
 * SQL_LATE_RECORD); a record that still has some open windows counts in those. State goes once stream time reaches
 * start + retention (never before the window closes).
 */
export class TimeWindowAggregate implements AggregateOperator {
  readonly #core: AggregateCore;
  readonly #size: number;
  readonly #advance: number;
  readonly #grace: number;
  readonly #retention: number;
  readonly #clock: WindowClock;
  readonly #drop: (entry: AggregateEntry) => void;

  constructor(core: AggregateCore, window: WindowPlan) {
    this.#core = core;
    this.#size = window.sizeMs ?? 0;
    this.#advance = window.advanceMs ?? this.#size;
    this.#grace = window.graceMs;
    this.#retention = window.retentionMs;
    const grace = this.#grace;
    const retention = this.#retention;
    this.#clock = {
      closeAt: (entry) => entry.end + grace,
      expireAt: (entry) => Math.max(entry.start + retention, entry.end + grace),
    };
    this.#drop = (entry) => entry.owner.groups.delete(`${entry.text}@${entry.start}`);
  }

  change(_previous: Row | null, next: Row | null, state: PartitionState): void {
    if (next === null) return;
    const core = this.#core;
    const input = core.input(next, true);
    if (input === null) return;
    const t = core.ctx.rowTime;
    if (t < 0) {
      core.collector.fail("SQL_TIMESTAMP", `event time ${t} is before the epoch: it falls in no window`);
      return;
    }
    if (t > state.streamTime) state.streamTime = t;
    const now = state.streamTime;
    const size = this.#size;
    const advance = this.#advance;
    const grace = this.#grace;
    const lastStart = t - (t % advance);
    if (lastStart + size + grace <= now) {
      core.collector.fail(
        "SQL_LATE_RECORD",
        `record at ${iso(t)} is too late: its last window [${iso(lastStart)}, ${iso(lastStart + size)}) closed ` +
          `with a grace period of ${grace} ms; stream time is ${iso(now)}`,
      );
    } else {
      const first = Math.floor(Math.max(0, t - size + advance) / advance) * advance;
      for (let start = first; start <= t; start += advance) {
        const end = start + size;
        if (end + grace <= now) continue;
        const slot = `${input.text}@${start}`;
        let entry = state.groups.get(slot);
        if (entry === undefined) {
          entry = core.newEntry(state, input, start, end);
          state.groups.set(slot, entry);
          const due = deadline(this.#clock, entry, core.emitFinal);
          if (due < state.nextSweep) state.nextSweep = due;
        }
        core.add(entry, input.args);
        core.touch(entry);
      }
    }
    if (state.streamTime >= state.nextSweep) sweep(state, state.groups.values(), this.#clock, core, this.#drop);
  }

  restore(state: PartitionState, key: Row, start: number, end: number, value: RestoredValue | null): void {
    const text = keyText(key);
    const slot = `${text}@${start}`;
    // A restored partition sweeps on its next record: windows that closed meanwhile are found then.
    state.nextSweep = Number.NEGATIVE_INFINITY;
    this.#core.restore(
      state,
      state.groups.get(slot),
      { key, text, start, end },
      value,
      (entry) => state.groups.set(slot, entry),
      this.#drop,
    );
  }
}
