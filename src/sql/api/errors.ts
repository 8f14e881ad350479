// The one place that turns anything a request threw into ksqlDB's error body, without leaking internals on a 500.
import { type KsqlErrorBody, KsqlRequestError } from "../engine/entities.ts";

/** ksqlDB's error codes are the HTTP status times 100 plus a detail: 40000 is a bad request, 50000 a server error. */
export const BAD_REQUEST = 40000;
export const NOT_FOUND = 40400;
export const SERVER_ERROR = 50000;

/** A request the REST layer refuses itself (a malformed body, an unknown query id). */
export function badRequest(message: string, errorCode = BAD_REQUEST): KsqlRequestError {
  return new KsqlRequestError(400, { "@type": "generic_error", error_code: errorCode, message });
}

export interface ShapedError {
  readonly status: number;
  readonly body: KsqlErrorBody;
  /** A bug or an outage: logged by the server, and the client sees only a generic message. */
  readonly unexpected: boolean;
}

/** What Fastify attaches to the errors it raises itself (bad JSON, a body over the limit, a schema violation). */
interface FrameworkError {
  readonly statusCode?: number;
  readonly validation?: unknown;
  readonly message: string;
}

function isFrameworkError(error: unknown): error is FrameworkError {
  return error instanceof Error && typeof (error as FrameworkError).statusCode === "number";
}

/** ksqlDB's shape for `error`: the service's own KsqlRequestErrors as they are, Fastify's 4xx with their message. */
export function shapeError(error: unknown): ShapedError {
  if (error instanceof KsqlRequestError) return { status: error.status, body: error.body, unexpected: false };
  if (isFrameworkError(error) && error.statusCode! >= 400 && error.statusCode! < 500) {
    const status = error.statusCode!;
    const message = error.validation === undefined ? error.message : `Invalid request: ${error.message}`;
    return { status, body: { "@type": "generic_error", error_code: status * 100, message }, unexpected: false };
  }
  return {
    status: 500,
    body: {
      "@type": "generic_error",
      error_code: SERVER_ERROR,
      message: "The server failed to handle the request; its log has the details",
    },
    unexpected: true,
  };
}
