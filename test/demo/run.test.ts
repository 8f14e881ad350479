// The demo's pipeline progress line: what ran, what was kept, and a warning when the engine's version differs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeApply } from "../../src/demo/run.ts";

const NONE = { applied: [], kept: [], differing: [], upserted: 0, skippedRows: 0 };

test("a first run says how many statements it applied", () => {
  const line = describeApply("pipeline.sql", "demo-plant", { ...NONE, applied: ["pipeline.sql:2", "pipeline.sql:9"] });
  assert.equal(line, "pipeline: pipeline.sql: 2 statements applied");
});

test("a second run says what was kept in the service and which rows were written again", () => {
  const line = describeApply("pipeline.sql", "demo-plant", {
    ...NONE,
    kept: ["MACHINES", "STATUS_FROM_PRESS"],
    upserted: 7,
    skippedRows: 1,
  });
  assert.equal(
    line,
    "pipeline: pipeline.sql: 2 streams, tables and queries already in service demo-plant, kept; " +
      "7 table rows written again; 1 stream rows not written again",
  );
});

test("statements that differ from the file are named, with the way to take the file's", () => {
  const line = describeApply("p.sql", "s", { ...NONE, kept: ["HOT"], differing: ["HOT (p.sql:5)"] });
  assert.deepEqual(line.split("\n").slice(1), [
    "  these differ from the file, and the engine's version runs: HOT (p.sql:5)",
    "  (--fresh starts over with the file's)",
  ]);
});
