// Where the Overview's main thread spends its time (`--trace`): a Chromium performance trace of a few seconds, the
// page renderer's main-thread events summed by name — what CDP's metrics leave in "other" (paint, layerization,
// compositing commits, garbage collection) shows up here. The trace is kept for DevTools (Performance → Load profile).
import { writeFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";

export interface TraceSummary {
  readonly seconds: number;
  /** ms per second of the renderer main thread's events, by name, largest first (inclusive: nested events count in
   * their parent too). */
  readonly events: readonly { readonly name: string; readonly msPerSecond: number }[];
  readonly file: string;
}

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly dur?: number;
  readonly args?: { readonly name?: string };
}

/** Scheduler wrappers around every task: they say nothing about where the time went. */
const WRAPPERS = new Set([
  "RunTask",
  "ThreadControllerImpl::RunTask",
  "ThreadPool_RunTask",
  "SimpleWatcher::OnHandleReady",
]);
const CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel", "v8"];
const TOP = 12;

export async function traceMainThread(browser: Browser, page: Page, ms: number, file: string): Promise<TraceSummary> {
  await browser.startTracing(page, { categories: CATEGORIES });
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const buffer = await browser.stopTracing();
  const seconds = (performance.now() - t0) / 1000;
  await writeFile(file, buffer);
  const parsed = JSON.parse(buffer.toString("utf8")) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const mainThreads = new Set(
    events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`),
  );
  // The page's renderer is the busiest one (another may exist for an about:blank or a spare renderer).
  const busy = new Map<string, number>();
  const byName = new Map<string, Map<string, number>>();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (e.ph !== "X" || e.dur === undefined || !mainThreads.has(thread)) continue;
    busy.set(thread, (busy.get(thread) ?? 0) + (e.name === "ThreadControllerImpl::RunTask" ? e.dur : 0));
    if (WRAPPERS.has(e.name)) continue;
    const names = byName.get(thread) ?? new Map<string, number>();
    names.set(e.name, (names.get(e.name) ?? 0) + e.dur / 1000);
    byName.set(thread, names);
  }
  const [thread] = [...busy].sort((a, b) => b[1] - a[1])[0] ?? [];
  const names = thread === undefined ? new Map<string, number>() : (byName.get(thread) ?? new Map<string, number>());
  return {
    seconds,
    events: [...names]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([name, total]) => ({ name, msPerSecond: total / seconds })),
    file,
  };
}
