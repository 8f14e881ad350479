// The plan of one query: the fixed sequence of stages every KSQL query maps onto, with expressions typed once.

/*
 * Every KSQL query (persistent or transient) is one path through these stages, in this order; absent stages are
 * skipped:
 *
 *   source ─▶ [rekey for the join] ─▶ [join table] ─▶ [where] ─▶ [explode] ─▶ [rekey] ─▶ [aggregate ─▶ having]
 *          ─▶ project (output key and value columns) ─▶ output (a sink topic, or the client)
 *
 * Each stage reads the rows of the stage before it. A row is an array of values laid out by that stage's Scope
 * (../expressions/scope.ts); expressions in a stage were type-checked against its input scope, so they read columns
 * by index. Pseudo columns (ROWTIME, ROWPARTITION, ROWOFFSET, WINDOWSTART, WINDOWEND) come from the EvalContext.
 *
 * The planner (analysis) builds plans; the runtime turns a plan into operators and never re-types anything.
 */

import type { SourceDescription, WindowInfo } from "../analysis/catalog.ts";
import type { Scope } from "../expressions/scope.ts";
import type { TypedExpression } from "../expressions/typed.ts";
import type { Aggregator } from "../functions/signature.ts";
import type { SqlType } from "../types/types.ts";
import type { SqlArg, SqlValue } from "../types/values.ts";

/** A stream or table read by the query, with the alias its columns carry in the scope. */
export interface PlanSource {
  readonly source: SourceDescription;
  readonly alias: string;
  /** The source's columns in catalog order (key, value, headers), each with `source` = alias. */
  readonly scope: Scope;
  /** Index in the scope of the TIMESTAMP column that gives event time; absent: the Kafka record timestamp. */
  readonly timestampColumn?: number;
}

/**
 * Changes the record key to `key` (evaluated on the stage's input row). Across processes this goes through an internal
 * repartition topic so that one key lands in one partition; the row layout is the input's with the new key columns
 * appended (`scope`), so later stages read the new key like any column.
 */
export interface RekeyStage {
  readonly reason: "PARTITION BY" | "GROUP BY" | "JOIN";
  /** Empty for PARTITION BY NULL: records lose their key (a null Kafka key) and the result has no key columns. */
  readonly key: readonly TypedExpression[];
  /** Input columns, then one column per key expression. */
  readonly scope: Scope;
}

/** A stream-table join on the table's key (part 1: INNER and LEFT); the table has exactly one key column. */
export interface JoinStage {
  readonly type: "INNER" | "LEFT";
  readonly table: PlanSource;
  /**
   * The stream-side expression compared with the table's key, over the scope before the join, already converted to
   * the table key's type (an INTEGER stream column joined to a BIGINT key arrives widened), so its value looks the
   * table row up directly.
   */
  readonly streamKey: TypedExpression;
  /**
   * Present when the stream's records are not already partitioned like the table's: `streamKey` is not the stream's
   * only key column, or the stream's key format differs from the table's. The repartition topic then takes the
   * table's key format and partition count, so that a key lands in the partition of its table row. Without it the
   * two topics have equal partition counts (the planner checks).
   */
  readonly rekey?: RekeyStage;
  /** The stream's columns (after any rekey), then the table's. */
  readonly scope: Scope;
}

/** Table functions in the SELECT list (EXPLODE): one output row per element, several functions zipped. */
export interface ExplodeStage {
  readonly functions: readonly {
    readonly name: string;
    readonly invoke: (...args: SqlArg[]) => SqlValue[];
    readonly args: readonly TypedExpression[];
    readonly type: SqlType;
  }[];
  /** Input columns, then one column per function. */
  readonly scope: Scope;
}

export interface WindowPlan {
  readonly kind: WindowInfo["kind"];
  /** TUMBLING and HOPPING: the window length. */
  readonly sizeMs?: number;
  /** HOPPING: the advance; equals sizeMs for TUMBLING. */
  readonly advanceMs?: number;
  /** SESSION: the inactivity gap. */
  readonly gapMs?: number;
  /**
   * How long after its end a window still accepts late records, measured in stream time (the largest record time the
   * partition has seen). Default 10 s (../analysis/windows.ts says why), not ksqlDB's 24 h.
   */
  readonly graceMs: number;
  /** How long a window's state is kept after its start, at least size + grace; default max(size + grace, 1 h). */
  readonly retentionMs: number;
}

/** One aggregate call: `argument` feeds `add`/`undo` (absent for COUNT(*)); `create` makes a fresh aggregator. */
export interface AggregateSpec {
  readonly name: string;
  readonly argument?: TypedExpression;
  readonly create: () => Aggregator;
  readonly type: SqlType;
}

export interface AggregateStage {
  /** Over the stage's input scope; the group key. */
  readonly groupBy: readonly TypedExpression[];
  readonly aggregates: readonly AggregateSpec[];
  readonly window?: WindowPlan;
  /** The aggregated row: one column per group-by expression, then one per aggregate; windowed when `window` is. */
  readonly scope: Scope;
  /** Over `scope`. */
  readonly having?: TypedExpression;
}

export interface OutputColumn {
  readonly name: string;
  readonly type: SqlType;
  /** Over the scope of the stage before the projection. */
  readonly expression: TypedExpression;
}

/** One column of a projection, by its place in ProjectStage.key or ProjectStage.value. */
export interface OutputColumnRef {
  readonly part: "key" | "value";
  readonly index: number;
}

export interface ProjectStage {
  /** The output's key columns (a persistent query's sink key; for a client, the columns ksqlDB marks KEY). */
  readonly key: readonly OutputColumn[];
  readonly value: readonly OutputColumn[];
  /**
   * For a client (push and pull queries): every column in SELECT order, which is how ksqlDB shows them (key columns
   * need not come first). Absent for sinks, whose records carry key and value apart.
   */
  readonly order?: readonly OutputColumnRef[];
}

export type OutputPlan =
  /** CREATE … AS SELECT and INSERT INTO: encode and produce to the sink's topic. */
  | {
      readonly kind: "sink";
      readonly sink: SourceDescription;
      /** Index in ProjectStage.value of the column whose value becomes the record timestamp (WITH TIMESTAMP). */
      readonly timestampColumn?: number;
    }
  /** A push (EMIT CHANGES) or pull query: rows go to the client. */
  | { readonly kind: "client" };

export interface QueryPlan {
  /** The query's result: a stream of events or a table of upserts (aggregations, and queries over a table). */
  readonly resultKind: "STREAM" | "TABLE";
  readonly source: PlanSource;
  readonly join?: JoinStage;
  /** Over the join's scope, or the source's. */
  readonly where?: TypedExpression;
  readonly explode?: ExplodeStage;
  /** PARTITION BY, or the repartition a GROUP BY on anything but the input's key needs. */
  readonly rekey?: RekeyStage;
  readonly aggregate?: AggregateStage;
  readonly project: ProjectStage;
  readonly output: OutputPlan;
  /** FINAL emits each window once, when it closes (windowed aggregations only). */
  readonly emit: "CHANGES" | "FINAL";
  readonly limit?: number;
}
