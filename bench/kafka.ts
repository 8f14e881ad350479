// The ceiling every Fabrik pipeline is compared with: raw produce and consume throughput of Fabrik's Kafka client
// against the broker, beside Apache Kafka's own ProducerPerformance / ConsumerPerformance tools on the same broker.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { consumeOwned, createAdmin, createConsumer, type KafkaConfig, resolveKafka } from "../src/kafka/index.ts";
import type { Benchmark, Table } from "./support/benchmark.ts";
import { produceRaw, RAW_IN_FLIGHT } from "./support/raw-produce.ts";

const MB = 1_000_000;

interface Case {
  readonly recordBytes: number;
  readonly batch: number;
  readonly records: number;
}

function cases(quick: boolean): Case[] {
  const scale = quick ? 0.02 : 1;
  return [
    { recordBytes: 100, batch: 1, records: Math.round(30_000 * scale) },
    { recordBytes: 1024, batch: 1, records: Math.round(30_000 * scale) },
    { recordBytes: 100, batch: 1000, records: Math.round(2_000_000 * scale) },
    { recordBytes: 1024, batch: 1000, records: Math.round(500_000 * scale) },
  ];
}

interface Measured {
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  readonly cpuCores?: number;
  readonly rssMb?: number;
}

async function createTopic(kafka: KafkaConfig, topic: string): Promise<void> {
  const admin = createAdmin(kafka);
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
  await admin.close();
}

/** Fabrik's producer: `batch` records per send, RAW_RAW_IN_FLIGHT sends outstanding, acks=all, idempotent. */
function produceWithFabrik(kafka: KafkaConfig, topic: string, c: Case): Promise<Measured> {
  return produceRaw(kafka, topic, c);
}

/** Fabrik's consumer reading the whole topic; timed from the first record to the last, as Kafka's fetch rate is. */
async function consumeWithFabrik(kafka: KafkaConfig, topic: string, c: Case): Promise<Measured> {
  const consumer = createConsumer(kafka, { groupId: `bench-${topic}`, clientId: "bench-consumer" });
  const stream = await consumeOwned(consumer, { topics: [topic], mode: "earliest", autocommit: false });
  let count = 0;
  let started = 0;
  let cpu = process.cpuUsage();
  for await (const _ of stream.messages) {
    if (count === 0) {
      started = performance.now();
      cpu = process.cpuUsage();
    }
    if (++count === c.records) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await stream.close();
  await consumer.close();
  return {
    recordsPerSecond: c.records / seconds,
    mbPerSecond: (c.records * c.recordBytes) / MB / seconds,
    cpuCores: (used.user + used.system) / 1e6 / seconds,
    rssMb: process.memoryUsage().rss / MB,
  };
}

async function javaTool(mainClass: string, args: string[]): Promise<string> {
  const dist = await resolveKafka({ tools: true });
  const { stdout } = await promisify(execFile)(
    dist.java.path,
    ["-Xmx1g", "-Dlog4j2.level=WARN", "-cp", dist.classpath, mainClass, ...args],
    { maxBuffer: 16 * MB },
  );
  return stdout;
}

async function produceWithKafkaTool(kafka: KafkaConfig, topic: string, c: Case): Promise<Measured> {
  // batch 1: batch.size below one record, so every record is its own batch, as Fabrik's one-record sends are.
  const batchBytes = c.batch === 1 ? 1 : c.batch * (c.recordBytes + 16);
  const out = await javaTool("org.apache.kafka.tools.ProducerPerformance", [
    "--topic",
    topic,
    "--num-records",
    String(c.records),
    "--record-size",
    String(c.recordBytes),
    "--throughput",
    "-1",
    "--producer-props",
    `bootstrap.servers=${kafka.bootstrapServers.join(",")}`,
    "acks=all",
    "enable.idempotence=true",
    `max.in.flight.requests.per.connection=${RAW_IN_FLIGHT}`,
    `batch.size=${batchBytes}`,
    `linger.ms=${c.batch === 1 ? 0 : 5}`,
  ]);
  const summary =
    /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\).*?(\d+) ms 50th, \d+ ms 95th, (\d+) ms 99th/s.exec(
      out.trim().split("\n").at(-1) ?? "",
    );
  if (!summary) throw new Error(`ProducerPerformance printed no summary:\n${out.slice(-500)}`);
  return {
    recordsPerSecond: Number(summary[2]),
    mbPerSecond: (Number(summary[2]) * c.recordBytes) / MB,
    p50Ms: Number(summary[4]),
    p99Ms: Number(summary[5]),
  };
}

async function consumeWithKafkaTool(kafka: KafkaConfig, topic: string, c: Case): Promise<Measured> {
  const out = await javaTool("org.apache.kafka.tools.ConsumerPerformance", [
    "--bootstrap-server",
    kafka.bootstrapServers.join(","),
    "--topic",
    topic,
    "--messages",
    String(c.records),
    "--timeout",
    "60000",
  ]);
  const lines = out.trim().split("\n");
  const header = lines.findIndex((l) => l.startsWith("start.time"));
  const names = (lines[header] ?? "").split(",").map((s) => s.trim());
  const values = (lines[header + 1] ?? "").split(",").map((s) => s.trim());
  const field = (name: string) => Number(values[names.indexOf(name)]);
  if (header < 0 || Number.isNaN(field("fetch.nMsg.sec")))
    throw new Error(`ConsumerPerformance output not understood:\n${out}`);
  return { recordsPerSecond: field("fetch.nMsg.sec"), mbPerSecond: (field("fetch.nMsg.sec") * c.recordBytes) / MB };
}

const benchmark: Benchmark = {
  name: "kafka",
  description: "raw produce/consume throughput: Fabrik's client vs Kafka's own perf tools, same broker",
  needsKafka: true,
  async run({ kafka, log, quick }) {
    if (!kafka) throw new Error("the kafka benchmark needs Kafka");
    const config = kafka.config;
    await resolveKafka({ tools: true, onProgress: log });
    const produce: (string | number)[][] = [];
    const consume: (string | number)[][] = [];
    for (const c of cases(quick)) {
      const label = `${c.recordBytes} B`;
      const stamp = Date.now().toString(36);
      const ours = `bench-fabrik-${c.recordBytes}-${c.batch}-${stamp}`;
      const theirs = `bench-kafka-${c.recordBytes}-${c.batch}-${stamp}`;
      await createTopic(config, theirs); // ours: produceRaw creates it
      log(`produce ${c.records} × ${label}, batch ${c.batch}: Fabrik client`);
      const f = await produceWithFabrik(config, ours, c);
      log(`produce ${c.records} × ${label}, batch ${c.batch}: Kafka ProducerPerformance`);
      const k = await produceWithKafkaTool(config, theirs, c);
      const row = (who: string, m: Measured) => [
        who,
        label,
        c.batch,
        c.records,
        Math.round(m.recordsPerSecond),
        Number(m.mbPerSecond.toFixed(1)),
        m.p50Ms === undefined ? "-" : Number(m.p50Ms.toFixed(1)),
        m.p99Ms === undefined ? "-" : Number(m.p99Ms.toFixed(1)),
        m.cpuCores === undefined ? "-" : Number(m.cpuCores.toFixed(2)),
        m.rssMb === undefined ? "-" : Math.round(m.rssMb),
      ];
      produce.push(row("Fabrik client", f), row("Kafka ProducerPerformance", k));
      if (c.batch > 1) {
        // Consume what was produced with batching: the same records, read by each consumer from its own topic copy.
        log(`consume ${c.records} × ${label}: Fabrik client`);
        const fc = await consumeWithFabrik(config, ours, c);
        log(`consume ${c.records} × ${label}: Kafka ConsumerPerformance`);
        const kc = await consumeWithKafkaTool(config, theirs, c);
        const crow = (who: string, m: Measured) => [
          who,
          label,
          c.records,
          Math.round(m.recordsPerSecond),
          Number(m.mbPerSecond.toFixed(1)),
          m.cpuCores === undefined ? "-" : Number(m.cpuCores.toFixed(2)),
          m.rssMb === undefined ? "-" : Math.round(m.rssMb),
        ];
        consume.push(crow("Fabrik client", fc), crow("Kafka ConsumerPerformance", kc));
      }
    }
    const tables: Table[] = [
      {
        title: "Produce (acks=all, idempotent, 1 partition, 5 requests in flight)",
        columns: [
          "client",
          "record",
          "batch",
          "records",
          "records/s",
          "MB/s",
          "p50 ms",
          "p99 ms",
          "CPU cores",
          "RSS MB",
        ],
        rows: produce,
        notes: [
          "batch = records per produce request (Kafka tool: batch.size sized for that many records; 1 = batch.size=1).",
          "p50/p99: time for one send (a request of `batch` records) to be acknowledged.",
        ],
      },
      {
        title: "Consume (from the start of the topic, timed from the first record to the last)",
        columns: ["client", "record", "records", "records/s", "MB/s", "CPU cores", "RSS MB"],
        rows: consume,
        notes: ["Kafka tool: ConsumerPerformance's fetch.nMsg.sec (excludes group join time), like Fabrik's timing."],
      },
    ];
    return tables;
  },
};

export default benchmark;
