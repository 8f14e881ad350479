// Turns a type as written in an expression (CAST targets) into the type model, failing with the position.

import type { SqlType as AstType, Span } from "../language/ast.ts";
import { SqlFunctionError } from "../types/errors.ts";
import { typeFromSyntax } from "../types/type-text.ts";
import type { SqlType } from "../types/types.ts";
import type { CheckContext } from "./type-operators.ts";

/** A type as written, in the type model; CREATE TYPE names must have been replaced by the caller (the catalog). */
export function declaredType(t: AstType, ctx: Pick<CheckContext, "fail">): SqlType {
  return typeFromSyntax(t, {
    named: (name) => ctx.fail("SQL_UNKNOWN_TYPE", `unknown type ${name.value}`, name.span),
    malformed: (error, span) => ctx.fail("SQL_TYPE_MISMATCH", error.message, span, error),
  });
}

/** Runs a type constructor; a malformed type (bad precision, non-primitive map key, repeated field) is a mismatch. */
export function typeOrFail(make: () => SqlType, span: Span, ctx: Pick<CheckContext, "fail">): SqlType {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof SqlFunctionError)) throw error;
    return ctx.fail("SQL_TYPE_MISMATCH", error.message, span, error);
  }
}
