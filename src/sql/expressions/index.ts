// The KSQL expression compiler's public surface: type-check against a scope, then compile once to a JS function.

export { type CompiledExpression, compile, compiledSource } from "./compile.ts";
export { decimalResultType } from "./decimal-arithmetic.ts";
export { SqlEvalError, SqlSemanticError, type SqlSemanticErrorCode } from "./errors.ts";
export type { EvalContext, PseudoColumn, Row, Scope, ScopeColumn } from "./scope.ts";
export { type AggregateCall, type TypeCheckOptions, typeCheck } from "./type-check.ts";
export type { TypedExpression, TypedKind } from "./typed.ts";
