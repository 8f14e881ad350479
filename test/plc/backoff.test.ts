// Tests the reconnect delays: exponential ceilings with a cap, full jitter within them, seeded and deterministic.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  Backoff,
  type BackoffPolicy,
  backoffCeilingMs,
  checkBackoffPolicy,
  DEFAULT_BACKOFF,
  fullJitterMs,
} from "../../src/plc/backoff.ts";
import { InvalidRequestError } from "../../src/plc/errors.ts";
import { SeededRandom } from "../../src/plc/simulated/random.ts";

const POLICY: BackoffPolicy = { baseMs: 100, factor: 2, capMs: 1600 };

function seeded(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.float();
}

describe("backoff ceilings", () => {
  it("grow by the factor from the base and stop at the cap", () => {
    const ceilings = Array.from({ length: 8 }, (_, attempt) => backoffCeilingMs(POLICY, attempt));
    assert.deepEqual(ceilings, [100, 200, 400, 800, 1600, 1600, 1600, 1600]);
  });

  it("stay at the cap after very long outages instead of overflowing", () => {
    assert.equal(backoffCeilingMs(POLICY, 5000), 1600);
    assert.equal(backoffCeilingMs({ baseMs: 3, factor: 1.5, capMs: 10 }, 1), 4, "whole milliseconds, rounded down");
  });

  it("stay at the base with a factor of 1", () => {
    assert.equal(backoffCeilingMs({ baseMs: 50, factor: 1, capMs: 100 }, 9), 50);
  });
});

describe("full jitter", () => {
  it("spans zero to the ceiling, both included, even for a source that returns 1", () => {
    assert.equal(
      fullJitterMs(POLICY, 2, () => 0),
      0,
    );
    assert.equal(
      fullJitterMs(POLICY, 2, () => 0.999999999),
      400,
    );
    assert.equal(
      fullJitterMs(POLICY, 2, () => 1),
      400,
    );
  });

  it("keeps every seeded delay within its attempt's ceiling and spreads them across it", () => {
    const random = seeded(1);
    for (let attempt = 0; attempt < 8; attempt++) {
      const ceiling = backoffCeilingMs(POLICY, attempt);
      const delays = Array.from({ length: 2000 }, () => fullJitterMs(POLICY, attempt, random));
      assert.ok(
        delays.every((delay) => Number.isInteger(delay) && delay >= 0 && delay <= ceiling),
        `attempt ${attempt}`,
      );
      const mean = delays.reduce((sum, delay) => sum + delay, 0) / delays.length;
      assert.ok(
        Math.abs(mean - ceiling / 2) < ceiling * 0.05,
        `attempt ${attempt}: mean ${mean} of ceiling ${ceiling}`,
      );
      assert.ok(Math.min(...delays) < ceiling * 0.05 && Math.max(...delays) > ceiling * 0.95, `attempt ${attempt}`);
    }
  });
});

describe("a Backoff", () => {
  it("hands out the same delays for the same seed", () => {
    const backoff = new Backoff(POLICY, seeded(42));
    const delays = Array.from({ length: 10 }, () => backoff.next());
    assert.deepEqual(delays, [22, 15, 49, 105, 594, 1593, 1436, 1523, 1330, 1106]);
    assert.equal(backoff.attempt, 10);
    const again = new Backoff(POLICY, seeded(42));
    assert.deepEqual(
      Array.from({ length: 10 }, () => again.next()),
      delays,
    );
  });

  it("starts again from the base after a reset", () => {
    const backoff = new Backoff(POLICY, () => 0.999999);
    assert.deepEqual([backoff.next(), backoff.next(), backoff.next()], [100, 200, 400]);
    backoff.reset();
    assert.equal(backoff.attempt, 0);
    assert.equal(backoff.next(), 100);
  });

  it("refuses policies that cannot work, naming the field", () => {
    const cases: Array<[Partial<BackoffPolicy>, RegExp]> = [
      [{ baseMs: 0 }, /backoff baseMs must be a number of milliseconds in 1\.\.2147483647, got 0/],
      [{ baseMs: Number.NaN }, /baseMs/],
      [{ factor: 0.5 }, /backoff factor must be a number >= 1, got 0.5/],
      [{ capMs: 10, baseMs: 20 }, /backoff capMs must be a number of milliseconds in baseMs\.\.2147483647, got 10/],
      [{ capMs: 2 ** 31 }, /capMs/],
    ];
    for (const [change, message] of cases) {
      assert.throws(() => checkBackoffPolicy({ ...DEFAULT_BACKOFF, ...change }), InvalidRequestError);
      assert.throws(() => new Backoff({ ...DEFAULT_BACKOFF, ...change }, Math.random), { message });
    }
    assert.equal(checkBackoffPolicy(DEFAULT_BACKOFF), DEFAULT_BACKOFF);
  });
});
