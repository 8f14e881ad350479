// Computes expressions that read no row once, at planning time: aggregate literals, pull-query keys, INSERT VALUES.

import { compile } from "../expressions/compile.ts";
import { SqlEvalError } from "../expressions/errors.ts";
import type { EvalContext } from "../expressions/scope.ts";
import type { TypedExpression } from "../expressions/typed.ts";
import type { SqlValue } from "../types/values.ts";
import type { Fail } from "./errors.ts";

/** A constant reads no row and no record metadata, so any context will do. */
const PLANNING_CONTEXT: EvalContext = { rowTime: 0, rowPartition: 0, rowOffset: 0n };

/**
 * The value of a constant expression (see isConstant in typed-tree.ts). A failure (a bad CAST, a division by zero)
 * fails the statement with SQL_INVALID_VALUE, its message after `what` when given.
 */
export function computeConstant(node: TypedExpression, fail: Fail, what?: string): SqlValue {
  try {
    return compile(node)([], PLANNING_CONTEXT);
  } catch (error) {
    // Compiled expressions report every failure as SqlEvalError; anything else is a bug to surface as it is.
    if (!(error instanceof SqlEvalError)) throw error;
    const problem = what === undefined ? error.message : `${what}: ${error.message}`;
    return fail("SQL_INVALID_VALUE", problem, node.expression.span, error);
  }
}
