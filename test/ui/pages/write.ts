// Browser check of a write from the overview against a running demo: the press's pressureSetpoint (allow-listed by
// the demo connector's `setpoints` sink) opens its dialog from "Set…", a value the tag's type refuses shows the
// server's message in the dialog, and a confirmed value reaches the simulator through Kafka and the sink, until the
// overview shows it read back by the press's source.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { pollUntil } from "./poll.ts";

const LIVE_TIMEOUT_MS = 20_000;
/** The sink's consumer joins its group, writes, and the next sample (every second) reads the value back. */
const READ_BACK_TIMEOUT_MS = 30_000;

/** A number as the overview writes it (grouping, a typographic minus), or NaN. */
function numberIn(text: string | null): number {
  return Number((text ?? "").replace(/\u2212/g, "-").replace(/[^\d.-]/g, ""));
}

export async function checkWrite(page: Page, ctx: { baseUrl: string }): Promise<void> {
  await page.goto(new URL("/?q=press", ctx.baseUrl).href);
  await page.locator('[data-testid="live-state"][data-state="live"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
  const press = page.locator('[data-testid="machine"][data-source="press"]');
  const value = press.locator(
    '[data-testid="tag-row"][data-tag$="/press/status/pressureSetpoint"] [data-testid="tag-value"]',
  );
  const current = numberIn(
    await pollUntil(
      () => value.textContent(),
      (text) => Number.isFinite(numberIn(text)) && /\d/.test(text ?? ""),
      "the press's pressure setpoint",
    ),
  );
  // Only writable tags have the button: the measured pressure beside it has none.
  assert.equal(await press.locator('[data-testid="tag-set"][data-tag$="/press/status/pressure"]').count(), 0);
  await press.locator('[data-testid="tag-set"][data-tag$="/press/status/pressureSetpoint"]').click();

  const dialog = page.getByTestId("write-dialog");
  await dialog.waitFor();
  const facts = (await dialog.locator(".write-facts").textContent()) ?? "";
  for (const fact of ["press", "pressureSetpoint", "%DB1.DBD28:REAL", "bar", "setpoints", "plant.setpoints"]) {
    assert.ok(facts.includes(fact), `the dialog names ${fact}: ${facts}`);
  }

  // Nothing is sent before Confirm; a value the tag's type refuses is shown with the server's reason.
  assert.equal(await dialog.getByTestId("write-confirm").isDisabled(), true, "Confirm waits for a value");
  await dialog.getByTestId("write-value").fill("fast");
  await dialog.getByTestId("write-confirm").click();
  const refusal = await dialog.getByTestId("write-error").textContent();
  assert.match(refusal ?? "", /expected a number for REAL.*HTTP 400/);

  const wanted = Math.abs(current - 172.5) < 1 ? 181.5 : 172.5;
  await dialog.getByTestId("write-value").fill(String(wanted));
  await dialog.getByTestId("write-confirm").click();
  const result = await dialog.getByTestId("write-result").textContent();
  assert.match(result ?? "", /to plant\.setpoints \(partition 0, offset \d+\)/);
  await dialog.getByTestId("write-cancel").click();
  await dialog.waitFor({ state: "detached" });

  await pollUntil(
    () => value.textContent(),
    (text) => Math.abs(numberIn(text) - wanted) < 0.01,
    `the press's pressure setpoint to read back ${wanted}`,
    READ_BACK_TIMEOUT_MS,
  );
}
