// Table functions in the SELECT list (EXPLODE, CUBE_EXPLODE): the explode stage and the columns it adds.

import { SqlSemanticError } from "../expressions/errors.ts";
import type { Scope } from "../expressions/scope.ts";
import { typeCheck } from "../expressions/type-check.ts";
import type { TypedExpression } from "../expressions/typed.ts";
import type { FunctionRegistry } from "../functions/registry.ts";
import type { ArgType } from "../functions/signature.ts";
import type { Expression, SelectItem } from "../language/ast.ts";
import type { ExplodeStage } from "../plan/plan.ts";
import { SqlFunctionError } from "../types/errors.ts";
import { appendColumns, columnRead } from "./scopes.ts";

type Call = Extract<Expression, { kind: "FunctionCall" }>;

export interface ExplodePlan {
  readonly stage: ExplodeStage;
  readonly scope: Scope;
  /** Each table-function SELECT expression → the read of its column in `scope`. */
  readonly reads: ReadonlyMap<Expression, TypedExpression>;
}

/** The SELECT items that call a table function at their top (the only place one may stand). */
export function tableFunctionCalls(items: readonly SelectItem[], registry: FunctionRegistry): Call[] {
  return items.flatMap((item) =>
    item.kind === "SelectColumn" &&
    item.expression.kind === "FunctionCall" &&
    registry.kindOf(item.expression.name.value) === "table"
      ? [item.expression]
      : [],
  );
}

/** One output row per element, the functions zipped; their arguments are typed over the rows after WHERE. */
export function planExplode(
  calls: readonly Call[],
  scope: Scope,
  registry: FunctionRegistry,
  text: string,
): ExplodePlan {
  const functions = calls.map((call) => {
    const args = call.args.map((arg) => typeCheck(arg, scope, registry, { text }));
    const types: ArgType[] = args.map((a) => a.type ?? { kind: "NULL" });
    let resolved: ReturnType<FunctionRegistry["lookup"]>;
    try {
      resolved = registry.lookup(call.name.value, types);
    } catch (error) {
      if (!(error instanceof SqlFunctionError)) throw error;
      throw new SqlSemanticError("SQL_FUNCTION_ARGS", error.message, call.span, text, error);
    }
    if (resolved.kind !== "table") throw new Error(`${resolved.name} is not a table function`);
    return { name: resolved.name, invoke: resolved.invoke, args, type: resolved.returnType };
  });
  const appended = appendColumns(
    scope,
    functions.map((f) => f.type),
  );
  const reads = new Map<Expression, TypedExpression>();
  calls.forEach((call, i) => {
    reads.set(call, columnRead(appended.scope, appended.first + i, call));
  });
  return { stage: { functions, scope: appended.scope }, scope: appended.scope, reads };
}
