// The Fabrik server's own request errors and their one body, `{ "error_code", "message" }`, as Connect answers them.

export type ServerRequestErrorCode = "BAD_PARAMETER" | "NOT_FOUND" | "UNAUTHORIZED" | "FORBIDDEN" | "UNAVAILABLE";

const STATUS = {
  BAD_PARAMETER: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNAVAILABLE: 503,
} as const satisfies Record<ServerRequestErrorCode, number>;

export interface ErrorBody {
  readonly error_code: number;
  readonly message: string;
}

/** A request the server refuses; the error handler answers `status` with `{ error_code: status, message }`. */
export class ServerRequestError extends Error {
  readonly code: ServerRequestErrorCode;
  readonly status: number;

  constructor(code: ServerRequestErrorCode, message: string) {
    super(message);
    this.name = "ServerRequestError";
    this.code = code;
    this.status = STATUS[code];
  }
}

export function errorBody(status: number, message: string): ErrorBody {
  return { error_code: status, message };
}

/** What Fastify attaches to the errors it raises itself (a schema violation, an unsupported media type). */
interface FrameworkError {
  readonly statusCode?: number;
  readonly message: string;
}

/** The status and body of anything a route threw; `unexpected` ones are bugs or outages, logged and not shown. */
export function shapeServerError(error: unknown): { status: number; body: ErrorBody; unexpected: boolean } {
  if (error instanceof ServerRequestError) {
    return { status: error.status, body: errorBody(error.status, error.message), unexpected: false };
  }
  const status = (error as FrameworkError | undefined)?.statusCode;
  if (error instanceof Error && status !== undefined && status >= 400 && status < 500) {
    return { status, body: errorBody(status, error.message), unexpected: false };
  }
  return {
    status: 500,
    body: errorBody(500, "The server failed to handle the request; its log has the details"),
    unexpected: true,
  };
}

/** The path of a request URL, without its query. */
export function pathOf(url: string): string {
  const query = url.indexOf("?");
  return query < 0 ? url : url.slice(0, query);
}
