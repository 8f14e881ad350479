// The Fabrik server as one Fastify app: the Connect and SQL APIs mounted, the live feed, tag history, writes, info and
// sessions under /api/, and the built UI everywhere else.
import { fileURLToPath } from "node:url";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import { connectRestApi } from "../connect/rest/api.ts";
import type { ConnectMetrics } from "../connect/rest/metrics.ts";
import type { ConnectService } from "../connect/service.ts";
import type { HttpAuth } from "../http/index.ts";
import type { KafkaConfig } from "../kafka/index.ts";
import { errorMessage } from "../plc/index.ts";
import { sqlRestApi } from "../sql/api/app.ts";
import type { SqlService } from "../sql/engine/entities.ts";
import { addAuthGuard } from "./auth.ts";
import { errorBody, pathOf, shapeServerError } from "./errors.ts";
import { historyRoute } from "./history/route.ts";
import { type AlertNames, infoRoute } from "./info.ts";
import { LiveFeed, type LiveFeedOptions } from "./live/feed.ts";
import { SessionStore } from "./sessions.ts";
import { staticFiles } from "./static-files.ts";
import { KafkaWritePublisher, type WritePublisher } from "./write/publisher.ts";
import { writeRoute } from "./write/route.ts";

/** Where the server reports what people must see; request bodies are never logged (they carry configs and SQL). */
export interface ServerLog {
  /** Each write made through POST /api/write; without it those lines go to `warn`, so that none is lost. */
  info?(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface FabrikAppOptions {
  /** Without it every request is let in: only for a server on loopback (startFabrikServer enforces that). */
  readonly auth?: HttpAuth;
  /** The connect worker whose API is mounted under /api/connect and whose connectors the live feed shows. */
  readonly connect?: { readonly service: ConnectService; readonly metrics: ConnectMetrics };
  /** The SQL engine whose API is mounted under /api/sql. */
  readonly sql?: SqlService;
  /** The cluster the live feed and the history read. */
  readonly kafka: KafkaConfig;
  /** The built UI (default `<repo>/ui/dist`). */
  readonly uiDir?: string;
  readonly alerts?: AlertNames;
  readonly log?: ServerLog;
  /** The clock of sessions and history defaults; injectable for tests. */
  readonly now?: () => number;
  /** The live feed's knobs and, for tests, its reader. */
  readonly live?: Omit<LiveFeedOptions, "connect" | "kafka" | "log">;
  /** Largest request body in bytes (default 4 MiB, the SQL API's). */
  readonly bodyLimit?: number;
  /** Produces the records of POST /api/write (default: one idempotent producer on `kafka`); tests replace it. */
  readonly writePublisher?: WritePublisher;
}

export const DEFAULT_UI_DIR = fileURLToPath(new URL("../../ui/dist", import.meta.url));
const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

const consoleLog: ServerLog = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

/** Headers every response carries, set on the raw response so that streams the framework does not write get them too. */
const COMMON_HEADERS = [
  ["x-content-type-options", "nosniff"],
  ["referrer-policy", "no-referrer"],
] as const;

/** A 404 for an API this server does not run, in that API's own error shape. */
function absentApi(body: (path: string) => object) {
  return async (app: FastifyInstance) => {
    app.setNotFoundHandler(async (request, reply) => reply.code(404).send(body(pathOf(request.url))));
  };
}

/**
 * The server as a Fastify instance that does not listen: tests use `inject`, startFabrikServer listens. Not ready
 * yet, so that the caller may register more; the live feed starts when it is ready and stops when it closes.
 */
export async function buildFabrikApp(options: FabrikAppOptions): Promise<FastifyInstance> {
  const log = options.log ?? consoleLog;
  const apiLog = { error: (message: string, error: unknown) => log.error(`${message}: ${errorMessage(error)}`) };
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // Errors found before routing (a badly encoded URL) get the API's error body too.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400;
      void (reply as FastifyReply).code(status).send(errorBody(status, `Bad request: ${error.message}`));
    },
  });
  // JSON only: a page of another site can post a form (text/plain) anywhere, but not JSON without asking first.
  app.removeContentTypeParser("text/plain");
  app.addHook("onRequest", async (_request, reply) => {
    for (const [name, value] of COMMON_HEADERS) reply.raw.setHeader(name, value);
  });
  addAuthGuard(app, {
    auth: options.auth,
    sessions: new SessionStore({ ...(options.now ? { now: options.now } : {}) }),
  });

  app.setErrorHandler(async (error, request, reply) => {
    const shaped = shapeServerError(error);
    if (shaped.unexpected) log.error(`${request.method} ${pathOf(request.url)} failed: ${errorMessage(error)}`);
    return reply.code(shaped.status).send(shaped.body);
  });
  const statics = staticFiles(options.uiDir ?? DEFAULT_UI_DIR);
  app.setNotFoundHandler(async (request, reply) => {
    const path = pathOf(request.url);
    if (path === "/api" || path.startsWith("/api/")) {
      return reply.code(404).send(errorBody(404, `HTTP 404 Not Found: no resource at ${request.method} ${path}`));
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return reply
        .code(405)
        .header("allow", "GET, HEAD")
        .send(errorBody(405, `${request.method} ${path}: the UI's files answer GET and HEAD`));
    }
    return statics.serve(request, reply);
  });

  infoRoute(app, {
    auth: options.auth,
    connect: options.connect !== undefined,
    sql: options.sql !== undefined,
    alerts: options.alerts,
  });

  const feed = new LiveFeed({
    ...options.live,
    ...(options.connect ? { connect: options.connect } : {}),
    kafka: options.kafka,
    log,
  });
  app.addHook("onReady", async () => feed.start());
  app.addHook("preClose", async () => feed.close());
  app.get("/api/live", { exposeHeadRoute: false }, async (_request, reply) => {
    reply.hijack();
    feed.attach(reply.raw);
  });
  historyRoute(app, { service: options.connect?.service, kafka: options.kafka, now: options.now ?? Date.now });
  const publisher = options.writePublisher ?? new KafkaWritePublisher(options.kafka);
  app.addHook("onClose", async () => publisher.close());
  writeRoute(app, {
    service: options.connect?.service,
    publisher,
    info: (line) => (log.info ?? log.warn).call(log, line),
    error: (line) => log.error(line),
    now: options.now ?? Date.now,
  });

  if (options.connect !== undefined) {
    await app.register(connectRestApi, { prefix: "/api/connect", ...options.connect, logger: apiLog });
  } else {
    await app.register(
      absentApi((path) => errorBody(404, `No connect worker runs in this server: nothing at ${path}`)),
      { prefix: "/api/connect" },
    );
  }
  if (options.sql !== undefined) {
    await app.register(sqlRestApi, { prefix: "/api/sql", service: options.sql, logger: apiLog });
  } else {
    await app.register(
      absentApi((path) => ({
        "@type": "generic_error",
        error_code: 40400,
        message: `No SQL engine runs in this server: nothing at ${path}`,
      })),
      { prefix: "/api/sql" },
    );
  }
  return app;
}
