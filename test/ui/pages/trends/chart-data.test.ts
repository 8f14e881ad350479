// Series turned into uPlot's aligned data: shared timestamps used as they are, others merged with missing points
// undefined (spanned) and BAD samples null (gaps).
import assert from "node:assert/strict";
import { test } from "node:test";
import { alignedData, pointCount } from "../../../../ui/src/pages/trends/chart-data.ts";
import { SeriesBuffer } from "../../../../ui/src/pages/trends/series-buffer.ts";

function buffer(points: [number, number | null][]): SeriesBuffer {
  const series = new SeriesBuffer();
  series.replace(points);
  return series;
}

test("series of one job share their x values", () => {
  const a = buffer([
    [1, 10],
    [2, 20],
  ]);
  const b = buffer([
    [1, 5],
    [2, null],
  ]);
  const data = alignedData([a, b]);
  assert.equal(data[0], a.times, "no copy");
  assert.deepEqual(data.slice(1), [
    [10, 20],
    [5, null],
  ]);
  assert.equal(pointCount(data), 3);
});

test("series of different jobs merge on the union of their times", () => {
  const a = buffer([
    [1, 10],
    [3, 30],
    [5, null],
  ]);
  const b = buffer([
    [2, 2],
    [3, 3],
    [6, 6],
  ]);
  const data = alignedData([a, b]);
  assert.deepEqual(data[0], [1, 2, 3, 5, 6]);
  assert.deepEqual(data[1], [10, undefined, 30, null, undefined]);
  assert.deepEqual(data[2], [undefined, 2, 3, undefined, 6]);
  assert.equal(pointCount(data), 5, "nulls and undefined are not points");
  assert.deepEqual(alignedData([]), [[]]);
});
