// Browser check of the SQL page (`/sql`) against a running demo: a push query's rows stream into the result table and
// Stop ends it; an invalid statement is underlined at its line and column in the editor, with the server's message.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { pollUntil } from "./poll.ts";

const TIMEOUT_MS = 20_000;

/** Replaces the editor's text as a user would: select all, then type (insertText keeps it to one edit). */
async function setScript(page: Page, text: string): Promise<void> {
  const content = page.locator('[data-testid="sql-editor"] .cm-content');
  await content.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(text);
}

export async function checkSql(page: Page, ctx: { baseUrl: string }): Promise<void> {
  await page.goto(new URL("/sql", ctx.baseUrl).href);
  await page.locator('[data-testid="sql-editor"] .cm-content').waitFor({ timeout: TIMEOUT_MS });
  // The catalog lists the pipeline's sources.
  await page
    .locator('[data-testid="catalog-source"][data-name="MACHINE_STATUS_ENRICHED"]')
    .waitFor({ timeout: TIMEOUT_MS });

  // A push query: rows stream in, counted, until Stop.
  await setScript(
    page,
    "SELECT MACHINE_ID, STATE_NAME, WATCH_SIGNAL, WATCH_VALUE\n  FROM MACHINE_STATUS_ENRICHED EMIT CHANGES;",
  );
  await page.keyboard.press("ControlOrMeta+Enter");
  const result = page.locator('[data-testid="sql-query-result"]');
  await result.locator('[data-testid="sql-rows"]').waitFor({ timeout: TIMEOUT_MS });
  const counter = result.getByTestId("sql-row-count");
  const first = await pollUntil(
    async () => Number(await counter.getAttribute("data-rows")),
    (rows) => rows >= 3,
    "three rows of the push query",
  );
  await pollUntil(
    async () => Number(await counter.getAttribute("data-rows")),
    (rows) => rows > first,
    `more rows than ${first}: the query keeps streaming`,
  );
  const shown = await result.locator('[data-testid="sql-rows"] tbody tr.dt-row').count();
  assert.ok(shown >= 3, `the result table shows ${shown} rows`);
  const header = await result.locator('[data-testid="sql-rows"] thead').textContent();
  assert.match(header ?? "", /MACHINE_ID.*STATE_NAME.*WATCH_SIGNAL.*WATCH_VALUE/);
  await result.getByTestId("sql-stop").click();
  await page.locator('[data-testid="sql-query-result"][data-state="stopped"]').waitFor({ timeout: TIMEOUT_MS });

  // An invalid statement on the third line: the error names line 3, column 20, and the editor underlines the column.
  await setScript(page, "SHOW STREAMS;\n\nSELECT MACHINE_ID, BELT_SPED\n  FROM CONVEYOR_READINGS EMIT CHANGES;\n");
  await page.getByTestId("sql-run").click();
  const error = page.getByTestId("sql-error");
  await error.waitFor({ timeout: TIMEOUT_MS });
  assert.equal((await error.getByTestId("sql-error-position").textContent())?.trim(), "Line 3, column 20");
  assert.match((await error.getByTestId("sql-error-message").textContent()) ?? "", /BELT_SPED/);
  const marked = page.locator('[data-testid="sql-editor"] .cm-content > .cm-line:nth-child(3) .cm-lintRange-error');
  await marked.waitFor({ timeout: TIMEOUT_MS });
  assert.equal(await marked.textContent(), "BELT_SPED");
  await marked.hover();
  const tooltip = page.locator(".cm-tooltip-lint");
  await tooltip.waitFor({ timeout: TIMEOUT_MS });
  assert.match((await tooltip.textContent()) ?? "", /unknown column BELT_SPED/);
}
