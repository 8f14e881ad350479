// What bench/connect's parent asks of its connector process, and what that process reports back over IPC.
import type { MemoryMode } from "../../src/cli/memory-mode.ts";

/** One run of the connector: every PLC as a source with the jobs of plc-map.ts, polled every `intervalMs`. */
export interface ConnectorPlan {
  readonly bootstrapServers: readonly string[];
  /** The simulated PLCs' Modbus TCP ports, one source each. */
  readonly plcPorts: readonly number[];
  /** Each source writes to topic `{topicPrefix}.{source}`. */
  readonly topicPrefix: string;
  readonly intervalMs: number;
  /** Jobs each PLC's 5,000 tags are split into (plc-map.ts's plcJobs). */
  readonly jobsPerPlc: number;
  /** The driver's `max-concurrent-requests` URL option. */
  readonly maxConcurrentRequests: number;
  /** Sampling runs this long before the measured window opens (connections, JIT, first GCs). */
  readonly warmupMs: number;
  /** The measured window. */
  readonly windowMs: number;
  /** How long to wait for everything sampled to reach Kafka after sampling stopped. */
  readonly drainTimeoutMs: number;
  readonly bufferDir: string;
  /** When set, a CPU profile of the measured window is written here (a .cpuprofile file). */
  readonly profileFile?: string;
  /** `fabrik connect --memory`: the connector process applies it as the CLI does. */
  readonly memory: MemoryMode;
}

/** Samples one job took over the whole run (the poll latency histogram's count), by source and job. */
export interface JobSamples {
  readonly source: string;
  readonly job: string;
  readonly samples: number;
}

/** Messages the connector process sends while it runs: the parent measures the PLC process over the same window. */
export type ConnectorEvent =
  | { readonly type: "window-start" }
  | { readonly type: "window-end" }
  | { readonly type: "report"; readonly report: ConnectorReport }
  | { readonly type: "failed"; readonly message: string };

export interface ConnectorReport {
  /** The measured window, ms since the epoch. */
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly windowSeconds: number;
  /** CPU time over the window / window length. */
  readonly cpuCores: number;
  /** The kernel's high-water mark of the process's resident set (whole run). */
  readonly rssPeakMb: number;
  /** Median of RSS samples taken every 250 ms in the window. */
  readonly rssSteadyMb: number;
  /** Medians over the window of V8's heap (heapTotal) and of memory outside it (Buffers: `external`). */
  readonly heapSteadyMb: number;
  readonly externalSteadyMb: number;
  /** Event-loop delay over the window: how late timers (and so sampling ticks) ran. */
  readonly loopDelayP99Ms: number;
  /** Tag values read over the window (the connector's values counter), per second. */
  readonly valuesSampledPerSecond: number;
  /** Records Kafka acknowledged during the window, and their key + value bytes. */
  readonly recordsAcked: number;
  readonly bytesAcked: number;
  /** Sample time → producer acknowledgement of records sampled in the window, ms. */
  readonly latency: { readonly count: number; readonly p50: number; readonly p99: number; readonly max: number };
  /** Whole run, from the connector's metrics. */
  readonly samples: readonly JobSamples[];
  /** Polls that completed, and poll ticks skipped because the previous read still ran, in the window. */
  readonly pollsInWindow: number;
  readonly overrunsInWindow: number;
  /** Records the on-disk buffer dropped at a cap (whole run). */
  readonly bufferDropped: number;
  /** Records acknowledged over the whole run, by the producer's callbacks. */
  readonly recordsAckedTotal: number;
  /** Largest single send: records and bytes. */
  readonly largestSend: { readonly records: number; readonly bytes: number };
  /** Sends Kafka refused or that failed on the way (the connector retries them), and why (distinct reasons). */
  readonly failedSends: number;
  readonly sendFailures: readonly string[];
  /** False when the records still unsent at the end did not reach Kafka within the drain timeout. */
  readonly drained: boolean;
  /** Warnings and errors the runtime logged (the first few). */
  readonly log: readonly string[];
}
