// The errors of the Connect REST API and the one place that turns any thrown thing into Kafka Connect's error body.
import { formatProblem } from "../config/errors.ts";
import { type ConfigProblem, ConnectServiceError } from "../service.ts";

/** Kafka Connect's error body: `{"error_code": 404, "message": "Connector plant not found"}`. */
export interface ConnectErrorBody {
  readonly error_code: number;
  readonly message: string;
}

/** What routes refuse themselves; 401, 405, 413 and 500 are answered where they arise (they need headers or a log). */
export type RestErrorCode = "BAD_REQUEST" | "NOT_FOUND" | "CONFLICT" | "UNSUPPORTED_MEDIA_TYPE";

const STATUS = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNSUPPORTED_MEDIA_TYPE: 415,
} as const satisfies Record<RestErrorCode, number>;

/** An answer other than success, decided by the REST layer itself; the message goes to the client as it is. */
export class RestError extends Error {
  readonly code: RestErrorCode;
  readonly status: number;

  constructor(code: RestErrorCode, message: string) {
    super(message);
    this.name = "RestError";
    this.code = code;
    this.status = STATUS[code];
  }
}

/** What the error handler answers, and whether it was a bug (to be logged, and never shown to the client). */
export interface ShapedError {
  readonly status: number;
  readonly body: ConnectErrorBody;
  readonly unexpected: boolean;
}

/** Connect words an invalid configuration this way; tooling prints the message, so every problem is on its own line. */
function invalidConfigMessage(problems: readonly ConfigProblem[]): string {
  return [
    `Connector configuration is invalid and contains the following ${problems.length} error(s):`,
    ...problems.map(formatProblem),
    "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`",
  ].join("\n");
}

/** Fields of Fastify's own errors (body parsing, schema validation) that decide the answer. */
interface FrameworkError {
  readonly code: string;
  readonly statusCode?: number;
  readonly message: string;
  readonly validation?: unknown;
}

function isFrameworkError(error: unknown): error is FrameworkError {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as Error & { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("FST_");
}

function shaped(status: number, message: string, unexpected = false): ShapedError {
  return { status, body: { error_code: status, message }, unexpected };
}

/**
 * Turns anything a route threw into Connect's error body. Service and REST errors keep their status and message;
 * Fastify's client errors (bad JSON, schema violations, too large) keep theirs; everything else is a bug and answers a
 * 500 that names the request id so the log entry can be found, without the error's text or stack.
 */
export function shapeError(error: unknown, requestId: string): ShapedError {
  if (error instanceof RestError) return shaped(error.status, error.message);
  if (error instanceof ConnectServiceError) {
    const message =
      error.code === "INVALID_CONFIG" && error.problems.length > 0
        ? invalidConfigMessage(error.problems)
        : error.message;
    return shaped(error.status, message);
  }
  if (isFrameworkError(error)) {
    const status = error.statusCode ?? 500;
    if (error.validation !== undefined) return shaped(400, `Invalid request: ${error.message}`);
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE")
      return shaped(413, "Request body is larger than this server accepts");
    if (status >= 400 && status < 500) return shaped(status, error.message);
  }
  return shaped(500, `Internal server error; the worker's log has the details under request id ${requestId}`, true);
}
