// Held updates: the last one per slot, in the order of their last change, and a revoked partition's dropped.

import assert from "node:assert/strict";
import { test } from "node:test";
import { HeldUpdates } from "../../../src/sql/runtime/held-updates.ts";

const released = (held: HeldUpdates<string>): string[] => {
  const out: string[] = [];
  held.release((update) => out.push(update));
  return out;
};

test("one update per slot goes out, the slots in the order of their last change, and only once", () => {
  const held = new HeldUpdates<string>();
  held.hold(0, "a", "a1");
  held.hold(0, "b", "b1");
  held.hold(1, "a", "a1 in 1");
  held.hold(0, "a", "a2");
  assert.equal(held.size, 3);
  assert.deepEqual(released(held), ["b1", "a1 in 1", "a2"]);
  assert.equal(held.size, 0);
  assert.deepEqual(released(held), []);
});

test("dropping a partition forgets its updates only, not those of a partition whose number starts alike", () => {
  const held = new HeldUpdates<string>();
  held.hold(1, "k", "in 1");
  held.hold(11, "k", "in 11");
  held.hold(2, "1/k", "in 2");
  held.drop(1);
  assert.deepEqual(released(held), ["in 11", "in 2"]);
});
