// The persistent queries this server runs: a pipeline and a query task each, started and stopped by the applier.
import { createAdmin, type KafkaConfig } from "../../../kafka/index.ts";
import { createPipeline } from "../../runtime/create-pipeline.ts";
import type { MaterializedView, Pipeline } from "../../runtime/pipeline.ts";
import type { OffsetReset } from "../fetcher.ts";
import { internalTopicPrefix, queryGroupId } from "../internal-names.ts";
import type { PersistentQuery } from "../metastore.ts";
import { QueryTask, type QueryTaskStatus } from "../query-task.ts";
import { deleteTopic } from "../topics.ts";
import type { EngineProperties } from "./properties.ts";

export interface EngineLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface QueryTasksOptions {
  readonly kafka: KafkaConfig;
  readonly serviceId: string;
  readonly serverId: string;
  readonly properties: EngineProperties;
  readonly log: EngineLog;
}

interface Running {
  readonly task: QueryTask;
  readonly pipeline: Pipeline;
}

/**
 * Every server runs every persistent query as a member of the query's consumer group, so the servers of a service
 * split each query's partitions; a task survives failures on its own (ERROR, then retries), so `start` never fails.
 */
export class QueryTasks {
  readonly #o: QueryTasksOptions;
  readonly #running = new Map<string, Running>();

  constructor(options: QueryTasksOptions) {
    this.#o = options;
  }

  get internalTopicPrefix(): string {
    return internalTopicPrefix(this.#o.serviceId);
  }

  /** Starts `query` unless it runs already. */
  start(query: PersistentQuery): void {
    if (this.#running.has(query.id)) return;
    const o = this.#o;
    const pipeline = createPipeline(query.plan, {
      queryId: query.id,
      internalTopicPrefix: this.internalTopicPrefix,
      // Kafka Streams' switch for its record cache, which ksqlDB's tests set to 0 to see every update.
      coalesce: o.properties.get("cache.max.bytes.buffering", query.properties) !== "0",
    });
    const timing = (name: string) => o.properties.number(name);
    const sessionTimeoutMs = timing("session.timeout.ms");
    const heartbeatIntervalMs = timing("heartbeat.interval.ms");
    const retryMs = timing("retry.backoff.ms");
    const commitIntervalMs = Number(o.properties.get("commit.interval.ms", query.properties));
    const cacheMaxBytes = Number(o.properties.get("cache.max.bytes.buffering", query.properties));
    // A source table's query always reads its table from the start: its rows are the whole table.
    const offsetReset: OffsetReset = query.kind === "CST" ? "earliest" : o.properties.offsetReset(query.properties);
    const task = QueryTask.start({
      kafka: o.kafka,
      serviceId: o.serviceId,
      queryId: query.id,
      pipeline,
      offsetReset,
      serverId: o.serverId,
      commitIntervalMs,
      cacheMaxBytes,
      ...(sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs }),
      ...(heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs }),
      ...(retryMs === undefined ? {} : { retryMs }),
    });
    let last: QueryTaskStatus["state"] | undefined;
    task.on("state", (status) => {
      if (status.state === last) return;
      last = status.state;
      if (status.state === "ERROR") o.log.warn(`query ${query.id} failed: ${status.error?.message ?? "unknown"}`);
    });
    this.#running.set(query.id, { task, pipeline });
    o.log.info(`query ${query.id} started (new partitions from the ${offsetReset === "earliest" ? "start" : "end"})`);
  }

  status(id: string): QueryTaskStatus | undefined {
    return this.#running.get(id)?.task.status();
  }

  /** The rows of a table the query keeps, for pull queries: only the partitions this server owns. */
  materialized(id: string): MaterializedView | undefined {
    return this.#running.get(id)?.pipeline.materialized;
  }

  /** Stops the query here; its group, offsets and internal topics stay (a replaced query carries on from them). */
  async stop(id: string): Promise<void> {
    const running = this.#running.get(id);
    if (!running) return;
    this.#running.delete(id);
    await running.task.stop();
  }

  /**
   * Stops the query and deletes what only it used: its internal topics and its consumer group. Every server tries;
   * the group goes once the last server has left it, and a topic already gone is no error.
   */
  async terminate(query: PersistentQuery): Promise<void> {
    await this.stop(query.id);
    const pipeline = createPipeline(query.plan, { queryId: query.id, internalTopicPrefix: this.internalTopicPrefix });
    const internal = pipeline.topics.filter((t) => t.role === "repartition" || t.role === "changelog");
    for (const topic of internal) {
      await deleteTopic(this.#o.kafka, topic.name).catch((error: Error) =>
        this.#o.log.warn(`query ${query.id}: could not delete ${topic.name}: ${error.message}`),
      );
    }
    const admin = createAdmin(this.#o.kafka, { clientId: `fabrik-sql-${this.#o.serviceId}-terminate` });
    try {
      const group = queryGroupId(this.#o.serviceId, query.id);
      if ((await admin.listGroups()).has(group)) await admin.deleteGroups({ groups: [group] });
    } catch {
      // Another server still in the group: it deletes the group when it leaves.
    } finally {
      await admin.close().catch(() => {});
    }
    this.#o.log.info(`query ${query.id} terminated`);
  }

  /** Stops every query this server runs: each commits what it processed and leaves its group. */
  async close(): Promise<void> {
    const ids = [...this.#running.keys()];
    await Promise.allSettled(ids.map((id) => this.stop(id)));
  }
}
