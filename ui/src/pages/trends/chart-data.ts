// Series with their own timestamps turned into uPlot's aligned data: one x array, one y array per series. Series of
// one job share their timestamps and are used as they are; others are merged on the union of their times, a point
// missing in one series left undefined (uPlot draws across it) while a null — a BAD sample — stays a gap.
import type uPlot from "uplot";
import type { SeriesBuffer } from "./series-buffer.ts";

function sameTimes(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The union of sorted time arrays, each series' values placed at their times: a k-way merge, linear in the points
 * (uPlot.join hashes and sorts, too slow to redo every second for a day of points).
 */
function merge(buffers: readonly SeriesBuffer[]): uPlot.AlignedData {
  const heads = buffers.map(() => 0);
  const xs: number[] = [];
  const ys: (number | null | undefined)[][] = buffers.map(() => []);
  for (;;) {
    let next = Number.POSITIVE_INFINITY;
    for (let s = 0; s < buffers.length; s++) {
      const time = buffers[s]!.times[heads[s]!];
      if (time !== undefined && time < next) next = time;
    }
    if (next === Number.POSITIVE_INFINITY) break;
    const at = xs.length;
    xs.push(next);
    for (let s = 0; s < buffers.length; s++) {
      const buffer = buffers[s]!;
      const head = heads[s]!;
      if (buffer.times[head] === next) {
        ys[s]![at] = buffer.values[head]!;
        heads[s] = head + 1;
      } else {
        ys[s]![at] = undefined;
      }
    }
  }
  return [xs, ...ys];
}

/** The buffers as uPlot's AlignedData (x in ms). */
export function alignedData(buffers: readonly SeriesBuffer[]): uPlot.AlignedData {
  if (buffers.length === 0) return [[]];
  const first = buffers[0]!;
  if (buffers.every((buffer) => sameTimes(buffer.times, first.times))) {
    return [first.times, ...buffers.map((buffer) => buffer.values)];
  }
  return merge(buffers);
}

/** How many points (not null) the data holds in all its series. */
export function pointCount(data: uPlot.AlignedData): number {
  let count = 0;
  for (let s = 1; s < data.length; s++) {
    const values = data[s]!;
    for (let i = 0; i < values.length; i++) if (values[i] !== null && values[i] !== undefined) count++;
  }
  return count;
}
