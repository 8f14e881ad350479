// Table functions in the SELECT list (EXPLODE): one row per element, several functions side by side.

import { type CompiledExpression, compile } from "../expressions/compile.ts";
import type { Row } from "../expressions/scope.ts";
import type { ExplodeStage as ExplodePlan } from "../plan/plan.ts";
import type { SqlArg, SqlValue } from "../types/values.ts";
import type { RecordContext } from "./record-context.ts";

interface TableFunction {
  readonly invoke: (...args: SqlArg[]) => SqlValue[];
  readonly args: readonly CompiledExpression[];
}

/**
 * With several functions the outputs are zipped: as many rows as the longest result, the shorter ones padded with
 * NULL, as ksqlDB does. A function that yields nothing (NULL or empty array) yields no rows when it is alone.
 */
export class ExplodeStage {
  readonly #functions: readonly TableFunction[];
  readonly #ctx: RecordContext;

  constructor(plan: ExplodePlan, ctx: RecordContext) {
    this.#functions = plan.functions.map((f) => ({ invoke: f.invoke, args: f.args.map(compile) }));
    this.#ctx = ctx;
  }

  rows(row: Row): Row[] {
    const ctx = this.#ctx;
    const functions = this.#functions;
    const results: SqlValue[][] = new Array(functions.length);
    let count = 0;
    for (let f = 0; f < functions.length; f++) {
      const { invoke, args } = functions[f]!;
      const values: SqlArg[] = new Array(args.length);
      for (let a = 0; a < args.length; a++) values[a] = args[a]!(row, ctx);
      const result = invoke(...values);
      results[f] = result;
      if (result.length > count) count = result.length;
    }
    const rows: Row[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const out = row.slice() as SqlValue[];
      for (const result of results) out.push(i < result.length ? result[i]! : null);
      rows[i] = out;
    }
    return rows;
  }
}
