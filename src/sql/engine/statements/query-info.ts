// Persistent queries as listings show them: ksqlDB's RunningQuery, the state this server sees, why a query failed.
import type { RunningQuery, Warning } from "../entities.ts";
import type { Metastore, PersistentQuery } from "../metastore.ts";
import type { QueryTasks } from "./query-tasks.ts";

/**
 * Kafka Streams' state of the query on this server (RUNNING, REBALANCING, ERROR …), as ksqlDB shows it;
 * NOT_RUNNING when this server does not run it (it failed to start, or the engine is closing).
 */
export function queryState(tasks: QueryTasks, id: string): string {
  return tasks.status(id)?.state ?? "NOT_RUNNING";
}

export function runningQuery(query: PersistentQuery, catalog: Metastore, tasks: QueryTasks): RunningQuery {
  const state = queryState(tasks, query.id);
  // A source table's query keeps rows for pull queries and writes no topic.
  const sink = query.kind === "CST" ? undefined : catalog.source(query.sink);
  return {
    queryString: query.sql,
    sinks: query.kind === "CST" ? [] : [query.sink],
    sinkKafkaTopics: sink ? [sink.topic] : [],
    id: query.id,
    statusCount: { [state]: 1 },
    queryType: "PERSISTENT",
    state,
  };
}

/** Why a query is in ERROR, one line each, for the warnings of SHOW QUERIES, DESCRIBE and EXPLAIN. */
export function failureLines(queries: readonly PersistentQuery[], tasks: QueryTasks): string[] {
  return queries.flatMap((query) => {
    const status = tasks.status(query.id);
    if (status?.state !== "ERROR" || status.error === undefined) return [];
    return [`Query ${query.id} is in ERROR: ${status.error.message} (${status.error.code})`];
  });
}

export function failureWarnings(queries: readonly PersistentQuery[], tasks: QueryTasks): Warning[] {
  return failureLines(queries, tasks).map((message) => ({ message }));
}
