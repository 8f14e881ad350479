// The errors the record formats throw: each class has a stable `code` and says what went wrong and where.

/** Every code a RecordError can carry; callers switch on these, so they never change meaning. */
export type RecordErrorCode = "JSON_UNENCODABLE" | "JSON_INVALID" | "INVALID_REPORT_BY_EXCEPTION";

/** Base of every error thrown by `src/connect/records`. */
export abstract class RecordError extends Error {
  abstract readonly code: RecordErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A value JSON cannot carry (NaN, ±Infinity, undefined in an array, a function, a class instance). `path` is where in
 * the document, as `$.tags.speed[3]`. Record formats map such PLC values before encoding, so this is a caller's bug.
 */
export class JsonEncodeError extends RecordError {
  override readonly code = "JSON_UNENCODABLE";
  readonly path: string;
  readonly found: string;

  constructor(path: string, found: string) {
    super(
      `cannot write ${found} at ${path} as JSON; expected null, a boolean, a finite number, a bigint, a string, an array or a plain object`,
    );
    this.path = path;
    this.found = found;
  }
}

/** Text that is not JSON, or holds a number no JavaScript value carries (`1e400`). */
export class JsonDecodeError extends RecordError {
  override readonly code = "JSON_INVALID";

  constructor(problem: string, options?: ErrorOptions) {
    super(`not valid JSON: ${problem}`, options);
  }
}

/** Report-by-exception options a ChangeFilter cannot use; `field` names the option. */
export class ReportByExceptionError extends RecordError {
  override readonly code = "INVALID_REPORT_BY_EXCEPTION";
  readonly field: string;

  constructor(field: string, found: number, expected: string) {
    super(`report-by-exception ${field} is ${found}; expected ${expected}`);
    this.field = field;
  }
}
