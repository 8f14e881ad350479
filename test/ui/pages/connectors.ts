// Browser check of the Connectors page (`/connectors`) against a running demo: the connector and its tasks shown
// RUNNING, a source's live tags, pausing changes the connector's state to PAUSED and resuming brings RUNNING back.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { UI_HEADER } from "../../../ui/src/api/http.ts";

const TIMEOUT_MS = 30_000;

export async function checkConnectors(page: Page, ctx: { baseUrl: string }): Promise<void> {
  await page.goto(new URL("/connectors", ctx.baseUrl).href);
  const card = page.getByTestId("connector-card").first();
  await card.waitFor({ timeout: TIMEOUT_MS });
  const name = ((await card.locator(".panel-title").textContent()) ?? "").trim();
  assert.ok(name.length > 0, "the connector's name is its card's title");
  const state = card.locator('[data-testid="connector-state"]').first();
  await card.locator('[data-testid="connector-state"][data-state="RUNNING"]').waitFor({ timeout: TIMEOUT_MS });

  // Every task runs a source; each source's tags come live from the worker, with quality.
  await card
    .locator('[data-testid="connector-tasks"] [data-testid="task-state"][data-state="RUNNING"]')
    .first()
    .waitFor();
  const tags = card.getByTestId("source-tags-table");
  await tags.locator("tbody tr.dt-row").first().waitFor({ timeout: TIMEOUT_MS });
  const qualities = await tags
    .locator('.pill[data-state="GOOD"], .pill[data-state="BAD"], .pill[data-state="UNCERTAIN"]')
    .count();
  assert.ok(qualities > 0, "the source's tags show their quality");
  assert.match(
    (await card.getByTestId("browse-note").textContent()) ?? "",
    /Browsing is available for OPC UA, ADS and Logix/,
  );

  try {
    await card.getByTestId("connector-pause").click();
    await card.locator('[data-testid="connector-state"][data-state="PAUSED"]').waitFor({ timeout: TIMEOUT_MS });
    await card.getByTestId("connector-resume").click();
    await card.locator('[data-testid="connector-state"][data-state="RUNNING"]').waitFor({ timeout: TIMEOUT_MS });
  } finally {
    // Leave the demo as it was found, even when a step above failed.
    if ((await state.getAttribute("data-state")) === "PAUSED") {
      await page.request.put(new URL(`/api/connect/connectors/${encodeURIComponent(name)}/resume`, ctx.baseUrl).href, {
        headers: UI_HEADER,
      });
    }
  }
}
