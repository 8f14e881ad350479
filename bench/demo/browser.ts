// The headless Chromium bench/demo drives: the browser tests' binary and switches (test/support/browser.ts), one
// browser for the whole benchmark, with the pid of its browser process so its CPU can be read from /proc.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../test/support/browser.ts";
import { childProcess } from "./process-tree.ts";

/** The browser tests' window size: a laptop screen. */
export const VIEWPORT = { width: 1440, height: 900 } as const;

export class NoChromiumError extends Error {
  readonly code = "BENCH_DEMO_NO_CHROMIUM";
}

export interface BenchBrowser {
  readonly browser: Browser;
  /** Chromium's browser process (its renderers and GPU process run below it); undefined when not found. */
  readonly pid: number | undefined;
}

export async function launchChromium(): Promise<BenchBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new NoChromiumError(
      `no Chromium at ${CHROMIUM_PATH}: run \`sh tools/setup-browser.sh\` (Debian: apt-get install chromium)`,
    );
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  return { browser, pid: childProcess("chromium") };
}
