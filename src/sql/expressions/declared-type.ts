// Turns a type as written in an expression (CAST targets) into the type model, failing with the position.

import type { SqlType as AstType, Span } from "../language/ast.ts";
import { SqlFunctionError } from "../types/errors.ts";
import { arrayType, decimalType, mapType, type SqlType, structType } from "../types/types.ts";
import type { CheckContext } from "./type-operators.ts";

/** A type as written, in the type model; CREATE TYPE names must have been replaced by the caller (the catalog). */
export function declaredType(t: AstType, ctx: Pick<CheckContext, "fail">): SqlType {
  switch (t.kind) {
    case "Primitive":
      return { kind: t.name === "INT" ? "INTEGER" : t.name };
    case "Decimal":
      return typeOrFail(() => decimalType(t.precision, t.scale), t.span, ctx);
    case "Array":
      return arrayType(declaredType(t.element, ctx));
    case "Map": {
      const key = declaredType(t.key, ctx);
      const value = declaredType(t.value, ctx);
      return typeOrFail(() => mapType(key, value), t.span, ctx);
    }
    case "Struct": {
      const fields = t.fields.map((f) => ({ name: f.name.value, type: declaredType(f.type, ctx) }));
      return typeOrFail(() => structType(fields), t.span, ctx);
    }
    case "Named":
      return ctx.fail("SQL_UNKNOWN_TYPE", `unknown type ${t.name.value}`, t.span);
  }
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
