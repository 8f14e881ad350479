// Browser checks of Trends (`/trends`) against a running demo: ticking a tag draws a series with points (history plus
// live), and changing the time range asks the history again for the new window. measureTrendsFrames() times the
// chart with 100,000 points (the history answered by the browser itself, so any running server will do).
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { pollUntil } from "./poll.ts";

const TIMEOUT_MS = 20_000;
const PRESSURE = '[data-testid="pick-tag"][data-tag$="/press/status/pressure"]';
const PRESSURE_ROW = '[data-testid="legend-row"][data-series$="/press/status/pressure"]';

function historyWindow(url: string): { from: number; to: number; points: number } {
  const params = new URL(url).searchParams;
  return { from: Number(params.get("from")), to: Number(params.get("to")), points: Number(params.get("points")) };
}

export async function checkTrends(page: Page, ctx: { baseUrl: string }): Promise<void> {
  await page.goto(new URL("/trends", ctx.baseUrl).href);
  await page.getByTestId("trends-empty").waitFor({ timeout: TIMEOUT_MS });

  // Ticking a tag asks its history for the default hour and draws it.
  const asked = page.waitForRequest((request) => request.url().includes("/api/history?"), { timeout: TIMEOUT_MS });
  await page.locator(PRESSURE).check({ timeout: TIMEOUT_MS });
  const first = historyWindow((await asked).url());
  assert.ok(Math.abs(first.to - first.from - 3_600_000) < 5_000, `an hour: ${JSON.stringify(first)}`);
  assert.equal(first.points, 100_000);
  const row = page.locator(PRESSURE_ROW);
  await page.locator(`${PRESSURE_ROW}[data-state="ready"]`).waitFor({ timeout: TIMEOUT_MS });
  const loaded = await pollUntil(
    async () => Number(await row.getAttribute("data-points")),
    (count) => count > 1,
    "points of press.pressure",
  );
  await page.locator('[data-testid="trend-chart"] canvas').first().waitFor();
  assert.match(decodeURIComponent(page.url()), /tags=[^&]*press\/status\/pressure/);

  // Live points keep coming while the window follows the clock.
  await pollUntil(
    async () => Number(await row.getAttribute("data-points")),
    (count) => count > loaded,
    `a live point after the ${loaded} loaded`,
  );

  // Another range asks the history again, for that window.
  const trends = page.getByTestId("trends-page");
  const fetches = Number(await trends.getAttribute("data-fetches"));
  const again = page.waitForRequest((request) => request.url().includes("/api/history?"), { timeout: TIMEOUT_MS });
  await page.locator('[data-testid="range"] [data-value="15m"]').click();
  const second = historyWindow((await again).url());
  assert.ok(Math.abs(second.to - second.from - 900_000) < 5_000, `15 minutes: ${JSON.stringify(second)}`);
  await pollUntil(
    async () => Number(await trends.getAttribute("data-fetches")),
    (count) => count > fetches,
    "the history fetch count to grow",
  );
  assert.equal(new URL(page.url()).searchParams.get("range"), "15m");
  await page.locator(`${PRESSURE_ROW}[data-state="ready"]`).waitFor({ timeout: TIMEOUT_MS });
}

export interface FrameTimes {
  points: number;
  /** setData and redraw of the whole chart (loading, each live update, zoom and reset), ms. */
  drawMedianMs: number;
  drawMaxMs: number;
  /** Time between animation frames while the mouse sweeps the chart and drags a zoom, ms. */
  frameP95Ms: number;
  frameMaxMs: number;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? Number.NaN;
}

function syntheticHistory(url: string, count: number): string {
  const params = new URL(url).searchParams;
  const from = Number(params.get("from"));
  const to = Number(params.get("to"));
  const points: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const ts = Math.round(from + ((to - from) * i) / count);
    points.push([ts, 100 + 40 * Math.sin(i / 2000) + 8 * Math.sin(i / 37) + ((i * 7919) % 13) / 4]);
  }
  return JSON.stringify({ ...Object.fromEntries(params), from, to, records: count, downsampled: false, points });
}

/**
 * Opens Trends for `tag` (connector/source/job/alias) over 24 h with 100,000 points of history, then times the
 * chart's redraws and the frames while the cursor sweeps it, a zoom is dragged and reset.
 */
export async function measureTrendsFrames(page: Page, ctx: { baseUrl: string; tag: string }): Promise<FrameTimes> {
  const count = 100_000;
  await page.route("**/api/history?*", (route) =>
    route.fulfill({ contentType: "application/json", body: syntheticHistory(route.request().url(), count) }),
  );
  await page.goto(new URL(`/trends?range=24h&tags=${encodeURIComponent(ctx.tag)}`, ctx.baseUrl).href);
  const trends = page.getByTestId("trends-page");
  await pollUntil(
    async () => Number(await trends.getAttribute("data-points")),
    (n) => n >= count,
    "100,000 points",
  );
  const box = await page.locator('[data-testid="trend-chart"] .u-over').boundingBox();
  assert.ok(box !== null, "the chart has a plotting area");

  // Frame intervals are counted in the page (a string: this file is type-checked without the DOM's types).
  await page.evaluate(`(() => {
    const times = (globalThis.__fabrikFrames = []);
    let last = performance.now();
    const tick = (now) => {
      times.push(now - last);
      last = now;
      if (times.length < 5000) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const middle = box.y + box.height / 2;
  for (let step = 0; step <= 60; step++) await page.mouse.move(box.x + (box.width * step) / 60, middle);
  await page.mouse.move(box.x + box.width / 3, middle);
  await page.mouse.down();
  await page.mouse.move(box.x + (box.width * 2) / 3, middle, { steps: 10 });
  await page.mouse.up();
  await page.locator('[data-testid="zoom-reset"]:not([disabled])').waitFor();
  await page.mouse.dblclick(box.x + box.width / 2, middle);
  await page.locator('[data-testid="zoom-reset"][disabled]').waitFor();
  const frames = (await page.evaluate("globalThis.__fabrikFrames.slice(1)")) as number[];
  const draws = (await page.evaluate(
    `performance.getEntriesByName("fabrik-trends-draw").map((entry) => entry.duration)`,
  )) as number[];
  const points = Number(await trends.getAttribute("data-points"));
  await page.unroute("**/api/history?*");
  return {
    points,
    drawMedianMs: percentile(draws, 0.5),
    drawMaxMs: Math.max(...draws),
    frameP95Ms: percentile(frames, 0.95),
    frameMaxMs: Math.max(...frames),
  };
}
