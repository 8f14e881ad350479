// DESCRIBE [EXTENDED] and DESCRIBE STREAMS|TABLES, and the short listings of SHOW STREAMS|TABLES.
import type { SourceDescription } from "../../analysis/catalog.ts";
import type { KsqlEntity, SourceDescriptionInfo, SourceInfo } from "../entities.ts";
import type { Metastore } from "../metastore.ts";
import { failureLines, runningQuery } from "./query-info.ts";
import type { QueryTasks } from "./query-tasks.ts";
import { fieldsOf } from "./schema-info.ts";

export function sourceInfo(source: SourceDescription): SourceInfo {
  return {
    type: source.kind,
    name: source.name,
    topic: source.topic,
    keyFormat: source.keyFormat,
    valueFormat: source.valueFormat,
    isWindowed: source.window !== undefined,
  };
}

/**
 * ksqlDB's source description. Fabrik keeps no runtime statistics yet: `statistics` is empty, and `errorStats` says
 * which of the queries reading or writing the source are in ERROR and why (the extended form only).
 */
export function sourceDescriptionInfo(
  source: SourceDescription,
  extended: boolean,
  catalog: Metastore,
  tasks: QueryTasks,
): SourceDescriptionInfo {
  const readers = catalog.readers(source.name);
  const writers = catalog.writers(source.name);
  return {
    name: source.name,
    windowType: source.window?.kind ?? null,
    readQueries: readers.map((q) => runningQuery(q, catalog, tasks)),
    writeQueries: writers.map((q) => runningQuery(q, catalog, tasks)),
    fields: fieldsOf(source.columns),
    type: source.kind,
    timestamp: source.timestamp?.column ?? "",
    statistics: "",
    errorStats: extended ? failureLines([...readers, ...writers], tasks).join("\n") : "",
    extended,
    keyFormat: source.keyFormat,
    valueFormat: source.valueFormat,
    topic: source.topic,
    partitions: source.partitions,
    replication: source.replicas,
    statement: source.sql,
    queryOffsetSummaries: [],
    // The streams and tables made from this one, which keep it from being dropped.
    sourceConstraints: [...new Set(readers.filter((q) => q.kind !== "CST" && q.kind !== "INSERT").map((q) => q.sink))],
  };
}

export function describeSource(
  statementText: string,
  source: SourceDescription,
  extended: boolean,
  catalog: Metastore,
  tasks: QueryTasks,
): KsqlEntity {
  return {
    "@type": "sourceDescription",
    statementText,
    warnings: [],
    sourceDescription: sourceDescriptionInfo(source, extended, catalog, tasks),
  };
}

/** DESCRIBE STREAMS|TABLES [EXTENDED], and SHOW STREAMS|TABLES EXTENDED. */
export function describeSources(
  statementText: string,
  kind: "STREAM" | "TABLE",
  extended: boolean,
  catalog: Metastore,
  tasks: QueryTasks,
): KsqlEntity {
  return {
    "@type": "source_descriptions",
    statementText,
    warnings: [],
    sourceDescriptions: catalog
      .sources()
      .filter((s) => s.kind === kind)
      .map((s) => sourceDescriptionInfo(s, extended, catalog, tasks)),
  };
}
