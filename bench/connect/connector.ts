// The connector under test in bench/connect, alone in its process so that its CPU and memory are measured alone: one
// connector with a source per simulated PLC, run as the connect runtime runs it (validateConnectorConfig, one shared
// ConnectionManager, one SourceRunner per source). Run with fork(); the parent sends a ConnectorPlan and receives
// ConnectorEvents, the last one a report (or a failure).
import { subscribe } from "node:diagnostics_channel";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { applyMemoryMode } from "../../src/cli/memory-mode.ts";
import { validateConnectorConfig } from "../../src/connect/config/index.ts";
import type { ConnectLog } from "../../src/connect/log.ts";
import { ConnectMetrics } from "../../src/connect/rest/metrics.ts";
import { SourceRunner } from "../../src/connect/source/source-runner.ts";
import { explainKafkaError } from "../../src/kafka/index.ts";
import { ConnectionManager, drivers, realSchedule } from "../../src/plc/index.ts";
import { percentile } from "../support/benchmark.ts";
import { startCpuProfile } from "../support/cpu-profile.ts";
import { sampleMemory } from "../support/memory-samples.ts";
import type { ConnectorEvent, ConnectorPlan, ConnectorReport, JobSamples } from "./plan.ts";
import { plcJobs, plcName } from "./plc-map.ts";

const MB = 1_000_000;
/** How many log lines (and send failure reasons) the report carries: enough to see what went wrong, not a flood. */
const LOG_LINES = 5;

function emit(event: ConnectorEvent, then: () => void = () => {}): void {
  process.send?.(event, then);
}

/** A record as the producer's diagnostics channel shows it. */
interface SentMessage {
  readonly key?: Buffer;
  readonly value?: Buffer;
  readonly timestamp?: bigint;
}

/**
 * Producer acknowledgements, seen through @platformatic/kafka's `producer:sends` tracing channel: its asyncStart fires
 * when a send's callback runs, that is when Kafka answered the produce request (acks=all) — the moment the connector's
 * delivery learns that its records are safe. The record timestamp is the sample time.
 */
class AckWatch {
  window: { start: number; end: number } | undefined;
  readonly latencies: number[] = [];
  recordsInWindow = 0;
  bytesInWindow = 0;
  recordsTotal = 0;
  largest = { records: 0, bytes: 0 };
  failedSends = 0;
  /** Distinct reasons sends failed for, the first few. */
  readonly failures = new Set<string>();

  constructor() {
    subscribe("tracing:plt:kafka:producer:sends:asyncStart", (message) => this.#acked(message));
  }

  #acked(context: unknown): void {
    const { error, options } = context as { error?: unknown; options?: { messages?: readonly SentMessage[] } };
    const messages = options?.messages;
    if (error !== undefined) {
      this.failedSends++;
      if (this.failures.size < LOG_LINES) this.failures.add(explainKafkaError(error));
      return;
    }
    if (messages === undefined) return;
    const now = Date.now();
    let bytes = 0;
    for (const message of messages) bytes += (message.key?.length ?? 0) + (message.value?.length ?? 0);
    this.recordsTotal += messages.length;
    if (messages.length > this.largest.records) this.largest = { ...this.largest, records: messages.length };
    if (bytes > this.largest.bytes) this.largest = { ...this.largest, bytes };
    const window = this.window;
    if (window === undefined) return;
    if (now >= window.start && now < window.end) {
      this.recordsInWindow += messages.length;
      this.bytesInWindow += bytes;
    }
    for (const message of messages) {
      const sampledAt = Number(message.timestamp ?? 0n);
      if (sampledAt >= window.start && sampledAt < window.end) this.latencies.push(now - sampledAt);
    }
  }
}

/** A metric's series (label values and value), read from the connector's own registry. */
async function series(
  metrics: ConnectMetrics,
  name: string,
): Promise<{ labels: Record<string, unknown>; value: number }[]> {
  const metric = metrics.registry.getSingleMetric(name);
  if (metric === undefined) return [];
  const { values } = await metric.get();
  return values.map((v) => ({ labels: v.labels as Record<string, unknown>, value: v.value }));
}

/** The sum of a metric's series whose labels pass `filter`. */
async function total(
  metrics: ConnectMetrics,
  name: string,
  filter: (labels: Record<string, unknown>) => boolean = () => true,
): Promise<number> {
  return (await series(metrics, name)).filter((s) => filter(s.labels)).reduce((sum, s) => sum + s.value, 0);
}

/** The counters a window is measured by: values read, completed polls and skipped ticks, all jobs together. */
async function counters(metrics: ConnectMetrics): Promise<{ values: number; polls: number; overruns: number }> {
  return {
    values: await total(metrics, "fabrik_source_values_total"),
    polls: await total(metrics, "fabrik_source_poll_latency_seconds", (labels) => labels.le === "+Inf"),
    overruns: await total(metrics, "fabrik_source_errors_total", (labels) => labels.code === "OVERRUN"),
  };
}

interface Connector {
  readonly runners: readonly SourceRunner[];
  readonly manager: ConnectionManager;
  readonly metrics: ConnectMetrics;
}

/** The connector of `plan`: every PLC a source with plc-map.ts's jobs, started as the connect runtime starts them. */
async function startConnector(plan: ConnectorPlan, log: ConnectLog): Promise<Connector> {
  const jobs = plcJobs(plan.jobsPerPlc).map((job) => ({
    name: job.name,
    interval: plan.intervalMs,
    tags: Object.fromEntries(job.tags.map((tag) => [tag.alias, tag.address])),
  }));
  const { config } = validateConnectorConfig({
    name: "bench",
    topic: `${plan.topicPrefix}.{source}`,
    sources: Object.fromEntries(
      plan.plcPorts.map((port, i) => [
        plcName(i),
        { url: `modbus-tcp://127.0.0.1:${port}?max-concurrent-requests=${plan.maxConcurrentRequests}`, jobs },
      ]),
    ),
    buffer: { dir: plan.bufferDir },
  });
  const manager = new ConnectionManager({ registry: drivers });
  const metrics = new ConnectMetrics();
  const runners = await Promise.all(
    config.sources.map((source) =>
      SourceRunner.start({
        connector: config.name,
        workerId: "bench",
        source,
        delivery: config.delivery,
        manager,
        kafka: { bootstrapServers: plan.bootstrapServers },
        metrics,
        log,
        schedule: realSchedule,
      }),
    ),
  );
  return { runners, manager, metrics };
}

async function run(plan: ConnectorPlan): Promise<ConnectorReport> {
  const acks = new AckWatch();
  const logged: string[] = [];
  const keep = (level: string) => (message: string) => {
    if (logged.length < LOG_LINES) logged.push(`${level}: ${message}`);
  };
  const { runners, manager, metrics } = await startConnector(plan, {
    info() {},
    warn: keep("warn"),
    error: keep("error"),
  });
  await sleep(plan.warmupMs);

  const stopProfile = plan.profileFile === undefined ? undefined : await startCpuProfile(plan.profileFile);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const memory = sampleMemory();
  const before = await counters(metrics);
  const start = Date.now();
  acks.window = { start, end: start + plan.windowMs };
  const cpu = process.cpuUsage();
  loopDelay.enable();
  emit({ type: "window-start" });
  await sleep(plan.windowMs);
  const used = process.cpuUsage(cpu);
  const seconds = (Date.now() - start) / 1000;
  emit({ type: "window-end" });
  loopDelay.disable();
  const steady = memory.stop();
  const after = await counters(metrics);
  await stopProfile?.();

  await Promise.all(runners.map((runner) => runner.stopSampling()));
  const drained = await Promise.race([
    Promise.all(runners.map((runner) => runner.drained())).then(() => true),
    sleep(plan.drainTimeoutMs).then(() => false),
  ]);
  const samples: JobSamples[] = (await series(metrics, "fabrik_source_poll_latency_seconds"))
    .filter((s) => s.labels.le === "+Inf")
    .map((s) => ({ source: String(s.labels.source), job: String(s.labels.job), samples: s.value }));
  const report: ConnectorReport = {
    windowStartMs: start,
    windowEndMs: start + seconds * 1000,
    windowSeconds: seconds,
    cpuCores: (used.user + used.system) / 1e6 / seconds,
    rssPeakMb: (process.resourceUsage().maxRSS * 1024) / MB,
    rssSteadyMb: steady.rssMb,
    heapSteadyMb: steady.heapMb,
    externalSteadyMb: steady.externalMb,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    valuesSampledPerSecond: (after.values - before.values) / seconds,
    recordsAcked: acks.recordsInWindow,
    bytesAcked: acks.bytesInWindow,
    latency: latencySummary(acks.latencies),
    samples,
    pollsInWindow: after.polls - before.polls,
    overrunsInWindow: after.overruns - before.overruns,
    bufferDropped: await total(metrics, "fabrik_buffer_dropped_records_total"),
    recordsAckedTotal: acks.recordsTotal,
    largestSend: acks.largest,
    failedSends: acks.failedSends,
    sendFailures: [...acks.failures],
    drained,
    log: logged,
  };
  await Promise.all(runners.map((runner) => runner.stop()));
  await manager.close();
  return report;
}

function latencySummary(latencies: number[]): ConnectorReport["latency"] {
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
  };
}

process.once("message", (plan: ConnectorPlan) => {
  applyMemoryMode(plan.memory);
  run(plan).then(
    // Exit once the last message is out: a client that keeps a handle open must not hold the benchmark up.
    (report) => emit({ type: "report", report }, () => process.exit(0)),
    (error: unknown) =>
      emit({ type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () =>
        process.exit(1),
      ),
  );
});
