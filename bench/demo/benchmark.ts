// The demo's and the web UI's benchmark (issue 6): (1) `fabrik demo` from spawn to the first live value in the
// Overview, cold (--fresh) and warm; (2) the Overview's CPU in headless Chromium with 500 tags updating at 1 Hz, card
// view, table view and cards with every card on screen; (3) record-to-DOM latency p50/p95/p99 of those tags.
//   npm run bench demo [-- --quick --only=start,cpu,latency --runs=3 --window=30 --trace]
//   (run through bench/demo.ts by bench/run.ts)
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Benchmark, Table } from "../support/benchmark.ts";
import { launchChromium } from "./browser.ts";
import { startLiveServer } from "./live-server.ts";
import { type LatencyRun, measureLatency, measureView, VIEWS, type ViewCpu } from "./page-load.ts";
import { measureStart, type StartRun } from "./start-up.ts";
import { cpuTable, latencyTable, startRunsTable, startSummaryTable, traceTables } from "./tables.ts";

type Part = "start" | "cpu" | "latency";
const PARTS: readonly Part[] = ["start", "cpu", "latency"];
const TRACE_MS = 5000;
const UI_INDEX = new URL("../../ui/dist/index.html", import.meta.url).pathname;

export class BenchDemoFlagError extends Error {
  readonly code = "BENCH_DEMO_FLAG";
}

export class UiNotBuiltError extends Error {
  readonly code = "BENCH_DEMO_UI_NOT_BUILT";
}

interface Flags {
  readonly parts: readonly Part[];
  /** Cold and warm starts each (alternating, a cold one first). */
  readonly runs: number;
  readonly windowMs: number;
  /** A main-thread trace of each view after its window, kept in bench/results and summarized. */
  readonly trace: boolean;
}

function flags(quick: boolean): Flags {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: false,
    options: {
      only: { type: "string" },
      runs: { type: "string" },
      window: { type: "string" },
      trace: { type: "boolean" },
    },
  });
  const parts = typeof values.only === "string" ? values.only.split(",") : PARTS;
  for (const part of parts) {
    if (!PARTS.includes(part as Part)) {
      throw new BenchDemoFlagError(`--only: '${part}' is not one of ${PARTS.join(", ")}`);
    }
  }
  const whole = (name: string, value: unknown, fallback: number, min: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new BenchDemoFlagError(`--${name}: expected a whole number ≥ ${min}`);
    return n;
  };
  return {
    parts: parts as Part[],
    runs: whole("runs", values.runs, quick ? 1 : 3, 1),
    windowMs: whole("window", values.window, quick ? 8 : 30, 1) * 1000,
    trace: values.trace === true,
  };
}

const benchmark: Benchmark = {
  name: "demo",
  description:
    "fabrik demo start to first live value (cold, warm); Overview CPU with 500 tags at 1 Hz; record-to-DOM p95",
  needsKafka: true,
  async run({ kafka, log, quick }) {
    if (!kafka) throw new Error("the demo benchmark needs Kafka");
    const f = flags(quick);
    if (!existsSync(UI_INDEX)) {
      throw new UiNotBuiltError("the web UI is not built: run `npm run build:ui` (npm start does it) first");
    }
    if (f.trace) await mkdir("bench/results", { recursive: true });
    const chromium = await launchChromium();
    const tables: Table[] = [];
    try {
      if (f.parts.includes("start")) {
        const stateDir = await mkdtemp(join(tmpdir(), "fabrik-bench-demo-state-"));
        try {
          const runs: StartRun[] = [];
          for (let i = 0; i < f.runs; i++) {
            for (const fresh of [true, false]) {
              runs.push(await measureStart({ kafka, browser: chromium.browser, fresh, stateDir, log }));
            }
          }
          tables.push(startSummaryTable(runs), startRunsTable(runs));
        } finally {
          await rm(stateDir, { recursive: true, force: true });
        }
      }
      if (f.parts.includes("cpu") || f.parts.includes("latency")) {
        const server = await startLiveServer(kafka, log);
        let views: ViewCpu[] | undefined;
        let latency: LatencyRun | undefined;
        try {
          if (f.parts.includes("cpu")) {
            views = [];
            for (const view of VIEWS) {
              const trace = f.trace
                ? { file: join("bench/results", `demo-${view}-${Date.now()}.trace.json`), ms: TRACE_MS }
                : undefined;
              views.push(await measureView(chromium, kafka, server, { view, windowMs: f.windowMs, trace }, log));
            }
          }
          if (f.parts.includes("latency")) latency = await measureLatency(chromium, server, f.windowMs, log);
        } finally {
          await server.close();
        }
        // What the connector or the server warned about goes under the last table, once.
        if (views !== undefined) {
          tables.push(cpuTable(views, server.tags, latency === undefined ? server.problems : []));
          tables.push(...traceTables(views));
        }
        if (latency !== undefined) tables.push(latencyTable(latency, server.problems));
      }
    } finally {
      await chromium.browser.close();
    }
    return tables;
  },
};

export default benchmark;
