// A tag's series over a time range, kept whole while it is small and as per-bucket minimum and maximum once it is not.

/** One point: [ms since the epoch, value or null for a sample the tag could not be read in]. */
export type HistoryPoint = readonly [number, number | null];

interface Extreme {
  ts: number;
  value: number;
}

/** What one of the equal time buckets saw: its lowest and highest value, and the first unreadable sample. */
interface Bucket {
  min: Extreme | undefined;
  max: Extreme | undefined;
  firstNull: number | undefined;
}

/**
 * Takes the samples of [from, to] in any order and answers at most `points` points. Up to `points` samples it keeps
 * them all; past that it keeps, for each of `points/2` equal time buckets, the sample with the lowest and the one with
 * the highest value (a spike survives however many samples a bucket holds), so memory never grows with the range.
 * A bucket with no value but unreadable samples gives one null point, so gaps still show.
 */
export class Downsampler {
  readonly #from: number;
  readonly #span: number;
  readonly #limit: number;
  readonly #buckets: Bucket[];
  #raw: HistoryPoint[] | undefined = [];
  #count = 0;

  constructor(from: number, to: number, points: number) {
    if (!(to >= from) || !(points >= 2)) throw new RangeError(`Downsampler needs from <= to and points >= 2`);
    this.#from = from;
    this.#span = to - from + 1;
    this.#limit = points;
    this.#buckets = Array.from({ length: Math.floor(points / 2) }, () => ({
      min: undefined,
      max: undefined,
      firstNull: undefined,
    }));
  }

  /** Samples taken so far. */
  get count(): number {
    return this.#count;
  }

  /** Whether there were more samples than points. */
  get downsampled(): boolean {
    return this.#count > this.#limit;
  }

  add(ts: number, value: number | null): void {
    this.#count++;
    this.#bucket(ts, value);
    if (this.#raw === undefined) return;
    if (this.#count > this.#limit) this.#raw = undefined;
    else this.#raw.push([ts, value]);
  }

  /** The points, oldest first. */
  points(): HistoryPoint[] {
    if (this.#raw !== undefined) return [...this.#raw].sort((a, b) => a[0] - b[0]);
    const out: HistoryPoint[] = [];
    for (const { min, max, firstNull } of this.#buckets) {
      if (min === undefined || max === undefined) {
        if (firstNull !== undefined) out.push([firstNull, null]);
        continue;
      }
      if (min === max || (min.ts === max.ts && min.value === max.value)) out.push([min.ts, min.value]);
      else if (min.ts <= max.ts) out.push([min.ts, min.value], [max.ts, max.value]);
      else out.push([max.ts, max.value], [min.ts, min.value]);
    }
    return out;
  }

  #bucket(ts: number, value: number | null): void {
    const count = this.#buckets.length;
    const index = Math.min(count - 1, Math.max(0, Math.floor(((ts - this.#from) * count) / this.#span)));
    const bucket = this.#buckets[index]!;
    if (value === null) {
      if (bucket.firstNull === undefined || ts < bucket.firstNull) bucket.firstNull = ts;
      return;
    }
    // Ties go to the earlier sample, so the answer does not depend on the order samples arrive in.
    if (bucket.min === undefined || value < bucket.min.value || (value === bucket.min.value && ts < bucket.min.ts)) {
      bucket.min = { ts, value };
    }
    if (bucket.max === undefined || value > bucket.max.value || (value === bucket.max.value && ts < bucket.max.ts)) {
      bucket.max = { ts, value };
    }
  }
}
