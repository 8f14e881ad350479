// Job samples as the live feed sends them, decoded from the connector's records (job and tag format) as read from Kafka.
import { decodeJson } from "../../connect/records/index.ts";
import { jobSeriesKey, type PlantCatalog } from "../plant-catalog.ts";

export type SampleValue = null | boolean | number | bigint | string | readonly SampleValue[] | SampleObject;

export interface SampleObject {
  readonly [key: string]: SampleValue;
}

export interface TagError {
  readonly code: string;
  readonly message: string;
}

/** One sample of a job (a tag-format record: of one tag), as the `samples` event carries it. */
export interface LiveSample {
  readonly connector: string;
  readonly source: string;
  readonly job: string;
  /** The sample time: the Kafka record's timestamp. */
  readonly ts: number;
  readonly tags: Readonly<Record<string, SampleValue>>;
  readonly quality: Readonly<Record<string, string>>;
  readonly errors: Readonly<Record<string, TagError>>;
}

/** A sample and the series it belongs to (a job, or for tag records a job's tag): the recent history is per series. */
export interface SeriesSample {
  readonly series: string;
  readonly sample: LiveSample;
}

/** A record as the feed reads it. */
export interface FeedRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringsOf(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

function errorsOf(value: unknown): Record<string, TagError> {
  if (!isObject(value)) return {};
  const errors: Record<string, TagError> = {};
  for (const [alias, error] of Object.entries(value)) {
    if (isObject(error))
      errors[alias] = { code: String(error.code ?? "UNKNOWN"), message: String(error.message ?? "") };
  }
  return errors;
}

function decoded(buffer: Buffer | null): unknown {
  if (buffer === null || buffer.length === 0) return undefined;
  try {
    return decodeJson(buffer.toString("utf8"));
  } catch {
    return undefined;
  }
}

/**
 * The sample a record holds; undefined for a record of no known job (another producer writing to the topic) or one
 * that is not a job or tag record.
 */
export function sampleOf(catalog: PlantCatalog, record: FeedRecord): SeriesSample | undefined {
  const index = catalog.topics.get(record.topic);
  if (index === undefined || record.key === null) return undefined;
  if (index.jobs.size > 0) {
    const key = decoded(record.key);
    if (isObject(key) && typeof key.sourceName === "string" && typeof key.jobName === "string") {
      const ref = index.jobs.get(jobSeriesKey(key.sourceName, key.jobName));
      const value = decoded(record.value);
      if (ref !== undefined && isObject(value) && isObject(value.tags)) {
        const series = `${ref.connector}\u0000${ref.source}\u0000${ref.job.name}`;
        return {
          series,
          sample: {
            connector: ref.connector,
            source: ref.source,
            job: ref.job.name,
            ts: record.timestamp,
            tags: value.tags as Record<string, SampleValue>,
            quality: stringsOf(value.quality),
            errors: errorsOf(value.errors),
          },
        };
      }
    }
  }
  const tagged = index.tagKeys.get(record.key.toString("utf8"));
  const value = tagged === undefined ? undefined : decoded(record.value);
  if (tagged === undefined || !isObject(value) || !("value" in value)) return undefined;
  const { ref, tag } = tagged;
  return {
    series: `${ref.connector}\u0000${ref.source}\u0000${ref.job.name}\u0000${tag}`,
    sample: {
      connector: ref.connector,
      source: ref.source,
      job: ref.job.name,
      ts: record.timestamp,
      tags: { [tag]: value.value as SampleValue },
      quality: typeof value.quality === "string" ? { [tag]: value.quality } : {},
      errors: isObject(value.error) ? errorsOf({ [tag]: value.error }) : {},
    },
  };
}

/** Integers beyond 2^53 as strings of their digits, as the SQL API writes them: a browser's JSON.parse would round them. */
function exactIntegers(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** The JSON of an event's data, on one line. */
export function eventJson(data: unknown): string {
  return JSON.stringify(data, exactIntegers);
}
