// The Connect REST API as one Fastify plugin: body parsing, auth, routes, and every error answered in Connect's shape.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { authChallenges, authenticator, type HttpAuth } from "../../http/index.ts";
import { errorMessage } from "../../plc/index.ts";
import { encodeJson, type JsonValue } from "../records/index.ts";
import type { ConnectService } from "../service.ts";
import { type ConnectErrorBody, RestError, shapeError } from "./errors.ts";
import type { ConnectMetrics } from "./metrics.ts";
import { connectorRoutes } from "./routes/connectors.ts";
import { lifecycleRoutes } from "./routes/lifecycle.ts";
import { pluginRoutes } from "./routes/plugins.ts";
import { sourceRoutes } from "./routes/sources.ts";
import { workerRoutes } from "./routes/worker.ts";

/** Where the REST layer reports its own bugs (a 500); request bodies are never logged, configs carry passwords. */
export interface RestLogger {
  error(message: string, error: unknown): void;
}

export interface ConnectRestApiOptions {
  readonly service: ConnectService;
  readonly metrics: ConnectMetrics;
  /** Without it every request is let in: only for a server bound to loopback (startRestServer enforces that). */
  readonly auth?: HttpAuth;
  readonly logger?: RestLogger;
}

const consoleLogger: RestLogger = {
  error: (message, error) => console.error(message, error),
};

const ANSWERED_METHODS = ["DELETE", "GET", "PATCH", "POST", "PUT"] as const;

function errorBody(status: number, message: string): ConnectErrorBody {
  return { error_code: status, message };
}

function pathOf(request: FastifyRequest): string {
  const query = request.url.indexOf("?");
  return query < 0 ? request.url : request.url.slice(0, query);
}

/**
 * JSON is the only body Connect takes. An empty body is no body (clients send `Content-Type: application/json` on a
 * bodiless PUT /pause), and Fastify's parser keeps `__proto__` keys out of parsed configs.
 */
function addBodyParsers(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = body as string;
    if (text.trim().length === 0) return done(null, undefined);
    // Fastify's default parser is synchronous; its type allows a promise, which it never returns.
    void parseJson(request, text, (error, parsed) => {
      if (error === null) return done(null, parsed);
      done(new RestError("BAD_REQUEST", `Request body is not valid JSON: ${whyNotJson(text)}`), undefined);
    });
  });
  app.addContentTypeParser("*", { parseAs: "buffer" }, (request, body, done) => {
    if ((body as Buffer).length === 0) return done(null, undefined);
    const given = request.headers["content-type"] ?? "none";
    done(new RestError("UNSUPPORTED_MEDIA_TYPE", `Content-Type ${given} is not supported: send application/json`));
  });
}

function whyNotJson(text: string): string {
  try {
    JSON.parse(text);
    return "it is JSON but not allowed here (a __proto__ or constructor.prototype key)";
  } catch (error) {
    return errorMessage(error);
  }
}

function addAuth(app: FastifyInstance, auth: HttpAuth): void {
  const check = authenticator(auth);
  const challenges = authChallenges(auth, "Fabrik Connect");
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const outcome = check(request.headers.authorization);
    if (outcome.ok) return;
    return reply.code(401).header("www-authenticate", challenges).send(errorBody(401, outcome.message));
  });
}

/** Fastify answers a known path with the wrong method as 404; Connect (JAX-RS) answers 405 with `Allow`. */
function addMethodNotAllowed(app: FastifyInstance, routes: ReadonlyMap<string, ReadonlySet<string>>): void {
  for (const [url, methods] of routes) {
    const allowed = ANSWERED_METHODS.filter((m) => methods.has(m));
    const missing = ANSWERED_METHODS.filter((m) => !methods.has(m));
    if (missing.length === 0) continue;
    app.route({
      method: [...missing],
      url,
      handler: async (request, reply) => {
        const message = `HTTP 405 Method Not Allowed: ${request.method} ${pathOf(request)} takes ${allowed.join(", ")}`;
        return reply.code(405).header("allow", allowed.join(", ")).send(errorBody(405, message));
      },
    });
  }
}

/** The whole Connect-compatible API, Fabrik's `/sources` and `/metrics`, in one encapsulated plugin. */
export const connectRestApi: FastifyPluginAsync<ConnectRestApiOptions> = async (app, options) => {
  const logger = options.logger ?? consoleLogger;
  addBodyParsers(app);
  // Routes answer JSON values only, 64-bit integers as bigint; anything else is a bug, which the error handler answers.
  app.setReplySerializer((payload) => encodeJson(payload as JsonValue));
  if (options.auth !== undefined) addAuth(app, options.auth);

  app.setErrorHandler(async (error, request, reply) => {
    const shaped = shapeError(error, request.id);
    if (shaped.unexpected) {
      logger.error(
        `REST ${request.method} ${request.routeOptions.url ?? pathOf(request)} (${request.id}) failed`,
        error,
      );
    }
    return reply.code(shaped.status).send(shaped.body);
  });
  app.setNotFoundHandler(async (request, reply) => {
    const message = `HTTP 404 Not Found: no resource at ${request.method} ${pathOf(request)}`;
    return reply.code(404).send(errorBody(404, message));
  });

  const routes = new Map<string, Set<string>>();
  app.addHook("onRoute", (route) => {
    const methods = routes.get(route.routePath) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method);
    routes.set(route.routePath, methods);
  });
  workerRoutes(app, options.service, options.metrics);
  connectorRoutes(app, options.service);
  lifecycleRoutes(app, options.service);
  pluginRoutes(app, options.service);
  sourceRoutes(app, options.service);
  addMethodNotAllowed(app, new Map(routes));
};
