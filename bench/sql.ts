// The streaming SQL engine on 5 million preloaded readings: (a) filter + project, (b) 1-minute tumbling aggregation,
// (c) stream-table join, each in a fresh engine process against the raw consume+produce ceiling, then the end-to-end
// latency of (a) at a steady 20,000 records/s.
//   npm run bench sql [-- --quick --only=raw,a,b,c,latency --driver=engine|task --records=N --rate=20000
//                         --window=60 --warmup=10 --profile]

import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createAdmin, type UsedKafka } from "../src/kafka/index.ts";
import { processingLogTopic } from "../src/sql/engine/internal-names.ts";
import { measureLatency } from "./sql/latency.ts";
import { deleteTopics } from "./sql/offsets.ts";
import type { Driver, EnginePlan, RawPlan } from "./sql/plan.ts";
import { type DataSet, ensureDataSet } from "./sql/preload.ts";
import { startMeasured } from "./sql/processes.ts";
import { PARTITIONS } from "./sql/records.ts";
import { querySql, SCENARIOS, type ScenarioId, scenario, setupSql } from "./sql/scenarios.ts";
import { dataTable, latencyTable, type MeasuredQuery, profileTables, throughputTable } from "./sql/tables.ts";
import { measureThroughput, type ThroughputRun } from "./sql/throughput.ts";
import type { Benchmark, Table } from "./support/benchmark.ts";
import type { CpuProfile } from "./support/cpu-profile.ts";

type Part = "raw" | ScenarioId | "latency";
const PARTS: readonly Part[] = ["raw", ...SCENARIOS, "latency"];

interface Flags {
  readonly parts: readonly Part[];
  readonly driver: Driver | undefined;
  readonly records: number;
  readonly recordsPerSecond: number;
  readonly windowS: number;
  readonly warmupS: number;
  /** Write each query's CPU profile to bench/results and print where its time went. */
  readonly profile: boolean;
}

export class BenchFlagError extends Error {
  readonly code = "BENCH_SQL_FLAG";
}

function flags(quick: boolean): Flags {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: false,
    options: {
      only: { type: "string" },
      driver: { type: "string" },
      records: { type: "string" },
      rate: { type: "string" },
      window: { type: "string" },
      warmup: { type: "string" },
      profile: { type: "boolean" },
    },
  });
  const number = (value: unknown, fallback: number) => (typeof value === "string" ? Number(value) : fallback);
  const parts = typeof values.only === "string" ? values.only.split(",") : PARTS;
  for (const part of parts) {
    if (!PARTS.includes(part as Part)) throw new BenchFlagError(`--only: '${part}' is not one of ${PARTS.join(", ")}`);
  }
  const driver = values.driver;
  if (driver !== undefined && driver !== "engine" && driver !== "task") {
    throw new BenchFlagError(`--driver: '${String(driver)}' is not engine or task`);
  }
  return {
    parts: parts as Part[],
    driver,
    records: number(values.records, quick ? 200_000 : 5_000_000),
    recordsPerSecond: number(values.rate, 20_000),
    windowS: number(values.window, quick ? 15 : 60),
    warmupS: number(values.warmup, quick ? 5 : 10),
    profile: values.profile === true,
  };
}

/** The raw passthrough over the data set: the ceiling every query is held against. */
async function rawCeiling(kafka: UsedKafka, data: DataSet, log: (line: string) => void): Promise<ThroughputRun> {
  const stamp = Date.now().toString(36);
  const sink = `bench-sql-raw-${stamp}`;
  const plan: RawPlan = {
    bootstrapServers: kafka.config.bootstrapServers,
    source: data.stream,
    sink,
    groupId: `bench-sql-raw-${stamp}`,
  };
  await createLike(kafka, sink);
  log(`raw passthrough: ${data.facts.records} records ${data.stream} → ${sink}`);
  const child = await startMeasured(new URL("./sql/passthrough.ts", import.meta.url), plan);
  try {
    return await measureThroughput(kafka, child, { source: data.stream, records: data.facts.records, sink });
  } finally {
    child.kill();
    await deleteTopics(kafka.config, [sink]);
  }
}

/** A topic partitioned like the stream. */
async function createLike(kafka: UsedKafka, topic: string): Promise<void> {
  const admin = createAdmin(kafka.config, { clientId: "bench-sql" });
  await admin.createTopics({ topics: [topic], partitions: PARTITIONS, replicas: 1 });
  await admin.close();
}

/** One query in a fresh engine process: its own service id, sink topic and internal topics, deleted afterwards. */
async function measureQuery(
  kafka: UsedKafka,
  data: DataSet,
  id: ScenarioId,
  driver: Driver,
  profileFile: string | undefined,
  log: (line: string) => void,
): Promise<MeasuredQuery> {
  const stamp = Date.now().toString(36);
  const serviceId = `bench-sql-${id}-${stamp}`;
  const sinkTopic = `bench-sql-${id}-${stamp}`;
  const s = scenario(id, sinkTopic);
  const plan: EnginePlan = {
    bootstrapServers: kafka.config.bootstrapServers,
    driver,
    serviceId,
    setupSql: setupSql(id, data.stream, data.table),
    querySql: querySql(s),
    ...(profileFile === undefined ? {} : { profileFile }),
  };
  log(`${s.title}: ${data.facts.records} records, driver ${driver}`);
  const child = await startMeasured(new URL("./sql/engine-process.ts", import.meta.url), plan);
  try {
    const run = await measureThroughput(kafka, child, {
      source: data.stream,
      records: data.facts.records,
      sink: sinkTopic,
      processingLog: processingLogTopic(serviceId),
    });
    log(`${s.title}: ${Math.round(run.steadyRecords / run.steadySeconds)} records/s steady`);
    const expected = id === "a" ? data.facts.passing : id === "c" ? data.facts.records : undefined;
    return { scenario: s, run, expected, profileFile };
  } finally {
    child.kill();
    await deleteTopics(kafka.config, [sinkTopic], [`_fabrik-sql-${serviceId}-`]);
  }
}

const benchmark: Benchmark = {
  name: "sql",
  description: "streaming SQL on 5M preloaded readings: filter, window, join vs the raw ceiling; latency at 20k/s",
  needsKafka: true,
  async run({ kafka, log, quick }) {
    if (!kafka) throw new Error("the sql benchmark needs Kafka");
    const f = flags(quick);
    if (f.profile) await mkdir("bench/results", { recursive: true });
    const driver: Driver = f.driver ?? "engine";
    const data = await ensureDataSet(kafka.config, f.records, log);
    const tables: Table[] = [dataTable(data, quick)];
    const raw = f.parts.includes("raw") ? await rawCeiling(kafka, data, log) : undefined;
    const queries: MeasuredQuery[] = [];
    for (const id of SCENARIOS) {
      if (!f.parts.includes(id)) continue;
      const profileFile = f.profile ? join("bench/results", `sql-${id}-${Date.now()}.cpuprofile`) : undefined;
      queries.push(await measureQuery(kafka, data, id, driver, profileFile, log));
    }
    if (raw !== undefined || queries.length > 0) tables.push(throughputTable(raw, queries));
    for (const q of queries) {
      if (q.profileFile === undefined) continue;
      const profile = JSON.parse(await readFile(q.profileFile, "utf8")) as CpuProfile;
      tables.push(...profileTables(q, profile));
    }
    if (f.parts.includes("latency")) {
      const latency = await measureLatency(
        kafka,
        { driver, recordsPerSecond: f.recordsPerSecond, warmupMs: f.warmupS * 1000, windowMs: f.windowS * 1000 },
        log,
      );
      tables.push(latencyTable(latency));
    }
    return tables;
  },
};

export default benchmark;
