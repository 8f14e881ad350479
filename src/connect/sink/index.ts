// The connector's sinks: Kafka records written to PLC tags through an allow-list, with dead letters for the rest.
export { type AllowedTag, AllowList, dataTypeSpecOf } from "./allow-list.ts";
export {
  CONNECT_ERROR_HEADERS,
  type ConsumedRecord,
  type DeadLetterContext,
  type DeadLetterRecord,
  deadLetterRecord,
  ERROR_CODE_HEADER,
  ERROR_TAGS_HEADER,
} from "./dead-letter.ts";
export {
  BadRecordError,
  type DeadLetterReason,
  ExpiredRecordError,
  NotAllowedError,
  SinkError,
  type TagCodes,
  WriteFailedError,
} from "./errors.ts";
export type { RecordShape } from "./record-shapes.ts";
export { type SinkOutcome, SinkRunner, type SinkRunnerOptions, type SinkStatus } from "./sink-runner.ts";
export { type PlanResult, planRecord, type RecordBytes, type WritePlan } from "./write-plan.ts";
