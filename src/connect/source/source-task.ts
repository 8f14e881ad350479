// Runs one source: its shared device connection, a sampler per job, the latest value of every tag, and its health.
import type { ConnectionManager, HealthState, ManagedConnection, Schedule, TagReading } from "../../plc/index.ts";
import type { SourceConfig } from "../config/model.ts";
import { type JobSample, JobSampler } from "./job-sampler.ts";

export interface SourceTaskOptions {
  readonly connector: string;
  readonly source: SourceConfig;
  readonly manager: ConnectionManager;
  readonly onSample: (sample: JobSample) => void;
  readonly onOverrun?: (job: string) => void;
  readonly onError?: (job: string, error: unknown) => void;
  readonly onHealth?: (state: HealthState) => void;
  readonly clock: () => number;
  readonly schedule: Schedule;
}

/**
 * A source never blocks another: `start` resolves once its device has been tried once (connected, or disconnected with
 * reconnects scheduled by the connection manager), and sampling begins either way — while the device is down every
 * sample says so per tag with BAD quality, so downstream sees the gap instead of stale values.
 */
export class SourceTask {
  readonly #options: SourceTaskOptions;
  /** Per job, per alias: two jobs may sample the same alias. */
  readonly #latest = new Map<string, Map<string, TagReading>>();
  #connection: ManagedConnection | undefined;
  #samplers: JobSampler[] = [];
  #stopHealth: (() => void) | undefined;

  constructor(options: SourceTaskOptions) {
    this.#options = options;
  }

  /** The device's health; "connecting" before the first attempt ended. */
  get health(): HealthState {
    return this.#connection?.health.state ?? "connecting";
  }

  /** Every tag's latest reading per job, for jobs that have sampled. */
  latest(): ReadonlyMap<string, ReadonlyMap<string, TagReading>> {
    return this.#latest;
  }

  /** Rejects only for a URL no reconnect could fix (the config validator catches those first). */
  async start(): Promise<void> {
    const { source, manager, onHealth } = this.#options;
    const connection = await manager.acquire(source.url);
    this.#connection = connection;
    if (onHealth !== undefined) {
      onHealth(connection.health.state);
      this.#stopHealth = connection.onHealth((event) => onHealth(event.to));
    }
    this.#samplers = source.jobs.map(
      (job) =>
        new JobSampler({
          job,
          connection,
          clock: this.#options.clock,
          schedule: this.#options.schedule,
          onSample: (sample) => this.#sampled(sample),
          ...(this.#options.onOverrun === undefined ? {} : { onOverrun: this.#options.onOverrun }),
          ...(this.#options.onError === undefined ? {} : { onError: this.#options.onError }),
        }),
    );
    await Promise.all(this.#samplers.map((sampler) => sampler.start()));
  }

  /** Stops every job (a read in progress still delivers its sample) and releases the device. */
  async stop(): Promise<void> {
    await Promise.all(this.#samplers.map((sampler) => sampler.stop()));
    this.#samplers = [];
    this.#stopHealth?.();
    await this.#connection?.release();
  }

  #sampled(sample: JobSample): void {
    let readings = this.#latest.get(sample.job);
    if (readings === undefined) {
      readings = new Map();
      this.#latest.set(sample.job, readings);
    }
    for (const alias in sample.readings) readings.set(alias, sample.readings[alias]!);
    this.#options.onSample(sample);
  }
}
