// POST /api/write: the UI sets one tag, allowed only where a sink of the connector allow-lists it for the same device.
// The server never reaches the PLC: it produces one job record to the sink's topic, and the sink writes it.
import type { FastifyInstance } from "fastify";
import type { ConnectService } from "../../connect/service.ts";
import { AllowList, planRecord } from "../../connect/sink/index.ts";
import { explainKafkaError } from "../../kafka/index.ts";
import { drivers } from "../../plc/index.ts";
import { identityOf, userOf } from "../auth.ts";
import { ServerRequestError } from "../errors.ts";
import { readCatalog } from "../plant-catalog.ts";
import { type WritableTag, writableKey } from "../writable-tags.ts";
import type { WritePublisher } from "./publisher.ts";

/** How long a write stays worth applying: a sink that is behind (or starts later) drops it as EXPIRED after this. */
export const WRITE_EXPIRES_MS = 30_000;

/** The body of POST /api/write. */
export interface WriteRequest {
  readonly connector: string;
  readonly source: string;
  readonly tag: string;
  readonly value: unknown;
}

/** The 202 answer: where the record went. */
export interface WriteReceipt {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface WriteRouteOptions {
  /** Without a connect worker nothing is writable. */
  readonly service: ConnectService | undefined;
  readonly publisher: WritePublisher;
  /** Hears one line per write made, and one per write Kafka refused. */
  readonly info: (line: string) => void;
  readonly error: (line: string) => void;
  readonly now: () => number;
}

const NAME = { type: "string", minLength: 1, maxLength: 255 } as const;
const BODY_SCHEMA = {
  type: "object",
  required: ["connector", "source", "tag", "value"],
  properties: { connector: NAME, source: NAME, tag: NAME, value: {} },
} as const;

/** What is wrong with the JSON kind of a value, if anything: a tag takes a number, a boolean or a string. */
function kindProblem(value: unknown): string | undefined {
  if (typeof value === "boolean" || typeof value === "string") return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? undefined : "value: expected a finite number";
  const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a JSON ${typeof value}`;
  return `value: expected a number, a boolean or a string, got ${kind}`;
}

/**
 * The record the sink will read, checked here the way the sink checks it (its allow-list, the tag's type from the
 * driver's address grammar): a value it would dead-letter as BAD_RECORD is refused now, where the person sees why.
 */
function writeRecord(writable: WritableTag, value: unknown, now: number): { key: string; value: string } {
  const key = `${writable.source}/${writable.alias}`;
  const text = JSON.stringify({ tags: { [writable.alias]: value }, expires: now + WRITE_EXPIRES_MS });
  const allowList = AllowList.of(writable.sink.tags, drivers.check(writable.sink.url).driver);
  const planned = planRecord({ key: Buffer.from(key, "utf8"), value: Buffer.from(text, "utf8") }, allowList, now);
  if (!planned.ok) {
    // The sink's message names the record's field (`tags.speed: …`); here the tag is named already.
    const field = `tags.${writable.alias}: `;
    const message = planned.error.message;
    const why = message.startsWith(field) ? message.slice(field.length) : message;
    throw new ServerRequestError(
      "BAD_PARAMETER",
      `value ${JSON.stringify(value)} does not fit ${writable.alias} (${writable.address}): ${why}`,
    );
  }
  return { key, value: text };
}

export function writeRoute(app: FastifyInstance, options: WriteRouteOptions): void {
  app.post("/api/write", { schema: { body: BODY_SCHEMA } }, async (request, reply) => {
    const body = request.body as WriteRequest;
    const name = `${body.connector}/${body.source}/${body.tag}`;
    if (options.service === undefined) {
      throw new ServerRequestError("NOT_FOUND", `No connect worker runs in this server: ${name} is not writable`);
    }
    const catalog = await readCatalog(options.service);
    const writable = catalog.writable.get(writableKey(body.connector, body.source, body.tag));
    if (writable === undefined) {
      throw new ServerRequestError(
        "NOT_FOUND",
        `${name} is not writable: no sink of connector ${body.connector} allow-lists that tag for that device`,
      );
    }
    const problem = kindProblem(body.value);
    if (problem !== undefined) throw new ServerRequestError("BAD_PARAMETER", problem);
    const now = options.now();
    const record = writeRecord(writable, body.value, now);
    const user = userOf(identityOf(request)) ?? "operator";
    const what = `${name} = ${JSON.stringify(body.value)} via sink ${writable.sink.name}`;
    let published: { partition: number; offset: bigint };
    try {
      published = await options.publisher.publish({ topic: writable.topic, ...record, timestamp: now });
    } catch (error) {
      options.error(`write: ${user} could not set ${what}: ${explainKafkaError(error)}`);
      throw new ServerRequestError(
        "UNAVAILABLE",
        `Kafka did not take the write to ${writable.topic}: ${explainKafkaError(error)}`,
      );
    }
    options.info(
      `write: ${user} set ${what} (topic ${writable.topic}, partition ${published.partition}, offset ${published.offset})`,
    );
    const receipt: WriteReceipt = {
      topic: writable.topic,
      partition: published.partition,
      offset: Number(published.offset),
    };
    return reply.code(202).send(receipt);
  });
}
