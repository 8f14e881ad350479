// The connect worker's Prometheus instruments, behind typed methods so the runtime never touches prom-client itself.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { HEALTH_STATES, type HealthState } from "../../plc/index.ts";

export interface SourceLabels {
  readonly connector: string;
  readonly source: string;
}

export interface JobLabels extends SourceLabels {
  readonly job: string;
}

export interface SinkLabels {
  readonly connector: string;
  readonly sink: string;
}

export interface ConnectMetricsOptions {
  /** Also export Node's process metrics (CPU, memory, event loop, GC) from this registry. */
  readonly processMetrics?: boolean;
}

// PLC round trips take from under a millisecond (Modbus on a LAN) to seconds (a slow gateway timing out).
const POLL_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// Producer acks include linger and broker round trips; during an outage they reach the delivery timeout.
const ACK_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * One job's instruments with their label values bound: the runtime keeps this and calls it per poll, so no label
 * lookup happens on the path that carries every value.
 */
export interface JobInstruments {
  /** One poll finished: how long it took and how many values it brought. */
  observePoll(seconds: number, values: number): void;
  /** `count` failures with this code (a ResponseCode, or an error class's `code`). */
  recordError(code: string, count?: number): void;
}

/** A prom-client Registry of its own (not the global one) with every instrument the connect runtime updates. */
export class ConnectMetrics {
  readonly registry: Registry;
  readonly #pollLatency: Histogram<"connector" | "source" | "job">;
  readonly #values: Counter<"connector" | "source" | "job">;
  readonly #errors: Counter<"connector" | "source" | "job" | "code">;
  readonly #connectionState: Gauge<"connector" | "source" | "state">;
  readonly #bufferRecords: Gauge<"connector" | "source">;
  readonly #bufferBytes: Gauge<"connector" | "source">;
  readonly #bufferDropped: Counter<"connector" | "source">;
  readonly #rejected: Counter<"connector" | "source">;
  readonly #produced: Counter<"connector" | "source">;
  readonly #producerErrors: Counter<"connector" | "source">;
  readonly #ackLatency: Histogram<"connector" | "source">;
  readonly #sinkWrites: Counter<"connector" | "sink">;
  readonly #deadLetters: Counter<"connector" | "sink">;
  readonly #jobs = new Map<string, JobInstruments>();
  /** Label sets that already have a remover, so each is registered once. */
  readonly #registered = new Set<string>();
  /** Per connector, how to remove every series it created, so a deleted connector leaves no stale series. */
  readonly #removers = new Map<string, (() => void)[]>();

  constructor(options: ConnectMetricsOptions = {}) {
    const registry = new Registry();
    this.registry = registry;
    const registers = [registry];
    const jobLabels = ["connector", "source", "job"] as const;
    this.#pollLatency = new Histogram({
      name: "fabrik_source_poll_latency_seconds",
      help: "Time from sending a poll to a source until all its values arrived",
      labelNames: jobLabels,
      buckets: POLL_BUCKETS,
      registers,
    });
    this.#values = new Counter({
      name: "fabrik_source_values_total",
      help: "Tag values read from a source",
      labelNames: jobLabels,
      registers,
    });
    this.#errors = new Counter({
      name: "fabrik_source_errors_total",
      help: "Failed tag reads and polls of a source, by code",
      labelNames: [...jobLabels, "code"],
      registers,
    });
    this.#connectionState = new Gauge({
      name: "fabrik_source_connection_state",
      help: "1 for the state the connection to a source is in, 0 for the others",
      labelNames: ["connector", "source", "state"],
      registers,
    });
    this.#bufferRecords = new Gauge({
      name: "fabrik_buffer_depth_records",
      help: "Records waiting in the store-and-forward buffer",
      labelNames: ["connector", "source"],
      registers,
    });
    this.#bufferBytes = new Gauge({
      name: "fabrik_buffer_depth_bytes",
      help: "Bytes waiting in the store-and-forward buffer",
      labelNames: ["connector", "source"],
      registers,
    });
    this.#bufferDropped = new Counter({
      name: "fabrik_buffer_dropped_records_total",
      help: "Records the store-and-forward buffer dropped because it was full or they were too old",
      labelNames: ["connector", "source"],
      registers,
    });
    this.#rejected = new Counter({
      name: "fabrik_producer_rejected_records_total",
      help: "Records Kafka refused for their size, set aside in the source's rejected-records file",
      labelNames: ["connector", "source"],
      registers,
    });
    this.#produced = new Counter({
      name: "fabrik_producer_records_total",
      help: "Records Kafka acknowledged",
      labelNames: ["connector", "source"],
      registers,
    });
    this.#producerErrors = new Counter({
      name: "fabrik_producer_errors_total",
      help: "Produce requests that failed",
      labelNames: ["connector", "source"],
      registers,
    });
    this.#ackLatency = new Histogram({
      name: "fabrik_producer_ack_latency_seconds",
      help: "Time from handing a batch to the producer until Kafka acknowledged it",
      labelNames: ["connector", "source"],
      buckets: ACK_BUCKETS,
      registers,
    });
    this.#sinkWrites = new Counter({
      name: "fabrik_sink_writes_total",
      help: "Tag writes a sink made to a device",
      labelNames: ["connector", "sink"],
      registers,
    });
    this.#deadLetters = new Counter({
      name: "fabrik_sink_dead_letters_total",
      help: "Records a sink could not write and sent to its dead letter topic",
      labelNames: ["connector", "sink"],
      registers,
    });
    if (options.processMetrics === true) collectDefaultMetrics({ register: registry });
  }

  /** The Content-Type of `metricsText()`. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every series. */
  metricsText(): Promise<string> {
    return this.registry.metrics();
  }

  /** A job's instruments with labels bound; the same object for the same labels. */
  job(labels: JobLabels): JobInstruments {
    const key = seriesKey(labels.connector, labels.source, labels.job);
    const known = this.#jobs.get(key);
    if (known !== undefined) return known;
    const bound = { connector: labels.connector, source: labels.source, job: labels.job };
    const latency = this.#pollLatency.labels(bound);
    const values = this.#values.labels(bound);
    const errorsByCode = new Map<string, Counter.Internal>();
    const instruments: JobInstruments = {
      observePoll: (seconds, count) => {
        latency.observe(seconds);
        values.inc(count);
      },
      recordError: (code, count = 1) => {
        let counter = errorsByCode.get(code);
        if (counter === undefined) {
          counter = this.#errors.labels({ ...bound, code });
          errorsByCode.set(code, counter);
          this.#onForget(bound.connector, () => this.#errors.remove({ ...bound, code }));
        }
        counter.inc(count);
      },
    };
    // A counter at zero is a series Prometheus can rate() from the first scrape, before anything happened.
    values.inc(0);
    this.#jobs.set(key, instruments);
    this.#onForget(bound.connector, () => {
      this.#pollLatency.remove(bound);
      this.#values.remove(bound);
      this.#jobs.delete(key);
    });
    return instruments;
  }

  observePoll(labels: JobLabels, seconds: number, values: number): void {
    this.job(labels).observePoll(seconds, values);
  }

  recordSourceError(labels: JobLabels, code: string, count = 1): void {
    this.job(labels).recordError(code, count);
  }

  /** One series per state, as is usual for enums in Prometheus: the current one is 1, the others 0. */
  setConnectionState(labels: SourceLabels, state: HealthState): void {
    const { connector, source } = labels;
    for (const candidate of HEALTH_STATES) {
      this.#connectionState.set({ connector, source, state: candidate }, candidate === state ? 1 : 0);
    }
    this.#forgetSourceOnce(labels);
  }

  setBufferDepth(labels: SourceLabels, records: number, bytes: number): void {
    const series = { connector: labels.connector, source: labels.source };
    this.#bufferRecords.set(series, records);
    this.#bufferBytes.set(series, bytes);
    this.#forgetSourceOnce(labels);
  }

  recordBufferDropped(labels: SourceLabels, records: number): void {
    this.#bufferDropped.inc({ connector: labels.connector, source: labels.source }, records);
    this.#forgetSourceOnce(labels);
  }

  recordRejected(labels: SourceLabels): void {
    this.#rejected.inc({ connector: labels.connector, source: labels.source });
    this.#forgetSourceOnce(labels);
  }

  recordProduced(labels: SourceLabels, records: number): void {
    this.#produced.inc({ connector: labels.connector, source: labels.source }, records);
    this.#forgetSourceOnce(labels);
  }

  recordProducerErrors(labels: SourceLabels, count = 1): void {
    this.#producerErrors.inc({ connector: labels.connector, source: labels.source }, count);
    this.#forgetSourceOnce(labels);
  }

  observeProducerAck(labels: SourceLabels, seconds: number): void {
    this.#ackLatency.observe({ connector: labels.connector, source: labels.source }, seconds);
    this.#forgetSourceOnce(labels);
  }

  recordSinkWrites(labels: SinkLabels, count = 1): void {
    this.#sinkWrites.inc({ connector: labels.connector, sink: labels.sink }, count);
    this.#forgetSinkOnce(labels);
  }

  recordDeadLetters(labels: SinkLabels, count = 1): void {
    this.#deadLetters.inc({ connector: labels.connector, sink: labels.sink }, count);
    this.#forgetSinkOnce(labels);
  }

  /**
   * Removes every series of a connector (when it is deleted or moves to another worker). Handles from `job()` for it
   * must not be used afterwards: ask `job()` again, or they would bring the series back without a way to remove it.
   */
  forgetConnector(connector: string): void {
    const removers = this.#removers.get(connector) ?? [];
    this.#removers.delete(connector);
    for (const key of this.#registered) {
      if (key.startsWith(`${connector}\u0000`)) this.#registered.delete(key);
    }
    for (const remove of removers) remove();
  }

  #once(key: string, connector: string, remove: () => void): void {
    if (this.#registered.has(key)) return;
    this.#registered.add(key);
    this.#onForget(connector, remove);
  }

  #forgetSourceOnce(labels: SourceLabels): void {
    const { connector, source } = labels;
    this.#once(seriesKey(connector, "source", source), connector, () => {
      for (const state of HEALTH_STATES) this.#connectionState.remove({ connector, source, state });
      for (const metric of [this.#bufferRecords, this.#bufferBytes, this.#bufferDropped, this.#produced]) {
        metric.remove({ connector, source });
      }
      this.#producerErrors.remove({ connector, source });
      this.#rejected.remove({ connector, source });
      this.#ackLatency.remove({ connector, source });
    });
  }

  #forgetSinkOnce(labels: SinkLabels): void {
    const { connector, sink } = labels;
    this.#once(seriesKey(connector, "sink", sink), connector, () => {
      this.#sinkWrites.remove({ connector, sink });
      this.#deadLetters.remove({ connector, sink });
    });
  }

  #onForget(connector: string, remove: () => void): void {
    const removers = this.#removers.get(connector);
    if (removers === undefined) this.#removers.set(connector, [remove]);
    else removers.push(remove);
  }
}

// NUL cannot appear in a name a person typed, so joined names never collide.
function seriesKey(...parts: string[]): string {
  return parts.join("\u0000");
}
