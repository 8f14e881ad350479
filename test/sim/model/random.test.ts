// The seeded generator: reproducible per seed and stream, and distributed as each draw promises.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "../../../src/sim/model/random.ts";

function draws(rng: Random, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextUint32());
}

test("the same seed and stream give the same numbers; another seed or stream gives others", () => {
  assert.deepEqual(draws(new Random(42, "P1"), 100), draws(new Random(42, "P1"), 100));
  assert.notDeepEqual(draws(new Random(42, "P1"), 100), draws(new Random(43, "P1"), 100));
  assert.notDeepEqual(draws(new Random(42, "P1"), 100), draws(new Random(42, "C1"), 100));
});

test("uniform draws stay in [0, 1) and fill it evenly", () => {
  const rng = new Random(7, "uniform");
  const bins = new Array<number>(10).fill(0);
  for (let i = 0; i < 100_000; i++) {
    const x = rng.next();
    assert.ok(x >= 0 && x < 1);
    bins[Math.floor(x * 10)]! += 1;
  }
  for (const count of bins) assert.ok(Math.abs(count - 10_000) < 500, `bin count ${count}`);
  const a = rng.uniform(5, 6);
  assert.ok(a >= 5 && a < 6);
});

test("gaussian draws have mean 0 and standard deviation 1", () => {
  const rng = new Random(7, "gauss");
  const n = 200_000;
  let sum = 0;
  let squares = 0;
  let beyondTwo = 0;
  for (let i = 0; i < n; i++) {
    const g = rng.gaussian();
    sum += g;
    squares += g * g;
    if (Math.abs(g) > 2) beyondTwo++;
  }
  const mean = sum / n;
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(Math.sqrt(squares / n - mean * mean) - 1) < 0.01);
  // A normal puts 4.55 % of its mass beyond two standard deviations.
  assert.ok(Math.abs(beyondTwo / n - 0.0455) < 0.003, `tail ${beyondTwo / n}`);
  assert.ok(Math.abs(rng.normal(100, 0.001) - 100) < 0.01);
});

test("exponential draws have the requested mean; chance(p) is true p of the time", () => {
  const rng = new Random(3, "exp");
  let sum = 0;
  let hits = 0;
  for (let i = 0; i < 100_000; i++) {
    sum += rng.exponential(60);
    if (rng.chance(0.25)) hits++;
  }
  assert.ok(Math.abs(sum / 100_000 - 60) < 1, `mean ${sum / 100_000}`);
  assert.ok(Math.abs(hits / 100_000 - 0.25) < 0.01);
});

test("log-normal durations stay within their bounds, with the median in the geometric middle", () => {
  const rng = new Random(5, "lognormal");
  const values = Array.from({ length: 20_001 }, () => rng.logNormalBetween(30, 120));
  for (const v of values) assert.ok(v >= 30 && v <= 120);
  const median = values.sort((a, b) => a - b)[10_000]!;
  assert.ok(Math.abs(median - 60) < 2, `median ${median}`);
});
