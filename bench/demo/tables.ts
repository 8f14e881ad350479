// The tables bench/demo prints: start-up to the first live value (medians, then every run), the Overview's CPU with
// 500 tags at 1 Hz, and the record-to-DOM latency beside the live feed's share of it.
import { median, percentile, round, type Table } from "../support/benchmark.ts";
import type { LatencyRun, View, ViewCpu } from "./page-load.ts";
import { STEP_LINES, type StartRun, type StepName } from "./start-up.ts";

/** Other work took this many cores of the two: numbers of that window are not Fabrik's alone. */
const CONTENDED_CORES = 0.25;

const STEP_LABELS: Readonly<Record<StepName, string>> = {
  kafka: "Kafka reached (the bench's broker, already running)",
  reset: "--fresh: earlier topics and groups deleted",
  simulator: "simulator listening",
  connector: "connector running",
  sql: "SQL engine started",
  ui: "web UI server listening",
  pipeline: "pipeline applied",
};

const seconds = (ms: number | undefined) => round(ms === undefined ? undefined : ms / 1000, 2);

function medianOf(runs: readonly StartRun[], pick: (run: StartRun) => number | undefined): number | undefined {
  const values = runs.map(pick).filter((v): v is number => v !== undefined && !Number.isNaN(v));
  return values.length === 0 ? undefined : median(values);
}

function contended(what: string, cores: number | undefined): string[] {
  return cores !== undefined && cores > CONTENDED_CORES
    ? [`CONTENDED: other processes used ${round(cores, 2)} cores during ${what}; the machine was busy.`]
    : [];
}

export function startSummaryTable(runs: readonly StartRun[]): Table {
  const cold = runs.filter((r) => r.fresh);
  const warm = runs.filter((r) => !r.fresh);
  const row = (label: string, pick: (run: StartRun) => number | undefined) => [
    label,
    seconds(medianOf(cold, pick)),
    seconds(medianOf(warm, pick)),
  ];
  return {
    title: `Start-up: spawn of \`fabrik demo\` → first live value in the Overview, seconds (median of ${cold.length} cold, ${warm.length} warm runs)`,
    columns: ["", "cold (--fresh)", "warm"],
    rows: [
      ...STEP_LINES.map((s) => row(`progress line: ${STEP_LABELS[s.step]}`, (r) => r.steps[s.step])),
      row('"Fabrik demo is ready."', (r) => r.readyMs),
      row("web UI address printed (page opened)", (r) => r.urlMs),
      row("first live value in the Overview's DOM", (r) => r.firstValueMs),
      row("  of which address → first value", (r) => r.firstValueMs - r.urlMs),
      row("Ctrl-C → process gone", (r) => r.stopMs),
    ],
    notes: [
      "Each run spawns `node src/cli/main.ts demo --bootstrap <the bench's broker>` with every port 0 and FABRIK_STATE_DIR of a temporary folder (the same for every run); `npm start` adds npm's own start and tools/setup.sh's checks, not measured here.",
      "Cold: --fresh deletes the demo's topics, consumer groups, SQL service and connector buffer first, so the connector, the engine's command topic and all 30 streams, tables and queries start from nothing. The broker itself is already running (started once by the benchmark, or the cluster of --bootstrap): a first `npm start` that has to fetch and start Apache Kafka takes longer by that. Warm: a second run over what the previous one left.",
      "Browser: one headless Chromium launched before the runs (not counted), a new context per run (empty cache, as a first visit), 1440×900; the page is opened when the address is printed, and the first live value is the first tag row whose hover text gives a sample time after the spawn (a warm start first shows the previous run's last samples, which do not count), timed by a MutationObserver with the page's Date.now().",
      ...runs.flatMap((r, i) => contended(`run ${i + 1}`, r.othersCores)),
    ],
  };
}

export function startRunsTable(runs: readonly StartRun[]): Table {
  return {
    title: "Start-up, every run",
    columns: [
      "run",
      "kind",
      "ready s",
      "address s",
      "first value s",
      "address → value ms",
      "first tag shown",
      "its sample's age ms",
      "Ctrl-C → gone s",
      "others cores",
    ],
    rows: runs.map((r, i) => [
      i + 1,
      r.fresh ? "cold" : "warm",
      seconds(r.readyMs),
      seconds(r.urlMs),
      seconds(r.firstValueMs),
      round(r.firstValueMs - r.urlMs),
      r.firstTag,
      round(r.firstSampleAgeMs),
      seconds(r.stopMs),
      round(r.othersCores, 2),
    ]),
    notes: ["others cores: CPU of processes this benchmark did not start, spawn to first value (/proc)."],
  };
}

const VIEW_LABELS: Readonly<Record<View, string>> = {
  cards: "cards (/), 1440×900",
  table: "table (/?view=table), 1440×900",
  "cards-tall": "cards (/), 1440×5800: every card on screen",
};

const percent = (share: number | undefined) => round(share === undefined ? undefined : share * 100, 1);

export function cpuTable(views: readonly ViewCpu[], tags: number, problems: readonly string[]): Table {
  return {
    title: `Browser CPU: the Overview with ${tags} tags updating once a second (20 machines × 25 tags, simulated://)`,
    columns: [
      "view",
      "s",
      "main thread busy, % of a core",
      "script %",
      "layout %",
      "style %",
      "rest % (paint, compositing, GC)",
      "all Chromium, % of a core",
      "values in the DOM",
      "tag values read/s",
      "JS heap MB",
      "DOM nodes",
      "connector + server cores",
      "broker cores",
      "others cores",
    ],
    rows: views.map((v) => [
      VIEW_LABELS[v.view],
      round(v.seconds, 1),
      percent(v.task),
      percent(v.script),
      percent(v.layout),
      percent(v.style),
      percent(v.task - v.script - v.layout - v.style),
      percent(v.chromiumCores),
      v.valueCells,
      round(v.valuesPerSecond),
      round(v.jsHeapMb, 1),
      v.domNodes,
      round(v.serverCores, 2),
      round(v.brokerCores, 2),
      round(v.othersCores, 2),
    ]),
    notes: [
      "main thread busy: the page's renderer main thread, CDP Performance.getMetrics TaskDuration over the window (ScriptDuration, LayoutDuration, RecalcStyleDuration are parts of it), after the page had shown values for 5 s. These are wall-clock durations of the thread's tasks: on a busy machine they include time the thread waited for a core, so they can exceed the CPU that /proc counts.",
      "all Chromium: CPU of every Chromium process (browser, renderer, GPU process — software compositing, --disable-gpu — and utilities) from /proc, one page open.",
      "values in the DOM: tag value cells with text at the end of the window. The card view renders live rows only for cards in view (the others show still placeholders); the table view draws only the rows in view. The CPU is what those cost plus applying every sample to the page's state. The tall window puts every card in view: the cost of all 500 rows live, an upper bound for the card view.",
      "Server side: a connect worker in the bench process samples tags-500.yaml and the Fabrik server (startFabrikServer) serves the built UI and the live feed; no simulator, SQL engine or demo plant.",
      ...views.flatMap((v) => contended(`the ${v.view} view's window`, v.othersCores)),
      ...problems.map((p) => `server log: ${p}`),
    ],
  };
}

/** Per view traced (--trace): the main thread's busiest events. */
export function traceTables(views: readonly ViewCpu[]): Table[] {
  return views.flatMap((v) =>
    v.trace === undefined
      ? []
      : [
          {
            title: `Where the main thread's time goes, ${VIEW_LABELS[v.view]} (trace of ${round(v.trace.seconds, 1)} s: ${v.trace.file})`,
            columns: ["event", "ms per second"],
            rows: v.trace.events.map((e) => [e.name, round(e.msPerSecond, 1)]),
            notes: [
              "Inclusive times of the page renderer's main-thread events (a FunctionCall inside FireAnimationFrame counts in both); the scheduler's RunTask wrappers left out. Tracing slows the page a little.",
            ],
          },
        ],
  );
}

export function latencyTable(run: LatencyRun, problems: readonly string[]): Table {
  const line = (label: string, values: readonly number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return [
      label,
      values.length,
      round(values.length / run.seconds, 1),
      round(percentile(sorted, 50)),
      round(percentile(sorted, 95)),
      round(percentile(sorted, 99)),
      round(sorted.at(-1)),
    ];
  };
  return {
    title: `Record-to-DOM latency: sample time (= Kafka record timestamp) → the Overview's row changed, card view, ${round(run.seconds, 1)} s`,
    columns: ["", "count", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms"],
    rows: [
      line(`row changes in the DOM (${run.liveRows} live rows: ${run.liveSources.join(", ")})`, run.dom),
      line(`the same machines' job samples as the live feed delivers them (SSE read in Node)`, run.feed),
    ],
    notes: [
      "Sample time: when the connector asked the PLC (the simulated read takes microseconds), which the job record carries as its Kafka timestamp; the poll interval is not in it. DOM time: Date.now() in a MutationObserver callback for the row's title change, which happens in the same render as its value; same machine clock.",
      "What it is made of: the connector's linger (5 ms) and buffer append, the transactional produce and commit (read_committed readers see a record only after its commit marker), the server's Kafka reader (a fetch the broker holds up to 500 ms and answers as soon as records are there), the live feed's batching (a sample waits up to 100 ms for its batch), SSE over loopback; then in the page: EventSource, the batch applied once per animation frame (≤ 16.7 ms), and Preact rendering the changed rows. The second line ends at the SSE arrival in Node: the difference is the browser's share.",
      ...(run.unparsed > 0 ? [`${run.unparsed} row changes had no readable sample time and are left out.`] : []),
      ...problems.map((p) => `server log: ${p}`),
    ],
  };
}
