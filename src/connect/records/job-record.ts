// The default record format, as the PLC4X Kafka connector writes it: one record per job sample, keyed by source and job.
import type { Quality, ReadResponse } from "../../plc/index.ts";
import { encodeJson, type JsonValue } from "./json.ts";
import type { KafkaRecordDraft, RecordSample } from "./record.ts";
import { type NonFiniteMark, plcValueToJson } from "./value-json.ts";

/**
 * The record of one job sample. Key and value are JSON text; these field names are a contract with consumers and do
 * not change.
 *
 * Key, as PLC4X writes it: `{"sourceName": "<source>", "jobName": "<job>"}`.
 *
 * Value — the first three fields are PLC4X's, the rest Fabrik's additions, which PLC4X consumers ignore:
 * - `tags`: alias → value (mapped as plcValueToJson says), every tag of the sample in the job's order. A tag that could
 *   not be read, or whose value JSON cannot spell (NaN), is `null` here: never a stale value.
 * - `timestamp`: the sample time, whole ms since the epoch (also the Kafka record timestamp): the earliest `sampledAt`
 *   among the readings, or the sample's own `sampledAt` when it has no readings.
 * - `expires`: `timestamp + expiresAfterMs`, or `null` when the job sets no expiry.
 * - `quality`: alias → `"GOOD"` | `"UNCERTAIN"` | `"BAD"`, for every tag.
 * - `sourceTimestamps`: alias → the device's timestamp (ms since the epoch), for tags whose protocol gives one.
 * - `errors`: alias → `{"code", "message"}` (code as PLC4X's response codes: `TIMEOUT`, `NOT_FOUND`, ...) for BAD tags.
 * - `nonFinite`: alias → which float was replaced by `null` (see NonFiniteMark), for tags that held NaN or ±Infinity.
 *
 * The last three are left out when no tag has anything to put in them; a consumer reads absent as empty.
 */
export function jobRecord(sample: RecordSample): KafkaRecordDraft {
  const timestamp = sampleTime(sample);
  const tags: [string, JsonValue][] = [];
  const quality: [string, Quality][] = [];
  const sourceTimestamps: [string, number][] = [];
  const errors: [string, { code: string; message: string }][] = [];
  const nonFinite: [string, NonFiniteMark][] = [];
  for (const [alias, reading] of Object.entries(sample.readings)) {
    quality.push([alias, reading.quality]);
    if (reading.code !== "OK") {
      tags.push([alias, null]);
      errors.push([alias, { code: reading.code, message: reading.message }]);
      continue;
    }
    const value = plcValueToJson(reading.value);
    tags.push([alias, value.json]);
    if (value.nonFinite !== undefined) nonFinite.push([alias, value.nonFinite]);
    if (reading.sourceTime !== undefined) sourceTimestamps.push([alias, reading.sourceTime]);
  }
  // Object.fromEntries defines own properties, so an alias such as `__proto__` stays an ordinary key.
  const value = {
    tags: Object.fromEntries(tags),
    timestamp,
    expires: sample.expiresAfterMs === undefined ? null : timestamp + Math.floor(sample.expiresAfterMs),
    quality: Object.fromEntries(quality),
    sourceTimestamps: sourceTimestamps.length > 0 ? Object.fromEntries(sourceTimestamps) : undefined,
    errors: errors.length > 0 ? Object.fromEntries(errors) : undefined,
    nonFinite: nonFinite.length > 0 ? Object.fromEntries(nonFinite) : undefined,
  };
  return { key: jobKey(sample.source, sample.job), value: encodeJson(value), timestamp };
}

/** The job format's key: PLC4X's `{"sourceName", "jobName"}`, the same bytes for every record of a job. */
export function jobKey(source: string, job: string): string {
  return encodeJson({ sourceName: source, jobName: job });
}

/**
 * The time a sample stands for, in whole ms: the earliest reading's `sampledAt` (a slow read of many tags began
 * then), or the sample's own time when it has no readings. Kafka timestamps are whole milliseconds, hence the floor.
 */
export function sampleTime(sample: { readonly readings: ReadResponse; readonly sampledAt: number }): number {
  let earliest = Number.POSITIVE_INFINITY;
  for (const reading of Object.values(sample.readings)) earliest = Math.min(earliest, reading.sampledAt);
  return Math.floor(Number.isFinite(earliest) ? earliest : sample.sampledAt);
}
