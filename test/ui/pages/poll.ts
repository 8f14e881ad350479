// Waiting in browser checks the way Playwright's expect.poll does: read something through the page (a locator's
// text or attribute), until it satisfies a condition or the time is up, then fail saying what was last seen.
import { setTimeout as delay } from "node:timers/promises";

const INTERVALS_MS = [50, 100, 250, 500];

/** Reads until `ok` holds (returning that value) or `timeoutMs` passes (throwing with the last value read). */
export async function pollUntil<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (let attempt = 0; ; attempt++) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    }
    await delay(INTERVALS_MS[Math.min(attempt, INTERVALS_MS.length - 1)]!);
  }
}
