// Seeded randomness for the plant model: one independent, reproducible stream per machine, no Math.random.

const TWO_POW_32 = 4294967296;

/** FNV-1a over a string: turns a seed and a stream name into 32 bits that differ for every pair. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * xoshiro128** (Blackman and Vigna): 32-bit state words so it runs on plain numbers without bigint, and fast enough
 * to draw several values per machine per tick. State words are spread from the hash with a SplitMix-style mixer so
 * that neighbouring seeds give unrelated streams.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Box–Muller makes normals in pairs; the second one waits here for the next call. */
  private spare = 0;
  private hasSpare = false;

  /** `stream` names the consumer (a machine id) so adding a machine never shifts another machine's numbers. */
  constructor(seed: number, stream: string) {
    let x = hash32(`${seed}/${stream}`);
    const mix = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = mix();
    this.s1 = mix();
    this.s2 = mix();
    this.s3 = mix();
    // The all-zero state is the generator's one fixed point; the mixer makes it practically impossible, but be sure.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const product = Math.imul(s1, 5);
    const result = Math.imul((product << 7) | (product >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (mean 0, standard deviation 1), by the polar Box–Muller method. */
  gaussian(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * factor;
    this.hasSpare = true;
    return u * factor;
  }

  /** Normal with the given mean and standard deviation. */
  normal(mean: number, sd: number): number {
    return mean + sd * this.gaussian();
  }

  /** Exponentially distributed with the given mean: the time to the next event of a memoryless process. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /**
   * A log-normal duration whose median is the geometric middle of [min, max] and whose ±2σ reach the bounds,
   * clamped to them: repairs and setups are usually short and occasionally long, never outside what the plant allows.
   */
  logNormalBetween(min: number, max: number): number {
    const median = Math.sqrt(min * max);
    const sigma = Math.log(max / min) / 4;
    const value = median * Math.exp(sigma * this.gaussian());
    return Math.min(Math.max(value, min), max);
  }
}
