// A small HTTP client for ksqlDB's REST API, as `fabrik sql` uses it: statements, streamed queries and server info.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { StringDecoder } from "node:string_decoder";
import type { JsonValue, KsqlEntity, ServerInfo } from "../../engine/entities.ts";
import { DELIMITED_CONTENT_TYPE } from "../framing.ts";

export type SqlClientErrorCode =
  /** No answer: the server is down, the address is wrong, or the connection broke. */
  | "SQL_CLIENT_UNREACHABLE"
  /** The server answered with an error (a bad statement, a refused login); the message is the server's. */
  | "SQL_CLIENT_REFUSED"
  /** The answer is not what ksqlDB's API answers (not JSON, a missing header). */
  | "SQL_CLIENT_PROTOCOL";

export class SqlClientError extends Error {
  readonly code: SqlClientErrorCode;
  /** The HTTP status of a refusal. */
  readonly status: number | undefined;

  constructor(code: SqlClientErrorCode, message: string, status?: number) {
    super(message);
    this.name = "SqlClientError";
    this.code = code;
    this.status = status;
  }
}

/** /query-stream's first line. `queryId` is missing for pull queries, which cannot be closed. */
export interface QueryHeader {
  readonly queryId?: string;
  readonly columnNames: readonly string[];
  readonly columnTypes: readonly string[];
}

export interface ClientQuery {
  readonly header: QueryHeader;
  /** Ends when the server ends the query (LIMIT, a pull query's last row) or on `close()`; throws what the server reports. */
  readonly rows: AsyncIterable<JsonValue[]>;
  /** Disconnects, which makes the server close the query. */
  close(): void;
}

export interface SqlClientOptions {
  /** The whole `Authorization` header value: `Bearer <token>` or `Basic <base64>`. */
  readonly authorization?: string;
}

type Response = { readonly status: number; readonly body: IncomingMessage; readonly abort: () => void };

export class SqlClient {
  readonly url: string;
  readonly #base: URL;
  readonly #authorization: string | undefined;
  readonly #agent: HttpAgent;

  constructor(url: string, options: SqlClientOptions = {}) {
    this.#base = new URL(url);
    if (this.#base.protocol !== "http:" && this.#base.protocol !== "https:") {
      throw new SqlClientError("SQL_CLIENT_UNREACHABLE", `${url} is not an http:// or https:// address`);
    }
    this.url = this.#base.href.replace(/\/$/, "");
    this.#authorization = options.authorization;
    this.#agent =
      this.#base.protocol === "https:" ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  info(): Promise<ServerInfo> {
    return this.#json<{ KsqlServerInfo: ServerInfo }>("GET", "/info").then((answer) => answer.KsqlServerInfo);
  }

  /** Runs statements on /ksql; the server's refusal is thrown with its message. */
  execute(ksql: string, properties: Readonly<Record<string, string>> = {}): Promise<KsqlEntity[]> {
    return this.#json<KsqlEntity[]>("POST", "/ksql", { ksql, streamsProperties: properties });
  }

  /** Starts a SELECT or PRINT on /query-stream and resolves once the header arrived. */
  async query(sql: string, properties: Readonly<Record<string, string>> = {}): Promise<ClientQuery> {
    const response = await this.#send("POST", "/query-stream", { sql, properties }, DELIMITED_CONTENT_TYPE);
    if (response.status !== 200) throw await refusal(response);
    const lines = readLines(response.body);
    const first = await lines.next().catch((error: Error) => {
      throw new SqlClientError("SQL_CLIENT_UNREACHABLE", `the connection broke: ${error.message}`);
    });
    if (first.done) throw new SqlClientError("SQL_CLIENT_PROTOCOL", "the query ended before its header arrived");
    const header = parseLine(first.value) as unknown as QueryHeader;
    if (!Array.isArray(header?.columnNames)) {
      throw new SqlClientError(
        "SQL_CLIENT_PROTOCOL",
        `the query's first line is no header: ${first.value.slice(0, 200)}`,
      );
    }
    let closed = false;
    async function* rows(): AsyncGenerator<JsonValue[]> {
      try {
        for await (const line of lines) {
          const item = parseLine(line);
          if (Array.isArray(item)) yield item;
          else throw new SqlClientError("SQL_CLIENT_REFUSED", errorText(item));
        }
      } catch (error) {
        // Our own disconnect ends the rows quietly; anything else is the query's failure or a broken connection.
        if (closed) return;
        if (error instanceof SqlClientError) throw error;
        throw new SqlClientError("SQL_CLIENT_UNREACHABLE", `the connection broke: ${(error as Error).message}`);
      }
    }
    return {
      header,
      rows: rows(),
      close: () => {
        closed = true;
        response.abort();
      },
    };
  }

  /** Drops the kept-alive connections so that the process can exit. */
  close(): void {
    this.#agent.destroy();
  }

  async #json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.#send(method, path, body, "application/json");
    if (response.status !== 200) throw await refusal(response);
    const text = await readAll(response.body);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new SqlClientError("SQL_CLIENT_PROTOCOL", `${method} ${path} answered no JSON: ${text.slice(0, 200)}`);
    }
  }

  #send(method: string, path: string, body: unknown, accept: string): Promise<Response> {
    const target = new URL(path, this.#base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept };
    if (payload !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    if (this.#authorization !== undefined) headers.authorization = this.#authorization;
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const request = send(target, { method, headers, agent: this.#agent }, (response) => {
        resolve({ status: response.statusCode ?? 0, body: response, abort: () => request.destroy() });
      });
      request.on("error", (error) =>
        reject(new SqlClientError("SQL_CLIENT_UNREACHABLE", `cannot reach ${this.url}: ${error.message}`)),
      );
      request.end(payload);
    });
  }
}

async function readAll(body: IncomingMessage): Promise<string> {
  let text = "";
  body.setEncoding("utf8");
  for await (const chunk of body) text += chunk as string;
  return text;
}

/** The server's error body (ksqlDB's `{"message": …}`) as a SqlClientError. */
async function refusal(response: Response): Promise<SqlClientError> {
  const text = await readAll(response.body).catch(() => "");
  let message: string;
  try {
    message = errorText(JSON.parse(text) as JsonValue);
  } catch {
    message = text.trim().length > 0 ? text.trim().slice(0, 500) : `HTTP ${response.status}`;
  }
  return new SqlClientError("SQL_CLIENT_REFUSED", message, response.status);
}

function errorText(body: JsonValue): string {
  if (typeof body === "object" && body !== null && !Array.isArray(body) && typeof body.message === "string") {
    return body.message;
  }
  return JSON.stringify(body).slice(0, 500);
}

function parseLine(line: string): JsonValue {
  try {
    return JSON.parse(line) as JsonValue;
  } catch {
    throw new SqlClientError("SQL_CLIENT_PROTOCOL", `the query sent a line that is not JSON: ${line.slice(0, 200)}`);
  }
}

/** The body's non-empty lines as they arrive. */
async function* readLines(body: IncomingMessage): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  for await (const chunk of body) {
    pending += decoder.write(chunk as Buffer);
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line.length > 0) yield line;
      newline = pending.indexOf("\n");
    }
  }
  const last = (pending + decoder.end()).trim();
  if (last.length > 0) yield last;
}
