// Typed errors of statement analysis: a statement that parses but cannot run, with a stable code and line:column.

import type { Span } from "../language/ast.ts";
import { positionOf } from "../language/lexer.ts";

/*
 * Expression-level problems (unknown column, type mismatch, unknown function) stay SqlSemanticErrors from
 * ../expressions; these codes are the statement-level rules ksqlDB enforces around them.
 */
export type SqlAnalysisErrorCode =
  /** A stream or table the catalog does not have; the message carries a did-you-mean. */
  | "SQL_UNKNOWN_SOURCE"
  /** CREATE of a name that exists (without OR REPLACE), or OR REPLACE of a stream by a table or back. */
  | "SQL_SOURCE_EXISTS"
  /** A column declared twice, or two output columns with one name. */
  | "SQL_DUPLICATE_COLUMN"
  /** A column named ROWTIME, ROWPARTITION, ROWOFFSET, WINDOWSTART or WINDOWEND. */
  | "SQL_RESERVED_COLUMN"
  /** Key rules of CREATE: KEY in a table, PRIMARY KEY in a stream, a table without PRIMARY KEY, no value column. */
  | "SQL_INVALID_KEY"
  /** A header column of the wrong type, or two HEADERS columns. */
  | "SQL_INVALID_HEADER"
  /** A WITH property nobody knows; the message carries a did-you-mean. */
  | "SQL_UNKNOWN_PROPERTY"
  /** A WITH property with a bad value, given twice, in conflict with another, or where it does not apply. */
  | "SQL_INVALID_PROPERTY"
  /** A required WITH property that is absent (KAFKA_TOPIC, PARTITIONS for a new topic, WINDOW_SIZE). */
  | "SQL_MISSING_PROPERTY"
  /** A key or value format that cannot carry the columns (KAFKA with two key columns, NONE with one). */
  | "SQL_FORMAT"
  /** A ksqlDB feature Fabrik does not have yet (RIGHT/FULL joins, stream-stream joins, AVRO …). */
  | "SQL_UNSUPPORTED"
  /** An aggregate function in a query without GROUP BY. */
  | "SQL_AGGREGATE_WITHOUT_GROUP_BY"
  /** GROUP BY (or HAVING) in a query that computes no aggregate. */
  | "SQL_GROUP_BY_WITHOUT_AGGREGATE"
  /** A column used outside an aggregate that the GROUP BY does not list. */
  | "SQL_NOT_IN_GROUP_BY"
  /** An aggregate inside another, or a function that cannot aggregate this input (a table, a session window). */
  | "SQL_INVALID_AGGREGATE"
  /** WINDOW on a table, WINDOW without GROUP BY, bad sizes, RETENTION shorter than size + grace. */
  | "SQL_INVALID_WINDOW"
  /** A join whose ON is not `stream expression = table key`, or whose inputs cannot be co-partitioned. */
  | "SQL_INVALID_JOIN"
  /** A persistent query whose projection lacks a column of the result's key. */
  | "SQL_KEY_MISSING"
  /** CREATE STREAM over a query that makes a table, or CREATE TABLE over one that makes a stream. */
  | "SQL_RESULT_KIND"
  /** INSERT into a table, a read-only source, or a sink of another shape; INSERT VALUES that do not fit. */
  | "SQL_INVALID_INSERT"
  /** EMIT FINAL without a windowed aggregation. */
  | "SQL_INVALID_EMIT"
  /** LIMIT in a persistent query. */
  | "SQL_INVALID_LIMIT"
  /** PARTITION BY where it cannot apply (a table, with GROUP BY, NULL among other expressions). */
  | "SQL_INVALID_PARTITION_BY"
  /** A table function where it cannot apply (with GROUP BY, on a table, nested). */
  | "SQL_INVALID_TABLE_FUNCTION"
  /** A pull query on a stream, or with a clause pull queries do not take. */
  | "SQL_INVALID_PULL_QUERY"
  /** A constant (INSERT VALUES, pull-query key) that fails to compute. */
  | "SQL_INVALID_VALUE";

/** A statement that cannot run; `line`/`column` are 1-based from the statement's span in the analysed text. */
export class SqlAnalysisError extends Error {
  readonly code: SqlAnalysisErrorCode;
  readonly line: number;
  readonly column: number;
  readonly span: Span;

  constructor(code: SqlAnalysisErrorCode, problem: string, span: Span, text: string, cause?: unknown) {
    const where = positionOf(text, span.start);
    super(`line ${where.line}:${where.column}: ${problem}`, { cause });
    this.name = "SqlAnalysisError";
    this.code = code;
    this.line = where.line;
    this.column = where.column;
    this.span = span;
  }
}

/** The thrower a module binds to the statement text once, so that every check reads as one line. */
export type Fail = (code: SqlAnalysisErrorCode, problem: string, span: Span, cause?: unknown) => never;

export function failIn(text: string): Fail {
  return (code, problem, span, cause) => {
    throw new SqlAnalysisError(code, problem, span, text, cause);
  };
}
