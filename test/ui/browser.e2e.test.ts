// The web UI in a real browser against the running demo: `fabrik demo` (simulator → connector → Kafka → SQL → UI) on
// the test broker, Debian's Chromium through Playwright, and each page's check (test/ui/pages/) in turn — the pages
// load, live values change, a setpoint set from the overview reads back, a push query shows rows, an invalid statement
// shows its error at its place, an alert is acknowledged, pausing the connector changes its state. Any uncaught error
// in the page fails its check.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../support/browser.ts";
import { FABRIK_MAIN, fabrikEnv } from "../support/cli.ts";
import { whenEvent } from "../support/events.ts";
import { testKafka } from "../support/kafka.ts";
import { checkAlerts } from "./pages/alerts.ts";
import { checkConnectors } from "./pages/connectors.ts";
import { checkOverview } from "./pages/overview.ts";
import { checkSql } from "./pages/sql.ts";
import { checkTopics } from "./pages/topics.ts";
import { checkTrends } from "./pages/trends.ts";
import { checkWrite } from "./pages/write.ts";

type Check = (page: Page, ctx: { baseUrl: string }) => Promise<void>;

const kafka = testKafka();
const scratch = await mkdtemp(join(tmpdir(), "fabrik-ui-e2e-"));
let demo: ChildProcess | undefined;
let baseUrl = "";

before(async () => {
  // A fault and more speed, so that the Alerts page has an alert within a minute or two (docs/demo.md).
  const args = ["demo", "--fresh", "--bootstrap", kafka.bootstrapServers.join(","), "--fault", "conveyor.bearing"];
  const ports = ["--modbus-port", "0", "--s7-port", "0", "--connect-port", "0", "--sql-port", "0", "--ui-port", "0"];
  const child = spawn(process.execPath, [FABRIK_MAIN, ...args, "--speed", "20", ...ports], {
    env: fabrikEnv({ FABRIK_STATE_DIR: scratch }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  demo = child;
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  const ready = /Open the web UI: (http:\/\/127\.0\.0\.1:\d+)\n/;
  await Promise.race([
    whenEvent("the demo to print its web UI address", [child.stdout!], "data", () => ready.test(out), 120_000),
    once(child, "exit").then(([code]) => {
      throw new Error(`fabrik demo exited with ${code} before it was ready:\n${out}\n${err}`);
    }),
  ]);
  baseUrl = ready.exec(out)![1]!;
});

after(async () => {
  if (demo !== undefined && demo.exitCode === null) {
    const exited = once(demo, "exit");
    demo.kill("SIGINT");
    await exited;
  }
  await rm(scratch, { recursive: true, force: true });
});

/** Runs one page's check in a page of its own, failing on anything the page throws or logs as an error. */
async function onPage(browser: Browser, check: Check): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  page.on("console", (message) => {
    // Chromium logs every 4xx answer as an error; the checks provoke some on purpose (an invalid statement is a 400).
    // Server errors (5xx) and the page's own errors still count.
    const text = message.text();
    if (
      message.type() === "error" &&
      !/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)
    ) {
      problems.push(`console.error: ${text}`);
    }
  });
  try {
    await check(page, { baseUrl });
  } finally {
    await context.close();
  }
  assert.deepEqual(problems, [], "the page ran without errors");
}

test("the web UI against the running demo", async (t) => {
  const browser = await launchBrowser(t);
  await t.test("Overview: every machine with its protocol, live values changing, quality shown", () =>
    onPage(browser, checkOverview),
  );
  await t.test("Overview: a setpoint set through its dialog reaches the press and reads back", () =>
    onPage(browser, checkWrite),
  );
  await t.test("Trends: a tag's series drawn, a new range fetched", () => onPage(browser, checkTrends));
  await t.test("SQL: a push query streams rows; an invalid statement shows its error at its place", () =>
    onPage(browser, checkSql),
  );
  await t.test("Topics: a plant topic's messages arrive live", () => onPage(browser, checkTopics));
  await t.test("Alerts: an alert appears and is acknowledged, in Kafka", () => onPage(browser, checkAlerts));
  await t.test("Connectors: pausing the connector changes its state, resuming restores it", () =>
    onPage(browser, checkConnectors),
  );
});
