// Serves the SQL REST API on one port for HTTP/1.1 and for cleartext HTTP/2 (h2c with prior knowledge, as ksqlDB's clients speak).
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import { createServer as createNetServer, type Server, type Socket } from "node:net";
import { assertSafeBind, type HttpAuth, urlHost } from "../../http/index.ts";
import type { SqlService } from "../engine/entities.ts";
import { buildSqlApp, type SqlAppOptions } from "./app.ts";

export interface SqlServerOptions extends SqlAppOptions {
  /** Default 127.0.0.1. Any other than a loopback address needs `auth`. */
  readonly host?: string;
  /** Default 8088, ksqlDB's; 0 picks a free port. */
  readonly port?: number;
  readonly auth?: HttpAuth;
  /**
   * How long a connection may take to show its protocol and, on HTTP/1.1, to send a request's head (default 30 s); a
   * slower one is dropped (HTTP/1.1: answered 408), so that trickled bytes cannot hold connections open.
   */
  readonly headersTimeoutMs?: number;
}

export interface SqlServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  /** Ends every streaming query's response, then closes every connection. */
  close(): Promise<void>;
}

const DEFAULT_HEADERS_TIMEOUT_MS = 30_000;

/** What every HTTP/2 connection starts with (RFC 9113 §3.4); an HTTP/1.1 request can never start this way. */
const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/**
 * Decides a new connection's protocol from its first bytes and hands it over with them put back: the HTTP/2 preface
 * goes to the HTTP/2 server, anything else to HTTP/1.1. Waits for more bytes only while they still match the preface.
 */
function dispatchByPreface(
  socket: Socket,
  timeoutMs: number,
  http1: (socket: Socket) => void,
  http2: (socket: Socket) => void,
): void {
  let seen: Buffer = Buffer.alloc(0);
  // A connection that never says which protocol it speaks would hold its socket forever.
  const onIdle = () => socket.destroy();
  socket.setTimeout(timeoutMs);
  socket.once("timeout", onIdle);
  const onData = (chunk: Buffer) => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const compared = Math.min(seen.length, HTTP2_PREFACE.length);
    const matches = seen.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared));
    if (matches && seen.length < HTTP2_PREFACE.length) return;
    socket.off("data", onData);
    socket.off("timeout", onIdle);
    socket.setTimeout(0);
    socket.pause();
    socket.unshift(seen);
    if (matches) {
      // The HTTP/2 session takes the bytes put back itself, then reads the socket's handle directly.
      http2(socket);
    } else {
      http1(socket);
      // The HTTP/1.1 parser reads the handle from now on; the bytes put back reach it once the socket flows again.
      socket.resume();
    }
  };
  socket.on("data", onData);
}

/**
 * Listens and answers ksqlDB's REST API. Refuses to start on a non-loopback address without `auth`: the API runs any
 * statement, and a statement can drop streams, delete topics, or write into topics that drive machines.
 */
export async function startSqlServer(service: SqlService, options: SqlServerOptions = {}): Promise<SqlServer> {
  const host = options.host ?? "127.0.0.1";
  assertSafeBind(host, options.auth, "SQL REST API", "run any statement, drop streams and delete their topics");
  const app = await buildSqlApp(service, options);
  const route = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) =>
    app.routing(req as IncomingMessage, res as ServerResponse);
  const routeHttp2 = (req: Http2ServerRequest, res: Http2ServerResponse) => {
    // An HTTP/2 body needs no Content-Length, and Fastify reads no body without one unless a Content-Type says there
    // is one; ksqlDB's clients may send neither, and every body here is JSON anyway.
    req.headers["content-type"] ??= "application/json";
    route(req, res);
  };

  // Neither protocol server listens: the front server below gives each its connections.
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const http1 = createHttpServer(
    { noDelay: true, headersTimeout, connectionsCheckingInterval: Math.min(headersTimeout, 1_000) },
    route,
  );
  const http2 = createHttp2Server({}, routeHttp2);
  const sockets = new Set<Socket>();
  const front: Server = createNetServer({ noDelay: true, pauseOnConnect: false }, (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    // A connection reset before it was handed over must not crash the server.
    socket.once("error", () => socket.destroy());
    dispatchByPreface(
      socket,
      headersTimeout,
      (s) => http1.emit("connection", s),
      (s) => http2.emit("connection", s),
    );
  });

  await new Promise<void>((resolve, reject) => {
    front.once("error", reject);
    front.listen({ host, port: options.port ?? 8088 }, () => {
      front.off("error", reject);
      resolve();
    });
  });
  // Node's HTTP/1.1 server enforces headersTimeout and requestTimeout only from its `listening` event on, which a
  // server that never listens itself does not get otherwise.
  http1.emit("listening");
  const address = front.address();
  const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 8088);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => front.close(() => resolve()));
        // Streams end first, so that their clients read a proper end; then idle and HTTP/2 connections are dropped.
        await app.close();
        // Flushes what the ended responses still have buffered, then closes.
        for (const socket of sockets) socket.destroySoon();
        // Stops its timeout checks; it has no listening socket of its own to close.
        http1.close(() => {});
        await stopped;
      })();
      return closing;
    },
  };
}
