// Every request the UI makes to the Fabrik server goes through here: same origin, the header that marks it as the UI's
// (the server's CSRF guard, and no native login prompt on 401), and errors as ApiError with the server's message.

/** A response that was not 2xx, or a request that never got one (status 0). */
export class ApiError extends Error {
  readonly status: number;
  /** The body's error code where it has one: Connect's `error_code`, ksqlDB's `error_code`. */
  readonly code: number | undefined;
  /** The parsed JSON body, when there was one. */
  readonly body: unknown;

  constructor(status: number, message: string, code?: number, body?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

/** Heard on every 401, so the shell can show the login form. */
let onUnauthorized: () => void = () => {};

export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export const UI_HEADER = { "X-Requested-With": "fabrik-ui" } as const;

/** fetch() with the UI's header; JSON bodies are sent as JSON. Rejects with ApiError on anything but 2xx. */
export async function apiFetch(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const { json, headers, ...rest } = init;
  const allHeaders = new Headers(headers);
  for (const [name, value] of Object.entries(UI_HEADER)) allHeaders.set(name, value);
  let body = rest.body;
  if (json !== undefined) {
    allHeaders.set("Content-Type", "application/json");
    body = JSON.stringify(json);
  }
  let response: Response;
  try {
    response = await fetch(path, { ...rest, headers: allHeaders, body, credentials: "same-origin" });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, `The Fabrik server did not answer (${error instanceof Error ? error.message : error})`);
  }
  if (response.ok) return response;
  if (response.status === 401) onUnauthorized();
  throw await errorOf(response);
}

/** apiFetch, then the body as JSON (undefined for 204). */
export async function apiJson<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const response = await apiFetch(path, init);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  let body: unknown;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const message =
    typeof record.message === "string" ? record.message : text.trim() || `${response.status} ${response.statusText}`;
  const code = typeof record.error_code === "number" ? record.error_code : undefined;
  return new ApiError(response.status, message, code, body);
}
