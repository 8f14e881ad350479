// Browser check of the Topics page (`/topics`) against a running demo: the plant's topics listed with partitions, a
// plant topic's messages arriving live with key, value and partition, Pause holding them back and Resume showing them.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { pollUntil } from "./poll.ts";

const TIMEOUT_MS = 20_000;
const TOPIC = "plant.press";

export async function checkTopics(page: Page, ctx: { baseUrl: string }): Promise<void> {
  await page.goto(new URL("/topics", ctx.baseUrl).href);
  const list = page.getByTestId("topics-table");
  await list.locator("tbody tr.dt-row").first().waitFor({ timeout: TIMEOUT_MS });
  await page.getByTestId("topics-filter").fill(TOPIC);
  const row = list.locator("tbody tr.dt-row", { hasText: TOPIC }).first();
  await row.waitFor();
  assert.match((await row.textContent()) ?? "", /plant\.press\s*1\s*1/, "the topic with its partitions and replicas");
  await row.click();

  // Messages arrive while the page watches: the press writes a record every second.
  const messages = page.getByTestId("topic-messages");
  await messages.locator('[data-testid="topic-state"][data-state="live"]').waitFor({ timeout: TIMEOUT_MS });
  const count = messages.getByTestId("topic-count");
  const received = () => count.getAttribute("data-count").then(Number);
  await pollUntil(received, (n) => n >= 2, "two live messages of plant.press");
  const table = messages.getByTestId("topic-message-table");
  await table.locator("tbody tr.dt-row").first().click();
  const key = (await messages.getByTestId("topic-message-key").textContent()) ?? "";
  const value = (await messages.getByTestId("topic-message-value").textContent()) ?? "";
  assert.match(key, /"sourceName": "press"/, "the key, pretty-printed JSON");
  assert.match(value, /"tags": \{\n\s+"sequence": \d+/, "the value, pretty-printed JSON");
  assert.match((await messages.getByTestId("topic-detail").textContent()) ?? "", /partition 0/);

  // Pause: messages keep arriving (counted) but the list stands still; Resume shows them.
  const rows = () => table.getAttribute("data-rows").then(Number);
  await messages.getByTestId("topic-pause").click();
  const before = await rows();
  const receivedAtPause = await received();
  await pollUntil(received, (n) => n >= receivedAtPause + 2, "messages arriving while paused");
  assert.equal(await rows(), before, "a paused list does not move");
  await messages.getByTestId("topic-pause").click();
  await pollUntil(rows, (n) => n >= before + 2, "the held messages shown on resume");
}
