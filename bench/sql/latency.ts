// The latency run of bench/sql: scenario (a) in a fresh engine over a live topic fed at a steady rate by a producer
// process; a consumer of the sink takes each record's append time (the sink topic uses LogAppendTime) minus the send
// time stamped in its value, for the records sent within the measured window.

import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { consumeOwned, createAdmin, createConsumer, type UsedKafka } from "../../src/kafka/index.ts";
import { percentile } from "../support/benchmark.ts";
import { coresBetween, processCpuSeconds, type SharedCpuMark, sharedCpuMark } from "../support/proc-cpu.ts";
import { AppendTimes } from "./append-times.ts";
import { deleteTopics } from "./offsets.ts";
import type { Driver, EngineReport, Snapshot } from "./plan.ts";
import { startMeasured } from "./processes.ts";
import type { RateEvent, RatePlan } from "./rate-producer.ts";
import { PARTITIONS, SEED } from "./records.ts";
import { querySql, scenario, streamSql } from "./scenarios.ts";

/** How long the sink may take, once the producer stopped, to receive every record that passed the filter. */
const DRAIN_MS = 30_000;
/** Fail when the first record has not reached the sink this long after the producer started. */
const FIRST_RECORD_MS = 60_000;

export interface LatencyOptions {
  readonly driver: Driver;
  readonly recordsPerSecond: number;
  /** After the first record reached the sink: not measured (group settled, JIT warm). */
  readonly warmupMs: number;
  readonly windowMs: number;
}

export interface LatencyRun {
  readonly options: LatencyOptions;
  /** Records the producer sent per second, over its whole run. */
  readonly sentPerSecond: number;
  readonly sent: number;
  readonly passing: number;
  readonly received: number;
  /** Append time − send time of the sink records sent in the window, ms. */
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  /** Window records whose batch carried no append time (the sink topic not LogAppendTime): not in the samples. */
  readonly withoutAppendTime: number;
  /** Send time → the sink consumer's receive time (the append time plus the consumer's fetch), ms. */
  readonly receiveP50: number;
  readonly receiveP99: number;
  /** Over the window. */
  readonly engineCores: number;
  readonly producerCores: number | undefined;
  readonly brokerCores: number | undefined;
  readonly othersCores: number | undefined;
  readonly behindMaxMs: number;
  readonly failedSends: number;
  readonly firstFailure: string | undefined;
  readonly report: EngineReport;
}

interface Mark extends SharedCpuMark {
  readonly engine: Snapshot;
  readonly producer: number | undefined;
}

export async function measureLatency(
  kafka: UsedKafka,
  options: LatencyOptions,
  log: (line: string) => void,
): Promise<LatencyRun> {
  const stamp = Date.now().toString(36);
  const live = `bench-sql-live-${stamp}`;
  const sink = `${live}-hot`;
  const serviceId = `bench-sql-latency-${stamp}`;
  const admin = createAdmin(kafka.config, { clientId: "bench-sql-latency" });
  await admin.createTopics({ topics: [live], partitions: PARTITIONS, replicas: 1 });
  // The broker stamps each sink record as it appends it: the end of the end-to-end path.
  await admin.createTopics({
    topics: [sink],
    partitions: PARTITIONS,
    replicas: 1,
    configs: [{ name: "message.timestamp.type", value: "LogAppendTime" }],
  });
  await admin.close();
  const engine = await startMeasured(new URL("./engine-process.ts", import.meta.url), {
    bootstrapServers: kafka.config.bootstrapServers,
    driver: options.driver,
    serviceId,
    setupSql: streamSql(live),
    querySql: querySql(scenario("a", sink)),
  });
  let producer: ChildProcess | undefined;
  const reader = createConsumer(kafka.config, {
    groupId: `bench-sql-latency-reader-${stamp}`,
    clientId: "bench-sql-latency",
  });
  const appendTimes = new AppendTimes(reader);
  try {
    await engine.run();
    const stream = await consumeOwned(reader, { topics: [sink], mode: "earliest", autocommit: false });
    const window = { start: Number.POSITIVE_INFINITY, end: Number.POSITIVE_INFINITY };
    const latencies: number[] = [];
    const receiveLatencies: number[] = [];
    let received = 0;
    let withoutAppendTime = 0;
    stream.messages.on("data", (message: { value: Buffer; partition: number; offset: bigint }) => {
      received++;
      const now = Date.now();
      const sent = (JSON.parse(message.value.toString()) as { SENT?: number }).SENT ?? 0;
      if (sent < window.start || sent >= window.end) return;
      receiveLatencies.push(now - sent);
      const appended = appendTimes.of(message.partition, message.offset);
      if (appended === undefined) withoutAppendTime++;
      else latencies.push(appended - sent);
    });

    producer = fork(new URL("./rate-producer.ts", import.meta.url), [], { stdio: "inherit" });
    const events = rateEvents(producer);
    const plan: RatePlan = {
      bootstrapServers: kafka.config.bootstrapServers,
      topic: live,
      recordsPerSecond: options.recordsPerSecond,
      seed: SEED + 1,
    };
    producer.send(plan);
    await events("producing");
    log(`latency: ${options.recordsPerSecond} records/s into ${live}; waiting for the first record in the sink`);
    const deadline = Date.now() + FIRST_RECORD_MS;
    while (received === 0 && Date.now() < deadline) await sleep(100);
    if (received === 0) throw new Error(`no record reached ${sink} within ${FIRST_RECORD_MS / 1000} s`);
    log(
      `latency: first record in the sink; ${options.warmupMs / 1000} s warm-up, ${options.windowMs / 1000} s measured`,
    );
    await sleep(options.warmupMs);
    const producerPid = producer.pid;
    const brokerPid = kafka.broker?.state.pid;
    const mark = async (): Promise<Mark> => ({
      ...sharedCpuMark(brokerPid),
      engine: await engine.mark(),
      producer: producerPid === undefined ? undefined : processCpuSeconds(producerPid),
    });
    const startMark = await mark();
    window.start = startMark.engine.at;
    await sleep(options.windowMs);
    const endMark = await mark();
    window.end = endMark.engine.at;
    producer.send("stop");
    const done = await events("done");
    const drainUntil = Date.now() + DRAIN_MS;
    while (received < done.passing && Date.now() < drainUntil) await sleep(100);
    await stream.close();
    const report = await engine.finish();
    return summarize(
      options,
      startMark,
      endMark,
      { latencies, receiveLatencies, withoutAppendTime, received },
      done,
      report,
    );
  } finally {
    engine.kill();
    appendTimes.close();
    if (producer?.exitCode === null) producer.kill("SIGKILL");
    await reader.close().catch(() => {});
    await deleteTopics(kafka.config, [live, sink], [`_fabrik-sql-${serviceId}-`]);
  }
}

function summarize(
  options: LatencyOptions,
  start: Mark,
  end: Mark,
  seen: { latencies: number[]; receiveLatencies: number[]; withoutAppendTime: number; received: number },
  done: Extract<RateEvent, { type: "done" }>,
  report: EngineReport,
): LatencyRun {
  const seconds = (end.engine.at - start.engine.at) / 1000;
  const engineCores = (end.engine.cpuMicros - start.engine.cpuMicros) / 1e6 / seconds;
  const producerCores = coresBetween(start.producer, end.producer, seconds);
  const brokerCores = coresBetween(start.broker, end.broker, seconds);
  const machine = coresBetween(start.machine, end.machine, seconds);
  const self = (end.self - start.self) / seconds;
  const latencies = seen.latencies.sort((a, b) => a - b);
  const receive = seen.receiveLatencies.sort((a, b) => a - b);
  return {
    options,
    sentPerSecond: done.sent / done.seconds,
    sent: done.sent,
    passing: done.passing,
    received: seen.received,
    samples: latencies.length,
    withoutAppendTime: seen.withoutAppendTime,
    receiveP50: percentile(receive, 50),
    receiveP99: percentile(receive, 99),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    p999: percentile(latencies, 99.9),
    max: latencies.at(-1) ?? Number.NaN,
    engineCores,
    producerCores,
    brokerCores,
    othersCores:
      machine === undefined || brokerCores === undefined || producerCores === undefined
        ? undefined
        : Math.max(0, machine - engineCores - brokerCores - producerCores - self),
    behindMaxMs: done.behindMaxMs,
    failedSends: done.failedSends,
    firstFailure: done.firstFailure,
    report,
  };
}

/** Waits for the producer's next event of a type; its failure or exit rejects. */
function rateEvents(child: ChildProcess) {
  return async <T extends RateEvent["type"]>(type: T): Promise<Extract<RateEvent, { type: T }>> => {
    for (;;) {
      const [event] = (await Promise.race([
        once(child, "message"),
        once(child, "exit").then(([code]) => {
          throw new Error(`the rate producer exited with ${code}`);
        }),
      ])) as [RateEvent];
      if (event.type === "failed") throw new Error(`the rate producer failed: ${event.message}`);
      if (event.type === type) return event as Extract<RateEvent, { type: T }>;
    }
  };
}
