// The tables bench/sql prints: the data set, each query's throughput against the raw ceiling and its goal, and the
// end-to-end latency at a steady rate.

import { round, type Table, verdict } from "../support/benchmark.ts";
import { type CpuProfile, cpuProfileTables } from "../support/cpu-profile.ts";
import type { LatencyRun } from "./latency.ts";
import type { DataSet } from "./preload.ts";
import { KEYS, PARTITIONS } from "./records.ts";
import type { Scenario } from "./scenarios.ts";
import type { ThroughputRun } from "./throughput.ts";

/** ksqlDB's capacity planning guide plans about this many records/s per core for aggregations. */
const KSQLDB_SIZING_PER_CORE = 12_000;
/** Other work took this many cores of the two: the numbers of that run are not the engine's alone. */
const CONTENDED_CORES = 0.25;

export function dataTable(data: DataSet, quick: boolean): Table {
  const f = data.facts;
  return {
    title: "Data set (preloaded once, reused while its marker and counts match)",
    columns: ["", ""],
    rows: [
      ["stream topic", `${data.stream} (${PARTITIONS} partitions)`],
      ["readings", f.records],
      ["keys (sensors)", KEYS],
      ["mean key + value bytes", round((f.keyBytes + f.valueBytes) / f.records, 1)],
      ["readings passing (a)'s filter", f.passing],
      ["event time", `${new Date(data.base).toISOString()} + 1 s per round of ${KEYS.toLocaleString("en-US")} keys`],
      ["table topic", `${data.table} (${KEYS.toLocaleString("en-US")} rows)`],
      [
        "preload",
        data.load === undefined
          ? "reused from an earlier run"
          : `${round(data.load.seconds, 1)} s, ${round(data.load.recordsPerSecond).toLocaleString("en-US")} records/s`,
      ],
    ],
    notes: quick ? ["--quick: a short run to check the benchmark works, not a measurement."] : [],
  };
}

export interface MeasuredQuery {
  readonly scenario: Scenario | undefined;
  readonly run: ThroughputRun;
  /** What the sink must hold, when the query decides it exactly. */
  readonly expected: number | undefined;
  /** The engine's CPU profile of the run (--profile). */
  readonly profileFile?: string | undefined;
}

const steadyRate = (run: ThroughputRun) => run.steadyRecords / run.steadySeconds;

export function throughputTable(raw: ThroughputRun | undefined, queries: readonly MeasuredQuery[]): Table {
  const ceiling = raw === undefined ? undefined : steadyRate(raw);
  const row = (label: string, run: ThroughputRun, goal: number | undefined, expected: number | undefined) => {
    const ratio = ceiling === undefined ? undefined : steadyRate(run) / ceiling;
    return [
      label,
      round(run.totalSeconds, 1),
      round(run.records / run.totalSeconds),
      round(steadyRate(run)),
      round(ratio, 3),
      goal === undefined ? "" : `≥ ${goal}`,
      goal === undefined || ratio === undefined ? "" : verdict(ratio >= goal),
      round(run.steadyCpuCores, 2),
      round(steadyRate(run) / run.steadyCpuCores),
      round(run.report.rssMedianMb),
      round(run.report.rssPeakMb),
      run.sinkRecords,
      expected ?? "-",
      run.processingLogRecords,
      round(run.brokerCores, 2),
      round(run.othersCores, 2),
    ];
  };
  const measured: { label: string; run: ThroughputRun; goal?: number; expected?: number }[] = [
    ...(raw === undefined ? [] : [{ label: "raw consume + produce (the ceiling)", run: raw, expected: raw.records }]),
    ...queries.map((q) => ({
      label: q.scenario?.title ?? q.run.queryId,
      run: q.run,
      ...(q.scenario === undefined ? {} : { goal: q.scenario.goal }),
      ...(q.expected === undefined ? {} : { expected: q.expected }),
    })),
  ];
  const rows = measured.map((m) => row(m.label, m.run, m.goal, m.expected));
  const drivers = [...new Set(queries.map((q) => q.run.report.driver))];
  return {
    title: `Throughput: ${(measured[0]?.run.records ?? 0).toLocaleString("en-US")} readings from the start of the topic, each query in a fresh engine process`,
    columns: [
      "query",
      "seconds",
      "records/s",
      "steady records/s",
      "÷ raw",
      "goal",
      "",
      "CPU cores",
      "records/s per core",
      "RSS MB",
      "peak RSS MB",
      "sink records",
      "expected",
      "proc. log",
      "broker cores",
      "others cores",
    ],
    rows,
    notes: [
      "seconds, records/s: from the CREATE … AS SELECT statement (issued after SET 'auto.offset.reset'='earliest') until the query's consumer group had committed every source record — ksqlDB's time from query start, group join included.",
      "steady records/s: from the first commit seen to the last (offsets read every 100 ms); ÷ raw compares it with the raw passthrough measured the same way, on the same records, in this run.",
      "Raw consume + produce: Fabrik's Kafka client as bench/kafka measures it (consumeOwned, 1 MiB fetches; 1,000 records per send, 5 in flight, acks=all, idempotent), every record copied untouched, acknowledged offsets committed one commit at a time. It produces every record; (a) produces the 40% its filter passes, so it can pass 1.",
      "CPU cores, records/s per core: the engine process's own process.cpuUsage() over the steady part; RSS: median of samples every 250 ms from the statement on, and the process's peak.",
      `For scale: ksqlDB's capacity planning guide plans about ${KSQLDB_SIZING_PER_CORE.toLocaleString("en-US")} records/s per core for aggregations (compare query (b)'s records/s per core).`,
      "expected: (a) the readings its WHERE passes (computed from the generator), (c) every reading (each sensor has a table row). proc. log: records in the engine's processing-log topic (bad records, late records): 0 expected.",
      `Engine: ${drivers.map(driverNote).join("; ")}.`,
      ...measured
        .filter((m) => m.expected !== undefined && m.run.sinkRecords !== m.expected)
        .map((m) => `MISMATCH: the sink of "${m.label}" holds ${m.run.sinkRecords} records, ${m.expected} expected.`),
      ...measured
        .filter((m) => m.run.processingLogRecords > 0)
        .map((m) => `PROCESSING LOG: "${m.label}" set ${m.run.processingLogRecords} records aside.`),
      ...measured
        .filter((m) => (m.run.othersCores ?? 0) > CONTENDED_CORES)
        .map(
          (m) =>
            `CONTENDED: other processes used ${round(m.run.othersCores, 2)} cores during "${m.label}"; run again on a quiet machine before reading it.`,
        ),
      ...queries.flatMap((q) => q.run.report.log.map((line) => `${q.run.queryId} log: ${line}`)),
    ],
  };
}

function driverNote(driver: string): string {
  if (driver === "engine") return "startSqlEngine, statements through SqlService.execute";
  if (driver === "task") {
    return "pipeline level (--driver=task): the analyzer's plan, createPipeline and a QueryTask driven directly, not startSqlEngine";
  }
  return driver;
}

export function latencyTable(run: LatencyRun): Table {
  const o = run.options;
  const rows: (string | number)[][] = [
    [
      "records/s asked / sent",
      `${o.recordsPerSecond.toLocaleString("en-US")} / ${Math.round(run.sentPerSecond).toLocaleString("en-US")}`,
    ],
    ["sink records sent in the window (latency samples)", run.samples],
    ["send → sink append p50 (ms)", round(run.p50, 1)],
    ["send → sink append p99 (ms)", round(run.p99, 1)],
    ["send → sink append p99.9 (ms)", round(run.p999, 1)],
    ["send → sink append max (ms)", round(run.max, 1)],
    ["send → sink consumer receive p50 / p99 (ms)", `${round(run.receiveP50, 1)} / ${round(run.receiveP99, 1)}`],
    ["window records without an append time (left out)", run.withoutAppendTime],
    ["sink records / passing the filter (whole run)", `${run.received} / ${run.passing}`],
    ["engine CPU (cores)", round(run.engineCores, 2)],
    ["engine RSS median / peak (MB)", `${round(run.report.rssMedianMb)} / ${round(run.report.rssPeakMb)}`],
    ["producer process CPU (cores)", round(run.producerCores, 2)],
    ["broker CPU (cores)", round(run.brokerCores, 2)],
    ["others (cores)", round(run.othersCores, 2)],
    ["producer: most schedule caught up in one tick (ms)", round(run.behindMaxMs, 1)],
    ["producer: failed sends", run.failedSends],
  ];
  return {
    title: `Latency: query (a) at a steady ${o.recordsPerSecond.toLocaleString("en-US")} records/s, ${o.windowMs / 1000} s measured after ${o.warmupMs / 1000} s warm-up`,
    columns: ["measure", "result"],
    rows,
    notes: [
      "A producer process sends readings every 10 ms at the rate, each stamped with Date.now() in SENT; the sink topic has message.timestamp.type=LogAppendTime, so each sink record's batch carries the broker's append time (read from the fetch responses: the client library reports the producer's times); latency = append time − SENT, for every sink record sent within the window.",
      `Engine: ${driverNote(run.report.driver)}.`,
      ...((run.othersCores ?? 0) > CONTENDED_CORES
        ? [`CONTENDED: other processes used ${round(run.othersCores, 2)} cores during the window.`]
        : []),
      ...(run.firstFailure === undefined ? [] : [`producer: first failed send: ${run.firstFailure}`]),
      ...run.report.log.map((line) => `engine log: ${line}`),
    ],
  };
}

/** Where the engine's main thread spent a query's run, by function and by area of the code. */
export function profileTables(query: MeasuredQuery, profile: CpuProfile): Table[] {
  const title = query.scenario?.title ?? query.run.queryId;
  return cpuProfileTables(
    profile,
    {
      functions: `Where ${title} spends its time (CPU profile: ${query.profileFile})`,
      areas: `… by area (self time), ${title}`,
    },
    ", from the statement to the end; the profiler itself slows the run a little.",
  );
}
