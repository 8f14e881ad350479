// A pull query: the rows of a materialized table that match, computed at once from the table's current state.
import { someNode } from "../../analysis/typed-tree.ts";
import { compile } from "../../expressions/compile.ts";
import { SqlEvalError } from "../../expressions/errors.ts";
import type { EvalContext } from "../../expressions/scope.ts";
import type { TypedExpression } from "../../expressions/typed.ts";
import type { PullPlan } from "../../plan/pull-plan.ts";
import type { MaterializedView, ResultRow } from "../../runtime/pipeline.ts";
import { SqlFunctionError } from "../../types/errors.ts";
import { valueToText } from "../../types/value-text.ts";
import type { SqlValue } from "../../types/values.ts";
import { type JsonValue, KsqlRequestError, type QueryStream } from "../entities.ts";
import { resultShape } from "./result-shape.ts";

/**
 * Reads the plan's keys (or scans the table), keeps the rows whose WHERE is TRUE, projects them and stops at LIMIT,
 * all before it returns: the answer is one consistent look at a table that the query task keeps changing. ROWTIME is
 * the row's timestamp, WINDOWSTART and WINDOWEND its window. Throws KsqlRequestError (400, 40001) when the query reads
 * ROWPARTITION or ROWOFFSET (a table row has no single record behind it) or an expression fails on a row.
 */
export function runPullQuery(plan: PullPlan, view: MaterializedView, queryId: string): QueryStream {
  refusePositionColumns(plan);
  const shape = resultShape(plan.project);
  const where = plan.where === undefined ? undefined : compile(plan.where);
  const key = plan.project.key.map((c) => compile(c.expression));
  const value = plan.project.value.map((c) => compile(c.expression));
  const width = plan.source.scope.columns.length;
  const keyTypes = plan.source.source.columns.filter((c) => c.role === "KEY").map((c) => c.type);
  const limit = plan.limit ?? Number.POSITIVE_INFINITY;

  const answer: JsonValue[][] = [];
  for (const found of candidates(plan, view)) {
    if (answer.length >= limit) break;
    // The table's row in catalog order: key columns, then value (and header) columns, as the source scope lays it out.
    const row: SqlValue[] = [...found.key, ...(found.value ?? [])];
    while (row.length < width) row.push(null);
    const ctx: EvalContext = {
      rowTime: found.timestamp,
      rowPartition: 0,
      rowOffset: 0n,
      ...(found.window ? { windowStart: found.window.start, windowEnd: found.window.end } : {}),
    };
    try {
      if (where !== undefined && where(row, ctx) !== true) continue;
      answer.push(
        shape.row(
          key.map((compute) => compute(row, ctx)),
          value.map((compute) => compute(row, ctx)),
        ),
      );
    } catch (error) {
      if (!(error instanceof SqlEvalError || error instanceof SqlFunctionError)) throw error;
      const keyText = found.key.map((v, i) => valueToText(v, keyTypes[i] ?? { kind: "STRING" })).join(", ");
      throw statementError(`the pull query failed on the row with key ${keyText}: ${error.message}`, error);
    }
  }

  let closed = false;
  async function* rows(): AsyncGenerator<readonly JsonValue[]> {
    for (const row of answer) {
      if (closed) return;
      yield row;
    }
  }
  return {
    queryId,
    kind: "pull",
    columns: shape.columns,
    rows: rows(),
    close() {
      closed = true;
    },
  };
}

function* candidates(plan: PullPlan, view: MaterializedView): Iterable<ResultRow> {
  if (plan.keys === undefined) {
    yield* view.scan();
    return;
  }
  for (const key of plan.keys) yield* view.get(key, plan.windowStart);
}

/** ksqlDB refuses these in pull queries on tables too; the analysis lets them through, so they are refused here. */
function refusePositionColumns(plan: PullPlan): void {
  const expressions: TypedExpression[] = [
    ...(plan.where ? [plan.where] : []),
    ...plan.project.key.map((c) => c.expression),
    ...plan.project.value.map((c) => c.expression),
  ];
  for (const expression of expressions) {
    let found: string | undefined;
    someNode(expression, (node) => {
      if (node.kind === "Pseudo" && (node.column === "ROWPARTITION" || node.column === "ROWOFFSET"))
        found = node.column;
      return found !== undefined;
    });
    if (found !== undefined) {
      throw statementError(
        `pull queries on tables cannot read ${found}: a table row is not one record; use a push query (EMIT CHANGES)`,
      );
    }
  }
}

function statementError(message: string, cause?: unknown): KsqlRequestError {
  return new KsqlRequestError(400, { "@type": "statement_error", error_code: 40001, message }, cause);
}
