// The dead letter of a record a sink did not write: the record as it was, with Kafka Connect's and Fabrik's error headers.
import { BadRecordError, type SinkError } from "./errors.ts";

/** Kafka Connect's dead letter queue context headers (`errors.deadletterqueue.context.headers.enable`), same names. */
export const CONNECT_ERROR_HEADERS = {
  topic: "__connect.errors.topic",
  partition: "__connect.errors.partition",
  offset: "__connect.errors.offset",
  connectorName: "__connect.errors.connector.name",
  taskId: "__connect.errors.task.id",
  stage: "__connect.errors.stage",
  className: "__connect.errors.class.name",
  exceptionClassName: "__connect.errors.exception.class.name",
  exceptionMessage: "__connect.errors.exception.message",
} as const;

/** The reason, one of DeadLetterReason: NOT_ALLOWED, EXPIRED, BAD_RECORD, WRITE_FAILED. */
export const ERROR_CODE_HEADER = "fabrik.error.code";
/** JSON object alias → code for the tags to blame (`{"speed":"TIMEOUT","mode":"OK"}`); absent when none are. */
export const ERROR_TAGS_HEADER = "fabrik.error.tags";

/** What Kafka Connect names as the class that failed, so that DLQ tooling shows where the record stopped. */
const EXECUTING_CLASS = "fabrik.connect.sink.SinkRunner";
/** Enough for every tag of a large record; a header is not the place for more. */
const MAX_MESSAGE_CHARS = 8192;

/** A record as the sink consumed it. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: Buffer | null | undefined;
  readonly value: Buffer | null | undefined;
  /** Kafka's record timestamp; negative when the record has none. */
  readonly timestamp: bigint;
  readonly headers: ReadonlyMap<Buffer, Buffer>;
}

/** A record for the dead letter topic. */
export interface DeadLetterRecord {
  readonly topic: string;
  readonly key: Buffer | undefined;
  readonly value: Buffer | undefined;
  readonly timestamp: bigint | undefined;
  readonly headers: Map<Buffer, Buffer>;
}

export interface DeadLetterContext {
  /** The dead letter topic. */
  readonly topic: string;
  readonly connector: string;
  readonly taskId: number;
}

/**
 * The original key, value, timestamp and headers unchanged, plus the context headers. An original header with the
 * name of one of these is replaced (a record dead-lettered twice carries its latest reason).
 */
export function deadLetterRecord(
  record: ConsumedRecord,
  error: SinkError,
  context: DeadLetterContext,
): DeadLetterRecord {
  const added: [string, string][] = [
    [CONNECT_ERROR_HEADERS.topic, record.topic],
    [CONNECT_ERROR_HEADERS.partition, String(record.partition)],
    [CONNECT_ERROR_HEADERS.offset, String(record.offset)],
    [CONNECT_ERROR_HEADERS.connectorName, context.connector],
    [CONNECT_ERROR_HEADERS.taskId, String(context.taskId)],
    [CONNECT_ERROR_HEADERS.stage, stageOf(error)],
    [CONNECT_ERROR_HEADERS.className, EXECUTING_CLASS],
    [CONNECT_ERROR_HEADERS.exceptionClassName, error.name],
    [CONNECT_ERROR_HEADERS.exceptionMessage, clip(error.message)],
    [ERROR_CODE_HEADER, error.code],
  ];
  if (error.tags !== undefined) added.push([ERROR_TAGS_HEADER, JSON.stringify(error.tags)]);
  const names = new Set(added.map(([name]) => name));
  const headers = new Map<Buffer, Buffer>();
  for (const [name, value] of record.headers) if (!names.has(name.toString("utf8"))) headers.set(name, value);
  for (const [name, value] of added) headers.set(Buffer.from(name), Buffer.from(value));
  return {
    topic: context.topic,
    key: record.key ?? undefined,
    value: record.value ?? undefined,
    timestamp: record.timestamp >= 0n ? record.timestamp : undefined,
    headers,
  };
}

/** Kafka Connect's stage names: a record that did not decode failed in the converter, any other in the task's put. */
function stageOf(error: SinkError): string {
  return error instanceof BadRecordError && error.stage === "value" ? "VALUE_CONVERTER" : "TASK_PUT";
}

function clip(message: string): string {
  return message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
}
