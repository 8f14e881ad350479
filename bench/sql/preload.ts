// bench/sql's input: the readings and the sensor table loaded into Kafka as fast as the client produces, once — a later
// run against the same cluster finds the marker and the record counts it promises and reuses them.

import { setTimeout as sleep } from "node:timers/promises";
import {
  CommittedReadError,
  createAdmin,
  createProducer,
  defaultPartition,
  type KafkaConfig,
  readCommitted,
} from "../../src/kafka/index.ts";
import { RAW_IN_FLIGHT } from "../support/raw-produce.ts";
import { deleteTopics, topicRecords } from "./offsets.ts";
import {
  DATA_VERSION,
  type DataSetFacts,
  KEYS,
  PARTITIONS,
  passesFilter,
  type Reading,
  ROUND_MS,
  reading,
  SEED,
  sensorInfo,
} from "./records.ts";

/** Records per produce request, as bench/kafka's batched rows. */
const BATCH = 1000;

/** The marker's content: what was loaded, by which version of records.ts, and what a query should find in it. */
interface Marker {
  readonly version: number;
  readonly seed: number;
  readonly records: number;
  readonly keys: number;
  readonly partitions: number;
  /** Event time of the first round of readings. */
  readonly base: number;
  readonly facts: DataSetFacts;
  readonly loadedAt: string;
}

export interface DataSet {
  readonly stream: string;
  readonly table: string;
  readonly base: number;
  readonly facts: DataSetFacts;
  /** Undefined when the data set was already there; else how fast it was produced. */
  readonly load: { readonly seconds: number; readonly recordsPerSecond: number } | undefined;
}

export class PreloadError extends Error {
  readonly code = "BENCH_SQL_PRELOAD";
}

function dataSetTopics(records: number): { stream: string; table: string; marker: string } {
  return {
    stream: `bench-sql-readings-${records}`,
    table: `bench-sql-sensor-info-${records}`,
    marker: `bench-sql-readings-${records}-marker`,
  };
}

/** The data set of `records` readings: reused when its marker and counts match, else (re)loaded. */
export async function ensureDataSet(
  kafka: KafkaConfig,
  records: number,
  log: (line: string) => void,
): Promise<DataSet> {
  const topics = dataSetTopics(records);
  const marker = await readMarker(kafka, topics.marker);
  if (marker !== undefined && (await intact(kafka, marker, topics, records))) {
    log(`reusing ${records} readings in ${topics.stream}, loaded ${marker.loadedAt}`);
    return { stream: topics.stream, table: topics.table, base: marker.base, facts: marker.facts, load: undefined };
  }
  log(`loading ${records} readings into ${topics.stream} (${marker === undefined ? "none found" : "stale"})`);
  await deleteTopics(kafka, [topics.stream, topics.table, topics.marker]);
  await createTopics(kafka, [topics.stream, topics.table], PARTITIONS);
  await createTopics(kafka, [topics.marker], 1);
  // Event time ends a minute before now: every reading is in the past, and every 1-minute window a few rounds long.
  const rounds = Math.ceil(records / KEYS);
  const base = Math.floor((Date.now() - rounds * ROUND_MS - 60_000) / 60_000) * 60_000;
  // What the readings hold, counted as they are made (each index is made once).
  const facts = { records, passing: 0, valueBytes: 0, keyBytes: 0 };
  const count = (r: Reading) => {
    if (passesFilter(r)) facts.passing++;
    facts.valueBytes += r.json.length;
    facts.keyBytes += r.key.length;
    return r;
  };
  const started = performance.now();
  await produceChunks(kafka, topics.stream, records, (i) => count(reading(SEED, i, base)), log);
  const seconds = (performance.now() - started) / 1000;
  await produceChunks(
    kafka,
    topics.table,
    KEYS,
    (k) => ({ ...sensorInfo(k), timestamp: Date.now() }),
    () => {},
  );
  const written: Marker = {
    version: DATA_VERSION,
    seed: SEED,
    records,
    keys: KEYS,
    partitions: PARTITIONS,
    base,
    facts,
    loadedAt: new Date().toISOString(),
  };
  const producer = createProducer(kafka, { clientId: "bench-sql-preload" });
  await producer.send({ messages: [{ topic: topics.marker, value: Buffer.from(JSON.stringify(written)) }] });
  await producer.close();
  return {
    stream: topics.stream,
    table: topics.table,
    base,
    facts,
    load: { seconds, recordsPerSecond: records / seconds },
  };
}

async function readMarker(kafka: KafkaConfig, topic: string): Promise<Marker | undefined> {
  let last: string | undefined;
  try {
    await readCommitted(kafka, topic, (record) => {
      last = record.value?.toString();
    });
  } catch (error) {
    // No marker topic: nothing loaded. Any other failure is not a reason to delete and reload the data set.
    if (error instanceof CommittedReadError && error.partition === undefined) return undefined;
    throw error;
  }
  try {
    return last === undefined ? undefined : (JSON.parse(last) as Marker);
  } catch {
    return undefined;
  }
}

async function intact(
  kafka: KafkaConfig,
  marker: Marker,
  topics: { stream: string; table: string },
  records: number,
): Promise<boolean> {
  const same =
    marker.version === DATA_VERSION &&
    marker.seed === SEED &&
    marker.records === records &&
    marker.keys === KEYS &&
    marker.partitions === PARTITIONS;
  return (
    same && (await topicRecords(kafka, topics.stream)) === records && (await topicRecords(kafka, topics.table)) === KEYS
  );
}

/** Creates the topics, waiting out the deletion of topics of the same name that Kafka may still be finishing. */
async function createTopics(kafka: KafkaConfig, topics: readonly string[], partitions: number): Promise<void> {
  const admin = createAdmin(kafka, { clientId: "bench-sql-preload" });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.createTopics({ topics: [...topics], partitions, replicas: 1 });
        return;
      } catch (error) {
        if (attempt >= 20) throw new PreloadError(`cannot create ${topics.join(", ")}`, { cause: error });
        await sleep(500);
      }
    }
  } finally {
    await admin.close();
  }
}

/**
 * Produces records 0 … count-1 of `make` to `topic`, BATCH per send and RAW_IN_FLIGHT sends in flight, each to the
 * partition Kafka's default (Java) partitioner picks for its key, so stream and table are co-partitioned as any
 * producer would have them.
 */
async function produceChunks(
  kafka: KafkaConfig,
  topic: string,
  count: number,
  make: (index: number) => { key: string; json: string; timestamp: number },
  log: (line: string) => void,
): Promise<void> {
  const producer = createProducer(kafka, { clientId: "bench-sql-preload" });
  const sends = Math.ceil(count / BATCH);
  const tenth = Math.max(1, Math.floor(sends / 10));
  let next = 0;
  const worker = async () => {
    while (next < sends) {
      const chunk = next++;
      const messages = [];
      for (let i = chunk * BATCH; i < Math.min(count, (chunk + 1) * BATCH); i++) {
        const record = make(i);
        const key = Buffer.from(record.key);
        messages.push({
          topic,
          partition: defaultPartition(key, PARTITIONS),
          key,
          value: Buffer.from(record.json),
          timestamp: BigInt(record.timestamp),
        });
      }
      await producer.send({ messages });
      if ((chunk + 1) % tenth === 0) log(`${topic}: ${Math.min(count, (chunk + 1) * BATCH)} of ${count} produced`);
    }
  };
  try {
    await Promise.all(Array.from({ length: RAW_IN_FLIGHT }, worker));
  } finally {
    await producer.close();
  }
}
