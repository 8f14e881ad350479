// A transient SELECT … EMIT CHANGES: the query's pipeline over every partition of its topics, rows to one client.
import type { KafkaConfig } from "../../../kafka/index.ts";
import type { QueryPlan } from "../../plan/plan.ts";
import { createPipeline } from "../../runtime/create-pipeline.ts";
import type { ProcessingLogEntry } from "../../runtime/pipeline.ts";
import type { QueryStream } from "../entities.ts";
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
  /** Where the streams start: `latest` (ksqlDB's default) reads from their end, `earliest` from their start. */
  readonly offsetReset?: OffsetReset;
  /**
   * Whether a table result's updates are coalesced per batch (the default), or every update is shown (false:
   * ksqlDB's `cache.max.bytes.buffering` 0).
   */
  readonly coalesce?: boolean;
  /** Called once when the stream ends for any reason (LIMIT, close, failure); not when the start fails. */
  readonly onEnd?: () => void;
  /**
   * Records the query set aside (undecodable, failing expressions, late): for the processing log. Awaited before the
   * query reads on; a rejection ends the query with that error.
   */
  readonly onErrors?: (entries: readonly ProcessingLogEntry[]) => void | Promise<void>;
}

/**
 * Checks the topics and positions the query (rejecting with EngineError SQL_TOPIC_MISSING when a topic is missing),
 * then answers the stream: columns in SELECT order, one row per
 * result. A table result's deletions (tombstones) are left out, as on ksqlDB's v1 endpoints, and do not count toward
 * LIMIT.
 */
export async function startPushQuery(options: PushQueryOptions): Promise<QueryStream> {
  const { plan, queryId } = options;
  // LIMIT is counted here, on the rows the client sees, not by the pipeline, which would count the tombstones too.
  const { limit, ...unlimited } = plan;
  const pipeline = createPipeline(unlimited, {
    queryId,
    internalTopicPrefix: options.internalTopicPrefix,
    inMemoryRepartition: true,
    changelog: false,
    coalesce: options.coalesce ?? true,
  });
  const shape = resultShape(plan.project);
  const reader = await openTransientReader({
    kafka: options.kafka,
    queryId,
    pipeline,
    offsetReset: options.offsetReset ?? "latest",
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
