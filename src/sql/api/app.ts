// ksqlDB's REST API over a SqlService as a Fastify plugin (body parsing, auth, routes, errors in ksqlDB's shape) and an app.
import Fastify, {
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import { authChallenges, authenticator, type HttpAuth } from "../../http/index.ts";
import type { SqlService } from "../engine/entities.ts";
import { shapeError } from "./errors.ts";
import { jsonContentType } from "./framing.ts";
import { type OpenQueries, queryRoutes } from "./query-routes.ts";
import { statementRoutes } from "./statement-routes.ts";

/** Where the REST layer reports failures it hides from clients (a 500); request bodies are never logged. */
export interface SqlApiLogger {
  error(message: string, error: unknown): void;
}

export interface SqlAppOptions {
  /** Without it every request is let in: only for a server bound to loopback (startSqlServer enforces that). */
  readonly auth?: HttpAuth;
  readonly logger?: SqlApiLogger;
  /** Largest request body in bytes (default 4 MiB: a long script fits, a runaway upload does not). */
  readonly bodyLimit?: number;
}

const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

const consoleLogger: SqlApiLogger = {
  error: (message, error) => console.error(message, error),
};

function pathOf(request: FastifyRequest): string {
  const query = request.url.indexOf("?");
  return query < 0 ? request.url : request.url.slice(0, query);
}

/**
 * Every body is JSON whatever its Content-Type says: ksqlDB's own examples post with curl's default form type, and its
 * clients send `application/vnd.ksql.v1+json`. Fastify's parser keeps `__proto__` keys out.
 */
function addBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (request, body, done) => {
    const text = body as string;
    if (text.trim().length === 0) return done(null, undefined);
    // Fastify's default parser is synchronous; its type allows a promise, which it never returns.
    void parseJson(request, text, (error, parsed) => {
      if (error === null) return done(null, parsed);
      const problem = Object.assign(new Error(`Request body is not valid JSON: ${error.message}`), { statusCode: 400 });
      done(problem, undefined);
    });
  });
}

function addAuth(app: FastifyInstance, auth: HttpAuth): void {
  const check = authenticator(auth);
  const challenges = authChallenges(auth, "Fabrik SQL");
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const outcome = check(request.headers.authorization);
    if (outcome.ok) return;
    return reply
      .code(401)
      .header("www-authenticate", challenges)
      .send({ "@type": "generic_error", error_code: 40100, message: outcome.message });
  });
}

export interface SqlApiOptions {
  readonly service: SqlService;
  /** Without it every request is let in: the server it is mounted on decides who may call it. */
  readonly auth?: HttpAuth;
  readonly logger?: SqlApiLogger;
}

/**
 * ksqlDB's API as one encapsulated Fastify plugin: body parser, auth, error and not-found handlers, routes. Registered
 * alone by buildSqlApp, and under a prefix by the Fabrik server. Closing the instance it is registered on ends every
 * streaming response first and waits for them.
 */
export const sqlRestApi: FastifyPluginAsync<SqlApiOptions> = async (app, options) => {
  const logger = options.logger ?? consoleLogger;
  addBodyParser(app);
  if (options.auth !== undefined) addAuth(app, options.auth);

  app.setErrorHandler(async (error, request, reply) => {
    const shaped = shapeError(error);
    if (shaped.unexpected) logger.error(`SQL REST ${request.method} ${pathOf(request)} (${request.id}) failed`, error);
    return reply.code(shaped.status).type(jsonContentType(request.headers.accept)).send(shaped.body);
  });
  app.setNotFoundHandler(async (request, reply) => {
    const message = `HTTP 404 Not Found: no resource at ${request.method} ${pathOf(request)}`;
    return reply.code(404).send({ "@type": "generic_error", error_code: 40400, message });
  });

  const openQueries: OpenQueries = { streams: new Set(), pumps: new Set() };
  // Before the server stops: end every streaming response (their clients see the stream end) and wait for them.
  app.addHook("preClose", async () => {
    for (const stream of openQueries.streams) stream.close();
    await Promise.allSettled([...openQueries.pumps]);
  });
  statementRoutes(app, options.service);
  queryRoutes(app, options.service, openQueries, logger);
};

/**
 * The API on a Fastify instance that does not listen: tests use `inject`, startSqlServer hands it connections through
 * `routing`. Closing it ends every streaming response first.
 */
export async function buildSqlApp(service: SqlService, options: SqlAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    routerOptions: { ignoreTrailingSlash: true },
    // Errors found before routing (a badly encoded URL) still get ksqlDB's body.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400;
      void (reply as FastifyReply)
        .code(status)
        .send({ "@type": "generic_error", error_code: status * 100, message: `Bad request: ${error.message}` });
    },
  });
  await app.register(sqlRestApi, {
    service,
    ...(options.auth === undefined ? {} : { auth: options.auth }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  await app.ready();
  return app;
}
