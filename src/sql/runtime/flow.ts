// A query's operators wired in plan order: source rows through join, filter, explode and rekey to the aggregate or
// the output, with repartition hops between partitions.

import { defaultPartition } from "../../kafka/index.ts";
import { type CompiledExpression, compile } from "../expressions/compile.ts";
import type { Row } from "../expressions/scope.ts";
import type { QueryPlan } from "../plan/plan.ts";
import { createSerde } from "../serde/create-serde.ts";
import type { SqlValue } from "../types/values.ts";
import type { AggregateCore, AggregateOperator } from "./aggregate-core.ts";
import type { Collector } from "./collector.ts";
import { NULL_GROUP_KEY } from "./errors.ts";
import type { ExplodeStage } from "./explode-stage.ts";
import type { JoinStage } from "./join-stage.ts";
import { hasNull, keyText } from "./key-text.ts";
import type { OutputStage } from "./output-stage.ts";
import { asBuffer } from "./output-stage.ts";
import type { PartitionState } from "./partition-state.ts";
import type { InputRecord } from "./pipeline.ts";
import type { RecordContext } from "./record-context.ts";
import { decodeMoved, encodeMoved } from "./repartition-record.ts";
import type { SourceDecoder } from "./source-decoder.ts";

/** A hop to the partition of a new key: through a repartition topic, or in memory when one process owns them all. */
export interface Route {
  readonly topic: string;
  readonly partitions: number;
  keyBytes(key: Row): Uint8Array | null;
  /** Where the rows go on in the partition that owns the new key. */
  proceed(next: Row | null, previous: Row | null, state: PartitionState): void;
}

export interface FlowParts {
  readonly plan: QueryPlan;
  readonly ctx: RecordContext;
  readonly collector: Collector;
  readonly source: SourceDecoder;
  readonly join: JoinStage | undefined;
  readonly explode: ExplodeStage | undefined;
  readonly aggregate: { readonly core: AggregateCore; readonly operator: AggregateOperator } | undefined;
  readonly output: OutputStage;
  /** Names of the repartition topics. */
  readonly joinTopic: string;
  readonly rekeyTopic: string;
  /** In-memory repartitioning: the state of any partition, made on first use. */
  readonly inMemory: ((partition: number) => PartitionState) | undefined;
}

export class Flow {
  readonly joinRoute: Route | undefined;
  /** Present only when an aggregate follows the rekey: PARTITION BY alone needs no hop, the sink is keyed anyway. */
  readonly rekeyRoute: Route | undefined;
  readonly #parts: FlowParts;
  readonly #ctx: RecordContext;
  readonly #where: CompiledExpression | undefined;
  readonly #joinKey: readonly CompiledExpression[];
  readonly #rekey: readonly CompiledExpression[] | undefined;

  constructor(parts: FlowParts) {
    const { plan, join, aggregate } = parts;
    this.#parts = parts;
    this.#ctx = parts.ctx;
    this.#where = plan.where === undefined ? undefined : compile(plan.where);
    this.#joinKey = plan.join?.rekey?.key.map(compile) ?? [];
    this.#rekey = plan.rekey?.key.map(compile);
    const upstream = plan.join?.table.source.partitions ?? plan.source.source.partitions;
    if (join !== undefined && plan.join?.rekey !== undefined) {
      this.joinRoute = {
        topic: parts.joinTopic,
        partitions: plan.join.table.source.partitions,
        keyBytes: (key) => join.keySerde.encode([join.toTableKey(key[0]!)]),
        proceed: (next, _previous, state) => this.#joined(next!, state),
      };
    }
    if (plan.rekey !== undefined && aggregate !== undefined) {
      const columns = plan.rekey.scope.columns.slice(-plan.rekey.key.length);
      const serde = createSerde("JSON", columns, { role: "key" });
      this.rekeyRoute = {
        topic: parts.rekeyTopic,
        partitions: upstream,
        keyBytes: (key) => serde.encode(key),
        proceed: (next, previous, state) => aggregate.operator.change(previous, next, state),
      };
    }
  }

  /** A record of the source stream. */
  streamRecord(record: InputRecord, state: PartitionState): void {
    const ctx = this.#ctx;
    const source = this.#parts.source;
    ctx.enter(record.topic, record.partition, record.offset);
    const row = source.decode(record, ctx)!;
    ctx.rowTime = source.eventTime(row, record);
    const route = this.joinRoute;
    if (route === undefined) {
      this.#joined(row, state);
      return;
    }
    const key = evaluate(this.#joinKey, row, ctx);
    const rekeyed = row.concat(key);
    if (key[0] === null) {
      // A NULL key matches no table row, wherever it goes: an INNER join drops it, a LEFT join goes on here.
      if (!this.#parts.join!.inner) this.#joined(rekeyed, state);
      return;
    }
    this.#route(route, rekeyed, null, key);
  }

  /** A record of the source table: the key's row changes from what the partition held to the record's row. */
  tableRecord(record: InputRecord, state: PartitionState): void {
    const next = this.#readTableRecord(record, state);
    if (next === undefined) return;
    this.#tableChange(next.previous, next.row, state);
  }

  /** A source-table record from before the committed offset: rebuilds the rows (and materialized rows) silently. */
  restoreTableRecord(record: InputRecord, state: PartitionState): void {
    const next = this.#readTableRecord(record, state);
    if (next === undefined || this.#parts.aggregate !== undefined) return;
    const output = this.#parts.output;
    if (next.row !== null && this.#passes(next.row)) output.remember(state, next.row);
    else if (next.previous !== null) output.forget(state, next.previous);
  }

  /** A record back from a repartition topic. */
  movedRecord(route: Route, record: InputRecord, state: PartitionState): void {
    const ctx = this.#ctx;
    ctx.enter(record.topic, record.partition, record.offset);
    const moved = decodeMoved(record.value);
    ctx.rowTime = moved.rowTime;
    ctx.rowPartition = moved.partition;
    ctx.rowOffset = moved.offset;
    route.proceed(moved.next, moved.previous, state);
  }

  /** How many coalesced updates wait for `flush`. */
  get held(): number {
    return (this.#parts.aggregate?.core.held ?? 0) + this.#parts.output.held;
  }

  /** Forgets what a revoked partition had waiting. */
  drop(partition: number): void {
    this.#parts.aggregate?.core.drop(partition);
    this.#parts.output.drop(partition);
  }

  /** Coalesced aggregate rows, then coalesced table rows. */
  flush(): void {
    this.#parts.aggregate?.core.flush();
    this.#parts.output.flush();
  }

  #readTableRecord(record: InputRecord, state: PartitionState): { previous: Row | null; row: Row | null } | undefined {
    const ctx = this.#ctx;
    ctx.enter(record.topic, record.partition, record.offset);
    if (record.key === null) {
      this.#parts.collector.fail("SQL_NULL_KEY", "a table record has no key: it cannot update a row");
      return undefined;
    }
    const source = this.#parts.source;
    const row = source.decode(record, ctx);
    ctx.rowTime = source.eventTime(row, record);
    const id = latin1(record.key);
    const previous = state.sourceRows.get(id) ?? null;
    if (row === null) state.sourceRows.delete(id);
    else state.sourceRows.set(id, row);
    return { previous, row };
  }

  #passes(row: Row): boolean {
    return this.#where === undefined || this.#where(row, this.#ctx) === true;
  }

  /** After the join's rekey: join, filter, explode. */
  #joined(input: Row, state: PartitionState): void {
    let row = input;
    const join = this.#parts.join;
    if (join !== undefined) {
      const joined = join.join(row, state);
      if (joined === null) return;
      row = joined;
    }
    if (!this.#passes(row)) return;
    const explode = this.#parts.explode;
    if (explode === undefined) {
      this.#exploded(row, state);
      return;
    }
    for (const exploded of explode.rows(row)) this.#exploded(exploded, state);
  }

  #exploded(row: Row, state: PartitionState): void {
    const rekey = this.#rekey;
    const aggregate = this.#parts.aggregate;
    if (rekey === undefined) {
      if (aggregate !== undefined) aggregate.operator.change(null, row, state);
      else this.#parts.output.event(row);
      return;
    }
    const key = evaluate(rekey, row, this.#ctx);
    const rekeyed = row.concat(key);
    const route = this.rekeyRoute;
    if (route === undefined) {
      this.#parts.output.event(rekeyed);
      return;
    }
    if (hasNull(key)) {
      this.#parts.collector.fail("SQL_NULL_KEY", NULL_GROUP_KEY);
      return;
    }
    this.#route(route, rekeyed, null, key);
  }

  /** A table's change after WHERE: retract the old row and add the new one, to the aggregate or the output. */
  #tableChange(previousRow: Row | null, nextRow: Row | null, state: PartitionState): void {
    const previous = previousRow !== null && this.#passes(previousRow) ? previousRow : null;
    const next = nextRow !== null && this.#passes(nextRow) ? nextRow : null;
    const aggregate = this.#parts.aggregate;
    if (aggregate === undefined) {
      const output = this.#parts.output;
      if (next !== null) {
        if (previousRow !== null && output.keyTextOf(previousRow) !== output.keyTextOf(next)) {
          output.remove(state, previousRow);
        }
        output.upsert(state, next);
      } else if (previousRow !== null) {
        output.remove(state, previousRow);
      }
      return;
    }
    const rekey = this.#rekey;
    const route = this.rekeyRoute;
    if (rekey === undefined || route === undefined) {
      aggregate.operator.change(previous, next, state);
      return;
    }
    const previousKey = previous === null ? null : evaluate(rekey, previous, this.#ctx);
    let nextKey = next === null ? null : evaluate(rekey, next, this.#ctx);
    if (nextKey !== null && hasNull(nextKey)) {
      this.#parts.collector.fail("SQL_NULL_KEY", NULL_GROUP_KEY);
      nextKey = null;
    }
    const retract = previousKey === null || hasNull(previousKey) ? null : previous!.concat(previousKey);
    const add = nextKey === null ? null : next!.concat(nextKey);
    // Same group: one record carries both, so the aggregate retracts and adds in one step and emits once.
    if (retract !== null && add !== null && keyText(previousKey!) === keyText(nextKey!)) {
      this.#route(route, add, retract, nextKey!);
      return;
    }
    if (retract !== null) this.#route(route, null, retract, previousKey!);
    if (add !== null) this.#route(route, add, null, nextKey!);
  }

  #route(route: Route, next: Row | null, previous: Row | null, key: Row): void {
    const inMemory = this.#parts.inMemory;
    if (inMemory !== undefined) {
      const partition = route.partitions <= 1 ? 0 : defaultPartition(route.keyBytes(key), route.partitions);
      route.proceed(next, previous, inMemory(partition));
      return;
    }
    const ctx = this.#ctx;
    this.#parts.collector.internal({
      topic: route.topic,
      key: asBuffer(route.keyBytes(key)),
      value: encodeMoved(next, previous, ctx),
      timestamp: ctx.rowTime,
    });
  }
}

function evaluate(expressions: readonly CompiledExpression[], row: Row, ctx: RecordContext): SqlValue[] {
  const values = new Array<SqlValue>(expressions.length);
  for (let i = 0; i < expressions.length; i++) values[i] = expressions[i]!(row, ctx);
  return values;
}

/** A key's bytes as a string, one character per byte: a cheap, exact map key. */
function latin1(bytes: Buffer): string {
  return bytes.toString("latin1");
}
