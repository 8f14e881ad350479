// The shapes every record format shares: the sample a format is given, and the record it hands to the producer.
import type { ReadResponse } from "../../plc/index.ts";

/** One sampling of one job, with the names its records are keyed by. */
export interface RecordSample {
  /** The source (device connection) name. */
  readonly source: string;
  /** The job name within the source. */
  readonly job: string;
  /** Alias → reading, in the job's tag order. */
  readonly readings: ReadResponse;
  /** When the sample was asked for (ms since the epoch): the record time when there are no readings. */
  readonly sampledAt: number;
  /** Milliseconds after the sample time when the record stops being worth writing; no expiry when absent. */
  readonly expiresAfterMs?: number;
}

/** A Kafka record before it has a topic: key and value as text (the value always JSON), and the record timestamp. */
export interface KafkaRecordDraft {
  readonly key: string;
  readonly value: string;
  /** Kafka record timestamp (CreateTime): the sample time, whole ms since the epoch. */
  readonly timestamp: number;
}
