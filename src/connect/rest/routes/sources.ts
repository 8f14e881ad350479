// Fabrik's own resource: the live values of a source's tags, with their quality and the source's health.
import type { FastifyInstance } from "fastify";
import type { ConnectService } from "../../service.ts";
import { RestError } from "../errors.ts";
import { type NameParams, nameParams } from "./connectors.ts";

export function sourceRoutes(app: FastifyInstance, service: ConnectService): void {
  // Values may be bigint (64-bit PLC integers); the server's serializer writes them as exact JSON numbers.
  app.get<{ Params: NameParams }>("/sources/:name/tags", { schema: { params: nameParams } }, async (request) => {
    const live = await service.liveSource(request.params.name);
    if (live === undefined) throw new RestError("NOT_FOUND", `Source ${request.params.name} not found`);
    return live;
  });
}
