// The data behind a trend: each series' points loaded for the window (tags from /api/history, SQL columns by a push
// query over /api/sql/query-stream), then kept current from the live feed while the window moves with the clock.
// Changes are announced once per animation frame through `version`.
import { type Signal, signal } from "@preact/signals";
import { apiJson } from "../../api/http.ts";
import { type JobSample, numericValue, subscribeSamples } from "../../api/live.ts";
import { streamQuery } from "../../api/sql.ts";
import { messageOf } from "../../components/error-banner.tsx";
import { SeriesBuffer } from "./series-buffer.ts";
import {
  historyPath,
  type SeriesSpec,
  type SqlSeriesSpec,
  sqlSeriesQuery,
  type TagSeriesSpec,
  type TimeWindow,
} from "./series-spec.ts";

export type SeriesStatus =
  | { state: "loading" }
  | { state: "ready"; records?: number; downsampled?: boolean }
  | { state: "error"; message: string };

export interface TrendSeries {
  spec: SeriesSpec;
  buffer: SeriesBuffer;
  status: Signal<SeriesStatus>;
}

interface HistoryAnswer {
  records: number;
  downsampled: boolean;
  points: [number, number | null][];
}

/** How often a moving window drops the points it has left behind. */
const TRIM_EVERY_MS = 10_000;

function sqlNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const number = numericValue(value);
  return Number.isNaN(number) ? null : number;
}

export class TrendData {
  /** The series of the current load, in the order asked. */
  readonly series = signal<TrendSeries[]>([]);
  /** Bumped (at most once a frame) whenever any series' points changed. */
  readonly version = signal(0);
  /** History requests made so far: the page shows it as data-fetches, which the browser tests watch. */
  readonly fetches = signal(0);
  private window: TimeWindow | null = null;
  private abort = new AbortController();
  private unsubscribe: (() => void) | null = null;
  private bumpScheduled = false;
  private lastTrim = 0;

  /** Loads every series for a window, dropping whatever was loading or streaming before. */
  load(specs: readonly SeriesSpec[], window: TimeWindow): void {
    this.stop();
    this.window = window;
    this.abort = new AbortController();
    const series = specs.map((spec) => ({
      spec,
      buffer: new SeriesBuffer(),
      status: signal<SeriesStatus>({ state: "loading" }),
    }));
    this.series.value = series;
    for (const entry of series) {
      if (entry.spec.kind === "tag") void this.loadTag(entry, entry.spec, window, this.abort.signal);
      else void this.streamSql(entry, entry.spec, window, this.abort.signal);
    }
    if (window.moving && series.some((entry) => entry.spec.kind === "tag")) {
      this.unsubscribe = subscribeSamples((samples) => this.appendLive(samples));
    }
    this.bump();
  }

  /** Stops loading and streaming (leaving the page, or before a new load). */
  stop(): void {
    this.abort.abort();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private async loadTag(entry: TrendSeries, spec: TagSeriesSpec, window: TimeWindow, signal: AbortSignal) {
    this.fetches.value++;
    try {
      const answer = await apiJson<HistoryAnswer>(historyPath(spec, window.from, window.to), { signal });
      if (signal.aborted) return;
      // Live points that came while the history loaded are newer than it: keep them after it.
      const live = { times: entry.buffer.times, values: entry.buffer.values };
      entry.buffer.replace(answer.points);
      for (let i = 0; i < live.times.length; i++) entry.buffer.append(live.times[i]!, live.values[i]!);
      entry.status.value = { state: "ready", records: answer.records, downsampled: answer.downsampled };
      this.bump();
    } catch (error) {
      if (signal.aborted) return;
      entry.status.value = { state: "error", message: messageOf(error) };
    }
  }

  private async streamSql(entry: TrendSeries, spec: SqlSeriesSpec, window: TimeWindow, signal: AbortSignal) {
    try {
      await streamQuery(sqlSeriesQuery(spec, window.from, window.moving ? undefined : window.to), {
        properties: { "auto.offset.reset": "earliest" },
        signal,
        onHeader: () => {
          entry.status.value = { state: "ready" };
        },
        onRows: (rows) => {
          for (const row of rows) {
            const time = sqlNumber(row[0]);
            if (time !== null) entry.buffer.append(time, sqlNumber(row[1]));
          }
          this.bump();
        },
      });
    } catch (error) {
      if (signal.aborted) return;
      entry.status.value = { state: "error", message: messageOf(error) };
    }
  }

  private appendLive(samples: readonly JobSample[]): void {
    let changed = false;
    for (const entry of this.series.value) {
      const spec = entry.spec;
      if (spec.kind !== "tag") continue;
      for (const sample of samples) {
        if (sample.connector !== spec.connector || sample.source !== spec.source || sample.job !== spec.job) continue;
        if (!(spec.tag in sample.tags)) continue;
        const bad = sample.quality?.[spec.tag] === "BAD";
        const value = numericValue(sample.tags[spec.tag]);
        changed = entry.buffer.append(sample.ts, bad || Number.isNaN(value) ? null : value) || changed;
      }
    }
    if (changed) this.bump();
  }

  private bump(): void {
    if (this.bumpScheduled) return;
    this.bumpScheduled = true;
    requestAnimationFrame(() => {
      this.bumpScheduled = false;
      this.trim();
      this.version.value++;
    });
  }

  /** A moving window forgets what scrolled out of it (every few seconds: one splice, not one per point). */
  private trim(): void {
    const window = this.window;
    if (window === null || !window.moving) return;
    const now = Date.now();
    if (now - this.lastTrim < TRIM_EVERY_MS) return;
    this.lastTrim = now;
    const start = now - (window.to - window.from);
    for (const entry of this.series.value) entry.buffer.trimBefore(start);
  }
}
