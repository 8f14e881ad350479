// Typed errors of expression analysis (caught before any row flows) and evaluation (one row, for the processing log).

import type { Span } from "../language/ast.ts";
import { positionOf } from "../language/lexer.ts";

export type SqlSemanticErrorCode =
  /** A column that no source in scope has; the message carries a did-you-mean. */
  | "SQL_UNKNOWN_COLUMN"
  /** An unqualified name that two sources in scope both have. */
  | "SQL_AMBIGUOUS_COLUMN"
  /** A STRUCT field the struct type does not declare. */
  | "SQL_UNKNOWN_FIELD"
  /** An operator or construct applied to types it does not accept; names the operator and the operand types. */
  | "SQL_TYPE_MISMATCH"
  /** A literal that cannot convert to the type its context needs (`ts = 'not a time'`). */
  | "SQL_INVALID_LITERAL"
  /** A NULL or empty constructor whose type nothing around it tells (`NULL + NULL`, `ARRAY[]`): CAST it. */
  | "SQL_CANNOT_INFER_TYPE"
  /** A type name made with CREATE TYPE: resolving it needs the catalog, which the caller must do first. */
  | "SQL_UNKNOWN_TYPE"
  /** An aggregate where the caller accepts none, or a table function inside an expression. */
  | "SQL_FUNCTION_CONTEXT"
  /** Codes passed on from the function registry (unknown function, arguments matching no signature). */
  | "SQL_UNKNOWN_FUNCTION"
  | "SQL_FUNCTION_ARGS";

/** An expression that cannot be typed; `line`/`column` are 1-based when the source text was given, else 0. */
export class SqlSemanticError extends Error {
  readonly code: SqlSemanticErrorCode;
  readonly line: number;
  readonly column: number;
  readonly span: Span;

  constructor(code: SqlSemanticErrorCode, problem: string, span: Span, text?: string, cause?: unknown) {
    const where = text === undefined ? undefined : positionOf(text, span.start);
    super(where ? `line ${where.line}:${where.column}: ${problem}` : `at offset ${span.start}: ${problem}`, { cause });
    this.name = "SqlSemanticError";
    this.code = code;
    this.line = where?.line ?? 0;
    this.column = where?.column ?? 0;
    this.span = span;
  }
}

/**
 * A failure while computing an expression on one row (division by zero, a CAST of bad text, a function error). The
 * engine writes it to the processing log with the record's topic, partition and offset, and skips the row: ksqlDB would
 * emit the row with NULL for the expression, but a silent NULL reaching a PLC sink or an alert is worse than a gap that
 * the processing log explains.
 */
export class SqlEvalError extends Error {
  readonly code = "SQL_EVAL";
  /** The whole expression being computed, as canonical KSQL. */
  readonly expression: string;

  constructor(expression: string, problem: string, cause?: unknown) {
    super(`error computing expression ${expression}: ${problem}`, { cause });
    this.name = "SqlEvalError";
    this.expression = expression;
  }
}

/** Thrown inside generated code; the expression's top level turns it into a SqlEvalError naming the expression. */
export class ArithmeticFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArithmeticFault";
  }
}
