// Parts 2 and 3 of bench/demo, against the 500-tag live server: the Overview's main-thread busy time per second (CDP's
// Performance.getMetrics, card view and table view) and all of Chromium's CPU from /proc; then the record-to-DOM
// latency of every row change in the card view, beside the age of the same samples as the live feed delivers them.
import { setTimeout as delay } from "node:timers/promises";
import type { Browser, Page } from "playwright-core";
import type { UsedKafka } from "../../src/kafka/index.ts";
import { machineBusyCpuSeconds, processCpuSeconds } from "../support/proc-cpu.ts";
import { type BenchBrowser, VIEWPORT } from "./browser.ts";
import type { LiveServer } from "./live-server.ts";
import { installProbe, readProbe, recordLatencies } from "./probe.ts";
import { treeCpuSeconds } from "./process-tree.ts";
import { SseArrivals } from "./sse-arrivals.ts";
import { type TraceSummary, traceMainThread } from "./trace.ts";

/** Cards and table at the browser tests' 1440×900; cards in a window tall enough for every card (all 500 rows live). */
export type View = "cards" | "table" | "cards-tall";
export const VIEWS: readonly View[] = ["cards", "table", "cards-tall"];

/** Every card of tags-500.yaml on screen at 1440 px: 7 rows of 3 cards, each row about 800 px. */
const TALL_VIEWPORT = { width: VIEWPORT.width, height: 5800 } as const;

/** After the first value: the history replayed, every card's rows mounted, the sparklines full enough. */
const SETTLE_MS = 5000;
const LIVE_TIMEOUT_MS = 30_000;

export interface ViewCpu {
  readonly view: View;
  readonly seconds: number;
  /** Share of one core (0..1) the page's main thread was busy, and in script, layout and style recalculation. */
  readonly task: number;
  readonly script: number;
  readonly layout: number;
  readonly style: number;
  /** Cores used by every Chromium process (browser, renderer, GPU, utilities). */
  readonly chromiumCores: number | undefined;
  /** Cores used by this process: the connector sampling 500 tags, the server and its Kafka reader, CDP. */
  readonly serverCores: number;
  readonly brokerCores: number | undefined;
  /** Cores used by processes this benchmark did not start. */
  readonly othersCores: number | undefined;
  /** Tag values the connector read per second in the window. */
  readonly valuesPerSecond: number;
  /** Tag value cells in the DOM at the end of the window (cards off screen and table rows out of view have none). */
  readonly valueCells: number;
  readonly jsHeapMb: number;
  readonly domNodes: number;
  readonly trace?: TraceSummary;
}

interface Mark {
  readonly metrics: ReadonlyMap<string, number>;
  readonly chromium: number | undefined;
  readonly self: number;
  readonly broker: number | undefined;
  readonly ours: number | undefined;
  readonly machine: number | undefined;
  readonly values: number;
}

async function openOverview(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number },
  probeAfter?: number,
): Promise<Page> {
  const context = await browser.newContext({ viewport });
  if (probeAfter !== undefined) await installProbe(context, probeAfter);
  const page = await context.newPage();
  await page.goto(url);
  await page
    .locator('[data-testid="tag-value"]')
    .filter({ hasText: /\S/ })
    .first()
    .waitFor({ timeout: LIVE_TIMEOUT_MS });
  await delay(SETTLE_MS);
  return page;
}

export interface ViewOptions {
  readonly view: View;
  readonly windowMs: number;
  /** After the window, trace the main thread this long into this file (--trace). */
  readonly trace?: { readonly file: string; readonly ms: number };
}

export async function measureView(
  chromium: BenchBrowser,
  kafka: UsedKafka,
  server: LiveServer,
  options: ViewOptions,
  log: (line: string) => void,
): Promise<ViewCpu> {
  const { view, windowMs } = options;
  const page = await openOverview(
    chromium.browser,
    view === "table" ? `${server.url}/?view=table` : server.url,
    view === "cards-tall" ? TALL_VIEWPORT : VIEWPORT,
  );
  try {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const mark = async (): Promise<Mark> => {
      const { metrics } = await cdp.send("Performance.getMetrics");
      const cpu = process.cpuUsage();
      return {
        metrics: new Map(metrics.map((m) => [m.name, m.value])),
        chromium: chromium.pid === undefined ? undefined : treeCpuSeconds(chromium.pid),
        self: (cpu.user + cpu.system) / 1e6,
        broker: kafka.broker === undefined ? undefined : processCpuSeconds(kafka.broker.state.pid),
        ours: treeCpuSeconds(process.pid),
        machine: machineBusyCpuSeconds(),
        values: await server.valuesRead(),
      };
    };
    log(`browser CPU, ${view} view: ${windowMs / 1000} s`);
    const start = await mark();
    await delay(windowMs);
    const end = await mark();
    const metric = (name: string) => (end.metrics.get(name) ?? 0) - (start.metrics.get(name) ?? 0);
    const seconds = metric("Timestamp");
    const cores = (a: number | undefined, b: number | undefined) =>
      a === undefined || b === undefined ? undefined : (b - a) / seconds;
    const machine = cores(start.machine, end.machine);
    const ours = cores(start.ours, end.ours);
    const valueCells = await page
      .locator('[data-testid="tag-value"]')
      .evaluateAll((cells) => cells.filter((cell) => (cell.textContent ?? "").trim() !== "").length);
    const trace =
      options.trace === undefined
        ? undefined
        : await traceMainThread(chromium.browser, page, options.trace.ms, options.trace.file);
    return {
      view,
      seconds,
      task: metric("TaskDuration") / seconds,
      script: metric("ScriptDuration") / seconds,
      layout: metric("LayoutDuration") / seconds,
      style: metric("RecalcStyleDuration") / seconds,
      chromiumCores: cores(start.chromium, end.chromium),
      serverCores: (end.self - start.self) / seconds,
      brokerCores: cores(start.broker, end.broker),
      othersCores: machine === undefined || ours === undefined ? undefined : Math.max(0, machine - ours),
      valuesPerSecond: (end.values - start.values) / seconds,
      valueCells,
      jsHeapMb: (end.metrics.get("JSHeapUsedSize") ?? 0) / 1e6,
      domNodes: end.metrics.get("Nodes") ?? 0,
      ...(trace === undefined ? {} : { trace }),
    };
  } finally {
    await page.context().close();
  }
}

export interface LatencyRun {
  readonly seconds: number;
  /** DOM time − sample time per row change in the card view (ms). */
  readonly dom: readonly number[];
  /** Row changes whose sample time could not be read from the row. */
  readonly unparsed: number;
  /** Arrival time − sample time per job sample in the live feed read from Node (ms), of the machines whose rows were
   * live in the page. */
  readonly feed: readonly number[];
  readonly liveSources: readonly string[];
  /** Live tag rows in the DOM (cards far off screen show still placeholders instead). */
  readonly liveRows: number;
}

export async function measureLatency(
  chromium: BenchBrowser,
  server: LiveServer,
  windowMs: number,
  log: (line: string) => void,
): Promise<LatencyRun> {
  const page = await openOverview(chromium.browser, server.url, VIEWPORT, 0);
  const feed = new SseArrivals(server.url);
  try {
    await delay(SETTLE_MS);
    log(`record-to-DOM latency, cards view: ${windowMs / 1000} s`);
    const t0 = performance.now();
    feed.record(true);
    await recordLatencies(page, true);
    await delay(windowMs);
    await recordLatencies(page, false);
    feed.record(false);
    const seconds = (performance.now() - t0) / 1000;
    const probe = await readProbe(page);
    const liveRows = await page.locator('[data-testid="tag-row"]').count();
    const liveSources = await page
      .locator('[data-testid="machine"]')
      .evaluateAll((cards) =>
        cards
          .filter((card) => card.querySelector('[data-testid="tag-row"]') !== null)
          .map((card) => card.getAttribute("data-source") ?? ""),
      );
    const shown = feed.ages.filter((age) => liveSources.includes(age.source)).map((age) => age.ms);
    return { seconds, dom: probe.latencies, unparsed: probe.unparsed, feed: shown, liveSources, liveRows };
  } finally {
    await feed.close();
    await page.context().close();
  }
}
