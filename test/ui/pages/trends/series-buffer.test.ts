// A trend series' points: history replaced, live points appended only when newer, old points trimmed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SeriesBuffer } from "../../../../ui/src/pages/trends/series-buffer.ts";

test("history, then only newer live points, then trimming the old end", () => {
  const buffer = new SeriesBuffer();
  buffer.replace([
    [1000, 1],
    [2000, null],
    [3000, 3],
  ]);
  assert.equal(buffer.length, 3);
  const version = buffer.version;
  assert.equal(buffer.append(3000, 9), false, "the replayed sample is not added twice");
  assert.equal(buffer.append(2500, 9), false);
  assert.equal(buffer.version, version, "refused points change nothing");
  assert.equal(buffer.append(4000, 4), true);
  assert.deepEqual(buffer.values, [1, null, 3, 4]);
  buffer.trimBefore(2500);
  assert.deepEqual(buffer.times, [3000, 4000]);
  assert.ok(buffer.version > version);
  buffer.clear();
  assert.equal(buffer.length, 0);
});
