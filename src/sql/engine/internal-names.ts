// The names of the engine's own topics and consumer groups, all derived from the service id its servers share.
import { EngineError } from "./errors.ts";

/** Kafka's rule for topic names (legal characters and length), which every name below must pass. */
const LEGAL = /^[a-zA-Z0-9._-]+$/;
const MAX_TOPIC_LENGTH = 249;

/**
 * A service id names every topic and group of one engine cluster (ksqlDB's `ksql.service.id`): servers with the same
 * id share the catalog and split the queries' partitions; another id is another, independent engine.
 */
export function checkServiceId(serviceId: string): string {
  if (!LEGAL.test(serviceId) || commandTopic(serviceId).length > MAX_TOPIC_LENGTH) {
    throw new EngineError(
      "SQL_KAFKA",
      `service id '${serviceId}' cannot be part of a topic name: use letters, digits, '.', '_' and '-' only`,
    );
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
