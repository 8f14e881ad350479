// One measured run of bench/connect: fresh topics, the connector process for a warm-up and a window, the PLC process,
// the broker and the machine measured over the same window, then every record read back and held against the samples.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MemoryMode } from "../../src/cli/memory-mode.ts";
import { createAdmin, type UsedKafka } from "../../src/kafka/index.ts";
import { coresBetween, type SharedCpuMark, sharedCpuMark } from "../support/proc-cpu.ts";
import { type ReadBack, readBack } from "./downstream.ts";
import type { ConnectorReport } from "./plan.ts";
import { plcName, TAGS_PER_PLC } from "./plc-map.ts";
import { type Plcs, runConnector } from "./processes.ts";

const MB = 1_000_000;
/** How long a run waits, once sampling stopped, for everything sampled to reach Kafka. */
export const DRAIN_TIMEOUT_MS = 60_000;

export interface StepOptions {
  readonly intervalMs: number;
  readonly jobsPerPlc: number;
  readonly warmupMs: number;
  readonly windowMs: number;
  readonly drainTimeoutMs: number;
  readonly maxConcurrentRequests: number;
  readonly memory: MemoryMode;
  readonly profileFile?: string;
  /**
   * Freezes the broker (SIGSTOP, then SIGCONT) for this long, a third into the window: Kafka away while sampling goes
   * on. Only a broker this benchmark started is ever frozen.
   */
  readonly stallMs?: number;
}

export interface StepResult {
  readonly intervalMs: number;
  readonly jobsPerPlc: number;
  readonly report: ConnectorReport;
  /** Over the window: the PLC process, the broker, and every process on the machine, in cores. */
  readonly plcCpuCores: number;
  readonly plcRequestsPerSecond: number;
  readonly brokerCpuCores: number | undefined;
  readonly machineBusyCores: number | undefined;
  /** The machine's busy cores minus the connector, the PLCs and the broker: whatever else ran meanwhile. */
  readonly othersCpuCores: number | undefined;
  /** Values in records Kafka acknowledged during the window, per second, and their key + value MB/s. */
  readonly valuesPerSecond: number;
  readonly mbPerSecond: number;
  readonly meanRecordBytes: number;
  readonly readBack: ReadBack;
  /** Samples the connector's metrics counted over the whole run. */
  readonly samples: number;
  /** Samples with no record in Kafka, and records in Kafka that no counted sample explains. */
  readonly lost: number;
  readonly unexplained: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  readonly missedTicks: number;
}

interface CpuMark extends SharedCpuMark {
  readonly at: number;
  readonly plcMicros: number;
  readonly plcRequests: number;
}

export async function measureStep(
  kafka: UsedKafka,
  plcs: Plcs,
  options: StepOptions,
  log: (line: string) => void,
): Promise<StepResult> {
  const prefix = `bench-connect-${Date.now().toString(36)}-${options.intervalMs}ms`;
  const tagsPerJob = TAGS_PER_PLC / options.jobsPerPlc;
  const topics = plcs.ports.map((_, i) => `${prefix}.${plcName(i)}`);
  const admin = createAdmin(kafka.config);
  await admin.createTopics({ topics, partitions: 1, replicas: 1 });
  const bufferDir = await mkdtemp(join(tmpdir(), "fabrik-bench-connect-"));
  const brokerPid = kafka.broker?.state.pid;
  const mark = async (): Promise<CpuMark> => {
    const stats = await plcs.stats();
    return {
      ...sharedCpuMark(brokerPid),
      at: performance.now(),
      plcMicros: stats.cpuMicros,
      plcRequests: stats.requests,
    };
  };
  let start: CpuMark | undefined;
  let end: CpuMark | undefined;
  const stall = brokerStall(brokerPid, options, log);
  try {
    log(
      `${plcs.ports.length} PLCs × ${TAGS_PER_PLC} tags (${options.jobsPerPlc} jobs) every ${options.intervalMs} ms: ` +
        `${options.warmupMs / 1000} s warm-up, ${options.windowMs / 1000} s measured`,
    );
    const report = await runConnector(
      {
        bootstrapServers: kafka.config.bootstrapServers,
        plcPorts: plcs.ports,
        topicPrefix: prefix,
        intervalMs: options.intervalMs,
        jobsPerPlc: options.jobsPerPlc,
        maxConcurrentRequests: options.maxConcurrentRequests,
        warmupMs: options.warmupMs,
        windowMs: options.windowMs,
        drainTimeoutMs: options.drainTimeoutMs,
        bufferDir,
        memory: options.memory,
        ...(options.profileFile === undefined ? {} : { profileFile: options.profileFile }),
      },
      {
        onStart: async () => {
          start = await mark();
          stall.arm();
        },
        onEnd: async () => {
          end = await mark();
        },
      },
    );
    log(`reading back ${report.recordsAckedTotal} records`);
    const back = await readBack(kafka.config, topics, options.intervalMs, tagsPerJob, {
      startMs: report.windowStartMs,
      endMs: report.windowEndMs,
    });
    return compile(options, tagsPerJob, report, back, start, end);
  } finally {
    stall.end();
    await admin.deleteTopics({ topics });
    await admin.close();
    await rm(bufferDir, { recursive: true, force: true });
  }
}

/** The broker frozen for `options.stallMs`, a third into the window; `end` thaws it whatever happened. */
function brokerStall(pid: number | undefined, options: StepOptions, log: (line: string) => void) {
  let timer: NodeJS.Timeout | undefined;
  let frozen = false;
  const thaw = () => {
    if (frozen && pid !== undefined) process.kill(pid, "SIGCONT");
    frozen = false;
  };
  return {
    arm: () => {
      const stallMs = options.stallMs;
      if (stallMs === undefined) return;
      if (pid === undefined)
        throw new Error("--stall needs a broker started by the benchmark, not an existing cluster");
      timer = setTimeout(() => {
        log(`broker frozen for ${stallMs / 1000} s`);
        process.kill(pid, "SIGSTOP");
        frozen = true;
        timer = setTimeout(thaw, stallMs);
      }, options.windowMs / 3);
    },
    end: () => {
      clearTimeout(timer);
      thaw();
    },
  };
}

function compile(
  options: StepOptions,
  tagsPerJob: number,
  report: ConnectorReport,
  back: ReadBack,
  start: CpuMark | undefined,
  end: CpuMark | undefined,
): StepResult {
  if (start === undefined || end === undefined) throw new Error("the connector reported without a measured window");
  const seconds = (end.at - start.at) / 1000;
  const delivered = new Map(back.jobs.map((job) => [`${job.source}/${job.job}`, job]));
  let samples = 0;
  let lost = 0;
  let unexplained = 0;
  for (const job of report.samples) {
    const key = `${job.source}/${job.job}`;
    const unique = delivered.get(key)?.unique ?? 0;
    delivered.delete(key);
    samples += job.samples;
    lost += Math.max(0, job.samples - unique);
    unexplained += Math.max(0, unique - job.samples);
  }
  for (const job of delivered.values()) unexplained += job.unique;
  const plcCpuCores = (end.plcMicros - start.plcMicros) / 1e6 / seconds;
  const brokerCpuCores = coresBetween(start.broker, end.broker, seconds);
  const machineBusyCores = coresBetween(start.machine, end.machine, seconds);
  const sum = (pick: (job: ReadBack["jobs"][number]) => number) => back.jobs.reduce((n, job) => n + pick(job), 0);
  return {
    intervalMs: options.intervalMs,
    jobsPerPlc: options.jobsPerPlc,
    report,
    plcCpuCores,
    plcRequestsPerSecond: (end.plcRequests - start.plcRequests) / seconds,
    brokerCpuCores,
    machineBusyCores,
    othersCpuCores:
      machineBusyCores === undefined || brokerCpuCores === undefined
        ? undefined
        : Math.max(0, machineBusyCores - report.cpuCores - plcCpuCores - brokerCpuCores),
    valuesPerSecond: (report.recordsAcked * tagsPerJob) / report.windowSeconds,
    mbPerSecond: report.bytesAcked / MB / report.windowSeconds,
    meanRecordBytes: back.records === 0 ? 0 : back.bytes / back.records,
    readBack: back,
    samples,
    lost,
    unexplained,
    duplicates: sum((job) => job.duplicates),
    outOfOrder: sum((job) => job.outOfOrder),
    missedTicks: sum((job) => job.missedTicks),
  };
}
