// A transient SELECT … EMIT CHANGES: the query's pipeline over every partition of its topics, rows to one client.
import type { KafkaConfig } from "../../../kafka/index.ts";
import type { QueryPlan } from "../../plan/plan.ts";
import { createPipeline } from "../../runtime/create-pipeline.ts";
import type { ProcessingLogEntry } from "../../runtime/pipeline.ts";
import { KsqlRequestError, type QueryStream } from "../entities.ts";
import type { OffsetReset } from "../fetcher.ts";
import { openTransientReader } from "../transient-reader.ts";
import { relayRows } from "./relay.ts";
import { resultShape } from "./result-shape.ts";

export interface PushQueryOptions {
  readonly kafka: KafkaConfig;
  /** Planned for the client (planQuery with target `client`). */
  readonly plan: QueryPlan;
  readonly queryId: string;
  readonly internalTopicPrefix: string;
  /**
   * The request's and the session's properties: `auto.offset.reset` (or `ksql.streams.auto.offset.reset`) `earliest`
   * reads the streams from their start, `latest` (the default) from their end; `cache.max.bytes.buffering` (or
   * `ksql.streams.cache.max.bytes.buffering`) 0 shows every update of a table result instead of the last per batch.
   */
  readonly properties: Readonly<Record<string, unknown>>;
  /** Called once when the stream ends for any reason (LIMIT, close, failure); not when the start fails. */
  readonly onEnd?: () => void;
  /**
   * Records the query set aside (undecodable, failing expressions, late): for the processing log. Awaited before the
   * query reads on; a rejection ends the query with that error.
   */
  readonly onErrors?: (entries: readonly ProcessingLogEntry[]) => void | Promise<void>;
}

/**
 * Checks the topics and positions the query (rejecting with EngineError SQL_TOPIC_MISSING when a topic is missing, or
 * KsqlRequestError for a property it cannot take), then answers the stream: columns in SELECT order, one row per
 * result. A table result's deletions (tombstones) are left out, as on ksqlDB's v1 endpoints, and do not count toward
 * LIMIT.
 */
export async function startPushQuery(options: PushQueryOptions): Promise<QueryStream> {
  const { plan, queryId } = options;
  const offsetReset = offsetResetOf(options.properties);
  // LIMIT is counted here, on the rows the client sees, not by the pipeline, which would count the tombstones too.
  const { limit, ...unlimited } = plan;
  const pipeline = createPipeline(unlimited, {
    queryId,
    internalTopicPrefix: options.internalTopicPrefix,
    inMemoryRepartition: true,
    changelog: false,
    coalesce: !cacheDisabled(options.properties),
  });
  const shape = resultShape(plan.project);
  const reader = await openTransientReader({
    kafka: options.kafka,
    queryId,
    pipeline,
    offsetReset,
    ...(options.onErrors ? { onErrors: options.onErrors } : {}),
  });
  const relay = relayRows({
    queryId,
    source: reader.rows,
    release: () => reader.close(),
    toRow: (row) => (row.value === null ? undefined : shape.row(row.key, row.value)),
    ...(limit === undefined ? {} : { limit }),
    ...(options.onEnd ? { onEnd: options.onEnd } : {}),
  });
  return { queryId, kind: "push", columns: shape.columns, ...relay };
}

function property(properties: Readonly<Record<string, unknown>>, name: string): unknown {
  return properties[name] ?? properties[`ksql.streams.${name}`];
}

function offsetResetOf(properties: Readonly<Record<string, unknown>>): OffsetReset {
  const value = property(properties, "auto.offset.reset");
  if (value === undefined || value === null) return "latest";
  const text = String(value).trim().toLowerCase();
  if (text === "earliest" || text === "latest") return text;
  throw new KsqlRequestError(400, {
    "@type": "generic_error",
    error_code: 40000,
    message: `auto.offset.reset must be 'earliest' or 'latest', not '${String(value)}'`,
  });
}

/** ksqlDB's way to see every update: no record cache. */
function cacheDisabled(properties: Readonly<Record<string, unknown>>): boolean {
  const value = property(properties, "cache.max.bytes.buffering");
  if (typeof value === "number") return value === 0;
  return typeof value === "string" && value.trim() !== "" && Number(value) === 0;
}
