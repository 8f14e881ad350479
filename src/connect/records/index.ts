// The connector's record formats (PLC4X-compatible job records, per-tag records), their JSON, and report-by-exception.
export {
  JsonDecodeError,
  JsonEncodeError,
  RecordError,
  type RecordErrorCode,
  ReportByExceptionError,
} from "./errors.ts";
export { JobFormatter, type TopicRecord } from "./job-formatter.ts";
export { JobRecordWriter, jobKey, jobRecord, sampleTime } from "./job-record.ts";
export { decodeJson, encodeJson, type JsonObject, type JsonValue } from "./json.ts";
export type { KafkaRecordDraft, RecordSample } from "./record.ts";
export { ChangeFilter, readingChanged } from "./report-by-exception.ts";
export { DEFAULT_TAG_KEY, type TagRecordDraft, tagRecords } from "./tag-record.ts";
export { type NonFinite, type NonFiniteMark, plcValueToJson, type ValueJson } from "./value-json.ts";
