// The raw producer ceiling, measured as bench/kafka measures Fabrik's client: `batch` records per send, 5 sends in
// flight, acks=all, idempotent, one partition — for pipelines that compare themselves with it on the same broker.
import { randomBytes } from "node:crypto";
import { createAdmin, createProducer, type KafkaConfig } from "../../src/kafka/index.ts";
import { percentile } from "./benchmark.ts";

/** Requests in flight at once: the Java producer's default for idempotent producers (max.in.flight = 5). */
export const RAW_IN_FLIGHT = 5;
const MB = 1_000_000;

export interface RawProduceCase {
  readonly recordBytes: number;
  /** Records per send. */
  readonly batch: number;
  readonly records: number;
}

export interface RawProduceResult {
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
  /** Time for one send to be acknowledged, ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuCores: number;
  readonly rssMb: number;
}

/** Produces `c.records` random records of `c.recordBytes` to a new one-partition topic `topic`. */
export async function produceRaw(kafka: KafkaConfig, topic: string, c: RawProduceCase): Promise<RawProduceResult> {
  const admin = createAdmin(kafka);
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
  await admin.close();
  const producer = createProducer(kafka, { clientId: "bench-raw-producer" });
  const value = randomBytes(c.recordBytes);
  const sends = Math.ceil(c.records / c.batch);
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < sends) {
      const index = next++;
      const count = Math.min(c.batch, c.records - index * c.batch);
      const messages = Array.from({ length: count }, () => ({ topic, value }));
      const t0 = performance.now();
      await producer.send({ messages });
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: RAW_IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await producer.close();
  latencies.sort((a, b) => a - b);
  return {
    recordsPerSecond: c.records / seconds,
    mbPerSecond: (c.records * c.recordBytes) / MB / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuCores: (used.user + used.system) / 1e6 / seconds,
    rssMb: process.memoryUsage().rss / MB,
  };
}
