// Connect's connector resources: list (with expand), create, read, configure and delete connectors.
import type { FastifyInstance } from "fastify";
import type { ConnectorInfo, ConnectorStatus, ConnectService, RawConnectorConfig } from "../../service.ts";
import { RestError } from "../errors.ts";

export interface NameParams {
  readonly name: string;
}

export const nameParams = {
  type: "object",
  required: ["name"],
  properties: { name: { type: "string", minLength: 1 } },
} as const;

/** Any JSON object: Connect's flat string map, or Fabrik's nested document with numbers, booleans and lists. */
const configSchema = { type: "object" } as const;

export function connectorNotFound(name: string): RestError {
  return new RestError("NOT_FOUND", `Connector ${name} not found`);
}

/** Connect trims names and refuses empty ones and control characters (they break URLs, logs and topic names). */
function checkedName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0) throw new RestError("BAD_REQUEST", "Connector name is empty: give a non-empty `name`");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
    throw new RestError("BAD_REQUEST", `Connector name ${JSON.stringify(name)} contains control characters`);
  }
  return name;
}

/** A `name` inside the configuration must agree with the one in the request, as Connect insists. */
function checkConfigName(name: string, config: RawConnectorConfig, where: "request body" | "URL"): void {
  const included = config.name;
  if (included === undefined || included === null) return;
  if (String(included) !== name) {
    throw new RestError(
      "BAD_REQUEST",
      `Connector name configuration (${String(included)}) doesn't match connector name in the ${where} (${name})`,
    );
  }
}

interface Expanded {
  status?: ConnectorStatus;
  info?: ConnectorInfo;
}

async function expandAll(service: ConnectService, expansions: readonly string[]): Promise<Record<string, Expanded>> {
  const wantStatus = expansions.includes("status");
  const wantInfo = expansions.includes("info");
  const out: Record<string, Expanded> = {};
  for (const name of await service.connectorNames()) {
    const [status, info] = await Promise.all([
      wantStatus ? service.status(name) : undefined,
      wantInfo ? service.connector(name) : undefined,
    ]);
    // A connector deleted while the list was being expanded is left out, as Connect does.
    if ((wantStatus && status === undefined) || (wantInfo && info === undefined)) continue;
    const entry: Expanded = {};
    if (status !== undefined) entry.status = status;
    if (info !== undefined) entry.info = info;
    out[name] = entry;
  }
  return out;
}

export function connectorRoutes(app: FastifyInstance, service: ConnectService): void {
  app.get<{ Querystring: { expand?: string[] } }>(
    "/connectors",
    {
      schema: {
        querystring: { type: "object", properties: { expand: { type: "array", items: { type: "string" } } } },
      },
    },
    async (request) => {
      const expand = request.query.expand;
      if (expand === undefined) return service.connectorNames();
      return expandAll(service, expand);
    },
  );

  app.post<{ Body: { name: string; config: RawConnectorConfig } }>(
    "/connectors",
    {
      schema: {
        body: {
          type: "object",
          required: ["name", "config"],
          properties: { name: { type: "string" }, config: configSchema },
        },
      },
    },
    async (request, reply) => {
      const name = checkedName(request.body.name);
      const config = request.body.config;
      checkConfigName(name, config, "request body");
      const info = await service.create(name, config);
      return reply
        .code(201)
        .header("location", `/connectors/${encodeURIComponent(name)}`)
        .send(info);
    },
  );

  app.get<{ Params: NameParams }>("/connectors/:name", { schema: { params: nameParams } }, async (request) => {
    const info = await service.connector(request.params.name);
    if (info === undefined) throw connectorNotFound(request.params.name);
    return info;
  });

  app.get<{ Params: NameParams }>("/connectors/:name/config", { schema: { params: nameParams } }, async (request) => {
    const info = await service.connector(request.params.name);
    if (info === undefined) throw connectorNotFound(request.params.name);
    return info.config;
  });

  app.put<{ Params: NameParams; Body: RawConnectorConfig }>(
    "/connectors/:name/config",
    { schema: { params: nameParams, body: configSchema } },
    async (request, reply) => {
      const name = checkedName(request.params.name);
      checkConfigName(name, request.body, "URL");
      const { created, info } = await service.putConfig(name, request.body);
      if (created) reply.code(201).header("location", `/connectors/${encodeURIComponent(name)}`);
      return reply.send(info);
    },
  );

  app.delete<{ Params: NameParams }>(
    "/connectors/:name",
    { schema: { params: nameParams } },
    async (request, reply) => {
      await service.delete(request.params.name);
      return reply.code(204).send();
    },
  );
}
