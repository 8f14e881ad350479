// The default record format, as the PLC4X Kafka connector writes it: one record per job sample, keyed by source and job.
import type { ReadResponse, TagReading } from "../../plc/index.ts";
import { encodeJson, encodeJsonAt, finiteNumberJson, type JsonValue } from "./json.ts";
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
  return new JobRecordWriter(sample.source, sample.job, sample.expiresAfterMs).record(
    sample.readings,
    sample.sampledAt,
  );
}

/**
 * Writes one job's records (see jobRecord) in one pass over the readings, straight to JSON text. A job samples the
 * same aliases every time, so their escaped `"alias":` fragments and the all-GOOD quality object are made once and
 * kept while the aliases stay the same; only what is rare (failures, device timestamps, values that need mapping)
 * goes through pairs and encodeJson.
 */
export class JobRecordWriter {
  /** The job's record key, the same bytes for every record. */
  readonly key: string;
  readonly #expiresAfterMs: number | undefined;
  #aliases: readonly string[] = [];
  #fragments: readonly string[] = [];
  /** The quality object when every tag of #aliases is GOOD; made when first needed. */
  #allGood: string | undefined;

  constructor(source: string, job: string, expiresAfterMs?: number) {
    this.key = jobKey(source, job);
    this.#expiresAfterMs = expiresAfterMs;
  }

  /** The record of one sample of the job. */
  record(readings: ReadResponse, sampledAt: number): KafkaRecordDraft {
    const aliases = Object.keys(readings);
    if (!sameItems(aliases, this.#aliases)) this.#learn(aliases);
    const pass = writeTags(readings, aliases, this.#fragments);
    const timestamp = recordTime(pass.earliest, sampledAt);
    const expires =
      this.#expiresAfterMs === undefined ? "null" : numberAt(timestamp + Math.floor(this.#expiresAfterMs), "expires");
    let value = `{"tags":{${pass.tags}},"timestamp":${numberAt(timestamp, "timestamp")},"expires":${expires}`;
    value += `,"quality":${pass.allGood ? this.#allGoodQuality(aliases) : qualityJson(aliases, readings)}`;
    const { sourceTimestamps, errors, nonFinite } = pass;
    if (sourceTimestamps.length > 0) value += `,"sourceTimestamps":${member(sourceTimestamps, "sourceTimestamps")}`;
    if (errors.length > 0) value += `,"errors":${member(errors, "errors")}`;
    if (nonFinite.length > 0) value += `,"nonFinite":${member(nonFinite, "nonFinite")}`;
    return { key: this.key, value: `${value}}`, timestamp };
  }

  #allGoodQuality(aliases: readonly string[]): string {
    if (this.#allGood === undefined) {
      this.#allGood = member(
        aliases.map((alias) => [alias, "GOOD"]),
        "quality",
      );
    }
    return this.#allGood;
  }

  #learn(aliases: readonly string[]): void {
    this.#aliases = aliases;
    this.#fragments = aliases.map((alias) => `${JSON.stringify(alias)}:`);
    this.#allGood = undefined;
  }
}

/** What one pass over a sample's readings found: the tags object's members, and what the other fields need. */
interface TagsPass {
  readonly tags: string;
  /** The earliest `sampledAt`, for recordTime. */
  readonly earliest: number;
  readonly allGood: boolean;
  readonly sourceTimestamps: [string, number][];
  readonly errors: [string, { code: string; message: string }][];
  readonly nonFinite: [string, NonFiniteMark][];
}

/** The tags the other fields of a record name, noted while the tags object is written. */
type TagsNotes = Pick<TagsPass, "sourceTimestamps" | "errors" | "nonFinite">;

function writeTags(readings: ReadResponse, aliases: readonly string[], fragments: readonly string[]): TagsPass {
  let tags = "";
  let earliest = Number.POSITIVE_INFINITY;
  let allGood = true;
  const pass: TagsNotes = { sourceTimestamps: [], errors: [], nonFinite: [] };
  for (let index = 0; index < aliases.length; index++) {
    const alias = aliases[index]!;
    const reading = readings[alias]!;
    earliest = Math.min(earliest, reading.sampledAt);
    if (reading.quality !== "GOOD") allGood = false;
    const text = tagText(alias, reading, pass);
    if (text !== undefined) tags += tags === "" ? fragments[index]! + text : `,${fragments[index]!}${text}`;
  }
  return { tags, earliest, allGood, ...pass };
}

/**
 * One tag's value in the tags object, noting its error, device time and non-finite mark in `pass`; undefined for a
 * value with no JSON at all, which is left out as encodeJson leaves out undefined properties.
 */
function tagText(alias: string, reading: TagReading, pass: TagsNotes): string | undefined {
  if (reading.code !== "OK") {
    pass.errors.push([alias, { code: reading.code, message: reading.message }]);
    return "null";
  }
  if (reading.sourceTime !== undefined) pass.sourceTimestamps.push([alias, reading.sourceTime]);
  const text = scalarText(reading.value);
  if (text !== undefined) return text;
  const value = plcValueToJson(reading.value);
  if (value.nonFinite !== undefined) pass.nonFinite.push([alias, value.nonFinite]);
  return value.json === undefined ? undefined : encodeJsonAt(value.json, ["tags", alias]);
}

/** The JSON of a value that needs no mapping (a finite number, boolean, bigint or string); undefined for the rest. */
function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) ? finiteNumberJson(value) : undefined;
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "string":
      return JSON.stringify(value);
    default:
      return undefined;
  }
}

function numberAt(value: number, field: string): string {
  return Number.isFinite(value) ? finiteNumberJson(value) : encodeJsonAt(value, [field]);
}

/** An object member of pairs; Object.fromEntries defines own properties, so `__proto__` stays an ordinary key. */
function member(pairs: readonly (readonly [string, JsonValue])[], field: string): string {
  return encodeJsonAt(Object.fromEntries(pairs), [field]);
}

function qualityJson(aliases: readonly string[], readings: ReadResponse): string {
  return member(
    aliases.map((alias) => [alias, readings[alias]!.quality]),
    "quality",
  );
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
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
  return recordTime(earliest, sample.sampledAt);
}

/** sampleTime's rule, given the earliest `sampledAt` of the readings (+Infinity for none, NaN for a NaN one). */
function recordTime(earliest: number, sampledAt: number): number {
  return Math.floor(Number.isFinite(earliest) ? earliest : sampledAt);
}
