// The errors the PLC access layer throws: each class has a stable `code` and says what went wrong and where.

/** Every code a PlcError can carry; callers switch on these, so they never change meaning. */
export type PlcErrorCode =
  | "INVALID_URL"
  | "INVALID_OPTION"
  | "UNKNOWN_OPTION"
  | "UNKNOWN_PROTOCOL"
  | "DUPLICATE_PROTOCOL"
  | "INVALID_ADDRESS"
  | "INVALID_VALUE"
  | "INVALID_REQUEST"
  | "UNSUPPORTED_OPERATION"
  | "CONNECTION_FAILED"
  | "CONNECTION_CLOSED";

/** Base of every error thrown by `fabrik/plc`. */
export abstract class PlcError extends Error {
  abstract readonly code: PlcErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One message shape for every "wrong thing at a column" error, so people learn to read them once. */
function positioned(subject: string, found: string, column: number, expected: string): string {
  return `${subject}: ${found} at column ${column}; expected ${expected}`;
}

/**
 * A connection URL that does not follow `{protocol}[:{transport}]://{host}[:{port}][/path][?options]`, or that its driver
 * cannot use. `url` has password values replaced by `****`; `column` is 1-based in the URL as the caller wrote it.
 */
export class InvalidUrlError extends PlcError {
  override readonly code = "INVALID_URL";
  readonly url: string;
  readonly column: number;
  readonly found: string;
  readonly expected: string;

  constructor(url: string, column: number, found: string, expected: string) {
    super(positioned(url, found, column, expected));
    this.url = url;
    this.column = column;
    this.found = found;
    this.expected = expected;
  }
}

/** A URL option whose value a driver cannot use. Never carries the value of a password-like option. */
export class InvalidOptionError extends PlcError {
  override readonly code = "INVALID_OPTION";
  readonly url: string;
  readonly option: string;
  readonly column: number;
  readonly expected: string;

  constructor(url: string, option: string, column: number, found: string, expected: string) {
    super(positioned(url, found, column, expected));
    this.url = url;
    this.option = option;
    this.column = column;
    this.expected = expected;
  }
}

/** A URL option the driver does not know; lists the ones it does, because the usual cause is a typo. */
export class UnknownOptionError extends PlcError {
  override readonly code = "UNKNOWN_OPTION";
  readonly url: string;
  readonly option: string;
  readonly column: number;
  readonly known: readonly string[];

  constructor(url: string, option: string, column: number, known: readonly string[]) {
    const expected = known.length === 0 ? "no options" : `one of ${known.join(", ")}`;
    super(positioned(url, `unknown option '${option}'`, column, expected));
    this.url = url;
    this.option = option;
    this.column = column;
    this.known = known;
  }
}

/** No registered driver answers to the URL's protocol. */
export class UnknownProtocolError extends PlcError {
  override readonly code = "UNKNOWN_PROTOCOL";
  readonly protocol: string;
  readonly known: readonly string[];

  constructor(protocol: string, known: readonly string[]) {
    const list = known.length === 0 ? "none are registered" : `known protocols: ${known.join(", ")}`;
    super(`unknown protocol '${protocol}'; ${list}`);
    this.protocol = protocol;
    this.known = known;
  }
}

/** Two drivers claimed the same protocol name; the second registration is refused rather than silently winning. */
export class DuplicateProtocolError extends PlcError {
  override readonly code = "DUPLICATE_PROTOCOL";
  readonly protocol: string;

  constructor(protocol: string, existing: string) {
    super(`protocol '${protocol}' is already registered by the ${existing} driver`);
    this.protocol = protocol;
  }
}

/**
 * A tag address its driver's grammar rejects. `found` says what is at `column` (1-based), `expected` what the grammar
 * wanted there: `holding-register:1:FOO: unknown data type 'FOO' at column 20; expected one of BOOL, BYTE, ...`.
 */
export class InvalidAddressError extends PlcError {
  override readonly code = "INVALID_ADDRESS";
  readonly address: string;
  readonly column: number;
  readonly found: string;
  readonly expected: string;

  constructor(address: string, column: number, found: string, expected: string) {
    super(positioned(address, found, column, expected));
    this.address = address;
    this.column = column;
    this.found = found;
    this.expected = expected;
  }
}

/** A value that does not fit the type of the tag it is written to. */
export class InvalidValueError extends PlcError {
  override readonly code = "INVALID_VALUE";
  readonly tag: string;
  /** The tag's type as written in an address, e.g. `INT[4]` or `STRING(20)`. */
  readonly expectedType: string;
  /** The values the type can hold, e.g. `-32768..32767`, when it has a range. */
  readonly range: string | undefined;

  constructor(tag: string, expectedType: string, problem: string, range?: string) {
    super(`cannot write '${tag}' (${expectedType}): ${problem}`);
    this.tag = tag;
    this.expectedType = expectedType;
    this.range = range;
  }
}

/** A request that is malformed as a whole (not one bad tag), e.g. a subscription interval of zero. */
export class InvalidRequestError extends PlcError {
  override readonly code = "INVALID_REQUEST";
}

/** The connection cannot do this at all, e.g. browse on a protocol without browsing, or write on a read-only one. */
export class UnsupportedOperationError extends PlcError {
  override readonly code = "UNSUPPORTED_OPERATION";
  readonly operation: string;
  readonly protocol: string;

  constructor(operation: string, protocol: string, detail?: string) {
    super(`${protocol} connections do not support ${operation}${detail ? `: ${detail}` : ""}`);
    this.operation = operation;
    this.protocol = protocol;
  }
}

/**
 * Could not reach or talk to the device. `target` is the URL with passwords hidden; the underlying error, if any, is the
 * `cause`. Callers (the connection manager) treat this as transient and retry.
 */
export class ConnectionFailedError extends PlcError {
  override readonly code = "CONNECTION_FAILED";
  readonly target: string;

  constructor(target: string, reason: string, options?: ErrorOptions) {
    super(`cannot connect to ${target}: ${reason}`, options);
    this.target = target;
  }
}

/** An operation on a connection after `close()`; a programming error in the caller, not a device problem. */
export class ConnectionClosedError extends PlcError {
  override readonly code = "CONNECTION_CLOSED";
  readonly target: string;

  constructor(target: string, operation: string) {
    super(`cannot ${operation}: the connection to ${target} is closed`);
    this.target = target;
  }
}
