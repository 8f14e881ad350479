// GET /api/history: one tag's values over a time range, read back from Kafka and downsampled to a chart's width.
import type { FastifyInstance } from "fastify";
import type { ConnectService } from "../../connect/service.ts";
import type { KafkaConfig } from "../../kafka/index.ts";
import { ServerRequestError } from "../errors.ts";
import { readCatalog } from "../plant-catalog.ts";
import { readTagHistory } from "./read.ts";

const HOUR_MS = 60 * 60 * 1000;
const DEFAULT_POINTS = 2000;
const MAX_POINTS = 100_000;
const NAMES = ["connector", "source", "job", "tag"] as const;

type Query = Readonly<Record<string, string | string[] | undefined>>;

function bad(message: string): ServerRequestError {
  return new ServerRequestError("BAD_PARAMETER", message);
}

function text(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw bad(`${name}: given ${value.length} times; give it once`);
  return value;
}

function integer(query: Query, name: string, what: string, min: number, max: number): number | undefined {
  const given = text(query, name);
  if (given === undefined) return undefined;
  const value = /^-?\d{1,16}$/.test(given) ? Number(given) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw bad(`${name}: expected ${what}, found '${given}'`);
  }
  return value;
}

export interface HistoryParams {
  readonly connector: string;
  readonly source: string;
  readonly job: string;
  readonly tag: string;
  readonly from: number;
  readonly to: number;
  readonly points: number;
}

/** The request's parameters, defaults applied; a 400 naming the first bad one. */
export function historyParams(query: Query, now: number): HistoryParams {
  const names: Record<string, string> = {};
  for (const name of NAMES) {
    const value = text(query, name);
    if (value === undefined || value === "") throw bad(`${name}: required (the ${name} whose tag to read)`);
    names[name] = value;
  }
  const epoch = "milliseconds since the epoch";
  const to = integer(query, "to", epoch, 0, 8.64e15) ?? now;
  const from = integer(query, "from", epoch, 0, 8.64e15) ?? to - HOUR_MS;
  if (from > to) throw bad(`from: ${from} is after to (${to})`);
  const points = integer(query, "points", `a whole number in 2..${MAX_POINTS}`, 2, MAX_POINTS) ?? DEFAULT_POINTS;
  return {
    connector: names.connector!,
    source: names.source!,
    job: names.job!,
    tag: names.tag!,
    from,
    to,
    points,
  };
}

export interface HistoryRouteOptions {
  readonly service: ConnectService | undefined;
  readonly kafka: KafkaConfig;
  readonly now: () => number;
}

export function historyRoute(app: FastifyInstance, options: HistoryRouteOptions): void {
  app.get("/api/history", async (request, reply) => {
    const params = historyParams(request.query as Query, options.now());
    const { service } = options;
    if (service === undefined) {
      throw new ServerRequestError("NOT_FOUND", "No connect worker runs in this server: it knows no connectors");
    }
    const catalog = await readCatalog(service);
    const of = (what: string, name: string, where: string) =>
      new ServerRequestError("NOT_FOUND", `${what} ${name} not found${where}`);
    const inConnector = catalog.jobs.filter((ref) => ref.connector === params.connector);
    if (inConnector.length === 0) throw of("connector", params.connector, "");
    const inSource = inConnector.filter((ref) => ref.source === params.source);
    if (inSource.length === 0) throw of("source", params.source, ` in connector ${params.connector}`);
    const ref = inSource.find((r) => r.job.name === params.job);
    if (ref === undefined) throw of("job", params.job, ` of source ${params.source}`);
    if (!ref.job.tags.some((t) => t.alias === params.tag)) {
      throw of("tag", params.tag, ` in job ${params.job} of source ${params.source}`);
    }
    // The client leaving (the response closing before it was written) stops the read.
    const left = new AbortController();
    reply.raw.once("close", () => {
      if (!reply.raw.writableEnded) left.abort();
    });
    const result = await readTagHistory({
      kafka: options.kafka,
      ref,
      tag: params.tag,
      from: params.from,
      to: params.to,
      points: params.points,
      signal: left.signal,
    });
    return {
      connector: params.connector,
      source: params.source,
      job: params.job,
      tag: params.tag,
      from: params.from,
      to: params.to,
      records: result.records,
      downsampled: result.downsampled,
      points: result.points,
    };
  });
}
