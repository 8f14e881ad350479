// The query runtime's public surface: createPipeline and the Pipeline contract the engine drives.

export { createPipeline, internalTopicNames } from "./create-pipeline.ts";
export { type RecordFaultCode, SqlRuntimeError, type SqlRuntimeErrorCode } from "./errors.ts";
export type {
  InputRecord,
  MaterializedView,
  OutputRecord,
  Pipeline,
  PipelineOptions,
  PipelineOutput,
  PipelineTopic,
  PipelineTopicRole,
  ProcessingLogEntry,
  ResultRow,
} from "./pipeline.ts";
export { decodeWindowedKey, encodeWindowedKey, type WindowBounds, type WindowKind } from "./windowed-key.ts";
