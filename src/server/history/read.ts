// Reads one tag's samples of a time range back from its job's topic, read_committed, into a Downsampler.
import { renderTemplate } from "../../connect/config/index.ts";
import { DEFAULT_TAG_KEY, jobKey } from "../../connect/records/index.ts";
import type { KafkaConfig } from "../../kafka/index.ts";
import { standaloneFetcher } from "../../sql/engine/fetcher.ts";
import { EngineError } from "../../sql/engine/index.ts";
import { ServerRequestError } from "../errors.ts";
import type { JobRef } from "../plant-catalog.ts";
import { rangesByTime } from "../topic-offsets.ts";
import { Downsampler, type HistoryPoint } from "./downsample.ts";
import { jobRecordTag, type TagLookup, tagRecordValue } from "./tag-value.ts";

export interface HistoryRequest {
  readonly kafka: KafkaConfig;
  readonly ref: JobRef;
  readonly tag: string;
  readonly from: number;
  readonly to: number;
  readonly points: number;
  /** Ends the read (the client left). */
  readonly signal?: AbortSignal;
}

export interface HistoryResult {
  /** Samples of the tag in the range. */
  readonly records: number;
  readonly downsampled: boolean;
  readonly points: HistoryPoint[];
}

/** Polls in a row that move no partition before the read gives up on reaching the ends it was given. */
const STALLED_POLLS = 5;

/** What a record's value is for a chart: numbers as they are, booleans as 0/1; anything else is refused. */
function chartValue(value: unknown, tag: string): number | null {
  if (value === null || typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  const kind = Array.isArray(value) ? "arrays" : typeof value === "string" ? "text" : "objects";
  throw new ServerRequestError(
    "BAD_PARAMETER",
    `tag: ${tag} holds ${kind}, not numbers; history answers numbers only (booleans as 0/1)`,
  );
}

/** How to find the tag in a record of the topic: by key, then in the value. */
function recordReader(ref: JobRef, tag: string): { topic: string; read(key: Buffer, value: string): TagLookup } {
  const names = { source: ref.source, job: ref.job.name };
  if (ref.job.format === "job") {
    const expected = Buffer.from(jobKey(ref.source, ref.job.name), "utf8");
    const ours = (key: Buffer) => {
      if (key.equals(expected)) return true;
      // Another writer (PLC4X's connector) may space or order the key's fields differently.
      try {
        const parsed = JSON.parse(key.toString("utf8")) as { sourceName?: unknown; jobName?: unknown };
        return parsed.sourceName === ref.source && parsed.jobName === ref.job.name;
      } catch {
        return false;
      }
    };
    return {
      topic: renderTemplate(ref.job.topic, names),
      read: (key, value) => (ours(key) ? jobRecordTag(value, tag) : { found: false }),
    };
  }
  const expected = renderTemplate(ref.job.key ?? DEFAULT_TAG_KEY, { ...names, tag });
  return {
    topic: renderTemplate(ref.job.topic, { ...names, tag }),
    read: (key, value) => (key.toString("utf8") === expected ? tagRecordValue(value) : { found: false }),
  };
}

export async function readTagHistory(request: HistoryRequest): Promise<HistoryResult> {
  const { ref, tag, from, to } = request;
  const reader = recordReader(ref, tag);
  const fetcher = standaloneFetcher(request.kafka, "fabrik-server-history", { maxWaitMs: 200 });
  const abort = () => {
    void fetcher.close();
  };
  request.signal?.addEventListener("abort", abort, { once: true });
  const series = new Downsampler(from, to, request.points);
  try {
    const ends = new Map<number, bigint>();
    const ranges = await rangesByTime(fetcher, reader.topic, from, to).catch((error: unknown) => {
      // A job whose topic does not exist yet has sampled nothing yet.
      if (error instanceof EngineError && error.code === "SQL_TOPIC_MISSING") return [];
      throw error;
    });
    for (const { partition, start, end } of ranges) {
      if (start >= end) continue;
      fetcher.seek(reader.topic, partition, start);
      ends.set(partition, end);
    }
    let stalled = 0;
    while (ends.size > 0 && !fetcher.closed) {
      const before = fetcher.positions().reduce((sum, p) => sum + p.offset, 0n);
      for (const record of await fetcher.poll()) {
        const end = ends.get(record.partition);
        if (end === undefined || record.offset >= end || record.key === null || record.value === null) continue;
        if (record.timestamp < from || record.timestamp > to) continue;
        const found = reader.read(record.key, record.value.toString("utf8"));
        if (found.found) series.add(record.timestamp, chartValue(found.value, tag));
      }
      for (const [partition, end] of ends) {
        if ((fetcher.position(reader.topic, partition) ?? end) >= end) {
          fetcher.forget(reader.topic, partition);
          ends.delete(partition);
        }
      }
      const after = fetcher.positions().reduce((sum, p) => sum + p.offset, 0n);
      stalled = after === before && ends.size > 0 ? stalled + 1 : 0;
      if (stalled >= STALLED_POLLS) break;
    }
    request.signal?.throwIfAborted();
    return { records: series.count, downsampled: series.downsampled, points: series.points() };
  } catch (error) {
    if (error instanceof EngineError && error.code === "SQL_KAFKA") {
      throw new ServerRequestError("UNAVAILABLE", `Kafka did not answer reading ${reader.topic}: ${error.message}`);
    }
    throw error;
  } finally {
    request.signal?.removeEventListener("abort", abort);
    await fetcher.close();
  }
}
