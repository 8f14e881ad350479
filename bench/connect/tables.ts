// The tables bench/connect prints: the steady run against its goals, the saturation steps, the raw producer ceiling
// and, when profiled, where the connector's time went.
import { round, type Table, verdict } from "../support/benchmark.ts";
import { type CpuProfile, cpuProfileTables } from "../support/cpu-profile.ts";
import { RAW_IN_FLIGHT, type RawProduceResult } from "../support/raw-produce.ts";
import { PLC_COUNT, TAGS_PER_PLC } from "./plc-map.ts";
import { DRAIN_TIMEOUT_MS, type StepResult } from "./step.ts";

const TAGS = PLC_COUNT * TAGS_PER_PLC;
/** The goals of issue 4 for the steady load, half of what a published reference edge gateway needs for it. */
const GOAL_CORES = 1;
const GOAL_RSS_MB = 250;
/** Delivering this fraction of the values asked for counts as keeping up. */
const KEEP_UP = 0.99;

/** How a run was set up, as its tables say. */
export interface RunOptions {
  readonly warmupS: number;
  /** The measured window of each run (steady) or step (saturation). */
  readonly windowS: number;
  /** The driver's `max-concurrent-requests`. */
  readonly concurrency: number;
  readonly jobsPerPlc: number;
  /** Seconds the broker was frozen in the window, if it was. */
  readonly stallS?: number | undefined;
  /** The connector's `--memory` mode. */
  readonly memory: string;
}

/** The steady run against the goals, with everything that proves nothing was lost. */
export function steadyTable(step: StepResult, options: RunOptions): Table {
  const r = step.report;
  const b = step.readBack;
  const rows: (string | number)[][] = [
    ["connector CPU (cores, steady window)", round(r.cpuCores, 2), `< ${GOAL_CORES}`, verdict(r.cpuCores < GOAL_CORES)],
    ["connector RSS, steady (MB)", round(r.rssSteadyMb), `< ${GOAL_RSS_MB}`, verdict(r.rssSteadyMb < GOAL_RSS_MB)],
    ["connector RSS, peak (MB)", round(r.rssPeakMb), `< ${GOAL_RSS_MB}`, verdict(r.rssPeakMb < GOAL_RSS_MB)],
    [
      "… of it V8 heap / Buffers outside the heap (MB)",
      `${round(r.heapSteadyMb)} / ${round(r.externalSteadyMb)}`,
      "",
      "",
    ],
    [
      "tag values/s delivered (acknowledged by Kafka)",
      round(step.valuesPerSecond),
      round(asked(step)),
      verdict(step.valuesPerSecond >= KEEP_UP * asked(step)),
    ],
    ["tag values/s sampled", round(r.valuesSampledPerSecond), "", ""],
    ["sample → broker ack p50 (ms)", round(r.latency.p50, 1), "", ""],
    ["sample → broker ack p99 (ms)", round(r.latency.p99, 1), "", ""],
    ["sample → broker ack max (ms)", round(r.latency.max, 1), "", ""],
    ["samples taken (whole run, connector metrics)", step.samples, "", ""],
    ["records in Kafka, distinct samples", b.jobs.reduce((n, j) => n + j.unique, 0), "= samples", ""],
    ["records lost", step.lost, "0", verdict(step.lost === 0 && step.unexplained === 0)],
    ["records the buffer dropped at a cap", r.bufferDropped, "0", ""],
    [
      "duplicates / out of order",
      `${step.duplicates} / ${step.outOfOrder}`,
      "0 / 0",
      verdict(step.duplicates + step.outOfOrder === 0),
    ],
    [
      "missed poll ticks / overruns counted (window)",
      `${step.missedTicks} / ${r.overrunsInWindow}`,
      "0 / 0",
      verdict(step.missedTicks + r.overrunsInWindow === 0),
    ],
    ["bad values / malformed records", `${b.badValues} / ${b.malformed}`, "0 / 0", ""],
    ["records/s, MB/s into Kafka", `${round(r.recordsAcked / r.windowSeconds)}, ${round(step.mbPerSecond, 2)}`, "", ""],
    ["mean record (key + value bytes)", round(step.meanRecordBytes), "< 1,000,000", ""],
    ["largest send (records, bytes)", `${r.largestSend.records}, ${r.largestSend.bytes}`, "", ""],
    ["failed sends (retried by the connector)", r.failedSends, "0", ""],
    [
      `everything sampled in Kafka within ${DRAIN_TIMEOUT_MS / 1000} s of the end`,
      r.drained ? "yes" : "no",
      "yes",
      verdict(r.drained),
    ],
    ["event-loop delay p99 (ms)", round(r.loopDelayP99Ms, 1), "", ""],
    ["simulated PLCs' process CPU (cores)", round(step.plcCpuCores, 2), "", ""],
    ["Modbus requests/s served", round(step.plcRequestsPerSecond), "", ""],
    ["broker CPU (cores)", round(step.brokerCpuCores, 2), "", ""],
    ["machine busy, all processes (cores of 2)", round(step.machineBusyCores, 2), "", ""],
    ["… other processes than these three (cores)", round(step.othersCpuCores, 2), "", ""],
  ];
  return {
    title: `Steady load: ${TAGS.toLocaleString("en-US")} tags every ${step.intervalMs} ms from ${PLC_COUNT} Modbus PLCs (${step.jobsPerPlc} jobs × ${TAGS_PER_PLC / step.jobsPerPlc} tags each), ${round(r.windowSeconds)} s measured after ${options.warmupS} s warm-up, --memory=${options.memory}`,
    columns: ["measure", "result", "goal", ""],
    rows,
    notes: [
      "Goals: under 1 core and 250 MB; a published reference edge gateway needs ~1.2 cores of a 4-core Xeon and 500 MB for this load.",
      "Latency: producer send callback time (Kafka's acks=all answer, seen on @platformatic/kafka's producer:sends diagnostics channel) minus the record timestamp (= sample time), for every record sampled in the window.",
      "Lost: per (source, job), samples counted by the connector's poll histogram minus distinct sample times read back from Kafka (a record still waiting in the on-disk buffer at the end counts as lost).",
      `Driver option max-concurrent-requests=${options.concurrency}; delivery defaults (linger 5 ms, batch 1,000 records), on-disk buffer.`,
      ...(options.stallS === undefined
        ? []
        : [`Kafka away: the broker was frozen (SIGSTOP) for ${options.stallS} s, a third into the window.`]),
      ...(contended(step) ? [contendedNote(step)] : []),
      ...r.sendFailures.map((reason) => `send failed: ${reason}`),
      ...r.log.map((line) => `connector log: ${line}`),
    ],
  };
}

/** Tag values per second the configuration asks for. */
function asked(step: StepResult): number {
  return TAGS / (step.intervalMs / 1000);
}

function saturationRow(step: StepResult): (string | number)[] {
  const r = step.report;
  return [
    step.intervalMs,
    round(asked(step)),
    round(r.valuesSampledPerSecond),
    round(step.valuesPerSecond),
    round(step.mbPerSecond, 1),
    round(r.cpuCores, 2),
    round(r.rssSteadyMb),
    round(r.rssPeakMb),
    round(step.plcCpuCores, 2),
    round(step.brokerCpuCores, 2),
    round(step.othersCpuCores, 2),
    round(r.latency.p50, 1),
    round(r.latency.p99, 1),
    r.overrunsInWindow,
    step.lost,
    step.duplicates,
    r.failedSends,
    r.drained ? "yes" : "NO",
  ];
}

/** The saturation steps, one row each, and why the run stopped. */
export function saturationTable(steps: readonly StepResult[], stopped: string, options: RunOptions): Table {
  return {
    title:
      `Saturation: ${TAGS.toLocaleString("en-US")} tags (${options.jobsPerPlc} jobs per PLC) polled ever faster, ` +
      `max-concurrent-requests=${options.concurrency}, ${options.windowS} s measured per step after ${options.warmupS} s warm-up`,
    columns: [
      "interval ms",
      "values/s asked",
      "values/s sampled",
      "values/s delivered",
      "MB/s",
      "connector cores",
      "RSS MB",
      "peak RSS MB",
      "PLCs cores",
      "broker cores",
      "others cores",
      "p50 ms",
      "p99 ms",
      "overruns in window",
      "lost",
      "dup",
      "failed sends",
      "drained",
    ],
    rows: steps.map(saturationRow),
    notes: [
      stopped,
      "delivered = values in records Kafka acknowledged during the window; latency = sample → broker ack.",
      "others cores = the machine's busy cores minus connector, PLCs and broker: other work sharing the 2 cores.",
      ...steps.filter(contended).map((step) => contendedNote(step)),
    ],
  };
}

/** Other work took this many cores of the two: the connector's numbers of that window are not its own. */
const CONTENDED_CORES = 0.25;

/** True when other processes used enough of the machine to distort a window's numbers. */
export function contended(step: StepResult): boolean {
  return (step.othersCpuCores ?? 0) > CONTENDED_CORES;
}

function contendedNote(step: StepResult): string {
  return (
    `CONTENDED: other processes used ${round(step.othersCpuCores, 2)} cores during the ${step.intervalMs} ms ` +
    "window; run again on a quiet machine before reading it."
  );
}

/** Where the connector's main thread spent the window, by function and by area of the code. */
export function profileTables(file: string, profile: CpuProfile): Table[] {
  return cpuProfileTables(
    profile,
    {
      functions: `Where the connector's time goes (CPU profile of the steady window: ${file})`,
      areas: "… by area (self time)",
    },
    "; ms/s of CPU per second of window.",
  );
}

/** The best saturation step beside the raw producer, records of the same size, same broker. */
export function ceilingTable(
  best: StepResult,
  raw: { batch: number; records: number; result: RawProduceResult },
  recordBytes: number,
): Table {
  const tagsPerRecord = TAGS_PER_PLC / best.jobsPerPlc;
  const rawValues = raw.result.recordsPerSecond * tagsPerRecord;
  return {
    title: "Saturation against the raw producer ceiling (same broker, same run)",
    columns: ["", "records/s", "MB/s", "tag values/s", "CPU cores"],
    rows: [
      [
        `connector at its best step (${best.intervalMs} ms)`,
        round(best.report.recordsAcked / best.report.windowSeconds),
        round(best.mbPerSecond, 1),
        round(best.valuesPerSecond),
        round(best.report.cpuCores, 2),
      ],
      [
        `raw producer, ${round(recordBytes)} B records, ${raw.batch} per send, ${RAW_IN_FLIGHT} in flight`,
        round(raw.result.recordsPerSecond),
        round(raw.result.mbPerSecond, 1),
        round(rawValues),
        round(raw.result.cpuCores, 2),
      ],
      [
        "connector / raw",
        round(best.report.recordsAcked / best.report.windowSeconds / raw.result.recordsPerSecond, 3),
        round(best.mbPerSecond / raw.result.mbPerSecond, 3),
        round(best.valuesPerSecond / rawValues, 3),
        "",
      ],
    ],
    notes: [
      "Raw producer: Fabrik's client as bench/kafka measures it (acks=all, idempotent, one partition, 5 sends in flight), records the connector's mean size, about 1 MB per send.",
      `Tag values/s of the raw row: records/s × ${tagsPerRecord} (what the connector's records carry).`,
    ],
  };
}
