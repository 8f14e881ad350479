// What an expression can name: the columns of its sources (by row index), pseudo columns, and the row shape itself.

import { BIGINT, INTEGER, type SqlType } from "../types/types.ts";
import type { SqlValue } from "../types/values.ts";

/*
 * Row representation: an array of values in the order of `Scope.columns`. Names are resolved to indexes once, when
 * the expression is type-checked, so the compiled function reads `row[3]` and never looks a name up per record. The
 * planner builds one Scope per operator input (a join's scope lists the left source's columns, then the right's).
 * Pseudo columns are not in the row: they come from the record's metadata in the EvalContext.
 */
export type Row = readonly SqlValue[];

export interface ScopeColumn {
  /** As KSQL normalised it: upper-cased unless it was back-quoted. */
  readonly name: string;
  readonly type: SqlType;
  /** The alias (or name) of the source it comes from, for `source.column` references. */
  readonly source?: string;
}

export interface Scope {
  readonly columns: readonly ScopeColumn[];
  /** True when the input is windowed, which makes WINDOWSTART and WINDOWEND resolvable. */
  readonly windowed?: boolean;
}

/** The record metadata each evaluation receives besides the row. */
export interface EvalContext {
  /** The record timestamp, milliseconds since the epoch. */
  readonly rowTime: number;
  readonly rowPartition: number;
  readonly rowOffset: bigint;
  /** Bounds of the window, milliseconds since the epoch; present on windowed inputs only. */
  readonly windowStart?: number;
  readonly windowEnd?: number;
}

export type PseudoColumn = "ROWTIME" | "ROWPARTITION" | "ROWOFFSET" | "WINDOWSTART" | "WINDOWEND";

/** ksqlDB types ROWTIME and the window bounds as BIGINT milliseconds, ROWPARTITION as INTEGER, ROWOFFSET as BIGINT. */
const PSEUDO_TYPES: Record<PseudoColumn, SqlType> = {
  ROWTIME: BIGINT,
  ROWPARTITION: INTEGER,
  ROWOFFSET: BIGINT,
  WINDOWSTART: BIGINT,
  WINDOWEND: BIGINT,
};

export function pseudoColumn(name: string, scope: Scope): { column: PseudoColumn; type: SqlType } | undefined {
  if (!Object.hasOwn(PSEUDO_TYPES, name)) return undefined;
  const column = name as PseudoColumn;
  if ((column === "WINDOWSTART" || column === "WINDOWEND") && !scope.windowed) return undefined;
  return { column, type: PSEUDO_TYPES[column] };
}

/** Pseudo columns that hold times, which KSQL lets a query compare with timestamp text (`ROWTIME >= '2026-…'`). */
export function isTimePseudoColumn(column: PseudoColumn): boolean {
  return column === "ROWTIME" || column === "WINDOWSTART" || column === "WINDOWEND";
}

export type ColumnMatch =
  | { readonly kind: "found"; readonly index: number }
  | { readonly kind: "none" }
  | { readonly kind: "ambiguous"; readonly sources: readonly string[] };

export function findColumn(scope: Scope, name: string, source?: string): ColumnMatch {
  let index = -1;
  const sources: string[] = [];
  scope.columns.forEach((column, i) => {
    if (column.name !== name || (source !== undefined && column.source !== source)) return;
    if (index < 0) index = i;
    sources.push(column.source ?? "?");
  });
  if (index < 0) return { kind: "none" };
  return sources.length > 1 ? { kind: "ambiguous", sources } : { kind: "found", index };
}
