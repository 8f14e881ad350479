// The downstream check of bench/connect: a consumer reads back every record the connector wrote and counts, per
// (source, job), the samples that arrived, twice, out of order or not at all, and every value that is not GOOD.
import { consumeOwned, createConsumer, type KafkaConfig, stringDeserializers } from "../../src/kafka/index.ts";

export interface JobReadBack {
  readonly source: string;
  readonly job: string;
  /** Records read for this job. */
  readonly records: number;
  /** Distinct sample times among them. */
  readonly unique: number;
  /** Records whose sample time this job had already delivered. */
  readonly duplicates: number;
  /** Records older than one delivered before them. */
  readonly outOfOrder: number;
  /** Poll ticks with no record between consecutive samples sampled in the window (skipped as overruns, or lost). */
  readonly missedTicks: number;
}

export interface ReadBack {
  readonly records: number;
  /** Key + value bytes. */
  readonly bytes: number;
  /** Tag values in the records, and those not GOOD (null, or quality other than GOOD). */
  readonly values: number;
  readonly badValues: number;
  /** Records that are not a job record of `tagsPerRecord` tags whose `timestamp` is the record timestamp. */
  readonly malformed: number;
  readonly jobs: readonly JobReadBack[];
}

interface JobState {
  readonly source: string;
  readonly job: string;
  records: number;
  readonly seen: Set<number>;
  last: number;
  duplicates: number;
  outOfOrder: number;
  missedTicks: number;
}

interface JobRecordValue {
  readonly tags?: Record<string, unknown>;
  readonly quality?: Record<string, string>;
  readonly timestamp?: number;
}

/** Reads `topics` (one partition each) from the start to the end they have now. */
export async function readBack(
  kafka: KafkaConfig,
  topics: readonly string[],
  intervalMs: number,
  tagsPerRecord: number,
  window: { readonly startMs: number; readonly endMs: number },
): Promise<ReadBack> {
  const consumer = createConsumer(kafka, {
    groupId: `bench-connect-readback-${Date.now().toString(36)}`,
    clientId: "bench-connect-readback",
    deserializers: stringDeserializers,
  });
  const ends = await consumer.listOffsets({ topics: [...topics] });
  // The offset of the last record of each topic that has any: reading stops once every one was seen.
  const pending = new Map<string, bigint>();
  for (const [topic, offsets] of ends) {
    const end = offsets[0] ?? 0n;
    if (end > 0n) pending.set(topic, end - 1n);
  }
  const jobs = new Map<string, JobState>();
  let records = 0;
  let bytes = 0;
  let values = 0;
  let badValues = 0;
  let malformed = 0;
  if (pending.size > 0) {
    const stream = await consumeOwned(consumer, { topics: [...topics], mode: "earliest", autocommit: false });
    for await (const message of stream.messages) {
      records++;
      bytes += Buffer.byteLength(message.key ?? "") + Buffer.byteLength(message.value ?? "");
      const timestamp = Number(message.timestamp);
      const state = jobState(jobs, message.key ?? "");
      const value = JSON.parse(message.value ?? "null") as JobRecordValue | null;
      const tags = value?.tags ?? {};
      let count = 0;
      for (const alias in tags) {
        count++;
        if (tags[alias] === null || value?.quality?.[alias] !== "GOOD") badValues++;
      }
      values += count;
      if (count !== tagsPerRecord || value?.timestamp !== timestamp || state === undefined) malformed++;
      if (state !== undefined) observe(state, timestamp, intervalMs, window);
      if (pending.get(message.topic) === message.offset) pending.delete(message.topic);
      if (pending.size === 0) break;
    }
    await stream.close();
  }
  await consumer.close();
  const perJob = [...jobs.values()].map(({ source, job, records, seen, duplicates, outOfOrder, missedTicks }) => ({
    source,
    job,
    records,
    unique: seen.size,
    duplicates,
    outOfOrder,
    missedTicks,
  }));
  return { records, bytes, values, badValues, malformed, jobs: perJob };
}

function jobState(jobs: Map<string, JobState>, key: string): JobState | undefined {
  let state = jobs.get(key);
  if (state !== undefined) return state;
  const parsed = JSON.parse(key) as { sourceName?: unknown; jobName?: unknown };
  if (typeof parsed.sourceName !== "string" || typeof parsed.jobName !== "string") return undefined;
  state = {
    source: parsed.sourceName,
    job: parsed.jobName,
    records: 0,
    seen: new Set(),
    last: Number.NEGATIVE_INFINITY,
    duplicates: 0,
    outOfOrder: 0,
    missedTicks: 0,
  };
  jobs.set(key, state);
  return state;
}

/**
 * Sample times of one job sit on its poll grid (start + k × interval) plus the read's start-up delay, so the distance
 * between neighbours in whole intervals tells how many ticks have no record.
 */
function observe(
  state: JobState,
  timestamp: number,
  intervalMs: number,
  window: { readonly startMs: number; readonly endMs: number },
): void {
  state.records++;
  if (state.seen.has(timestamp)) {
    state.duplicates++;
    return;
  }
  state.seen.add(timestamp);
  if (timestamp < state.last) {
    state.outOfOrder++;
    return;
  }
  if (state.last >= window.startMs && timestamp < window.endMs) {
    state.missedTicks += Math.max(0, Math.round((timestamp - state.last) / intervalMs) - 1);
  }
  state.last = timestamp;
}
