// One throughput run of bench/sql: a measured process (a query in a fresh engine, or the raw passthrough) works through
// the whole preloaded stream from its start; its group's commits say when it is done, its snapshots what it cost.

import type { UsedKafka } from "../../src/kafka/index.ts";
import { coresBetween, type SharedCpuMark, sharedCpuMark } from "../support/proc-cpu.ts";
import { topicRecords, watchCommits } from "./offsets.ts";
import type { EngineReport, Snapshot } from "./plan.ts";
import type { MeasuredProcess } from "./processes.ts";

/** Fail a run whose commits stand still this long (an engine that stopped, or never started). */
const STALL_MS = 90_000;
const POLL_MS = 100;

export interface ThroughputRun {
  readonly queryId: string;
  readonly records: number;
  /** From the statement to the last commit: ksqlDB's "time from query start", group join and restore included. */
  readonly totalSeconds: number;
  /** From the first commit seen to the last: the steady rate, comparable with the raw ceiling measured the same way. */
  readonly steadySeconds: number;
  readonly steadyRecords: number;
  /** Engine CPU over the whole run and over the steady part, in cores. */
  readonly cpuCores: number;
  readonly steadyCpuCores: number;
  /** Over the steady part: the broker, the whole machine, and the rest (machine − engine − broker − this process). */
  readonly brokerCores: number | undefined;
  readonly machineCores: number | undefined;
  readonly othersCores: number | undefined;
  readonly report: EngineReport;
  /** Records in the sink topic and in the engine's processing log once done. */
  readonly sinkRecords: number;
  readonly processingLogRecords: number;
}

interface Mark extends SharedCpuMark {
  readonly child: Snapshot;
}

export async function measureThroughput(
  kafka: UsedKafka,
  child: MeasuredProcess,
  run: { readonly source: string; readonly records: number; readonly sink: string; readonly processingLog?: string },
): Promise<ThroughputRun> {
  const brokerPid = kafka.broker?.state.pid;
  const mark = async (): Promise<Mark> => {
    const snapshot = await child.mark();
    return { child: snapshot, ...sharedCpuMark(brokerPid) };
  };
  const started = await child.run();
  let first: Promise<Mark> | undefined;
  const progress = await watchCommits(kafka.config, started.groupId, run.source, run.records, {
    pollMs: POLL_MS,
    stallMs: STALL_MS,
    onFirst: () => {
      first = mark();
    },
  });
  const end = await mark();
  const steadyStart = await (first ?? mark());
  const report = await child.finish();
  const seconds = (a: Snapshot, b: Snapshot) => (b.at - a.at) / 1000;
  const cores = (a: Snapshot, b: Snapshot) => (b.cpuMicros - a.cpuMicros) / 1e6 / seconds(a, b);
  const window = seconds(steadyStart.child, end.child);
  const brokerCores = coresBetween(steadyStart.broker, end.broker, window);
  const machineCores = coresBetween(steadyStart.machine, end.machine, window);
  const steadyCpuCores = cores(steadyStart.child, end.child);
  const selfCores = (end.self - steadyStart.self) / window;
  return {
    queryId: started.queryId,
    records: run.records,
    totalSeconds: (progress.endAt - started.before.at) / 1000,
    steadySeconds: (progress.endAt - progress.firstAt) / 1000,
    steadyRecords: run.records - progress.firstCount,
    cpuCores: cores(started.before, end.child),
    steadyCpuCores,
    brokerCores,
    machineCores,
    othersCores:
      machineCores === undefined || brokerCores === undefined
        ? undefined
        : Math.max(0, machineCores - steadyCpuCores - brokerCores - selfCores),
    report,
    sinkRecords: (await topicRecords(kafka.config, run.sink)) ?? 0,
    processingLogRecords:
      run.processingLog === undefined ? 0 : ((await topicRecords(kafka.config, run.processingLog)) ?? 0),
  };
}
