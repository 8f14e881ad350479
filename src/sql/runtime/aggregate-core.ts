// What every aggregation shares: group keys, aggregator calls, result rows, HAVING, and emitting to output and changelog.

import { type CompiledExpression, compile } from "../expressions/compile.ts";
import type { Row } from "../expressions/scope.ts";
import type { Aggregator } from "../functions/signature.ts";
import type { AggregateStage } from "../plan/plan.ts";
import type { StateValue } from "../types/state-codec.ts";
import type { SqlValue } from "../types/values.ts";
import type { ChangelogWriter } from "./changelog.ts";
import type { Collector } from "./collector.ts";
import { NULL_GROUP_KEY } from "./errors.ts";
import { hasNull, keyText } from "./key-text.ts";
import type { OutputStage } from "./output-stage.ts";
import type { AggregateEntry, PartitionState } from "./partition-state.ts";
import type { RecordContext } from "./record-context.ts";

export interface AggregateSettings {
  readonly stage: AggregateStage;
  readonly ctx: RecordContext;
  readonly collector: Collector;
  readonly output: OutputStage;
  readonly changelog: ChangelogWriter | undefined;
  readonly emitFinal: boolean;
  readonly coalesce: boolean;
}

/** A group's key and aggregate inputs, read from one row before any state changes (so a failure changes nothing). */
export interface GroupInput {
  readonly key: Row;
  readonly text: string;
  readonly args: readonly SqlValue[];
}

/** The operator every aggregation kind implements; rows are in the aggregate stage's input layout. */
export interface AggregateOperator {
  /** A change of input: `previous` leaves its group (tables only), `next` joins its group. */
  change(previous: Row | null, next: Row | null, state: PartitionState): void;
  /** One changelog record of this partition, in offset order, before any processing. */
  restore(state: PartitionState, key: Row, start: number, end: number, value: RestoredValue | null): void;
}

export interface RestoredValue {
  readonly states: StateValue[];
  readonly ts: number;
  readonly emitted: boolean;
}

export class AggregateCore {
  readonly ctx: RecordContext;
  readonly collector: Collector;
  readonly emitFinal: boolean;
  readonly #output: OutputStage;
  readonly #changelog: ChangelogWriter | undefined;
  readonly #groupBy: readonly CompiledExpression[];
  readonly #arguments: readonly (CompiledExpression | undefined)[];
  readonly #aggregators: readonly Aggregator[];
  readonly #having: CompiledExpression | undefined;
  readonly #windowed: boolean;
  readonly #coalesce: boolean;
  /** Entries changed since the last flush, emitted once by it when coalescing. */
  readonly #dirty = new Set<AggregateEntry>();
  /** Counts changes, to order the held entries by their last one. */
  #changes = 0;
  readonly #saved = {
    rowTime: 0,
    rowPartition: 0,
    rowOffset: 0n,
    windowStart: 0 as number | undefined,
    windowEnd: 0 as number | undefined,
  };

  constructor(settings: AggregateSettings) {
    const stage = settings.stage;
    this.ctx = settings.ctx;
    this.collector = settings.collector;
    this.emitFinal = settings.emitFinal;
    this.#output = settings.output;
    this.#changelog = settings.changelog;
    this.#coalesce = settings.coalesce;
    this.#windowed = stage.window !== undefined;
    this.#groupBy = stage.groupBy.map(compile);
    this.#arguments = stage.aggregates.map((a) => (a.argument === undefined ? undefined : compile(a.argument)));
    this.#aggregators = stage.aggregates.map((a) => a.create());
    this.#having = stage.having === undefined ? undefined : compile(stage.having);
  }

  get aggregators(): readonly Aggregator[] {
    return this.#aggregators;
  }

  /** The group and arguments of `row`; null, with a SQL_NULL_KEY entry when `log`, if a group-by value is NULL. */
  input(row: Row, log: boolean): GroupInput | null {
    const ctx = this.ctx;
    const groupBy = this.#groupBy;
    const key = new Array<SqlValue>(groupBy.length);
    for (let i = 0; i < groupBy.length; i++) key[i] = groupBy[i]!(row, ctx);
    if (hasNull(key)) {
      if (log) this.collector.fail("SQL_NULL_KEY", NULL_GROUP_KEY);
      return null;
    }
    const argumentOf = this.#arguments;
    const args = new Array<SqlValue>(argumentOf.length);
    for (let i = 0; i < argumentOf.length; i++) args[i] = argumentOf[i]?.(row, ctx) ?? null;
    return { key, text: keyText(key), args };
  }

  newEntry(state: PartitionState, input: GroupInput, start: number, end: number): AggregateEntry {
    return {
      key: input.key,
      text: input.text,
      start,
      end,
      states: this.#aggregators.map((a) => a.init()),
      ts: Number.NEGATIVE_INFINITY,
      emitted: false,
      alive: true,
      owner: state,
      changelogKey: undefined,
      touched: 0,
    };
  }

  add(entry: AggregateEntry, args: readonly SqlValue[]): void {
    const states = entry.states;
    for (let i = 0; i < states.length; i++) states[i] = this.#aggregators[i]!.add(states[i]!, args[i]!);
    if (this.ctx.rowTime > entry.ts) entry.ts = this.ctx.rowTime;
  }

  undo(entry: AggregateEntry, args: readonly SqlValue[]): void {
    const states = entry.states;
    for (let i = 0; i < states.length; i++) states[i] = this.#aggregators[i]!.undo!(states[i]!, args[i]!);
    if (this.ctx.rowTime > entry.ts) entry.ts = this.ctx.rowTime;
  }

  /** Combines `from` into `into` (session merging; `into` holds the earlier records). */
  merge(into: AggregateEntry, from: AggregateEntry): void {
    const states = into.states;
    for (let i = 0; i < states.length; i++) states[i] = this.#aggregators[i]!.merge!(states[i]!, from.states[i]!);
    if (from.ts > into.ts) into.ts = from.ts;
  }

  /** The entry changed: emitted now, or at the end of the batch when coalescing. */
  touch(entry: AggregateEntry): void {
    if (!this.#coalesce) {
      this.#emit(entry);
      return;
    }
    // The held rows come out in the order of their last change, as the record cache of Kafka Streams flushes least
    // recently used first; numbering the changes and sorting once at flush costs less than moving the entry each time.
    entry.touched = ++this.#changes;
    this.#dirty.add(entry);
  }

  /** How many changed entries and changelog records wait for `flush`. */
  get held(): number {
    return this.#dirty.size + (this.#changelog?.held ?? 0);
  }

  /** Forgets what a revoked partition had waiting. */
  drop(partition: number): void {
    for (const entry of this.#dirty) if (entry.owner.partition === partition) this.#dirty.delete(entry);
    this.#changelog?.drop(partition);
  }

  /** Emits the changed entries, then the changelog records. */
  flush(): void {
    const dirty = [...this.#dirty].sort((a, b) => a.touched - b.touched);
    this.#dirty.clear();
    for (const entry of dirty) {
      if (!entry.alive) continue;
      try {
        this.#emit(entry);
      } catch (error) {
        this.collector.failWith(error);
      }
    }
    this.#changelog?.flush();
  }

  /** EMIT FINAL: the window closed; its row goes out once, if it passes HAVING. */
  close(entry: AggregateEntry): void {
    entry.emitted = true;
    this.#changelog?.put(entry);
    const row = this.#enter(entry);
    try {
      if (this.#passes(row)) this.#output.upsert(entry.owner, row);
    } finally {
      this.#leave();
    }
  }

  /**
   * The entry is gone. `tombstone`: it was merged into another session, so its row leaves the result; otherwise it
   * expired, and only the materialized row and the state go (the sink keeps the last row, as ksqlDB's does).
   */
  remove(entry: AggregateEntry, tombstone: boolean): void {
    if (this.#dirty.delete(entry) && !tombstone && !this.emitFinal) this.#emit(entry);
    entry.alive = false;
    this.#changelog?.delete(entry);
    const row = this.#enter(entry);
    try {
      if (tombstone && !this.emitFinal) this.#output.remove(entry.owner, row);
      else this.#output.forget(entry.owner, row);
    } finally {
      this.#leave();
    }
  }

  /**
   * One changelog record during restore: the entry (`existing`, or a new one that `place` files in the operator's
   * store) takes the restored state and the partition the stream time, or a tombstone removes it (`drop`); the
   * materialized row follows, with nothing emitted.
   */
  restore(
    state: PartitionState,
    existing: AggregateEntry | undefined,
    found: { readonly key: Row; readonly text: string; readonly start: number; readonly end: number },
    value: RestoredValue | null,
    place: (entry: AggregateEntry) => void,
    drop: (entry: AggregateEntry) => void,
  ): void {
    if (value === null) {
      if (existing === undefined) return;
      drop(existing);
      existing.alive = false;
      try {
        this.#output.forget(state, this.#enter(existing));
      } finally {
        this.#leave();
      }
      return;
    }
    const entry =
      existing ?? this.newEntry(state, { key: found.key, text: found.text, args: [] }, found.start, found.end);
    entry.states = value.states;
    entry.ts = value.ts;
    entry.emitted = value.emitted;
    if (existing === undefined) place(entry);
    if (value.ts > state.streamTime) state.streamTime = value.ts;
    if (this.emitFinal && !entry.emitted) return;
    const row = this.#enter(entry);
    try {
      if (this.#passes(row)) this.#output.remember(state, row);
      else this.#output.forget(state, row);
    } finally {
      this.#leave();
    }
  }

  #emit(entry: AggregateEntry): void {
    this.#changelog?.put(entry);
    if (this.emitFinal) return;
    const row = this.#enter(entry);
    try {
      if (this.#passes(row)) this.#output.upsert(entry.owner, row);
      else this.#output.remove(entry.owner, row);
    } finally {
      this.#leave();
    }
  }

  #passes(row: Row): boolean {
    return this.#having === undefined || this.#having(row, this.ctx) === true;
  }

  /**
   * The aggregated row (group values, then results), with `ctx` set to the entry's time, partition and window for
   * HAVING and the projection; `#leave` (always, in a finally) puts back the record's context, which later windows of
   * the record still read.
   */
  #enter(entry: AggregateEntry): Row {
    const ctx = this.ctx;
    const saved = this.#saved;
    saved.rowTime = ctx.rowTime;
    saved.rowPartition = ctx.rowPartition;
    saved.rowOffset = ctx.rowOffset;
    saved.windowStart = ctx.windowStart;
    saved.windowEnd = ctx.windowEnd;
    ctx.rowTime = entry.ts;
    ctx.rowPartition = entry.owner.partition;
    ctx.rowOffset = -1n;
    if (this.#windowed) ctx.setWindow(entry.start, entry.end);
    else ctx.setWindow(undefined, undefined);
    const key = entry.key;
    const row = new Array<SqlValue>(key.length + entry.states.length);
    for (let i = 0; i < key.length; i++) row[i] = key[i]!;
    for (let i = 0; i < entry.states.length; i++) row[key.length + i] = this.#aggregators[i]!.result(entry.states[i]!);
    return row;
  }

  #leave(): void {
    const ctx = this.ctx;
    const saved = this.#saved;
    ctx.rowTime = saved.rowTime;
    ctx.rowPartition = saved.rowPartition;
    ctx.rowOffset = saved.rowOffset;
    ctx.setWindow(saved.windowStart, saved.windowEnd);
  }
}
