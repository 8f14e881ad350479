// The connector at plant scale: 100,000 tags every second from 20 simulated Modbus PLCs into Kafka (CPU, memory,
// sample-to-ack latency, nothing lost), then the load raised until it saturates, against the raw producer ceiling.
//   npm run bench connect [-- --duration=120 --step=30 --only=steady|saturation --profile --concurrency=1 --jobs=10
//                             --stall=8 --memory=lean|fast]
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type MemoryMode, parseMemoryMode } from "../src/cli/memory-mode.ts";
import { createAdmin, type UsedKafka } from "../src/kafka/index.ts";
import { PLC_COUNT, TAGS_PER_PLC } from "./connect/plc-map.ts";
import { type Plcs, startPlcs } from "./connect/processes.ts";
import { DRAIN_TIMEOUT_MS, measureStep, type StepOptions, type StepResult } from "./connect/step.ts";
import { ceilingTable, contended, profileTables, saturationTable, steadyTable } from "./connect/tables.ts";
import type { Benchmark, Table } from "./support/benchmark.ts";
import type { CpuProfile } from "./support/cpu-profile.ts";
import { produceRaw } from "./support/raw-produce.ts";

/** Poll intervals of the saturation run, shortest last; it stops early once values/s stop growing. */
const SATURATION_INTERVALS = [1000, 750, 600, 500, 400, 300, 250, 200, 150, 100, 50];
/**
 * Requests in flight per PLC in the saturation run: one at a time (PLC4X's default, the steady run's) caps a PLC at one
 * round trip per request, which on 2 shared cores is the device's limit, not the connector's.
 */
const SATURATION_CONCURRENCY = 16;
/** Growth below this fraction from one step to the next counts as values/s no longer growing. */
const MIN_GROWTH = 0.05;
/** A step whose overruns exceed this fraction of its polls has saturated sampling. */
const MAX_OVERRUN_FRACTION = 0.01;
/** The raw producer row sends about this much, in bytes per send, as bench/kafka's batched rows do (1,000 × 1 KB). */
const RAW_SEND_BYTES = 1_000_000;
/** MB the raw producer row sends: several seconds at its rate, as bench/kafka's 500,000 × 1 KB. */
const RAW_MB = 1000;
const MB = 1_000_000;

interface Flags {
  readonly durationS: number;
  readonly stepS: number;
  readonly warmupS: number;
  readonly only: "steady" | "saturation" | undefined;
  readonly profile: boolean;
  /** `max-concurrent-requests` of the steady run (PLC4X's default, 1) and of the saturation run (--concurrency: both). */
  readonly concurrency: number;
  readonly saturationConcurrency: number;
  readonly jobsPerPlc: number;
  /** Seconds the broker is frozen in the steady run's window (--stall): Kafka away while sampling goes on. */
  readonly stallS: number | undefined;
  /** `fabrik connect --memory` of the connector process (--memory=lean|fast, default lean as the CLI's). */
  readonly memory: MemoryMode;
}

function flags(quick: boolean): Flags {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: false,
    options: {
      duration: { type: "string" },
      step: { type: "string" },
      only: { type: "string" },
      profile: { type: "boolean" },
      concurrency: { type: "string" },
      jobs: { type: "string" },
      stall: { type: "string" },
      memory: { type: "string" },
    },
  });
  const number = (value: unknown, fallback: number) => (typeof value === "string" ? Number(value) : fallback);
  const only = values.only === "steady" || values.only === "saturation" ? values.only : undefined;
  return {
    durationS: number(values.duration, quick ? 20 : 120),
    stepS: number(values.step, quick ? 10 : 30),
    warmupS: quick ? 5 : 10,
    only,
    profile: values.profile === true,
    concurrency: number(values.concurrency, 1),
    saturationConcurrency: number(values.concurrency, SATURATION_CONCURRENCY),
    jobsPerPlc: number(values.jobs, 10),
    stallS: typeof values.stall === "string" ? Number(values.stall) : undefined,
    memory: parseMemoryMode(typeof values.memory === "string" ? values.memory : undefined, "bench connect"),
  };
}

/** Why raising the load further is pointless, or undefined while it still pays. */
function saturated(step: StepResult, previous: StepResult | undefined): string | undefined {
  const polls = step.report.pollsInWindow + step.report.overrunsInWindow;
  if (!step.report.drained) return "the records sampled did not all reach Kafka within the drain timeout";
  if (step.lost > 0) return "records were lost";
  if (polls > 0 && step.report.overrunsInWindow / polls > MAX_OVERRUN_FRACTION)
    return "sampling overran (reads slower than the interval)";
  if (step.valuesPerSecond < 0.9 * step.report.valuesSampledPerSecond)
    return "Kafka acknowledged less than was sampled (the buffer grew)";
  if (previous !== undefined && step.valuesPerSecond < previous.valuesPerSecond * (1 + MIN_GROWTH))
    return "values/s stopped growing";
  return undefined;
}

async function ceiling(kafka: UsedKafka, recordBytes: number, log: (line: string) => void, quick: boolean) {
  const batch = Math.max(1, Math.min(1000, Math.floor(RAW_SEND_BYTES / recordBytes)));
  const records = Math.round(((quick ? 50 : RAW_MB) * MB) / recordBytes);
  log(`raw producer ceiling: ${records} × ${Math.round(recordBytes)} B, ${batch} per send`);
  const topic = `bench-connect-raw-${Date.now().toString(36)}`;
  const result = await produceRaw(kafka.config, topic, { recordBytes: Math.round(recordBytes), batch, records });
  const admin = createAdmin(kafka.config);
  await admin.deleteTopics({ topics: [topic] });
  await admin.close();
  return { batch, records, result };
}

const benchmark: Benchmark = {
  name: "connect",
  description: `${(PLC_COUNT * TAGS_PER_PLC).toLocaleString("en-US")} tags/s from ${PLC_COUNT} simulated Modbus PLCs into Kafka, then to saturation`,
  needsKafka: true,
  async run({ kafka, log, quick }) {
    if (!kafka) throw new Error("the connect benchmark needs Kafka");
    const f = flags(quick);
    const tables: Table[] = [];
    const plcs: Plcs = await startPlcs(PLC_COUNT);
    try {
      const stepOptions = (
        intervalMs: number,
        windowS: number,
        maxConcurrentRequests: number,
        profileFile?: string,
      ): StepOptions => ({
        intervalMs,
        jobsPerPlc: f.jobsPerPlc,
        warmupMs: f.warmupS * 1000,
        windowMs: windowS * 1000,
        drainTimeoutMs: DRAIN_TIMEOUT_MS,
        maxConcurrentRequests,
        memory: f.memory,
        ...(profileFile === undefined ? {} : { profileFile }),
      });
      const stall = f.stallS === undefined ? {} : { stallMs: f.stallS * 1000 };
      if (f.only !== "saturation") {
        const profileFile = f.profile ? join("bench/results", `connect-${Date.now()}-steady.cpuprofile`) : undefined;
        const steadyOptions = { ...stepOptions(1000, f.durationS, f.concurrency, profileFile), ...stall };
        const steady = await measureStep(kafka, plcs, steadyOptions, log);
        tables.push(steadyTable(steady, { ...f, windowS: f.durationS }));
        if (profileFile !== undefined) {
          const profile = JSON.parse(await readFile(profileFile, "utf8")) as CpuProfile;
          tables.push(...profileTables(profileFile, profile));
        }
      }
      if (f.only !== "steady") {
        const steps: StepResult[] = [];
        let stopped = "the shortest interval tried was reached";
        for (const intervalMs of SATURATION_INTERVALS) {
          const options = stepOptions(intervalMs, f.stepS, f.saturationConcurrency);
          const previous = steps.at(-1);
          let step = await measureStep(kafka, plcs, options, log);
          // Other work on the shared cores can make a step look saturated: such a step is measured once more.
          if (contended(step) && saturated(step, previous) !== undefined) {
            log(
              `other processes used ${step.othersCpuCores?.toFixed(2)} cores meanwhile: measuring ${intervalMs} ms again`,
            );
            step = await measureStep(kafka, plcs, options, log);
          }
          steps.push(step);
          const why = saturated(step, previous);
          if (why !== undefined) {
            stopped = `stopped at ${intervalMs} ms: ${why}`;
            break;
          }
        }
        const best = steps.reduce((a, b) => (b.valuesPerSecond > a.valuesPerSecond ? b : a));
        tables.push(saturationTable(steps, stopped, { ...f, windowS: f.stepS, concurrency: f.saturationConcurrency }));
        const recordBytes = best.meanRecordBytes;
        tables.push(ceilingTable(best, await ceiling(kafka, recordBytes, log, quick), recordBytes));
      }
    } finally {
      await plcs.stop();
    }
    return tables;
  },
};

export default benchmark;
