// Typed errors of statement execution, and the one mapping of every statement failure to ksqlDB's error body.
import { SqlAnalysisError } from "../../analysis/errors.ts";
import { SqlSemanticError } from "../../expressions/errors.ts";
import type { Span } from "../../language/ast.ts";
import { SqlSyntaxError } from "../../language/errors.ts";
import { positionOf } from "../../language/lexer.ts";
import { SqlRuntimeError } from "../../runtime/errors.ts";
import { SqlFunctionError } from "../../types/errors.ts";
import { type KsqlEntity, KsqlRequestError } from "../entities.ts";
import { EngineError } from "../errors.ts";

export type SqlStatementErrorCode =
  /** DROP of a source that other queries read or write; the message names them. */
  | "SQL_DROP_REFUSED"
  /** DROP STREAM of a table (or back), or DROP … DELETE TOPIC of a read-only source. */
  | "SQL_DROP_INVALID"
  /** TERMINATE, EXPLAIN or close of a query id nobody runs. */
  | "SQL_UNKNOWN_QUERY"
  /** TERMINATE of a source table's internal query, which DROP TABLE ends. */
  | "SQL_TERMINATE_REFUSED"
  /** A query id (INSERT INTO … WITH (QUERY_ID=…)) that a running query has. */
  | "SQL_QUERY_EXISTS"
  /** A pull query on a table no query materializes (a plain CREATE TABLE over a topic). */
  | "SQL_NOT_QUERYABLE"
  /** A statement sent where it does not run: a SELECT to /ksql, a CREATE to /query, several to /query. */
  | "SQL_WRONG_ENDPOINT"
  /** A statement Fabrik parses but does not run (SHOW TYPES, RUN SCRIPT on the server, DEFINE). */
  | "SQL_STATEMENT_UNSUPPORTED"
  /** A SET, UNSET or request property with a value the engine cannot use. */
  | "SQL_INVALID_PROPERTY_VALUE";

/** A statement the executor refuses; the message starts with `line:column` of the offending part when there is one. */
export class SqlStatementError extends Error {
  readonly code: SqlStatementErrorCode;

  constructor(code: SqlStatementErrorCode, problem: string, where?: { readonly text: string; readonly span: Span }) {
    const at = where === undefined ? undefined : positionOf(where.text, where.span.start);
    super(at === undefined ? problem : `line ${at.line}:${at.column}: ${problem}`);
    this.name = "SqlStatementError";
    this.code = code;
  }
}

/** ksqlDB's answer to a statement that cannot run: 400, `statement_error`, error_code 40001. */
export function statementError(
  message: string,
  statementText: string,
  entities: readonly KsqlEntity[] = [],
  cause?: unknown,
): KsqlRequestError {
  return new KsqlRequestError(
    400,
    { "@type": "statement_error", error_code: 40001, message, statementText, entities: [...entities] },
    cause,
  );
}

/**
 * A failure the client caused (bad syntax, a semantic error, a refused statement, a topic Kafka does not have) as
 * ksqlDB's statement error; anything else is returned as it is, for the REST layer to log and answer 500.
 */
export function asRequestError(error: unknown, statementText: string, entities: readonly KsqlEntity[] = []): unknown {
  if (error instanceof KsqlRequestError) {
    if (error.body.entities !== undefined || entities.length === 0) return error;
    return new KsqlRequestError(error.status, { ...error.body, entities: [...entities] }, error.cause);
  }
  if (
    error instanceof SqlSyntaxError ||
    error instanceof SqlSemanticError ||
    error instanceof SqlAnalysisError ||
    error instanceof SqlStatementError ||
    error instanceof SqlFunctionError ||
    error instanceof EngineError ||
    (error instanceof SqlRuntimeError && error.code === "SQL_PLAN_UNSUPPORTED")
  ) {
    return statementError(error.message, statementText, entities, error);
  }
  return error;
}
