// Seeded random values of every IEC type for RANDOM tags, so a test that fixes the seed sees the same values every run.
import type { DataTypeSpec } from "../data-type-spec.ts";
import { DATA_TYPE_INFO, type DataType, type ScalarValue } from "../values.ts";

/**
 * A small deterministic generator: a Weyl sequence mixed by a 32-bit avalanche step. Not for cryptography; good enough
 * that consecutive values look unrelated and every bit is used.
 */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** The next value in 0..2^32-1. */
  uint32(): number {
    this.#state = (this.#state + 0x9e3779b9) >>> 0;
    let z = this.#state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform in [0, 1) with 53 bits of precision. */
  float(): number {
    const high = this.uint32() >>> 5;
    const low = this.uint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform in min..max inclusive; the bias from reducing 64 random bits is at most 2^-32 for ranges up to 2^32. */
  bigintBetween(min: bigint, max: bigint): bigint {
    const span = max - min + 1n;
    const bits = (BigInt(this.uint32()) << 32n) | BigInt(this.uint32());
    return min + (bits % span);
  }

  /** Uniform in min..max inclusive, for ranges that fit in a number. */
  intBetween(min: number, max: number): number {
    return Number(this.bigintBetween(BigInt(min), BigInt(max)));
  }
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** Random floats stay in a plausible process range; values near the type's limits are useless on a trend chart. */
const FLOAT_LIMIT = 1000;
/** Random strings are short so that logs and UIs stay readable. */
const MAX_RANDOM_STRING = 16;
const MS_PER_DAY = 86_400_000;
/** 1990-01-01 to 2089-12-31: the span every PLC date format can represent. */
const FIRST_DAY = Date.UTC(1990, 0, 1) / MS_PER_DAY;
const LAST_DAY = Date.UTC(2089, 11, 31) / MS_PER_DAY;

/** A fresh value for `spec`: `count` elements when `count > 1`. Every value passes `coerceValue(spec, value)`. */
export function randomValue(spec: DataTypeSpec, random: SeededRandom): ScalarValue | ScalarValue[] {
  if (spec.count === 1) return randomScalar(spec, random);
  return Array.from({ length: spec.count }, () => randomScalar(spec, random));
}

function randomScalar(spec: DataTypeSpec, random: SeededRandom): ScalarValue {
  const type: DataType = spec.type;
  const info = DATA_TYPE_INFO[type];
  switch (info.kind) {
    case "bool":
      return (random.uint32() & 1) === 1;
    case "integer":
    case "bigint": {
      const value = random.bigintBetween(info.min ?? 0n, info.max ?? 0n);
      return info.kind === "bigint" ? value : Number(value);
    }
    case "float": {
      const value = (random.float() * 2 - 1) * FLOAT_LIMIT;
      return type === "REAL" ? Math.fround(value) : value;
    }
    case "string": {
      const length =
        type === "CHAR" || type === "WCHAR"
          ? 1
          : random.intBetween(1, Math.min(spec.stringLength ?? MAX_RANDOM_STRING, MAX_RANDOM_STRING));
      let text = "";
      for (let i = 0; i < length; i++) text += ALPHANUMERIC[random.intBetween(0, ALPHANUMERIC.length - 1)];
      return text;
    }
    case "duration":
      // A random point within one day suits TIME, TIME_OF_DAY and LTIME alike.
      return type === "LTIME"
        ? { ns: random.bigintBetween(0n, BigInt(MS_PER_DAY) * 1_000_000n - 1n) }
        : { ms: random.intBetween(0, MS_PER_DAY - 1) };
    case "date": {
      const day = random.intBetween(FIRST_DAY, LAST_DAY);
      const ms = type === "DATE" ? 0 : random.intBetween(0, MS_PER_DAY - 1);
      return new Date(day * MS_PER_DAY + ms);
    }
  }
}
