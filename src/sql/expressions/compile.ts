// Turns a typed expression into the `(row, ctx) => value` function the engine calls per record, built once.

import { printExpression } from "../language/print-expression.ts";
import type { SqlValue } from "../types/values.ts";
import { generate } from "./codegen.ts";
import { SqlEvalError } from "./errors.ts";
import { type Runtime, runtime } from "./runtime.ts";
import type { EvalContext, Row } from "./scope.ts";
import type { TypedExpression } from "./typed.ts";

/** Computes the expression on one row; throws SqlEvalError (code SQL_EVAL) for the processing log. */
export type CompiledExpression = (row: Row, ctx: EvalContext) => SqlValue;

type Factory = (constants: readonly unknown[], rt: Runtime, fail: (error: unknown) => Error) => CompiledExpression;

/**
 * Generates JavaScript for the expression and lets V8 compile it: one function, no tree walk per record. See
 * codegen.ts for why no user text can reach the generated source.
 */
export function compile(expression: TypedExpression): CompiledExpression {
  const text = printExpression(expression.expression);
  const { source, constants } = generate(expression);
  const fail = (error: unknown): Error =>
    error instanceof SqlEvalError
      ? error
      : new SqlEvalError(text, error instanceof Error ? error.message : String(error), error);
  const factory = new Function("k", "rt", "fail", source) as Factory;
  return factory(constants, runtime, fail);
}

/** The generated source, for EXPLAIN and for debugging the generator. */
export function compiledSource(expression: TypedExpression): string {
  return generate(expression).source;
}
