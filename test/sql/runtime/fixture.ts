// Builds query plans for runtime tests without the planner, and plays the engine: feeds records, loops repartition
// records back, keeps changelogs.

import assert from "node:assert/strict";
import { defaultPartition } from "../../../src/kafka/index.ts";
import type {
  CatalogColumn,
  ColumnRole,
  SourceDescription,
  SourceKind,
  WindowInfo,
} from "../../../src/sql/analysis/catalog.ts";
import { compile } from "../../../src/sql/expressions/compile.ts";
import type { Scope, ScopeColumn } from "../../../src/sql/expressions/scope.ts";
import { type AggregateCall, typeCheck } from "../../../src/sql/expressions/type-check.ts";
import type { TypedExpression } from "../../../src/sql/expressions/typed.ts";
import { createBuiltinRegistry } from "../../../src/sql/functions/builtins.ts";
import { parseExpression } from "../../../src/sql/language/index.ts";
import type {
  AggregateSpec,
  ExplodeStage,
  JoinStage,
  OutputColumn,
  PlanSource,
  QueryPlan,
  RekeyStage,
  WindowPlan,
} from "../../../src/sql/plan/plan.ts";
import type {
  InputRecord,
  OutputRecord,
  Pipeline,
  PipelineOutput,
  ProcessingLogEntry,
  ResultRow,
} from "../../../src/sql/runtime/pipeline.ts";
import type { SerdeFormat } from "../../../src/sql/serde/serde.ts";
import { parseTypeText } from "../../../src/sql/types/type-text.ts";
import type { SqlValue } from "../../../src/sql/types/values.ts";

export const registry = createBuiltinRegistry();

export interface SourceOptions {
  readonly topic?: string;
  readonly partitions?: number;
  readonly keyFormat?: SerdeFormat;
  readonly valueFormat?: SerdeFormat;
  readonly timestamp?: { readonly column: string; readonly format?: string };
  readonly window?: WindowInfo;
  readonly wrapSingleValue?: boolean;
}

/** A catalog entry from a column list as CREATE STREAM writes it: `ID STRING KEY, V DOUBLE, H BYTES HEADER('h')`. */
export function describeSource(
  name: string,
  kind: SourceKind,
  columnList: string,
  options: SourceOptions = {},
): SourceDescription {
  const columns = splitTopLevel(columnList).map(parseColumn);
  const order: ColumnRole[] = ["KEY", "VALUE", "HEADERS", "HEADER"];
  columns.sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
  return {
    name,
    kind,
    columns,
    topic: options.topic ?? name.toLowerCase(),
    keyFormat: options.keyFormat ?? (columns.some((c) => c.role === "KEY") ? "JSON" : "NONE"),
    valueFormat: options.valueFormat ?? "JSON",
    wrapSingleValue: options.wrapSingleValue,
    timestamp: options.timestamp,
    window: options.window,
    partitions: options.partitions ?? 1,
    replicas: 1,
    readOnly: false,
    sql: `CREATE ${kind} ${name} (${columnList})`,
  };
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const c of text) {
    if (c === "<" || c === "(") depth++;
    if (c === ">" || c === ")") depth--;
    if (c === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += c;
  }
  if (current.trim() !== "") parts.push(current.trim());
  return parts;
}

function parseColumn(text: string): CatalogColumn {
  const name = text.slice(0, text.indexOf(" "));
  let rest = text.slice(name.length + 1).trim();
  const header = /\s+HEADER\('([^']*)'\)$/i.exec(rest);
  if (header) {
    rest = rest.slice(0, header.index);
    return { name, type: parseTypeText(rest), role: "HEADER", headerKey: header[1] };
  }
  for (const [suffix, role] of [
    [/\s+PRIMARY KEY$/i, "KEY"],
    [/\s+KEY$/i, "KEY"],
    [/\s+HEADERS$/i, "HEADERS"],
  ] as const) {
    const match = suffix.exec(rest);
    if (match) return { name, type: parseTypeText(rest.slice(0, match.index)), role };
  }
  return { name, type: parseTypeText(rest), role: "VALUE" };
}

export function planSource(source: SourceDescription, alias = source.name): PlanSource {
  const columns: ScopeColumn[] = source.columns.map((c) => ({ name: c.name, type: c.type, source: alias }));
  const scope: Scope = { columns, windowed: source.window !== undefined };
  const timestampColumn = source.timestamp ? columns.findIndex((c) => c.name === source.timestamp!.column) : undefined;
  return { source, alias, scope, timestampColumn };
}

export function typed(text: string, scope: Scope, onAggregate?: (call: AggregateCall) => number): TypedExpression {
  return typeCheck(parseExpression(text), scope, registry, { text, onAggregate });
}

/** `[name, expression]`: an output or appended column. */
export type Named = readonly [string, string];

export interface AggregateOptions {
  readonly groupBy: readonly Named[];
  readonly aggregates: readonly Named[];
  readonly window?: WindowPlan;
  readonly having?: string;
}

/** Builds a QueryPlan stage by stage in plan order, typing each stage's expressions over the scope before it. */
export class PlanBuilder {
  #scope: Scope;
  readonly #source: PlanSource;
  #join: JoinStage | undefined;
  #where: TypedExpression | undefined;
  #explode: ExplodeStage | undefined;
  #rekey: RekeyStage | undefined;
  #aggregate: QueryPlan["aggregate"];

  constructor(source: PlanSource) {
    this.#source = source;
    this.#scope = source.scope;
  }

  join(type: "INNER" | "LEFT", table: PlanSource, streamKey: string, rekeyed = false): this {
    const key = typed(streamKey, this.#scope);
    let rekey: RekeyStage | undefined;
    if (rekeyed) {
      const scope = { columns: [...this.#scope.columns, { name: "KSQL_JOIN_KEY", type: key.type! }] };
      rekey = { reason: "JOIN", key: [key], scope };
      this.#scope = scope;
    }
    this.#scope = { columns: [...this.#scope.columns, ...table.scope.columns] };
    this.#join = { type, table, streamKey: key, rekey, scope: this.#scope };
    return this;
  }

  where(text: string): this {
    this.#where = typed(text, this.#scope);
    return this;
  }

  /** Table functions as `[name, 'EXPLODE(ARR)']`. */
  explode(...calls: Named[]): this {
    const functions = calls.map(([, text]) => {
      const call = parseExpression(text);
      if (call.kind !== "FunctionCall") throw new Error(`${text} is not a function call`);
      const args = call.args.map((a) => typeCheck(a, this.#scope, registry));
      const resolved = registry.lookup(
        call.name.value,
        args.map((a) => a.type!),
      );
      if (resolved.kind !== "table") throw new Error(`${text} is not a table function`);
      return { name: resolved.name, invoke: resolved.invoke, args, type: resolved.returnType };
    });
    const columns = calls.map(([name], i) => ({ name, type: functions[i]!.type }));
    this.#scope = { columns: [...this.#scope.columns, ...columns] };
    this.#explode = { functions, scope: this.#scope };
    return this;
  }

  rekey(reason: RekeyStage["reason"], keys: readonly Named[]): this {
    const key = keys.map(([, text]) => typed(text, this.#scope));
    const columns = keys.map(([name], i) => ({ name, type: key[i]!.type! }));
    this.#scope = { columns: [...this.#scope.columns, ...columns] };
    this.#rekey = { reason, key, scope: this.#scope };
    return this;
  }

  aggregate(options: AggregateOptions): this {
    const groupBy = options.groupBy.map(([, text]) => typed(text, this.#scope));
    const aggregates: AggregateSpec[] = options.aggregates.map(([, text]) => {
      let found: AggregateCall | undefined;
      typed(text, this.#scope, (call) => {
        found = call;
        return 0;
      });
      if (!found) throw new Error(`${text} has no aggregate call`);
      const call: AggregateCall = found;
      const literals = call.args.slice(1).map((a) => compile(a)([], { rowTime: 0, rowPartition: 0, rowOffset: 0n }));
      return {
        name: call.resolved.name,
        argument: call.args[0],
        create: () => call.resolved.create(literals),
        type: call.resolved.returnType,
      };
    });
    const columns: ScopeColumn[] = [
      ...options.groupBy.map(([name], i) => ({ name, type: groupBy[i]!.type! })),
      ...options.aggregates.map(([name], i) => ({ name, type: aggregates[i]!.type })),
    ];
    const scope: Scope = { columns, windowed: options.window !== undefined };
    const having = options.having === undefined ? undefined : typed(options.having, scope);
    this.#aggregate = { groupBy, aggregates, window: options.window, scope, having };
    this.#scope = scope;
    return this;
  }

  build(
    key: readonly Named[],
    value: readonly Named[],
    output: { sink?: SourceDescription; timestampColumn?: number; emit?: "CHANGES" | "FINAL"; limit?: number } = {},
  ): QueryPlan {
    const column = ([name, text]: Named): OutputColumn => {
      const expression = typed(text, this.#scope);
      return { name, type: expression.type!, expression };
    };
    const table = this.#aggregate !== undefined || this.#source.source.kind === "TABLE";
    return {
      resultKind: table ? "TABLE" : "STREAM",
      source: this.#source,
      join: this.#join,
      where: this.#where,
      explode: this.#explode,
      rekey: this.#rekey,
      aggregate: this.#aggregate,
      project: { key: key.map(column), value: value.map(column) },
      output: output.sink
        ? { kind: "sink", sink: output.sink, timestampColumn: output.timestampColumn }
        : { kind: "client" },
      emit: output.emit ?? "CHANGES",
      limit: output.limit,
    };
  }
}

export function tumbling(sizeMs: number, graceMs = 0, retentionMs = sizeMs + graceMs): WindowPlan {
  return { kind: "TUMBLING", sizeMs, advanceMs: sizeMs, graceMs, retentionMs };
}

export function hopping(sizeMs: number, advanceMs: number, graceMs = 0, retentionMs = sizeMs + graceMs): WindowPlan {
  return { kind: "HOPPING", sizeMs, advanceMs, graceMs, retentionMs };
}

export function session(gapMs: number, graceMs = 0, retentionMs = gapMs + graceMs): WindowPlan {
  return { kind: "SESSION", gapMs, graceMs, retentionMs };
}

export function json(value: unknown): Buffer | null {
  return value === null || value === undefined ? null : Buffer.from(JSON.stringify(value));
}

export function parseJson(bytes: Uint8Array | null): unknown {
  return bytes === null ? null : JSON.parse(Buffer.from(bytes).toString("utf8"));
}

/** What a batch (with its repartition round trips) produced, split by the role of each record's topic. */
export interface Outcome {
  readonly sink: OutputRecord[];
  readonly changelog: OutputRecord[];
  readonly repartition: OutputRecord[];
  readonly rows: ResultRow[];
  readonly errors: ProcessingLogEntry[];
  readonly done: boolean;
}

/**
 * Plays the engine's part: numbers offsets per topic-partition, sends repartition records back through the pipeline
 * in the partition Kafka's default partitioner picks, and keeps every changelog record for restore tests.
 */
export class Harness {
  readonly pipeline: Pipeline;
  readonly changelog: InputRecord[] = [];
  readonly #offsets = new Map<string, bigint>();

  constructor(pipeline: Pipeline, partitions: readonly number[] = [0]) {
    this.pipeline = pipeline;
    for (const p of partitions) pipeline.assign(p);
  }

  record(topic: string, key: unknown, value: unknown, timestamp: number, partition = 0): InputRecord {
    return this.raw(topic, json(key), json(value), timestamp, partition);
  }

  raw(
    topic: string,
    key: Buffer | null,
    value: Buffer | null,
    timestamp: number,
    partition = 0,
    headers: readonly (readonly [string, Buffer])[] = [],
  ): InputRecord {
    const slot = `${topic}/${partition}`;
    const offset = this.#offsets.get(slot) ?? 0n;
    this.#offsets.set(slot, offset + 1n);
    return { topic, partition, offset, timestamp, key, value, headers };
  }

  /** `hold`: as the query task processes, table updates wait for `flush()`. */
  run(records: readonly InputRecord[], hold = false): Outcome {
    const outcome: Outcome = { sink: [], changelog: [], repartition: [], rows: [], errors: [], done: false };
    let batch = records;
    let done = false;
    while (batch.length > 0) {
      const output = this.pipeline.process(batch, { hold });
      done = output.done;
      batch = this.#sort(output, outcome);
    }
    return { ...outcome, done };
  }

  /** The held updates, as the query task takes them at the end of a commit interval. */
  flush(): Outcome {
    const outcome: Outcome = { sink: [], changelog: [], repartition: [], rows: [], errors: [], done: false };
    const output = this.pipeline.flush!();
    const moved = this.#sort(output, outcome);
    assert(moved.length === 0, "a flush sends nothing through repartition topics");
    return { ...outcome, done: output.done };
  }

  /** Files an output's records by topic role; the repartition records come back as the next batch. */
  #sort(output: PipelineOutput, outcome: Outcome): InputRecord[] {
    outcome.rows.push(...output.rows);
    outcome.errors.push(...output.errors);
    const next: InputRecord[] = [];
    for (const record of output.records) {
      const role = this.pipeline.topics.find((t) => t.name === record.topic)?.role;
      if (role === "repartition") {
        outcome.repartition.push(record);
        const topic = this.pipeline.topics.find((t) => t.name === record.topic)!;
        const partition = record.partition ?? defaultPartition(record.key, topic.partitions ?? 1);
        next.push(this.raw(record.topic, record.key, record.value, record.timestamp, partition));
      } else if (role === "changelog") {
        outcome.changelog.push(record);
        this.changelog.push(this.raw(record.topic, record.key, record.value, record.timestamp, record.partition));
      } else outcome.sink.push(record);
    }
    return next;
  }
}

/** Sink records as [key, value, timestamp] with JSON parsed, for assertions. */
export function readable(records: readonly OutputRecord[]): [unknown, unknown, number][] {
  return records.map((r) => [parseJson(r.key), parseJson(r.value), r.timestamp]);
}

/** Client rows as [key, value] arrays, windows as [start, end] when present. */
export function rowValues(rows: readonly ResultRow[]): (readonly SqlValue[] | null | number[])[][] {
  return rows.map((r) => (r.window ? [r.key, r.value, [r.window.start, r.window.end]] : [r.key, r.value]));
}
