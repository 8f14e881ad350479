// Browser check of the Alerts page (`/alerts`) against a demo run with a fault (`--fault conveyor.bearing`): an alert
// appears with its severity, acknowledging it with a note marks it acknowledged, and after a reload the mark is still
// there (it came back from the ALERT_ACKS stream in Kafka, not from the page's memory).
import assert from "node:assert/strict";
import type { Page } from "playwright-core";

/** The fault's vibration needs the plant to run a while before it crosses its limit. */
const ALERT_TIMEOUT_MS = 180_000;
const TIMEOUT_MS = 20_000;

export async function checkAlerts(page: Page, ctx: { baseUrl: string }): Promise<void> {
  await page.goto(new URL("/alerts", ctx.baseUrl).href);
  await page.locator('[data-testid="alerts-feed"][data-state="live"]').waitFor({ timeout: TIMEOUT_MS });

  // An open alert shows up, with a severity pill that says its word.
  const table = page.getByTestId("alerts-table");
  const open = table.locator('tbody tr.dt-row:has([data-testid="alert-status"][data-state="open"])').first();
  await open.waitFor({ timeout: ALERT_TIMEOUT_MS });
  const severity = (await open.getByTestId("alert-severity").getAttribute("data-state")) ?? "";
  assert.match(severity, /^(critical|major|minor)$/);
  await open.click();

  const id = new URL(page.url()).searchParams.get("alert");
  assert.ok(id !== null && /^.+@\d+$/.test(id), `the selected alert's id is <MACHINE_ID>@<WINDOWSTART>: ${id}`);
  const note = `checked by the browser test ${Date.now()}`;
  const detail = page.getByTestId("alert-detail");
  await detail.getByTestId("alert-note").fill(note);
  await detail.getByTestId("alert-ack").click();
  await detail.locator('[data-testid="alert-ack-info"]', { hasText: note }).waitFor({ timeout: TIMEOUT_MS });

  // Among all alerts, the selected one is now marked acknowledged.
  await page.getByTestId("alerts-show").locator('[data-value="all"]').click();
  await table
    .locator('tbody tr.dt-row[aria-selected="true"] [data-testid="alert-status"][data-state="acknowledged"]')
    .waitFor({ timeout: TIMEOUT_MS });

  // A fresh page knows it too: the acknowledgement is in Kafka, read back by the acks push query.
  await page.goto(new URL(`/alerts?show=all&alert=${encodeURIComponent(id)}`, ctx.baseUrl).href);
  await page
    .getByTestId("alert-detail")
    .locator('[data-testid="alert-ack-info"]', { hasText: note })
    .waitFor({ timeout: TIMEOUT_MS });
}
