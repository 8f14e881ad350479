// Task slots: stable hashes, and the leader's assignment spreading used slots evenly and every slot exactly once.
import assert from "node:assert/strict";
import { test } from "node:test";
import { balanceSlots, SLOT_COUNT, slotOf } from "../../../src/connect/worker/slots.ts";

const SLOTS = [56, 11, 21, 44];

test("a task's slot is the same in every process and version (FNV-1a of its key)", () => {
  // Pinned: a change to the hash would move every running task of every group on upgrade.
  assert.deepEqual(
    ["line/0", "line/1", "plant/0", "a"].map((key) => slotOf(key)),
    SLOTS,
  );
  assert.equal(0xe40c292c % SLOT_COUNT, slotOf("a"), "FNV-1a of 'a' is 0xe40c292c");
});

test("every slot goes to exactly one member, and used slots spread by weight", () => {
  const weights = new Map([
    [3, 2],
    [7, 1],
    [9, 1],
    [40, 1],
    [41, 1],
  ]);
  const owned = balanceSlots(["w2", "w1", "w3"], weights);
  const all = [...owned.values()].flat().sort((a, b) => a - b);
  assert.deepEqual(
    all,
    Array.from({ length: SLOT_COUNT }, (_, i) => i),
  );
  const work = [...owned].map(([member, slots]) => [member, slots.reduce((sum, s) => sum + (weights.get(s) ?? 0), 0)]);
  assert.deepEqual(work, [
    ["w1", 2],
    ["w2", 2],
    ["w3", 2],
  ]);
  const counts = [...owned.values()].map((slots) => slots.length);
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `slot counts even: ${counts}`);
  assert.deepEqual(balanceSlots(["w3", "w1", "w2"], weights), owned, "the same answer whatever the member order");
});

test("one member owns every slot; no members own none", () => {
  assert.equal(balanceSlots(["only"], new Map([[5, 3]])).get("only")?.length, SLOT_COUNT);
  assert.equal(balanceSlots([], new Map([[5, 3]])).size, 0);
});
