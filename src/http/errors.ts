// The error an HTTP server of Fabrik's throws when its options are unsafe or wrong, before it listens.

export type HttpServerErrorCode = "INSECURE_BIND" | "INVALID_AUTH";

/** The server refused to start: its options are unsafe or wrong. The message says how to fix them. */
export class HttpServerError extends Error {
  readonly code: HttpServerErrorCode;

  constructor(code: HttpServerErrorCode, message: string) {
    super(message);
    this.name = "HttpServerError";
    this.code = code;
  }
}
