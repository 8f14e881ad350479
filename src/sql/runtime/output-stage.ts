// The last stage: project rows to the output's key and value columns, then encode them for the sink or hand them to
// the client; for table results keep the materialized rows and coalesce updates per key.

import type { SourceDescription } from "../analysis/catalog.ts";
import { type CompiledExpression, compile } from "../expressions/compile.ts";
import type { Row } from "../expressions/scope.ts";
import type { OutputColumn, QueryPlan } from "../plan/plan.ts";
import type { Serde } from "../serde/serde.ts";
import type { SqlValue } from "../types/values.ts";
import type { Collector } from "./collector.ts";
import { SqlRuntimeError } from "./errors.ts";
import { HeldUpdates } from "./held-updates.ts";
import { keyText } from "./key-text.ts";
import type { PartitionState } from "./partition-state.ts";
import type { OutputRecord, ResultRow } from "./pipeline.ts";
import type { RecordContext } from "./record-context.ts";
import { keySerde, valueSerde } from "./source-decoder.ts";
import { compileTimestampReader, type TimestampReader } from "./timestamp-column.ts";
import { encodeWindowedKey, type WindowBounds, type WindowKind } from "./windowed-key.ts";

interface SinkEncoding {
  readonly topic: string;
  readonly key: Serde;
  readonly value: Serde;
  readonly windowKind: WindowKind | undefined;
}

export class OutputStage {
  readonly #ctx: RecordContext;
  readonly #collector: Collector;
  readonly #key: readonly CompiledExpression[];
  readonly #value: readonly CompiledExpression[];
  readonly #sink: SinkEncoding | undefined;
  readonly #timestampIndex: number;
  readonly #readTimestamp: TimestampReader | undefined;
  readonly #coalesce: boolean;
  /** Table results not yet emitted: the last update per partition, key and window. */
  readonly #pending = new HeldUpdates<ResultRow>();
  /** Reused for sink-bound stream rows, which are encoded at once and never kept. */
  readonly #keyScratch: SqlValue[];
  readonly #valueScratch: SqlValue[];

  constructor(plan: QueryPlan, ctx: RecordContext, collector: Collector, coalesce: boolean) {
    this.#ctx = ctx;
    this.#collector = collector;
    this.#coalesce = coalesce;
    this.#key = plan.project.key.map((c) => compile(c.expression));
    this.#value = plan.project.value.map((c) => compile(c.expression));
    this.#keyScratch = new Array<SqlValue>(this.#key.length).fill(null);
    this.#valueScratch = new Array<SqlValue>(this.#value.length).fill(null);
    const windowKind = plan.aggregate?.window?.kind ?? plan.source.source.window?.kind;
    const output = plan.output;
    this.#sink =
      output.kind === "sink" ? sinkEncoding(output.sink, plan.project.key, plan.project.value, windowKind) : undefined;
    this.#timestampIndex = output.kind === "sink" ? (output.timestampColumn ?? -1) : -1;
    const column = plan.project.value[this.#timestampIndex];
    this.#readTimestamp =
      column === undefined || output.kind !== "sink"
        ? undefined
        : compileTimestampReader(column.name, column.type, output.sink.timestamp?.format);
  }

  /** A stream result: every row goes out as it comes. */
  event(row: Row): void {
    const ctx = this.#ctx;
    const window = ctx.windowStart === undefined ? undefined : { start: ctx.windowStart, end: ctx.windowEnd! };
    const sink = this.#sink;
    if (sink !== undefined) {
      const key = evaluate(this.#key, row, ctx, this.#keyScratch);
      const value = evaluate(this.#value, row, ctx, this.#valueScratch);
      this.#collector.sinkRecord(this.#encode(sink, key, value, this.#timestamp(value), window));
      return;
    }
    const key = evaluate(this.#key, row, ctx, new Array<SqlValue>(this.#key.length));
    const value = evaluate(this.#value, row, ctx, new Array<SqlValue>(this.#value.length));
    this.#collector.clientRow(resultRow(key, value, this.#timestamp(value), window));
  }

  /** A table result row for the key (and window in `ctx`) that `row` projects to. */
  upsert(state: PartitionState, row: Row): void {
    const result = this.#project(row);
    const text = keyText(result.key);
    state.view.set(text, result);
    this.#pend(state.partition, text, result);
  }

  /** The key that `row` projects to leaves the table: a tombstone when the table held it, else nothing. */
  remove(state: PartitionState, row: Row): void {
    const ctx = this.#ctx;
    const key = evaluate(this.#key, row, ctx, new Array<SqlValue>(this.#key.length));
    const window = currentWindow(ctx);
    const text = keyText(key);
    if (!state.view.delete(text, window)) return;
    this.#pend(state.partition, text, resultRow(key, null, ctx.rowTime, window));
  }

  /** The identity of the key `row` projects to. */
  keyTextOf(row: Row): string {
    return keyText(evaluate(this.#key, row, this.#ctx, this.#keyScratch));
  }

  /** Rebuilds the materialized row of `row` (restore): nothing is emitted. */
  remember(state: PartitionState, row: Row): void {
    const result = this.#project(row);
    state.view.set(keyText(result.key), result);
  }

  /** Drops the materialized row (expired window, restored tombstone): nothing is emitted. */
  forget(state: PartitionState, row: Row): void {
    const key = evaluate(this.#key, row, this.#ctx, new Array<SqlValue>(this.#key.length));
    state.view.delete(keyText(key), currentWindow(this.#ctx));
  }

  /** How many table updates wait for `flush`. */
  get held(): number {
    return this.#pending.size;
  }

  /** Forgets the waiting updates of a revoked partition. */
  drop(partition: number): void {
    this.#pending.drop(partition);
  }

  /** Emits the coalesced table updates. */
  flush(): void {
    this.#pending.release((result) => {
      try {
        this.#deliver(result);
      } catch (error) {
        this.#collector.failWith(error);
      }
    });
  }

  #project(row: Row): ResultRow {
    const ctx = this.#ctx;
    const key = evaluate(this.#key, row, ctx, new Array<SqlValue>(this.#key.length));
    const value = evaluate(this.#value, row, ctx, new Array<SqlValue>(this.#value.length));
    return resultRow(key, value, this.#timestamp(value), currentWindow(ctx));
  }

  #pend(partition: number, text: string, result: ResultRow): void {
    if (!this.#coalesce) {
      this.#deliver(result);
      return;
    }
    const window = result.window;
    this.#pending.hold(partition, window === undefined ? text : `${text}@${window.start}:${window.end}`, result);
  }

  #deliver(result: ResultRow): void {
    const sink = this.#sink;
    if (sink === undefined) this.#collector.clientRow(result);
    else this.#collector.sinkRecord(this.#encode(sink, result.key, result.value, result.timestamp, result.window));
  }

  #timestamp(value: Row): number {
    const read = this.#readTimestamp;
    return read === undefined ? this.#ctx.rowTime : read(value[this.#timestampIndex]!);
  }

  #encode(
    sink: SinkEncoding,
    key: Row,
    value: Row | null,
    timestamp: number,
    window: WindowBounds | undefined,
  ): OutputRecord {
    const keyBytes = sink.key.encode(key);
    const valueBytes = value === null ? null : sink.value.encode(value);
    return {
      topic: sink.topic,
      key:
        sink.windowKind !== undefined && window !== undefined
          ? encodeWindowedKey(keyBytes, sink.windowKind, window)
          : asBuffer(keyBytes),
      value: asBuffer(valueBytes),
      timestamp,
    };
  }
}

function evaluate(
  expressions: readonly CompiledExpression[],
  row: Row,
  ctx: RecordContext,
  into: SqlValue[],
): SqlValue[] {
  for (let i = 0; i < expressions.length; i++) into[i] = expressions[i]!(row, ctx);
  return into;
}

/** Unwindowed rows carry no `window` property at all, so that they compare and serialize plainly. */
function resultRow(key: Row, value: Row | null, timestamp: number, window: WindowBounds | undefined): ResultRow {
  return window === undefined ? { key, value, timestamp } : { key, value, timestamp, window };
}

function currentWindow(ctx: RecordContext): WindowBounds | undefined {
  return ctx.windowStart === undefined ? undefined : { start: ctx.windowStart, end: ctx.windowEnd! };
}

export function asBuffer(bytes: Uint8Array | null): Buffer | null {
  if (bytes === null) return null;
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function sinkEncoding(
  sink: SourceDescription,
  key: readonly OutputColumn[],
  value: readonly OutputColumn[],
  windowKind: WindowKind | undefined,
): SinkEncoding {
  const keyColumns = sink.columns.filter((c) => c.role === "KEY").length;
  const valueColumns = sink.columns.filter((c) => c.role === "VALUE").length;
  if (keyColumns !== key.length || valueColumns !== value.length) {
    throw new SqlRuntimeError(
      "SQL_PLAN_UNSUPPORTED",
      `the projection has ${key.length} key and ${value.length} value columns but sink ${sink.name} has ` +
        `${keyColumns} and ${valueColumns}`,
    );
  }
  return { topic: sink.topic, key: keySerde(sink), value: valueSerde(sink), windowKind };
}
