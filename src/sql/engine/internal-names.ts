// The names of the engine's own topics and consumer groups, all derived from the service id its servers share.
import { topicNameProblem } from "../../kafka/index.ts";
import { EngineError } from "./errors.ts";

/**
 * A service id names every topic and group of one engine cluster (ksqlDB's `ksql.service.id`): servers with the same
 * id share the catalog and split the queries' partitions; another id is another, independent engine. It is good when
 * the engine's own topics it names are topic names (the processing log's being the longest).
 */
export function checkServiceId(serviceId: string): string {
  const problem =
    serviceId === ""
      ? "it is empty"
      : (topicNameProblem(commandTopic(serviceId)) ?? topicNameProblem(processingLogTopic(serviceId)));
  if (problem !== undefined) {
    throw new EngineError("SQL_KAFKA", `service id '${serviceId}' cannot be part of a topic name: ${problem}`);
  }
  return serviceId;
}

/** The catalog's history: one partition, kept forever. */
export function commandTopic(serviceId: string): string {
  return `_fabrik-sql-${serviceId}-commands`;
}

/** Records that queries set aside, readable as the stream KSQL_PROCESSING_LOG. */
export function processingLogTopic(serviceId: string): string {
  return `_fabrik-sql-${serviceId}-processing-log`;
}

/**
 * What the runtime puts before a query's internal topic names (its repartition and changelog topics): they start
 * with an underscore like every internal topic, so SHOW TOPICS leaves them out, and name the service and the query.
 */
export function internalTopicPrefix(serviceId: string): string {
  return `_fabrik-sql-${serviceId}-query-`;
}

/** The consumer group in which every server runs its share of one persistent query. */
export function queryGroupId(serviceId: string, queryId: string): string {
  return `_fabrik-sql-${serviceId}-query-${queryId}`;
}
