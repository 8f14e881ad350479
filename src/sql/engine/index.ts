// The SQL engine's public surface: startSqlEngine, the SqlService it implements, and ksqlDB's response entities.
export { type SqlEngine, type SqlEngineOptions, startSqlEngine } from "./engine.ts";
export type * from "./entities.ts";
export { KsqlRequestError } from "./entities.ts";
export { EngineError, type EngineErrorCode } from "./errors.ts";
export { commandTopic, internalTopicPrefix, processingLogTopic, queryGroupId } from "./internal-names.ts";
export { PROCESSING_LOG_STREAM } from "./processing-log.ts";
export { SqlStatementError, type SqlStatementErrorCode } from "./statements/errors.ts";
export type { EngineLog } from "./statements/query-tasks.ts";
