// Turns types as the KSQL front end reads them (`DECIMAL(10, 2)`, `ARRAY<MAP<STRING, INT>>`) into the type model, from
// a syntax tree (CAST targets, column declarations) or from type text (user-defined function descriptions).

import type { Identifier, Span, SqlType as TypeSyntax } from "../language/ast.ts";
import { parseType, SqlSyntaxError } from "../language/index.ts";
import { SqlFunctionError } from "./errors.ts";
import { arrayType, decimalType, mapType, type SqlType, structType } from "./types.ts";

/** What the caller decides for a written type: what a CREATE TYPE name stands for, and how a malformed type fails. */
export interface TypeSyntaxContext {
  /** The type a name made with CREATE TYPE stands for; only the catalog knows. */
  named(name: Identifier): SqlType;
  /** A type the model rejects (DECIMAL precision over 38, a non-primitive MAP key, a repeated STRUCT field). */
  malformed(error: SqlFunctionError, span: Span): never;
}

/** A type as written, in the type model. */
export function typeFromSyntax(t: TypeSyntax, ctx: TypeSyntaxContext): SqlType {
  switch (t.kind) {
    case "Primitive":
      return { kind: t.name === "INT" ? "INTEGER" : t.name };
    case "Decimal":
      return checked(() => decimalType(t.precision, t.scale), t.span, ctx);
    case "Array":
      return arrayType(typeFromSyntax(t.element, ctx));
    case "Map": {
      const key = typeFromSyntax(t.key, ctx);
      const value = typeFromSyntax(t.value, ctx);
      return checked(() => mapType(key, value), t.span, ctx);
    }
    case "Struct": {
      const fields = t.fields.map((f) => ({ name: f.name.value, type: typeFromSyntax(f.type, ctx) }));
      return checked(() => structType(fields), t.span, ctx);
    }
    case "Named":
      return ctx.named(t.name);
  }
}

function checked(make: () => SqlType, span: Span, ctx: TypeSyntaxContext): SqlType {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof SqlFunctionError)) throw error;
    return ctx.malformed(error, span);
  }
}

/** Parses type text with the KSQL parser; throws SQL_TYPE saying what is wrong and, for syntax, where. */
export function parseTypeText(text: string): SqlType {
  const fail = (why: string, cause: unknown): never => {
    throw new SqlFunctionError("SQL_TYPE", `bad type ${JSON.stringify(text)}: ${why}`, { cause });
  };
  let syntax: TypeSyntax;
  try {
    syntax = parseType(text);
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    return fail(error.message, error);
  }
  return typeFromSyntax(syntax, {
    named: (name) => fail(`unknown type ${name.value}`, undefined),
    malformed: (error) => fail(error.message, error),
  });
}
