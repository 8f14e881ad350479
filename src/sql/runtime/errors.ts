// Typed errors of the query runtime: plans it cannot run, input it cannot place, and per-record faults for the log.

export type SqlRuntimeErrorCode =
  /** The plan asks for something the operators do not do (an aggregate without `undo` over a table, …). */
  | "SQL_PLAN_UNSUPPORTED"
  /** A record or restore call for a topic the pipeline did not declare: a bug in the caller. */
  | "SQL_UNKNOWN_TOPIC";

/** Raised by createPipeline and by calls the engine makes wrongly; never for one bad record. */
export class SqlRuntimeError extends Error {
  readonly code: SqlRuntimeErrorCode;

  constructor(code: SqlRuntimeErrorCode, message: string) {
    super(message);
    this.name = "SqlRuntimeError";
    this.code = code;
  }
}

/**
 * Codes of processing-log entries besides SQL_SERDE and SQL_EVAL, which the serde and expression errors carry.
 * SQL_TIMESTAMP: no usable event time. SQL_NULL_KEY: a GROUP BY key or a table key that is NULL. SQL_LATE_RECORD: the
 * record's window(s) closed before it came.
 */
export type RecordFaultCode = "SQL_TIMESTAMP" | "SQL_NULL_KEY" | "SQL_LATE_RECORD";

/** One record that cannot go on; the pipeline turns it into a ProcessingLogEntry and carries on with the next. */
export class RecordFault extends Error {
  readonly code: RecordFaultCode;

  constructor(code: RecordFaultCode, message: string) {
    super(message);
    this.name = "RecordFault";
    this.code = code;
  }
}

/** The SQL_NULL_KEY message of a row a GROUP BY leaves out, as ksqlDB leaves it out. */
export const NULL_GROUP_KEY = "a GROUP BY expression is NULL: the row is left out of the aggregate";
