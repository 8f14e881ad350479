// The processing log: records a query set aside, written as JSON to a topic that SQL reads as KSQL_PROCESSING_LOG.
import { ensureTopics, type KafkaConfig } from "../../kafka/index.ts";
import type { OutputRecord, ProcessingLogEntry } from "../runtime/pipeline.ts";
import { processingLogTopic } from "./internal-names.ts";
import { type ByteProducer, createRecordProducer, produceAll } from "./record-producer.ts";

/** ksqlDB's name for the stream over the processing log, so that its users find it where they expect it. */
export const PROCESSING_LOG_STREAM = "KSQL_PROCESSING_LOG";

export type ProcessingLogLevel = "ERROR" | "WARN";

/**
 * One record's value, as JSON. Field names are the stream's column names, so the JSON format matches them exactly:
 *
 *   LOGGER     `processing.<query id>`, as ksqlDB names its processing loggers
 *   LEVEL      ERROR for a record that could not be read or evaluated; WARN for a late record (it was valid)
 *   TIME       when the query set the record aside, milliseconds since the epoch (also the Kafka timestamp)
 *   QUERY_ID   the query (a persistent query's id, or a push query's)
 *   CODE       why: SQL_SERDE (could not be decoded), SQL_EVAL (an expression failed), SQL_LATE_RECORD, …
 *   MESSAGE    what and where, e.g. `value.TAGS.beltSpeed: expected DOUBLE, found "fast"`
 *   TOPIC, PARTITION, OFFSET   the input record, to find it again (PRINT, or any consumer)
 *
 * The record's key is the query id (UTF-8), so that one query's entries stay in order.
 */
export interface ProcessingLogValue {
  readonly LOGGER: string;
  readonly LEVEL: ProcessingLogLevel;
  readonly TIME: number;
  readonly QUERY_ID: string;
  readonly CODE: string;
  readonly MESSAGE: string;
  readonly TOPIC: string;
  readonly PARTITION: number;
  readonly OFFSET: number;
}

/** The statement that declares the processing log as a stream; the engine runs it when the catalog lacks it. */
export function processingLogStreamSql(serviceId: string): string {
  return (
    `CREATE STREAM ${PROCESSING_LOG_STREAM} (LOGGER STRING, LEVEL STRING, \`TIME\` BIGINT, QUERY_ID STRING, ` +
    "CODE STRING, MESSAGE STRING, TOPIC STRING, `PARTITION` INTEGER, `OFFSET` BIGINT) " +
    `WITH (KAFKA_TOPIC='${processingLogTopic(serviceId)}', VALUE_FORMAT='JSON');`
  );
}

/** A late record was valid data, only too late for its window; everything else is an error. */
function processingLogLevel(code: string): ProcessingLogLevel {
  return code === "SQL_LATE_RECORD" ? "WARN" : "ERROR";
}

/** The records that log `entries` of query `queryId` in the processing-log topic `topic`, stamped `time`. */
export function processingLogRecords(
  topic: string,
  queryId: string,
  entries: readonly ProcessingLogEntry[],
  time: number,
): OutputRecord[] {
  const key = Buffer.from(queryId, "utf8");
  return entries.map((entry) => {
    const value: ProcessingLogValue = {
      LOGGER: `processing.${queryId}`,
      LEVEL: processingLogLevel(entry.code),
      TIME: time,
      QUERY_ID: queryId,
      CODE: entry.code,
      MESSAGE: entry.message,
      TOPIC: entry.topic,
      PARTITION: entry.partition,
      OFFSET: Number(entry.offset),
    };
    return { topic, key, value: Buffer.from(JSON.stringify(value), "utf8"), timestamp: time };
  });
}

/** Creates the processing-log topic when it does not exist (one partition) and answers its name. */
export async function ensureProcessingLogTopic(kafka: KafkaConfig, serviceId: string): Promise<string> {
  const topic = processingLogTopic(serviceId);
  await ensureTopics(kafka, [{ name: topic, partitions: 1 }], "fabrik-sql-processing-log");
  return topic;
}

/** Writes entries for callers without a producer of their own (push queries); query tasks write with theirs. */
export class ProcessingLogWriter {
  readonly topic: string;
  readonly #producer: ByteProducer;
  readonly #clock: () => number;

  constructor(kafka: KafkaConfig, serviceId: string, clock: () => number = Date.now) {
    this.topic = processingLogTopic(serviceId);
    this.#producer = createRecordProducer(kafka, "fabrik-sql-processing-log");
    this.#clock = clock;
  }

  async write(queryId: string, entries: readonly ProcessingLogEntry[]): Promise<void> {
    await produceAll(this.#producer, processingLogRecords(this.topic, queryId, entries, this.#clock()));
  }

  async close(): Promise<void> {
    await this.#producer.close();
  }
}
