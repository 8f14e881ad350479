// A fixed-size ring of (time, value) points: the recent history of one live tag, pushed at the sample rate and read
// oldest-first by sparklines and the Trends page. No allocation per point; reading copies into arrays that are reused
// until the next push.

export class RingSeries {
  readonly capacity: number;
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  /** Where the next point goes. */
  private head = 0;
  private count = 0;
  private cached: { times: Float64Array; values: Float64Array } | null = null;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(time: number, value: number): void {
    this.times[this.head] = time;
    this.values[this.head] = value;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    this.cached = null;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
    this.cached = null;
  }

  /** The points oldest first, as two arrays (the same arrays until the next push: do not keep or change them). */
  ordered(): { times: Float64Array; values: Float64Array } {
    if (this.cached !== null) return this.cached;
    const times = new Float64Array(this.count);
    const values = new Float64Array(this.count);
    const start = (this.head - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      const at = (start + i) % this.capacity;
      times[i] = this.times[at]!;
      values[i] = this.values[at]!;
    }
    this.cached = { times, values };
    return this.cached;
  }

  /** The newest point, or undefined when empty. */
  last(): { time: number; value: number } | undefined {
    if (this.count === 0) return undefined;
    const at = (this.head - 1 + this.capacity) % this.capacity;
    return { time: this.times[at]!, value: this.values[at]! };
  }
}
