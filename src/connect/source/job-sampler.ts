// Samples one job of a source: polls its tags on a fixed-rate clock, or subscribes to them, and hands on every sample.
import type { ManagedConnection, ReadResponse, Schedule, Subscription, TagRequest } from "../../plc/index.ts";
import type { JobConfig } from "../config/model.ts";

/** What one sampling of a job produced. */
export interface JobSample {
  readonly job: string;
  readonly readings: ReadResponse;
  /** When the sample was asked for (ms since the epoch); readings carry their own `sampledAt`. */
  readonly sampledAt: number;
  /** How long the read took (ms); undefined for pushed samples. */
  readonly latencyMs?: number;
}

export interface JobSamplerOptions {
  readonly job: JobConfig;
  readonly connection: ManagedConnection;
  readonly onSample: (sample: JobSample) => void;
  /** A poll cycle that found the previous read still running (the device is slower than the interval). */
  readonly onOverrun?: (job: string) => void;
  /** A read that threw instead of answering per tag: a bug or a released connection; sampling goes on. */
  readonly onError?: (job: string, error: unknown) => void;
  readonly clock: () => number;
  readonly schedule: Schedule;
}

/**
 * Polls run on a fixed-rate clock (start + k × interval) so that the sample rate does not drift with read latency. A
 * read is never started while the previous one of the same job runs: a tick that finds one running is skipped and
 * counted as an overrun, because piling requests onto a slow PLC makes it slower. Nor is one started less than half an
 * interval after the previous one started: when a stalled event loop runs a tick late, the next tick on the grid may
 * come a fraction of a millisecond later, and reading twice in a row would give the PLC a burst and downstream two
 * samples of the same moment (with the same millisecond timestamp). Reads never hang: the connection manager answers
 * TIMEOUT or REMOTE_ERROR per tag, and those samples go on downstream with BAD quality.
 */
export class JobSampler {
  readonly #options: JobSamplerOptions;
  readonly #tags: TagRequest;
  #stopped = false;
  #cancelTick: (() => void) | undefined;
  #reading: Promise<void> | undefined;
  /** When the last read started (the clock's time), for the minimum spacing of reads. */
  #lastStart = Number.NEGATIVE_INFINITY;
  #subscription: Subscription | undefined;

  constructor(options: JobSamplerOptions) {
    this.#options = options;
    // Frozen: the connection then knows the request is unchanged and reuses its parse and read plan without comparing.
    this.#tags = Object.freeze(Object.fromEntries(options.job.tags.map((tag) => [tag.alias, tag.address])));
  }

  async start(): Promise<void> {
    const { job, connection, clock } = this.#options;
    const { sampling } = job;
    if (sampling.kind === "poll") {
      this.#tick(clock(), sampling.intervalMs);
      return;
    }
    const options =
      sampling.mode === "event"
        ? ({ mode: "event" } as const)
        : { mode: sampling.mode, intervalMs: sampling.intervalMs ?? 1000 };
    this.#subscription = await connection.subscribe(
      this.#tags,
      (readings) => {
        if (!this.#stopped) this.#options.onSample({ job: job.name, readings, sampledAt: clock() });
      },
      options,
    );
    if (this.#stopped) await this.#subscription.unsubscribe();
  }

  /** Stops sampling; resolves once a read in progress has ended (its sample is still handed on). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelTick?.();
    await this.#reading;
    await this.#subscription?.unsubscribe();
  }

  #tick(due: number, intervalMs: number): void {
    if (this.#stopped) return;
    const now = this.#options.clock();
    if (this.#reading !== undefined) this.#options.onOverrun?.(this.#options.job.name);
    else if (now - this.#lastStart >= intervalMs / 2) {
      this.#lastStart = now;
      this.#reading = this.#poll().finally(() => (this.#reading = undefined));
    }
    // The next due time on the grid after now: ticks missed while the loop was blocked are skipped, not made up.
    const next = due + intervalMs * Math.max(1, Math.ceil((now - due) / intervalMs));
    this.#cancelTick = this.#options.schedule(() => this.#tick(next, intervalMs), next - now);
  }

  async #poll(): Promise<void> {
    const { job, connection, clock, onSample } = this.#options;
    const sampledAt = clock();
    const started = performance.now();
    let readings: ReadResponse;
    try {
      readings = await connection.read(this.#tags);
    } catch (error) {
      if (!this.#stopped) this.#options.onError?.(job.name, error);
      return;
    }
    onSample({ job: job.name, readings, sampledAt, latencyMs: performance.now() - started });
  }
}
