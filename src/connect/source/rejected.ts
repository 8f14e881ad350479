// Records Kafka refuses for their size, kept in a JSON-lines file beside the buffer instead of being lost or retried.
import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import type { BufferedRecord } from "../buffer/index.ts";

/** One line of the file; key, value and header values are base64, as Kafka holds bytes. */
export interface RejectedRecord {
  /** When it was set aside (ISO 8601). */
  readonly rejectedAt: string;
  readonly reason: string;
  readonly topic: string;
  /** The record's timestamp (the sample time), milliseconds since the epoch. */
  readonly timestamp: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: readonly (readonly [string, string])[];
  /** Size of key + value in bytes, to compare with the topic's `max.message.bytes`. */
  readonly bytes: number;
}

/**
 * Appends each record with its reason and syncs before returning: the caller acknowledges the record in the buffer only
 * afterwards, so a crash in between keeps the record in the buffer (and it is set aside again) rather than losing it.
 */
export async function keepRejected(path: string, record: BufferedRecord, reason: string, now: number): Promise<void> {
  const line: RejectedRecord = {
    rejectedAt: new Date(now).toISOString(),
    reason,
    topic: record.topic,
    timestamp: record.timestamp,
    key: record.key === null ? null : record.key.toString("base64"),
    value: record.value === null ? null : record.value.toString("base64"),
    headers: (record.headers ?? []).map(([name, value]) => [name, value.toString("base64")] as const),
    bytes: (record.key?.length ?? 0) + (record.value?.length ?? 0),
  };
  await mkdir(dirname(path), { recursive: true });
  const file = await open(path, "a");
  try {
    await file.write(`${JSON.stringify(line)}\n`);
    await file.datasync();
  } finally {
    await file.close();
  }
}
