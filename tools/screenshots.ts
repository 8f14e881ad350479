// Takes a screenshot of every page of the web UI in both themes (docs/screenshots/<page>-<theme>.png) from a Fabrik
// server that is already running: `node tools/screenshots.ts --url http://127.0.0.1:8080 [--out dir] [--width 1440
// --height 900] [--token t]`. Starts nothing; uses the Chromium that the browser tests use.
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../test/support/browser.ts";

const PAGES = [
  { name: "overview", path: "/" },
  {
    name: "trends",
    path: "/trends?range=15m&tags=demo-plant/press/status/oilTemperature,demo-plant/press/status/pressure",
  },
  { name: "alerts", path: "/alerts" },
  // The editor's example script run, so that the picture shows a push query's rows arriving.
  { name: "sql", path: "/sql", run: true },
  { name: "connectors", path: "/connectors" },
  { name: "topics", path: "/topics" },
] as const;

const THEMES = ["dark", "light"] as const;

/** How long a page may take to show live data before it is photographed as it is. */
const LIVE_TIMEOUT_MS = 15_000;
/** After the feed is live: time for the first samples and the recent history to be drawn. */
const SETTLE_MS = 1500;

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: node tools/screenshots.ts --url <server url> [--out docs/screenshots]\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      out: { type: "string", default: "docs/screenshots" },
      width: { type: "string", default: "1440" },
      height: { type: "string", default: "900" },
      token: { type: "string" },
      page: { type: "string", multiple: true },
    },
  });
  if (values.url === undefined) usage("--url is required");
  const base = new URL(values.url);
  const width = Number(values.width);
  const height = Number(values.height);
  if (!Number.isInteger(width) || !Number.isInteger(height)) usage("--width and --height take whole pixels");
  const wanted = values.page === undefined ? PAGES : PAGES.filter((page) => values.page?.includes(page.name));
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });

  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    for (const theme of THEMES) {
      const context = await browser.newContext({
        viewport: { width, height },
        colorScheme: theme,
        extraHTTPHeaders: values.token === undefined ? {} : { Authorization: `Bearer ${values.token}` },
      });
      await context.addInitScript((chosen: string) => localStorage.setItem("fabrik.theme", chosen), theme);
      const page = await context.newPage();
      for (const entry of wanted) {
        await page.goto(new URL(entry.path, base).href);
        await page
          .locator('[data-testid="live-state"][data-state="live"]')
          .waitFor({ timeout: LIVE_TIMEOUT_MS })
          .catch(() => process.stderr.write(`${entry.name}: the live feed did not connect; photographed as it is\n`));
        if ("run" in entry) await page.locator(".cm-content").press("Control+Enter");
        await page.waitForTimeout(SETTLE_MS);
        const file = join(out, `${entry.name}-${theme}.png`);
        await page.screenshot({ path: file });
        process.stdout.write(`${file}\n`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
}

await main();
