// The defaults and limits of a connector configuration, in one place because docs/connect.md documents them together.
import type { Range } from "./units.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MiB = 2 ** 20;

export const DEFAULTS = {
  /** PLC4X's scraper polls every second unless told otherwise. */
  intervalMs: SECOND,
  format: "job",
  /** Tag format only; the job format's key is PLC4X's `{sourceName, jobName}`. */
  tagKey: "{source}/{tag}",
  /** PLC4X's sink defaults. */
  sinkRetries: 3,
  sinkTimeoutMs: 5 * SECOND,
  lingerMs: 5,
  batchSize: 1000,
  /** Relative to the working directory (a `dir` written in a file is relative to that file). */
  bufferDir: ".fabrik/buffer",
  bufferMaxBytes: 1024 * MiB,
  bufferMaxAgeMs: DAY,
  whenFull: "drop-oldest",
} as const;

/** The topic template of jobs when neither they nor the connector name one: `{connector}.{source}.{job}`. */
export function defaultTopicTemplate(connector: string): string {
  return `${connector}.{source}.{job}`;
}

export function defaultDeadLetterTopic(connector: string, sink: string): string {
  return `${connector}.${sink}.dlq`;
}

export function defaultGroupId(connector: string, sink: string): string {
  return `fabrik-sink-${connector}-${sink}`;
}

export const LIMITS = {
  interval: { min: 1, max: DAY },
  heartbeat: { min: 1, max: DAY },
  expires: { min: 1, max: 30 * DAY },
  sinkTimeout: { min: 1, max: HOUR },
  sinkRetries: { min: 0, max: 100 },
  linger: { min: 0, max: MINUTE },
  batchSize: { min: 1, max: 1_000_000 },
  bufferMaxBytes: { min: MiB, max: 2 ** 50 },
  bufferMaxAge: { min: SECOND, max: 365 * DAY },
  /** Per cent of the previous value. */
  deadbandPercent: { min: 0, max: 100 },
  groupIdLength: { min: 1, max: 255 },
} as const satisfies Record<string, Range>;
