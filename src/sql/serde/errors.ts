// Typed errors of the record formats: a record that does not decode, or a schema a format cannot carry.

export type SqlSerdeErrorCode =
  /** One record's bytes do not fit the schema; the engine logs it with topic/partition/offset and skips the record. */
  | "SQL_SERDE"
  /** A format asked for a schema or option it cannot carry (KAFKA with two columns, DELIMITED with a STRUCT). */
  | "SQL_SERDE_SCHEMA";

export class SqlSerdeError extends Error {
  readonly code: SqlSerdeErrorCode;
  /** Where: `value.TAGS.beltSpeed`, `key.ID`, `value.SERIES[1].V`; for schema errors the column, role or format. */
  readonly path: string;
  /** What is wrong there, without the path: `expected DOUBLE, found "fast"`. */
  readonly problem: string;

  constructor(code: SqlSerdeErrorCode, path: string, problem: string, cause?: unknown) {
    super(`${path}: ${problem}`, { cause });
    this.name = "SqlSerdeError";
    this.code = code;
    this.path = path;
    this.problem = problem;
  }
}

/**
 * Thrown inside a decoder for a value that does not fit; each enclosing STRUCT, ARRAY and MAP decoder prepends its
 * path segment on the way out, so the path costs nothing for records that decode.
 */
export class FieldMismatch extends Error {
  readonly segments: string[] = [];
  readonly problem: string;

  constructor(problem: string) {
    super(problem);
    this.problem = problem;
  }
}

/** Rethrows a failure coming out of a nested decoder with `segment` (`.NAME`, `[2]`) added in front of its path. */
export function withSegment(error: unknown, segment: string): never {
  if (error instanceof FieldMismatch) error.segments.unshift(segment);
  throw error;
}

/** Turns a FieldMismatch (or any failure of a decoder) into the public error, rooted at `root` (`value`, `key`). */
export function recordError(error: unknown, root: string): SqlSerdeError {
  if (error instanceof SqlSerdeError) return error;
  if (error instanceof FieldMismatch)
    return new SqlSerdeError("SQL_SERDE", root + error.segments.join(""), error.problem);
  const message = error instanceof Error ? error.message : String(error);
  return new SqlSerdeError("SQL_SERDE", root, message, error);
}

/** Cuts text quoted in an error message to 40 characters, so that one huge field cannot flood the processing log. */
export function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
