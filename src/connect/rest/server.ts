// Starts the connect worker's REST server: loopback by default, and never on another address without authentication.
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import { assertSafeBind, urlHost } from "../../http/index.ts";
import { type ConnectRestApiOptions, connectRestApi } from "./api.ts";

export interface RestServerOptions extends ConnectRestApiOptions {
  /** Default 127.0.0.1. Any other than a loopback address needs `auth`. */
  readonly host?: string;
  /** Default 8083, Connect's; 0 picks a free port. */
  readonly port?: number;
  /** Largest request body in bytes (default 2 MiB: a config with thousands of tags fits, a runaway upload does not). */
  readonly bodyLimit?: number;
}

export interface RestServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const DEFAULT_BODY_LIMIT = 2 * 1024 * 1024;

/** The API on a Fastify instance that does not listen yet: tests use `inject`, `startRestServer` listens. */
export async function buildRestApp(options: RestServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // Errors found before routing (a badly encoded URL) still get Connect's body.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400;
      void (reply as FastifyReply).code(status).send({ error_code: status, message: `Bad request: ${error.message}` });
    },
  });
  await app.register(connectRestApi, options);
  return app;
}

/**
 * Listens and answers Kafka Connect's REST API. Refuses to start on a non-loopback address without `auth`: the API
 * creates connectors, and a connector can write to machines.
 */
export async function startRestServer(options: RestServerOptions): Promise<RestServer> {
  const host = options.host ?? "127.0.0.1";
  assertSafeBind(host, options.auth, "connect REST API", "create connectors that write to machines");
  // Bad credentials (an empty token) are refused by buildRestApp, before anything listens.
  const app = await buildRestApp(options);
  await app.listen({ host, port: options.port ?? 8083 });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 8083);
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    close: () => app.close(),
  };
}
