// Browser check of the plant overview (`/`) against a running demo: every machine listed with its protocol and
// connection, a live value that changes within seconds, each tag's quality shown, and a tag opening in Trends.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { pollUntil } from "./poll.ts";

/** The demo plant's machines (examples/demo-plant/connect.yaml). */
const DEMO_MACHINES = ["press", "conveyor", "energy", "robot", "packer", "palletizer", "environment"];
const PROTOCOL_NAMES = /Modbus|S7|OPC UA|ADS|EtherNet\/IP|Logix|MQTT|Sparkplug|Simulated/;
const LIVE_TIMEOUT_MS = 20_000;

export async function checkOverview(page: Page, ctx: { baseUrl: string }): Promise<void> {
  await page.goto(new URL("/", ctx.baseUrl).href);
  await page.locator('[data-testid="live-state"][data-state="live"]').waitFor({ timeout: LIVE_TIMEOUT_MS });

  // Every machine, with a protocol named the way people say it.
  for (const machine of DEMO_MACHINES) {
    const card = page.locator(`[data-testid="machine"][data-source="${machine}"]`);
    await card.waitFor({ timeout: LIVE_TIMEOUT_MS });
    const protocol = (await card.getByTestId("machine-protocol").textContent()) ?? "";
    assert.match(protocol, PROTOCOL_NAMES, `${machine}: protocol "${protocol}"`);
  }

  // The connection state comes from the health feed.
  const press = page.locator('[data-testid="machine"][data-source="press"]');
  await press.locator('[data-testid="connection-state"][data-state="connected"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
  await pollUntil(
    () => press.getByTestId("poll-latency").textContent(),
    (text) => /\d/.test(text ?? ""),
    "the press's poll latency",
  );

  // A live value changes within a few seconds: the sequence number counts once per simulator tick.
  const sequence = press.locator('[data-testid="tag-row"][data-tag$="/sequence"] [data-testid="tag-value"]');
  const first = await pollUntil(
    () => sequence.textContent(),
    (text) => /\d/.test(text ?? ""),
    "the press's sequence",
  );
  await pollUntil(
    () => sequence.textContent(),
    (text) => text !== first,
    `the sequence to move on from ${first}`,
    10_000,
  );

  // Quality is shown for every tag that has a value (icon with GOOD/BAD/UNCERTAIN as its label and data).
  const qualities = await press.locator('[data-testid="tag-quality"][data-quality]').evaluateAll((marks) =>
    marks.map((mark) => ({
      quality: mark.getAttribute("data-quality"),
      label: mark.querySelector("svg")?.getAttribute("aria-label") ?? "",
    })),
  );
  const tagCount = await press.locator('[data-testid="tag-row"]').count();
  assert.ok(tagCount >= 5, `press shows ${tagCount} tags`);
  assert.equal(qualities.length, tagCount, "a quality mark on every tag of the press");
  for (const { quality, label } of qualities) {
    assert.match(quality ?? "", /^(GOOD|BAD|UNCERTAIN)$/);
    assert.ok(label.includes(quality ?? "?"), `the quality icon says ${quality}: "${label}"`);
  }

  // The filter narrows the machines, and a tag opens in Trends.
  await page.getByTestId("overview-filter").fill("conveyor vibration");
  await pollUntil(
    () => page.getByTestId("machine").count(),
    (count) => count === 1,
    "one machine left by the filter",
  );
  const vibration = page.locator('[data-testid="tag-row"][data-tag$="/conveyor/status/vibration"]');
  await vibration.click();
  await page.waitForURL(
    (url) => url.pathname === "/trends" && (url.searchParams.get("tags") ?? "").endsWith("/vibration"),
  );
  await page.locator('[data-testid="legend-row"]').first().waitFor();
}
