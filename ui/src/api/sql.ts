// The UI's client of the SQL API: statements through /api/sql/ksql, queries streamed from /api/sql/query-stream line by
// line, and errors as SqlError with the line and column the server names.
import { ApiError, apiFetch, apiJson } from "./http.ts";
import type { QueryHeader, SqlEntity, SqlValue } from "./sql-entities.ts";

export type { QueryHeader, SqlEntity, SqlValue } from "./sql-entities.ts";

/**
 * - `SQL_STATEMENT`: the server refused a statement or query (ksqlDB's `statement_error`, 4xx).
 * - `SQL_REQUEST`: the request itself was refused (ksqlDB's `generic_error`, 4xx: a bad property, an unknown query id).
 * - `SQL_QUERY_FAILED`: a query that had started failed while streaming (its source topic was deleted, say).
 * - `SQL_SERVER`: the server failed (5xx) or answered something that is not the SQL API's.
 * - `SQL_UNREACHABLE`: no answer at all.
 */
export type SqlErrorCode = "SQL_STATEMENT" | "SQL_REQUEST" | "SQL_QUERY_FAILED" | "SQL_SERVER" | "SQL_UNREACHABLE";

export interface SqlPosition {
  /** 1-based, within the text that was sent. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

/** A refused or failed statement, with where in the sent text it went wrong when the server says so. */
export class SqlError extends Error {
  readonly code: SqlErrorCode;
  /** ksqlDB's error code (40001 a bad statement, 40000 a bad request, 50000 a server error), when the body had one. */
  readonly errorCode: number | undefined;
  readonly status: number;
  /** Where the server placed it: the message's `line:column:` prefix. */
  readonly position: SqlPosition | undefined;
  /** The message without its position prefix. */
  readonly detail: string;
  /** The statement the server was running when it failed (all of them for a syntax error). */
  readonly statementText: string | undefined;
  /** Answers of the statements of the same request that ran before the failing one. */
  readonly entities: readonly SqlEntity[];

  constructor(
    code: SqlErrorCode,
    message: string,
    fields: {
      status?: number;
      errorCode?: number | undefined;
      statementText?: string | undefined;
      entities?: readonly SqlEntity[];
    } = {},
  ) {
    super(message);
    this.name = "SqlError";
    this.code = code;
    this.status = fields.status ?? 0;
    this.errorCode = fields.errorCode;
    this.statementText = fields.statementText;
    this.entities = fields.entities ?? [];
    const located = locateMessage(message);
    this.position = located.position;
    this.detail = located.detail;
  }
}

const POSITION = /^line (\d+):(\d+): ([\s\S]*)$/;

/** Splits `line 3:14: unknown column X` into its position and the rest; messages without one are all detail. */
export function locateMessage(message: string): { position: SqlPosition | undefined; detail: string } {
  const match = POSITION.exec(message);
  if (match === null) return { position: undefined, detail: message };
  return { position: { line: Number(match[1]), column: Number(match[2]) }, detail: match[3]! };
}

interface KsqlErrorBody {
  readonly "@type"?: string;
  readonly error_code?: number;
  readonly message?: string;
  readonly statementText?: string;
  readonly entities?: readonly SqlEntity[];
}

function isErrorBody(value: unknown): value is KsqlErrorBody {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "message" in value;
}

/** An error body of the SQL API (or anything else a request failed with) as a SqlError. */
function sqlErrorOf(status: number, body: unknown, fallback: string, failedWhileStreaming = false): SqlError {
  if (!isErrorBody(body)) {
    return new SqlError(status === 0 ? "SQL_UNREACHABLE" : "SQL_SERVER", fallback, { status });
  }
  const code: SqlErrorCode = failedWhileStreaming
    ? "SQL_QUERY_FAILED"
    : status >= 500
      ? "SQL_SERVER"
      : body["@type"] === "statement_error"
        ? "SQL_STATEMENT"
        : "SQL_REQUEST";
  return new SqlError(code, body.message ?? fallback, {
    status,
    errorCode: body.error_code,
    statementText: body.statementText,
    entities: body.entities ?? [],
  });
}

function fromApiError(error: unknown): unknown {
  if (error instanceof ApiError) return sqlErrorOf(error.status, error.body, error.message);
  return error;
}

/** A string literal in SQL: quotes doubled. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A stream, table or column name as SQL reads it back: plain upper-case names bare, any other back-quoted. */
export function sqlName(name: string): string {
  return /^[A-Z_][A-Z0-9_]*$/.test(name) ? name : `\`${name.replaceAll("`", "``")}\``;
}

/** Property overrides sent with a request: `auto.offset.reset` and the like, from SET or the page's settings. */
export type SqlProperties = Readonly<Record<string, string>>;

/** Runs one or more statements (not SELECT or PRINT: see streamQuery); rejects with SqlError. */
export async function runStatements(ksql: string, properties: SqlProperties = {}): Promise<SqlEntity[]> {
  try {
    return await apiJson<SqlEntity[]>("/api/sql/ksql", {
      method: "POST",
      json: { ksql, streamsProperties: properties },
      headers: { Accept: "application/json" },
    });
  } catch (error) {
    throw fromApiError(error);
  }
}

export interface StreamQueryOptions {
  readonly properties?: SqlProperties;
  /** Aborting stops the query on the server (the connection closes) and resolves with "stopped". */
  readonly signal?: AbortSignal;
  readonly onHeader?: (header: QueryHeader) => void;
  /** Rows in arrival order, a batch per animation frame (PRINT's rows are one string each). */
  readonly onRows?: (rows: SqlValue[][]) => void;
  /** How a batch of rows is scheduled; by default the next animation frame (or 250 ms in a hidden tab). */
  readonly schedule?: (flush: () => void) => void;
}

/** How a query stream ended: it ran out (a pull query, a LIMIT, PRINT's LIMIT), or the caller stopped it. */
export type StreamEnd = "completed" | "stopped";

const DELIMITED = "application/vnd.ksqlapi.delimited.v1";

/** Runs a SELECT or PRINT and hands its rows over as they arrive; rejects with SqlError when it is refused or fails. */
export async function streamQuery(sql: string, options: StreamQueryOptions = {}): Promise<StreamEnd> {
  const { signal } = options;
  let response: Response;
  try {
    response = await apiFetch("/api/sql/query-stream", {
      method: "POST",
      json: { sql, properties: options.properties ?? {} },
      headers: { Accept: DELIMITED },
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    if (isAbort(error, signal)) return "stopped";
    throw fromApiError(error);
  }
  if (response.body === null) throw new SqlError("SQL_SERVER", "The query answered without a body", { status: 200 });
  const rows = new RowBatcher(options.onRows ?? (() => {}), options.schedule ?? nextFrame);
  let header = true;
  try {
    await readLines(response.body, (line) => {
      const item: unknown = JSON.parse(line);
      if (Array.isArray(item)) {
        rows.add(item as SqlValue[]);
      } else if (isErrorBody(item)) {
        throw sqlErrorOf(response.status, item, "The query failed", !header);
      } else if (header) {
        options.onHeader?.(item as QueryHeader);
      }
      header = false;
    });
    rows.flush();
    return "completed";
  } catch (error) {
    rows.flush();
    if (isAbort(error, signal)) return "stopped";
    if (error instanceof SqlError) throw error;
    if (error instanceof SyntaxError) {
      throw new SqlError("SQL_SERVER", `The query stream sent a line that is not JSON: ${error.message}`);
    }
    throw new SqlError("SQL_UNREACHABLE", `The query stream broke off (${errorText(error)})`);
  }
}

/** Stops a push query by id; false when the server has no such query (it had ended already). */
export async function closeQuery(queryId: string): Promise<boolean> {
  try {
    await apiFetch("/api/sql/close-query", { method: "POST", json: { queryId } });
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) return false;
    throw fromApiError(error);
  }
}

/**
 * Calls `onLine` for every complete non-empty line of a UTF-8 byte stream as it arrives (a line split across chunks
 * is joined first); a last line without a newline counts too. An exception from `onLine` cancels the stream.
 */
export async function readLines(body: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      pending += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline = pending.indexOf("\n");
      while (newline >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line.length > 0) onLine(line);
        newline = pending.indexOf("\n");
      }
      if (done) break;
    }
    const last = pending.trim();
    if (last.length > 0) onLine(last);
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
}

/** Collects rows and hands them over once per scheduled flush, so a fast query costs one render per frame. */
class RowBatcher {
  readonly #deliver: (rows: SqlValue[][]) => void;
  readonly #schedule: (flush: () => void) => void;
  #rows: SqlValue[][] = [];
  #scheduled = false;

  constructor(deliver: (rows: SqlValue[][]) => void, schedule: (flush: () => void) => void) {
    this.#deliver = deliver;
    this.#schedule = schedule;
  }

  add(row: SqlValue[]): void {
    this.#rows.push(row);
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#schedule(() => this.flush());
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#rows.length === 0) return;
    const rows = this.#rows;
    this.#rows = [];
    this.#deliver(rows);
  }
}

type FrameHost = { requestAnimationFrame?: (callback: () => void) => number };

/** The next animation frame, or 250 ms when none comes (a hidden tab gets no frames; its rows still arrive). */
function nextFrame(flush: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    flush();
  };
  (globalThis as FrameHost).requestAnimationFrame?.(once);
  setTimeout(once, 250);
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === "AbortError");
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
