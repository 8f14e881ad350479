// The plan of a pull query: which rows of a materialized table to read, how to filter them, and what to return.

/*
 * A pull query (a SELECT without EMIT) answers once from a table's state and ends. The engine reads the rows through
 * the table's MaterializedView (../runtime/pipeline.ts):
 *
 *   rows = keys ? keys.flatMap((k) => view.get(k, windowStart)) : view.scan()
 *
 * then keeps the rows for which `where` is TRUE (evaluated with WINDOWSTART/WINDOWEND from each row's window and
 * ROWTIME from its timestamp), computes `project` on each, and stops after `limit` rows. `keys` and `windowStart`
 * only narrow what is read; `where` is always the whole condition, so reading more rows than needed is never wrong.
 */

import type { Row } from "../expressions/scope.ts";
import type { TypedExpression } from "../expressions/typed.ts";
import type { PlanSource, ProjectStage } from "./plan.ts";

export interface PullPlan {
  /** The table read; its scope is windowed when the table is, so WINDOWSTART and WINDOWEND resolve. */
  readonly source: PlanSource;
  /**
   * Absent: scan every row. Present: the keys to look up, each a full key (one value per key column, in the table's
   * key order, in the columns' types), none repeated; empty when the WHERE can match no key (`ID = NULL`).
   */
  readonly keys?: readonly Row[];
  /** For a windowed table: the inclusive range of WINDOWSTART (ms) that the WHERE allows, to pass to `get`. */
  readonly windowStart?: { readonly from?: number; readonly to?: number };
  /** The query's whole WHERE, over `source.scope`. */
  readonly where?: TypedExpression;
  /** Over `source.scope`; `order` lists the columns in SELECT order. */
  readonly project: ProjectStage;
  readonly limit?: number;
}
