// The row layouts of plan stages: a source's scope, a scope with computed columns appended, and reads of a column.

import type { Scope, ScopeColumn } from "../expressions/scope.ts";
import type { TypedExpression } from "../expressions/typed.ts";
import type { Expression } from "../language/ast.ts";
import type { PlanSource } from "../plan/plan.ts";
import type { SqlType } from "../types/types.ts";
import type { SourceDescription } from "./catalog.ts";

/** The source's columns in catalog order under `alias`; windowed sources resolve WINDOWSTART and WINDOWEND. */
export function planSource(source: SourceDescription, alias: string): PlanSource {
  const scope: Scope = {
    columns: source.columns.map((c) => ({ name: c.name, type: c.type, source: alias })),
    ...(source.window ? { windowed: true } : {}),
  };
  const timestamp = source.timestamp?.column;
  const timestampColumn = timestamp === undefined ? -1 : source.columns.findIndex((c) => c.name === timestamp);
  return { source, alias, scope, ...(timestampColumn < 0 ? {} : { timestampColumn }) };
}

/**
 * `scope` with one column per type appended. The names are the planner's own (`KSQL_SYNTH_n`, skipping any taken)
 * and carry no source alias: the stages that made them read them by index, and no user name can reach them by
 * accident through `alias.name`.
 */
export function appendColumns(scope: Scope, types: readonly SqlType[]): { scope: Scope; first: number } {
  const taken = new Set(scope.columns.map((c) => c.name));
  let next = 0;
  const added: ScopeColumn[] = types.map((type) => {
    while (taken.has(`KSQL_SYNTH_${next}`)) next++;
    const name = `KSQL_SYNTH_${next++}`;
    return { name, type };
  });
  return { scope: { ...scope, columns: [...scope.columns, ...added] }, first: scope.columns.length };
}

/**
 * A typed read of column `index`. `expression` is what the value stands for in the statement (the GROUP BY
 * expression, the table function call): messages and EXPLAIN print it, not the column's internal name.
 */
export function columnRead(scope: Scope, index: number, expression: Expression): TypedExpression {
  const column = scope.columns[index]!;
  return { kind: "Column", expression, type: column.type, index, name: column.name };
}
