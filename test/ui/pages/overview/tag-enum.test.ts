// Coded values named from the tag's description, and how machine states look.
import assert from "node:assert/strict";
import { test } from "node:test";
import { enumLabels, machineStateTone } from "../../../../ui/src/pages/overview/tag-enum.ts";

test("a description listing codes after a colon names them", () => {
  const labels = enumLabels("Machine state: 0 IDLE, 1 RUNNING, 2 SETUP, 3 FAULT");
  assert.deepEqual(
    [...(labels ?? [])],
    [
      [0, "IDLE"],
      [1, "RUNNING"],
      [2, "SETUP"],
      [3, "FAULT"],
    ],
  );
  assert.equal(enumLabels("Why the machine is not running (0 NONE while it runs); PLANNED is outside"), undefined);
  assert.equal(enumLabels("Increments once per simulator tick"), undefined);
  assert.equal(enumLabels(undefined), undefined);
});

test("machine states: running good, fault bad, setup in progress, idle neutral", () => {
  assert.equal(machineStateTone("RUNNING"), "good");
  assert.equal(machineStateTone("FAULT"), "bad");
  assert.equal(machineStateTone("SETUP"), "info");
  assert.equal(machineStateTone("IDLE"), "neutral");
});
