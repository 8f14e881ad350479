// Debian's Chromium driven by Playwright (playwright-core, which downloads no browser of its own), headless and with
// everything that would reach outside loopback turned off, for the browser tests of the web UI.
import { existsSync } from "node:fs";
import type { TestContext } from "node:test";
import { type Browser, chromium } from "playwright-core";

/** Where `tools/setup-browser.sh` (run by `npm test`) installs Chromium; FABRIK_CHROMIUM overrides it. */
export const CHROMIUM_PATH = process.env.FABRIK_CHROMIUM ?? "/usr/bin/chromium";

/** Chromium's switches for tests and tools: headless, and nothing that reaches beyond loopback. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-extensions",
  "--metrics-recording-only",
  "--no-default-browser-check",
];

/** A headless Chromium closed when the test ends. Fails (never skips) when Chromium is missing, saying how to get it. */
export async function launchBrowser(t: TestContext): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: run \`sh tools/setup-browser.sh\` (Debian: apt-get install chromium)`,
    );
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  return browser;
}
