// Fabrik's own resource: the live values of a source's tags, with their quality and the source's health.
import type { FastifyInstance } from "fastify";
import { plcValueToJson } from "../../records/index.ts";
import type { ConnectService, LiveTag } from "../../service.ts";
import { RestError } from "../errors.ts";
import { type NameParams, nameParams } from "./connectors.ts";

/** A tag's value as records carry it (64-bit integers exact, durations as numbers, NaN as null plus `nonFinite`). */
function tagJson(tag: LiveTag) {
  if (tag.value === null) return tag;
  const { json, nonFinite } = plcValueToJson(tag.value);
  return { ...tag, value: json, ...(nonFinite === undefined ? {} : { nonFinite }) };
}

export function sourceRoutes(app: FastifyInstance, service: ConnectService): void {
  app.get<{ Params: NameParams }>("/sources/:name/tags", { schema: { params: nameParams } }, async (request) => {
    const live = await service.liveSource(request.params.name);
    if (live === undefined) throw new RestError("NOT_FOUND", `Source ${request.params.name} not found`);
    if ("forwarded" in live) return live.forwarded;
    return { ...live, tags: live.tags.map(tagJson) };
  });
}
