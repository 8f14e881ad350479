// Part 1 of bench/demo: `fabrik demo` from spawn to the first live value in the Overview — each step's progress line,
// the ready block, the UI's address, and the first tag row showing a sample taken after the spawn, in a headless page
// opened as soon as the address is printed; then Ctrl-C until the process is gone.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import type { Browser } from "playwright-core";
import type { UsedKafka } from "../../src/kafka/index.ts";
import { machineBusyCpuSeconds } from "../support/proc-cpu.ts";
import { VIEWPORT } from "./browser.ts";
import { installProbe, waitForFirstLive } from "./probe.ts";
import { treeCpuSeconds } from "./process-tree.ts";

const FABRIK_MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;

/** The demo's progress lines, by what they start with (src/demo/run.ts), in start order. */
export const STEP_LINES = [
  { step: "kafka", prefix: "Kafka:" },
  { step: "reset", prefix: "fresh start:" },
  { step: "simulator", prefix: "simulator:" },
  { step: "connector", prefix: "connector:" },
  { step: "sql", prefix: "SQL engine:" },
  { step: "ui", prefix: "web UI:" },
  { step: "pipeline", prefix: "pipeline:" },
] as const;
export type StepName = (typeof STEP_LINES)[number]["step"];

/** The ready block's first line starts so (src/cli/demo.ts). */
const READY = "Fabrik demo is ready.";
const URL_LINE = /^Open the web UI: (http:\/\/\S+)$/;
const READY_TIMEOUT_MS = 300_000;
const FIRST_VALUE_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 60_000;

export class DemoStartError extends Error {
  readonly code = "BENCH_DEMO_START";
}

export interface StartRun {
  readonly fresh: boolean;
  /** ms from spawn to each step's progress line. */
  readonly steps: Readonly<Partial<Record<StepName, number>>>;
  readonly readyMs: number;
  readonly urlMs: number;
  /** ms from spawn to the first tag row showing a sample taken after the spawn (the page's clock, same machine). */
  readonly firstValueMs: number;
  readonly firstTag: string;
  /** How old that sample was when it was shown. */
  readonly firstSampleAgeMs: number;
  /** ms from SIGINT to the process's exit. */
  readonly stopMs: number;
  /** Cores used meanwhile (spawn to first value) by processes this benchmark did not start; undefined without /proc. */
  readonly othersCores: number | undefined;
}

export interface StartOptions {
  readonly kafka: UsedKafka;
  readonly browser: Browser;
  readonly fresh: boolean;
  /** FABRIK_STATE_DIR of every run: the connector's buffer and the demo's log stay between a cold and a warm run. */
  readonly stateDir: string;
  readonly log: (line: string) => void;
}

/** Lines of a child's stdout as they arrive, each with the ms since `t0` (performance.now()) it arrived at. */
function timedLines(child: ChildProcess, t0: number, onLine: (line: string, ms: number) => void): void {
  let pending = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const ms = performance.now() - t0;
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) onLine(line, ms);
  });
}

export async function measureStart(options: StartOptions): Promise<StartRun> {
  const context = await options.browser.newContext({ viewport: VIEWPORT });
  try {
    const spawnedAt = Date.now();
    await installProbe(context, spawnedAt);
    const page = await context.newPage();
    const args = [FABRIK_MAIN, "demo", "--bootstrap", options.kafka.config.bootstrapServers.join(",")];
    if (options.fresh) args.push("--fresh");
    for (const port of ["--modbus-port", "--connect-port", "--sql-port", "--ui-port"]) args.push(port, "0");
    const machine0 = machineBusyCpuSeconds();
    const ours0 = treeCpuSeconds(process.pid);
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, FABRIK_STATE_DIR: options.stateDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const exited = once(child, "exit");
    try {
      const steps: Partial<Record<StepName, number>> = {};
      let readyMs: number | undefined;
      const printed = new Promise<{ url: string; ms: number }>((resolve, reject) => {
        timedLines(child, t0, (line, ms) => {
          const text = line.replace(/^fabrik demo: /, "");
          const step = STEP_LINES.find((s) => text.startsWith(s.prefix));
          if (step !== undefined) steps[step.step] ??= ms;
          if (line.startsWith(READY)) readyMs ??= ms;
          const url = URL_LINE.exec(line.trim());
          if (url?.[1] !== undefined) resolve({ url: url[1], ms });
        });
        exited.then(
          ([code]) =>
            reject(new DemoStartError(`fabrik demo exited with ${code} before printing its address:\n${stderr}`)),
          reject,
        );
        setTimeout(
          () => reject(new DemoStartError(`fabrik demo printed no address in ${READY_TIMEOUT_MS / 1000} s`)),
          READY_TIMEOUT_MS,
        ).unref();
      });
      const { url, ms: urlMs } = await printed;
      await page.goto(url, { waitUntil: "commit" });
      const probe = await waitForFirstLive(page, FIRST_VALUE_TIMEOUT_MS);
      const firstValueMs = (probe.firstLiveAt ?? Number.NaN) - spawnedAt;
      const machine1 = machineBusyCpuSeconds();
      const ours1 = treeCpuSeconds(process.pid);
      const seconds = firstValueMs / 1000;
      const othersCores =
        machine0 === undefined || machine1 === undefined || ours0 === undefined || ours1 === undefined
          ? undefined
          : Math.max(0, machine1 - machine0 - (ours1 - ours0)) / seconds;
      const stopMs = await stop(child, exited);
      options.log(
        `${options.fresh ? "cold" : "warm"}: ready ${(readyMs ?? Number.NaN) / 1000} s, first live value ` +
          `${firstValueMs / 1000} s (${probe.firstTag}), stopped in ${stopMs / 1000} s`,
      );
      return {
        fresh: options.fresh,
        steps,
        readyMs: readyMs ?? Number.NaN,
        urlMs,
        firstValueMs,
        firstTag: probe.firstTag ?? "",
        firstSampleAgeMs: (probe.firstLiveAt ?? Number.NaN) - (probe.firstTs ?? Number.NaN),
        stopMs,
        othersCores,
      };
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  } finally {
    await context.close();
  }
}

/** Ctrl-C as a person gives it; ms until the process exited. Fails if it does not within the timeout. */
async function stop(child: ChildProcess, exited: Promise<unknown[]>): Promise<number> {
  const t = performance.now();
  child.kill("SIGINT");
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new DemoStartError("fabrik demo did not exit within 60 s of Ctrl-C")),
      STOP_TIMEOUT_MS,
    ).unref(),
  );
  const [code] = await Promise.race([exited, timeout]);
  if (code !== 0) throw new DemoStartError(`fabrik demo exited with ${String(code)} after Ctrl-C`);
  return performance.now() - t;
}
