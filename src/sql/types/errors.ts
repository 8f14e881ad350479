// Typed errors of the SQL type system and function library, each with a stable code and where it happened.

export type SqlFunctionErrorCode =
  /** A function name the registry does not know; the message carries a did-you-mean. */
  | "SQL_UNKNOWN_FUNCTION"
  /** Arguments that match no signature of a known function; the message lists the signatures. */
  | "SQL_FUNCTION_ARGS"
  /** A value that cannot be converted by CAST (bad text, overflow, unsupported pair of types). */
  | "SQL_CAST"
  /** A failure while evaluating a function on one row: the engine logs it to the processing log. */
  | "SQL_EVAL"
  /** A type that is malformed (bad DECIMAL precision, map key type) or two types that have no common type. */
  | "SQL_TYPE"
  /** A user-defined function module that cannot be loaded or registered. */
  | "SQL_UDF_INVALID"
  /** A second registration of a name that already exists. */
  | "SQL_FUNCTION_EXISTS";

export class SqlFunctionError extends Error {
  readonly code: SqlFunctionErrorCode;
  /** The function (or type, or file) the error is about, for processing-log entries and REST answers. */
  readonly subject: string | undefined;

  constructor(code: SqlFunctionErrorCode, message: string, details: { subject?: string; cause?: unknown } = {}) {
    super(message, { cause: details.cause });
    this.name = "SqlFunctionError";
    this.code = code;
    this.subject = details.subject;
  }
}

/** Shorthand for the runtime failures a function raises on one row. */
export function evalError(functionName: string, message: string, cause?: unknown): SqlFunctionError {
  return new SqlFunctionError("SQL_EVAL", `${functionName}: ${message}`, { subject: functionName, cause });
}
