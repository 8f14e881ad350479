// The ring of recent points behind sparklines: oldest first across the wrap, bounded, cached between pushes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { RingSeries } from "../../../ui/src/api/ring-series.ts";

test("keeps the newest points, oldest first, across the wrap", () => {
  const ring = new RingSeries(3);
  assert.deepEqual([...ring.ordered().times], []);
  assert.equal(ring.last(), undefined);
  for (let i = 1; i <= 5; i++) ring.push(i * 1000, i * 10);
  assert.equal(ring.length, 3);
  assert.deepEqual([...ring.ordered().times], [3000, 4000, 5000]);
  assert.deepEqual([...ring.ordered().values], [30, 40, 50]);
  assert.deepEqual(ring.last(), { time: 5000, value: 50 });
});

test("reading twice without a push gives the same arrays; a push gives new ones", () => {
  const ring = new RingSeries(4);
  ring.push(1, 1);
  ring.push(2, Number.NaN);
  const first = ring.ordered();
  assert.equal(ring.ordered(), first);
  assert.ok(Number.isNaN(first.values[1]!), "a gap stays a gap");
  ring.push(3, 3);
  assert.notEqual(ring.ordered(), first);
  assert.deepEqual([...first.times], [1, 2], "arrays handed out earlier do not change");
  ring.clear();
  assert.equal(ring.length, 0);
});
