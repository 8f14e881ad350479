// The plant, live: one EventSource on /api/live for the whole app, turned into signals — the plant catalog, each
// tag's latest reading and recent points, each source's health, and the feed's own state. Events are applied once
// per animation frame (a batch of signal writes), so hundreds of tags a second cost one render pass a frame.
import { batch, type Signal, signal } from "@preact/signals";
import type { JobSample, PlantSource, Quality, SourceHealth, TagError } from "./live-types.ts";
import { RingSeries } from "./ring-series.ts";

export type {
  JobSample,
  PlantJob,
  PlantSource,
  PlantTag,
  Quality,
  SourceHealth,
  SourceState,
  TagError,
} from "./live-types.ts";

/** A tag's latest reading. */
export interface TagReading {
  value: unknown;
  quality: Quality;
  ts: number;
  error?: TagError;
}

/**
 * - `connecting`: the first connection is being made.
 * - `live`: events are arriving.
 * - `reconnecting`: the connection was lost; the browser or the client tries again.
 * - `unauthorized`: the server wants a login first (the shell shows the form; the feed restarts after it).
 * - `stopped`: not started, or stopped.
 */
export type LiveState = "connecting" | "live" | "reconnecting" | "unauthorized" | "stopped";

/** Recent points kept per tag: ten minutes at one sample a second. */
const SERIES_CAPACITY = 600;
/** Health comes every second: this long without any event means the connection is dead even if it looks open. */
const STALL_MS = 5000;
const MAX_BACKOFF_MS = 30_000;

export const liveState = signal<LiveState>("stopped");
/** When the last event arrived (ms), for the shell's tooltip. */
export const lastEventAt = signal<number | null>(null);
/** When the feed will try again, while reconnecting on its own. */
export const retryAt = signal<number | null>(null);
/** The catalog: every source of every connector, with its jobs and tags; null until the first `plant` event. */
export const plant = signal<PlantSource[] | null>(null);
/** Health per source, by sourceKey(); replaced every second. */
export const health = signal<ReadonlyMap<string, SourceHealth>>(new Map());
/** The wall clock, ticking every second: ages ("3 s ago") read it to stay current. */
export const now = signal(Date.now());

export function sourceKey(connector: string, source: string): string {
  return `${connector}/${source}`;
}

/** The key of one tag of one job: connector/source/job/alias (the Trends page keeps these in its URL). */
export function tagKey(connector: string, source: string, job: string, alias: string): string {
  return `${connector}/${source}/${job}/${alias}`;
}

/** A tag's live state: its latest reading (a signal) and its recent numeric points (a ring, `version` counts pushes). */
export class LiveTag {
  readonly key: string;
  readonly reading: Signal<TagReading | undefined> = signal(undefined);
  readonly series = new RingSeries(SERIES_CAPACITY);
  /** Bumped with every point pushed, so that sparklines know to redraw. */
  readonly version: Signal<number> = signal(0);

  constructor(key: string) {
    this.key = key;
  }
}

const tags = new Map<string, LiveTag>();

/** The live state of a tag (made on first use: a tag's component may ask before its first sample arrived). */
export function liveTag(key: string): LiveTag {
  let tag = tags.get(key);
  if (tag === undefined) {
    tag = new LiveTag(key);
    tags.set(key, tag);
  }
  return tag;
}

/** A tag value as a number for trends: numbers, booleans as 0/1, 64-bit integers in strings; else NaN (a gap). */
export function numericValue(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return Number.NaN;
}

type SampleListener = (samples: readonly JobSample[]) => void;
const listeners = new Set<SampleListener>();

/** Hears every new sample (after the frame's readings are applied); returns the unsubscribe function. */
export function subscribeSamples(listener: SampleListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// ---- applying events, once per frame

let pendingSamples: JobSample[] = [];
let pendingHealth: SourceHealth[] | null = null;
let flushScheduled = false;
/** The newest sample time applied per job: the history replayed on every (re)connect is applied only once. */
const lastSampleTs = new Map<string, number>();

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  // A hidden tab gets no animation frames; apply once a second there so that memory stays flat.
  if (document.hidden) setTimeout(flush, 1000);
  else requestAnimationFrame(flush);
}

function applySample(sample: JobSample, changed: Set<LiveTag>): boolean {
  const jobKey = `${sample.connector}/${sample.source}/${sample.job}`;
  const newest = lastSampleTs.get(jobKey);
  if (newest !== undefined && sample.ts <= newest) return false;
  lastSampleTs.set(jobKey, sample.ts);
  const aliases = new Set(Object.keys(sample.tags));
  if (sample.quality !== undefined) for (const alias of Object.keys(sample.quality)) aliases.add(alias);
  for (const alias of aliases) {
    const tag = liveTag(`${jobKey}/${alias}`);
    const value = sample.tags[alias] ?? null;
    const error = sample.errors?.[alias];
    const quality = sample.quality?.[alias] ?? (value === null ? "BAD" : "GOOD");
    tag.reading.value =
      error === undefined ? { value, quality, ts: sample.ts } : { value, quality, ts: sample.ts, error };
    if (!Array.isArray(value)) tag.series.push(sample.ts, quality === "BAD" ? Number.NaN : numericValue(value));
    changed.add(tag);
  }
  return true;
}

function flush(): void {
  flushScheduled = false;
  const samples = pendingSamples;
  const healthUpdate = pendingHealth;
  pendingSamples = [];
  pendingHealth = null;
  const accepted: JobSample[] = [];
  batch(() => {
    const changed = new Set<LiveTag>();
    for (const sample of samples) if (applySample(sample, changed)) accepted.push(sample);
    for (const tag of changed) tag.version.value++;
    if (healthUpdate !== null) {
      const map = new Map<string, SourceHealth>();
      for (const source of healthUpdate) map.set(sourceKey(source.connector, source.source), source);
      health.value = map;
      // Ages are read against `now`: move it with the health that carries the sample times (once a second, not at
      // every batch of samples, which would re-render every view that shows an age).
      now.value = Date.now();
    }
  });
  if (accepted.length > 0) for (const listener of listeners) listener(accepted);
}

// ---- the connection

let source: EventSource | null = null;
let stallTimer: ReturnType<typeof setTimeout> | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let clockTimer: ReturnType<typeof setInterval> | undefined;
let backoffMs = 1000;
/** Asked when the browser gave up on the stream: does the server want a login? (the session module answers) */
let needsLogin: () => Promise<boolean> = async () => false;

/** Tells the feed how to find out whether a failed stream was refused for want of a login. */
export function whenStreamRefused(check: () => Promise<boolean>): void {
  needsLogin = check;
}

function parse<T>(event: MessageEvent<string>): T | undefined {
  try {
    return JSON.parse(event.data) as T;
  } catch {
    return undefined;
  }
}

function heard(): void {
  lastEventAt.value = Date.now();
  if (liveState.value !== "live") liveState.value = "live";
  backoffMs = 1000;
  retryAt.value = null;
  clearTimeout(stallTimer);
  stallTimer = setTimeout(() => {
    // Open but silent: a proxy or a sleeping laptop left a dead connection. Start a fresh one.
    reconnectLater(0);
  }, STALL_MS);
}

function open(): void {
  const stream = new EventSource("/api/live");
  source = stream;
  stream.addEventListener("plant", (event) => {
    const body = parse<{ sources: PlantSource[] }>(event as MessageEvent<string>);
    heard();
    if (body !== undefined) plant.value = body.sources;
  });
  stream.addEventListener("samples", (event) => {
    const body = parse<{ samples: JobSample[] }>(event as MessageEvent<string>);
    heard();
    if (body === undefined) return;
    for (const sample of body.samples) pendingSamples.push(sample);
    scheduleFlush();
  });
  stream.addEventListener("health", (event) => {
    const body = parse<{ sources: SourceHealth[] }>(event as MessageEvent<string>);
    heard();
    if (body === undefined) return;
    pendingHealth = body.sources;
    scheduleFlush();
  });
  stream.addEventListener("error", () => {
    if (source !== stream) return;
    clearTimeout(stallTimer);
    if (stream.readyState === EventSource.CONNECTING) {
      // The browser reconnects by itself (after the server's retry interval).
      liveState.value = "reconnecting";
      return;
    }
    // CLOSED: the server refused the stream (401, 404, 5xx), which the browser does not retry.
    void needsLogin().then((login) => {
      if (source !== stream) return;
      if (login) {
        stream.close();
        source = null;
        liveState.value = "unauthorized";
      } else {
        reconnectLater(backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    });
  });
}

function reconnectLater(delayMs: number): void {
  source?.close();
  source = null;
  liveState.value = "reconnecting";
  retryAt.value = Date.now() + delayMs;
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => {
    retryAt.value = null;
    open();
  }, delayMs);
}

/** Starts the feed (once; again after stopLive()). */
export function startLive(): void {
  if (source !== null || liveState.value === "reconnecting") return;
  liveState.value = "connecting";
  clockTimer ??= setInterval(() => {
    now.value = Date.now();
  }, 1000);
  open();
}

/** Closes the feed (logging out); the catalog and readings stay until it starts again. */
export function stopLive(): void {
  source?.close();
  source = null;
  clearTimeout(stallTimer);
  clearTimeout(retryTimer);
  clearInterval(clockTimer);
  clockTimer = undefined;
  retryAt.value = null;
  liveState.value = "stopped";
}
