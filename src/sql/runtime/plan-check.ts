// Refuses plans the operators cannot run, when the pipeline is built rather than on the first record.

import type { QueryPlan } from "../plan/plan.ts";
import { SqlRuntimeError } from "./errors.ts";

/*
 * The analyzer should never produce these; the runtime checks anyway because each would otherwise fail per record or,
 * worse, give wrong results silently (a table aggregate that cannot retract, a session that cannot merge).
 */
export function checkPlan(plan: QueryPlan): void {
  const source = plan.source.source;
  const aggregate = plan.aggregate;
  const window = aggregate?.window;
  if (source.kind === "TABLE") {
    if (plan.join !== undefined) unsupported("a join whose left side is a table (only stream-table joins run)");
    if (plan.explode !== undefined) unsupported("a table function over a table");
    if (window !== undefined) unsupported(`a ${window.kind} window over table ${source.name}`);
    if (plan.rekey !== undefined && aggregate === undefined) unsupported(`PARTITION BY over table ${source.name}`);
  }
  if (plan.emit === "FINAL" && window === undefined) unsupported("EMIT FINAL without a windowed aggregation");
  if (aggregate !== undefined) {
    for (const spec of aggregate.aggregates) {
      const aggregator = spec.create();
      if (source.kind === "TABLE" && aggregator.undo === undefined) {
        unsupported(`${spec.name} over a table: it cannot retract a row that changed`);
      }
      if (window?.kind === "SESSION" && aggregator.merge === undefined) {
        unsupported(`${spec.name} in a SESSION window: it cannot merge two sessions`);
      }
    }
  }
  if (window !== undefined) {
    const positive = (name: string, value: number | undefined) => {
      if (value === undefined || !(value > 0))
        unsupported(`a ${window.kind} window with ${name} ${value ?? "missing"}`);
    };
    if (window.kind === "SESSION") positive("gap", window.gapMs);
    else {
      positive("size", window.sizeMs);
      positive("advance", window.advanceMs ?? window.sizeMs);
    }
    if (window.graceMs < 0 || window.retentionMs < 0) unsupported("a negative grace period or retention");
  }
}

function unsupported(what: string): never {
  throw new SqlRuntimeError("SQL_PLAN_UNSUPPORTED", `the runtime cannot run ${what}`);
}
