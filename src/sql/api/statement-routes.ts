// ksqlDB's request/response endpoints: POST /ksql, POST /close-query, GET /info, /healthcheck and /clusterStatus.
import type { FastifyInstance } from "fastify";
import type { SqlService } from "../engine/entities.ts";
import { badRequest, NOT_FOUND } from "./errors.ts";
import { jsonContentType } from "./framing.ts";

/** Property overrides as ksqlDB's clients send them: a map of names to (usually string) values, or null. */
const PROPERTIES_SCHEMA = { type: ["object", "null"] } as const;

/** The body fields every statement and query request may carry besides its text (see requestProperties). */
export const OVERRIDES_SCHEMA = {
  streamsProperties: PROPERTIES_SCHEMA,
  properties: PROPERTIES_SCHEMA,
  sessionVariables: PROPERTIES_SCHEMA,
} as const;

export interface RequestOverrides {
  readonly streamsProperties?: Readonly<Record<string, unknown>> | null;
  readonly properties?: Readonly<Record<string, unknown>> | null;
  readonly sessionVariables?: Readonly<Record<string, unknown>> | null;
}

const KSQL_SCHEMA = {
  body: {
    type: "object",
    required: ["ksql"],
    properties: { ksql: { type: "string" }, ...OVERRIDES_SCHEMA, commandSequenceNumber: { type: ["integer", "null"] } },
  },
} as const;

const CLOSE_QUERY_SCHEMA = {
  body: { type: "object", required: ["queryId"], properties: { queryId: { type: "string" } } },
} as const;

interface StatementRequest extends RequestOverrides {
  readonly ksql: string;
}

/**
 * The overrides of a request: ksqlDB documents `streamsProperties`, its newer clients send `properties`; both are
 * read, the latter winning. Session variables (`${name}` substitution) are refused until the language has them.
 */
export function requestProperties(body: RequestOverrides): Readonly<Record<string, unknown>> {
  if (body.sessionVariables && Object.keys(body.sessionVariables).length > 0) {
    throw badRequest("sessionVariables are not supported: write the values into the statement");
  }
  return { ...(body.streamsProperties ?? {}), ...(body.properties ?? {}) };
}

export function statementRoutes(app: FastifyInstance, service: SqlService): void {
  app.post("/ksql", { schema: KSQL_SCHEMA }, async (request, reply) => {
    const body = request.body as StatementRequest;
    const entities = await service.execute(body.ksql, requestProperties(body));
    return reply.type(jsonContentType(request.headers.accept)).send(entities);
  });

  app.post("/close-query", { schema: CLOSE_QUERY_SCHEMA }, async (request, reply) => {
    const { queryId } = request.body as { queryId: string };
    if (!service.closeQuery(queryId)) throw badRequest(`No query with id ${queryId} is running`, NOT_FOUND);
    return reply.code(200).send();
  });

  app.get("/info", async (request, reply) =>
    reply.type(jsonContentType(request.headers.accept)).send({ KsqlServerInfo: service.info() }),
  );

  // 503 when unhealthy, so that load balancers and orchestrators can act on the status alone.
  app.get("/healthcheck", async (request, reply) => {
    const health = await service.healthy();
    return reply
      .code(health.isHealthy ? 200 : 503)
      .type(jsonContentType(request.headers.accept))
      .send({ isHealthy: health.isHealthy, details: health.details });
  });

  // Servers share work through Kafka consumer groups and know nothing of each other: this one speaks for itself.
  app.get("/clusterStatus", async (request, reply) => {
    const now = Date.now();
    const self = {
      hostAlive: true,
      lastStatusUpdateMs: now,
      activeStandbyPerQuery: {},
      hostStoreLags: { stateStoreLags: {}, updateTimeMs: now },
    };
    return reply.type(jsonContentType(request.headers.accept)).send({ clusterStatus: { [request.host]: self } });
  });
}
