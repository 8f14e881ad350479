// INSERT INTO … VALUES: the row to produce, each value computed once and converted to its column's type.

import { coerce, typeName } from "../expressions/coerce.ts";
import { SqlSemanticError } from "../expressions/errors.ts";
import type { Row } from "../expressions/scope.ts";
import { typeCheck } from "../expressions/type-check.ts";
import type { TypedExpression } from "../expressions/typed.ts";
import type { FunctionRegistry } from "../functions/registry.ts";
import type { Expression, Identifier, Statement } from "../language/ast.ts";
import { didYouMean } from "../language/near-miss.ts";
import { canCast, compileCast } from "../types/cast.ts";
import { canWiden } from "../types/coercion.ts";
import { BIGINT, isNumeric, type SqlType, TIMESTAMP } from "../types/types.ts";
import type { SqlValue } from "../types/values.ts";
import type { CatalogColumn, CatalogView, SourceDescription } from "./catalog.ts";
import { computeConstant } from "./constants.ts";
import { type Fail, failIn } from "./errors.ts";
import { requireSource } from "./source-lookup.ts";

export type InsertValuesStatement = Extract<Statement, { kind: "InsertValues" }>;

export interface InsertValuesPlan {
  readonly source: SourceDescription;
  /** One value per key column, in the source's order (NULL where none was given). */
  readonly key: Row;
  /** One value per value column, in the source's order (NULL where none was given). */
  readonly value: Row;
  /** ROWTIME when the statement gives it, milliseconds since the epoch; else the engine uses the time of insertion. */
  readonly timestamp?: number;
}

const NO_COLUMNS = { columns: [] };

/**
 * Without a column list the values fill the key and value columns in order (key columns first, as DESCRIBE lists
 * them); with one, unnamed columns are NULL and ROWTIME may be named. A table's PRIMARY KEY must be given.
 */
export function planInsertValues(
  statement: InsertValuesStatement,
  text: string,
  catalog: CatalogView,
  registry: FunctionRegistry,
): InsertValuesPlan {
  const fail: Fail = failIn(text);
  const source = requireSource(catalog, statement.target, fail);
  if (source.readOnly)
    fail(
      "SQL_INVALID_INSERT",
      `${source.name} is a read-only SOURCE ${source.kind.toLowerCase()}`,
      statement.target.span,
    );
  if (source.window)
    fail("SQL_UNSUPPORTED", `inserting into the windowed ${source.name} is not supported`, statement.target.span);
  const insertable = source.columns.filter((c) => c.role === "KEY" || c.role === "VALUE");
  const targets: (CatalogColumn | "ROWTIME")[] =
    statement.columns.length === 0 ? insertable : resolveColumns(statement.columns, source, text, fail);
  if (targets.length !== statement.values.length) {
    fail(
      "SQL_INVALID_INSERT",
      `${targets.length} column${targets.length === 1 ? "" : "s"} but ${statement.values.length} value${statement.values.length === 1 ? "" : "s"}`,
      statement.span,
    );
  }
  const given = new Map<string, SqlValue>();
  let timestamp: number | undefined;
  targets.forEach((target, i) => {
    const expression = statement.values[i]!;
    if (target === "ROWTIME") {
      // ROWTIME is BIGINT milliseconds, and takes a TIMESTAMP or its ISO text as well.
      const kind = typeCheck(expression, NO_COLUMNS, registry, { text }).type?.kind;
      const type = kind === "TIMESTAMP" || kind === "STRING" ? TIMESTAMP : BIGINT;
      const value = computed(expression, type, "ROWTIME", registry, text, fail);
      if (value !== null) timestamp = Number(value);
    } else {
      given.set(target.name, computed(expression, target.type, target.name, registry, text, fail));
    }
  });
  const rowOf = (role: CatalogColumn["role"]) =>
    insertable.filter((c) => c.role === role).map((c) => given.get(c.name) ?? null);
  const key = rowOf("KEY");
  if (source.kind === "TABLE") {
    const missing = insertable.filter((c, i) => c.role === "KEY" && key[i] === null);
    if (missing.length > 0) {
      fail(
        "SQL_INVALID_INSERT",
        `a row of table ${source.name} needs its PRIMARY KEY ${missing[0]!.name}`,
        statement.span,
      );
    }
  }
  return { source, key, value: rowOf("VALUE"), ...(timestamp === undefined ? {} : { timestamp }) };
}

function resolveColumns(
  names: readonly Identifier[],
  source: SourceDescription,
  text: string,
  fail: Fail,
): (CatalogColumn | "ROWTIME")[] {
  const seen = new Set<string>();
  return names.map((name) => {
    if (seen.has(name.value)) fail("SQL_DUPLICATE_COLUMN", `column ${name.value} is listed twice`, name.span);
    seen.add(name.value);
    if (name.value === "ROWTIME") return "ROWTIME";
    const column = source.columns.find((c) => c.name === name.value);
    if (column && (column.role === "HEADERS" || column.role === "HEADER")) {
      fail("SQL_INVALID_INSERT", `header column ${name.value} cannot be inserted`, name.span);
    }
    if (column) return column;
    throw new SqlSemanticError(
      "SQL_UNKNOWN_COLUMN",
      `${source.name} has no column ${name.value}${didYouMean(
        name.value,
        source.columns.map((c) => c.name),
      )}`,
      name.span,
      text,
    );
  });
}

/**
 * A value in the column's type: widened as in any expression, or cast when it is text for a non-text column (a
 * timestamp written as '2026-11-24T10:00:00') or a number for a narrower numeric column.
 */
function computed(
  expression: Expression,
  type: SqlType,
  column: string,
  registry: FunctionRegistry,
  text: string,
  fail: Fail,
): SqlValue {
  const typed = typeCheck(expression, NO_COLUMNS, registry, { text });
  let converted: TypedExpression;
  const from = typed.type;
  if (from === null || canWiden(from, type)) {
    converted = coerce(typed, type);
  } else if (canCast(from, type) && (from.kind === "STRING" || (isNumeric(from) && isNumeric(type)))) {
    const convert = compileCast(from, type);
    converted = { kind: "Convert", expression, type, operand: typed, convert, implicit: false };
  } else {
    throw new SqlSemanticError(
      "SQL_TYPE_MISMATCH",
      `column ${column} is ${typeName(type)}, the value is ${typeName(from)}`,
      expression.span,
      text,
    );
  }
  return computeConstant(converted, fail, `the value for ${column}`);
}
