// SESSION windows: a key's records closer than the inactivity gap form one session; a record that bridges sessions
// merges them.

import type { Row } from "../expressions/scope.ts";
import type { WindowPlan } from "../plan/plan.ts";
import type { AggregateCore, AggregateOperator, RestoredValue } from "./aggregate-core.ts";
import { keyText } from "./key-text.ts";
import type { AggregateEntry, PartitionState } from "./partition-state.ts";
import { deadline, iso, sweep, type WindowClock } from "./window-sweep.ts";

/*
 * A session is [first record, last record], both inclusive. A record at t joins every session of its key that ends at
 * or after t - gap and starts at or before t + gap. A session whose bounds change is a new window (Kafka Streams'
 * windowed key holds the end), so the old one is tombstoned and the merged one emitted. A session closes once stream
 * time passes end + gap + grace (a record within the gap could still extend it before that); a record whose merged
 * session would already be closed is late. State goes at end + retention, never before the close.
 */
export class SessionAggregate implements AggregateOperator {
  readonly #core: AggregateCore;
  readonly #gap: number;
  readonly #grace: number;
  readonly #clock: WindowClock;
  readonly #drop: (entry: AggregateEntry) => void;

  constructor(core: AggregateCore, window: WindowPlan) {
    this.#core = core;
    const gap = window.gapMs ?? 0;
    const grace = window.graceMs;
    const retention = window.retentionMs;
    this.#gap = gap;
    this.#grace = grace;
    this.#clock = {
      closeAt: (entry) => entry.end + gap + grace + 1,
      expireAt: (entry) => Math.max(entry.end + retention, entry.end + gap + grace + 1),
    };
    this.#drop = (entry) => removeFromList(entry.owner, entry);
  }

  change(_previous: Row | null, next: Row | null, state: PartitionState): void {
    if (next === null) return;
    const core = this.#core;
    const input = core.input(next, true);
    if (input === null) return;
    const t = core.ctx.rowTime;
    if (t > state.streamTime) state.streamTime = t;
    const now = state.streamTime;
    const gap = this.#gap;
    const list = state.sessions.get(input.text) ?? [];
    // Sessions of one key never overlap and are ordered by start, so the ones this record touches are a run.
    let first = -1;
    let count = 0;
    let start = t;
    let end = t;
    for (let i = 0; i < list.length; i++) {
      const session = list[i]!;
      if (session.end < t - gap || session.start > t + gap) continue;
      if (first < 0) first = i;
      count++;
      if (session.start < start) start = session.start;
      if (session.end > end) end = session.end;
    }
    if (end + gap + this.#grace < now) {
      core.collector.fail(
        "SQL_LATE_RECORD",
        `record at ${iso(t)} is too late: its session [${iso(start)}, ${iso(end)}] closed with a gap of ${gap} ms ` +
          `and a grace period of ${this.#grace} ms; stream time is ${iso(now)}`,
      );
    } else if (count === 1 && list[first]!.start <= t && t <= list[first]!.end) {
      core.add(list[first]!, input.args);
      core.touch(list[first]!);
    } else {
      const merged = core.newEntry(state, input, start, end);
      for (let i = first; i < first + count; i++) core.merge(merged, list[i]!);
      core.add(merged, input.args);
      const replaced = count > 0 ? list.slice(first, first + count) : [];
      for (const session of replaced) core.remove(session, true);
      if (count > 0) list.splice(first, count, merged);
      else insertByStart(list, merged);
      state.sessions.set(input.text, list);
      const due = deadline(this.#clock, merged, core.emitFinal);
      if (due < state.nextSweep) state.nextSweep = due;
      core.touch(merged);
    }
    if (state.streamTime >= state.nextSweep) sweep(state, allSessions(state), this.#clock, core, this.#drop);
  }

  restore(state: PartitionState, key: Row, start: number, end: number, value: RestoredValue | null): void {
    const text = keyText(key);
    const existing = state.sessions.get(text)?.find((s) => s.start === start && s.end === end);
    state.nextSweep = Number.NEGATIVE_INFINITY;
    const place = (entry: AggregateEntry) => {
      const list = state.sessions.get(text) ?? [];
      insertByStart(list, entry);
      state.sessions.set(text, list);
    };
    this.#core.restore(state, existing, { key, text, start, end }, value, place, this.#drop);
  }
}

function* allSessions(state: PartitionState): Iterable<AggregateEntry> {
  for (const list of state.sessions.values()) yield* list;
}

function insertByStart(list: AggregateEntry[], entry: AggregateEntry): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.start > entry.start) i--;
  list.splice(i, 0, entry);
}

function removeFromList(state: PartitionState, entry: AggregateEntry): void {
  const list = state.sessions.get(entry.text);
  if (list === undefined) return;
  const at = list.indexOf(entry);
  if (at >= 0) list.splice(at, 1);
  if (list.length === 0) state.sessions.delete(entry.text);
}
