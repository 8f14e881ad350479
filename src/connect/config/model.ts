// What a connector runs, after loading and validation: every name resolved, every default applied, every address parsed.
import type { SubscriptionMode } from "../../plc/index.ts";

/** One record per job sample (PLC4X connector compatible) or one record per tag value. */
export type RecordFormat = "job" | "tag";

/** What happens when the store-and-forward buffer reaches a cap. */
export type BufferFullPolicy = "drop-oldest" | "stop-sampling";

/** A change smaller than this is not a change, for report-by-exception. */
export type Deadband =
  | { readonly kind: "absolute"; readonly value: number }
  | { readonly kind: "percent"; readonly value: number };

/** Emit a tag only when it changed (beyond a deadband), and at least every `heartbeatMs` when set. */
export interface ReportByException {
  readonly deadband?: Deadband;
  readonly heartbeatMs?: number;
}

/** How a job gets its samples: polled on an interval, or pushed by the device. */
export type Sampling =
  | { readonly kind: "poll"; readonly intervalMs: number }
  | { readonly kind: "subscribe"; readonly mode: SubscriptionMode; readonly intervalMs?: number };

export interface TagConfig {
  /** The name the tag has in records. */
  readonly alias: string;
  /** The address as written, in the driver's grammar (it parsed at validation). */
  readonly address: string;
  /** Engineering unit shown beside the value (`bar`, `°C`, `mm/s`); metadata only, records carry plain values. */
  readonly unit?: string;
  /** What the tag is, for people reading the UI. */
  readonly description?: string;
}

export interface JobConfig {
  readonly name: string;
  readonly tags: readonly TagConfig[];
  readonly sampling: Sampling;
  /** Topic template: `{source}`, `{job}` and (tag format only) `{tag}` are replaced by names. */
  readonly topic: string;
  /** Record key template for the tag format (default `{source}/{tag}`); the job format's key is fixed by PLC4X. */
  readonly key?: string;
  readonly format: RecordFormat;
  readonly reportByException?: ReportByException;
  /** Milliseconds after the sample time when a record stops being worth writing (the record's `expires`). */
  readonly expiresAfterMs?: number;
}

export interface SourceConfig {
  readonly name: string;
  /** PLC4X connection URL. May carry secrets: log `parseConnectionUrl(url).redacted`. */
  readonly url: string;
  readonly jobs: readonly JobConfig[];
}

export interface SinkConfig {
  readonly name: string;
  readonly url: string;
  /** Topics the sink consumes. */
  readonly topics: readonly string[];
  /**
   * The allow-list: alias → address. A record's value names aliases; only these are ever written. Nothing else on the
   * device is writable through this sink.
   */
  readonly tags: readonly TagConfig[];
  /** Attempts after the first failed write of a record. */
  readonly retries: number;
  /** Per-write timeout (ms). */
  readonly timeoutMs: number;
  /** Where records that could not be written go, with the reason in headers. */
  readonly deadLetterTopic: string;
  /** Consumer group of the sink (default `fabrik-sink-{connector}-{sink}`). */
  readonly groupId: string;
}

export interface BufferConfig {
  /** Directory of the on-disk store-and-forward buffer (one subdirectory per connector). */
  readonly dir: string;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  readonly whenFull: BufferFullPolicy;
}

export interface DeliveryConfig {
  /** How long the producer may wait to fill a batch. */
  readonly lingerMs: number;
  /** Most records per produce request. */
  readonly batchSize: number;
  readonly buffer: BufferConfig;
}

export interface ConnectorConfig {
  readonly name: string;
  readonly sources: readonly SourceConfig[];
  readonly sinks: readonly SinkConfig[];
  readonly delivery: DeliveryConfig;
}
