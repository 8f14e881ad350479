// The points of one trend series, oldest first: loaded history, then live points appended as they come (only newer
// ones: the live feed's replay overlaps the history), with the old end trimmed as a moving window leaves it behind.

export class SeriesBuffer {
  times: number[] = [];
  values: (number | null)[] = [];
  /** Counts changes, so that the chart knows when to rebuild its data. */
  version = 0;

  get length(): number {
    return this.times.length;
  }

  /** Replaces the points with loaded ones (sorted by time). */
  replace(points: readonly (readonly [number, number | null])[]): void {
    const times = new Array<number>(points.length);
    const values = new Array<number | null>(points.length);
    for (let i = 0; i < points.length; i++) {
      const point = points[i]!;
      times[i] = point[0];
      values[i] = point[1];
    }
    this.times = times;
    this.values = values;
    this.version++;
  }

  /** Adds a point after the last; a point not newer than the last is ignored (false). */
  append(time: number, value: number | null): boolean {
    const last = this.times.length === 0 ? Number.NEGATIVE_INFINITY : this.times[this.times.length - 1]!;
    if (time <= last) return false;
    this.times.push(time);
    this.values.push(value);
    this.version++;
    return true;
  }

  /** Drops the points before `time` (one splice, however many). */
  trimBefore(time: number): void {
    let count = 0;
    while (count < this.times.length && this.times[count]! < time) count++;
    if (count === 0) return;
    this.times.splice(0, count);
    this.values.splice(0, count);
    this.version++;
  }

  clear(): void {
    this.times = [];
    this.values = [];
    this.version++;
  }
}
