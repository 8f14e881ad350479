// ksqlDB's streaming endpoints: POST /query (chunked JSON) and POST /query-stream (delimited or JSON, HTTP/1.1 or 2).
import type { FastifyInstance, FastifyReply } from "fastify";
import type { QueryStream, SqlService } from "../engine/entities.ts";
import type { SqlApiLogger } from "./app.ts";
import { badRequest } from "./errors.ts";
import { printFraming, queryFraming, queryStreamFraming, type RowFraming } from "./framing.ts";
import { OVERRIDES_SCHEMA, type RequestOverrides, requestProperties } from "./statement-routes.ts";
import { streamRows } from "./stream-rows.ts";

/** The queries being streamed, so that closing the app ends them and waits for their responses to end. */
export interface OpenQueries {
  readonly streams: Set<QueryStream>;
  readonly pumps: Set<Promise<unknown>>;
}

const QUERY_SCHEMA = {
  body: {
    type: "object",
    properties: {
      ksql: { type: "string" },
      // ksqlDB's own /query example posts `sql`; both are taken.
      sql: { type: "string" },
      ...OVERRIDES_SCHEMA,
    },
  },
} as const;

// ksqlDB's own curl example for /query-stream posts `streamsProperties`, its clients `properties`; both are taken.
const QUERY_STREAM_SCHEMA = {
  body: { type: "object", required: ["sql"], properties: { sql: { type: "string" }, ...OVERRIDES_SCHEMA } },
} as const;

interface QueryRequest extends RequestOverrides {
  readonly ksql?: string;
  readonly sql?: string;
}

export function queryRoutes(app: FastifyInstance, service: SqlService, open: OpenQueries, logger: SqlApiLogger): void {
  /** Starts the query, then takes the response over from Fastify and streams until the rows end or the client leaves. */
  const stream = async (
    reply: FastifyReply,
    text: string,
    properties: Readonly<Record<string, unknown>>,
    framingOf: (query: QueryStream) => RowFraming,
  ): Promise<void> => {
    // Errors until here (a bad statement, an unknown source) are answered by the error handler with their status.
    const query = await service.query(text, properties);
    const raw = reply.raw;
    reply.hijack();
    if (raw.destroyed) {
      query.close();
      return;
    }
    const framing = framingOf(query);
    raw.writeHead(200, { "content-type": framing.contentType, "cache-control": "no-store" });
    open.streams.add(query);
    const pump = streamRows(query, framing, raw, (error, shaped) => {
      if (shaped.unexpected) logger.error(`SQL REST query ${query.queryId} failed while streaming`, error);
    });
    open.pumps.add(pump);
    try {
      await pump;
    } finally {
      open.streams.delete(query);
      open.pumps.delete(pump);
    }
  };

  app.post("/query", { schema: QUERY_SCHEMA }, async (request, reply) => {
    const body = request.body as QueryRequest;
    const text = body.ksql ?? body.sql;
    if (text === undefined) throw badRequest('The request names no statement: send {"ksql": "SELECT …;"}');
    const accept = request.headers.accept;
    await stream(reply, text, requestProperties(body), (query) =>
      query.kind === "print" ? printFraming : queryFraming(accept),
    );
  });

  app.post("/query-stream", { schema: QUERY_STREAM_SCHEMA }, async (request, reply) => {
    const body = request.body as QueryRequest;
    const framing = queryStreamFraming(request.headers.accept);
    await stream(reply, body.sql!, requestProperties(body), () => framing);
  });
}
