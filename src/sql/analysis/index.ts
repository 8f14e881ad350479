// The semantic layer between the parser and the runtime: statements and the catalog in, sources and plans out.

export type {
  CatalogColumn,
  CatalogView,
  ColumnRole,
  QueryDescription,
  QueryState,
  SourceDefaults,
  SourceDescription,
  SourceKind,
  TopicInfo,
  WindowInfo,
} from "./catalog.ts";
export { type CreatedSource, type CreateSourceStatement, describeCreateSource } from "./describe-source.ts";
export { SqlAnalysisError, type SqlAnalysisErrorCode } from "./errors.ts";
export { type InsertValuesPlan, type InsertValuesStatement, planInsertValues } from "./insert-values.ts";
export { type PlannedQuery, planQuery, type QueryTarget } from "./plan-query.ts";
export { planPullQuery } from "./pull-query.ts";
export type { CreateAsSelectStatement, InsertIntoStatement } from "./sinks.ts";
export { DEFAULT_GRACE_MS, DEFAULT_MIN_RETENTION_MS } from "./windows.ts";
