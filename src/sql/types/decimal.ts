// The exact DECIMAL value: an unscaled bigint and a scale, with the arithmetic and rounding the functions need.

import { SqlFunctionError } from "./errors.ts";

export type RoundingMode = "HALF_UP" | "HALF_CEILING" | "FLOOR" | "CEILING" | "DOWN";

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** value = unscaled × 10^-scale. Immutable; the scale is the one of the value, the type's precision is checked apart. */
export class Decimal {
  readonly unscaled: bigint;
  readonly scale: number;

  constructor(unscaled: bigint, scale: number) {
    this.unscaled = unscaled;
    this.scale = scale;
  }

  /** Parses `-12.340`, `1e3`, `.5`; keeps the written scale (`1.50` has scale 2). Throws SQL_CAST on bad text. */
  static parse(text: string): Decimal {
    const match = DECIMAL_TEXT.exec(text.trim());
    if (!match || (match[2] === "" && (match[3] ?? "") === "")) {
      throw new SqlFunctionError("SQL_CAST", `not a decimal number: ${JSON.stringify(text)}`);
    }
    const fraction = match[3] ?? "";
    const exponent = match[4] ? Number(match[4]) : 0;
    let unscaled = BigInt(`${match[2] || "0"}${fraction}`);
    let scale = fraction.length - exponent;
    if (scale < 0) {
      unscaled *= 10n ** BigInt(-scale);
      scale = 0;
    }
    return new Decimal(match[1] === "-" ? -unscaled : unscaled, scale);
  }

  /** The decimal of a finite double's shortest representation, as Java's BigDecimal.valueOf does. */
  static fromNumber(value: number): Decimal {
    if (!Number.isFinite(value)) throw new SqlFunctionError("SQL_CAST", `cannot make a DECIMAL of ${value}`);
    return Decimal.parse(String(value));
  }

  static fromBigInt(value: bigint): Decimal {
    return new Decimal(value, 0);
  }

  toNumber(): number {
    return Number(this.toString());
  }

  /** Plain notation, never exponent (Java's toPlainString). */
  toString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString();
    if (this.scale === 0) return negative ? `-${digits}` : digits;
    const padded = digits.padStart(this.scale + 1, "0");
    const cut = padded.length - this.scale;
    return `${negative ? "-" : ""}${padded.slice(0, cut)}.${padded.slice(cut)}`;
  }

  /** Number of significant digits of the unscaled value (0 has precision 1). */
  precision(): number {
    const digits = (this.unscaled < 0n ? -this.unscaled : this.unscaled).toString();
    return digits.length;
  }

  /** Whether the value fits DECIMAL(precision, scale) once rescaled to `scale`. */
  fits(precision: number, scale: number): boolean {
    const rescaled = this.setScale(scale, "HALF_UP");
    return rescaled.precision() <= precision;
  }

  setScale(scale: number, mode: RoundingMode): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    return new Decimal(divideRounded(this.unscaled, 10n ** BigInt(this.scale - scale), mode), scale);
  }

  compareTo(other: Decimal): number {
    const scale = Math.max(this.scale, other.scale);
    const a = this.setScale(scale, "DOWN").unscaled;
    const b = other.setScale(scale, "DOWN").unscaled;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Numeric equality ignoring scale (1.0 equals 1.00), the comparison SQL uses. */
  equals(other: Decimal): boolean {
    return this.compareTo(other) === 0;
  }

  add(other: Decimal): Decimal {
    const scale = Math.max(this.scale, other.scale);
    return new Decimal(this.setScale(scale, "DOWN").unscaled + other.setScale(scale, "DOWN").unscaled, scale);
  }

  subtract(other: Decimal): Decimal {
    return this.add(other.negate());
  }

  negate(): Decimal {
    return new Decimal(-this.unscaled, this.scale);
  }

  abs(): Decimal {
    return this.unscaled < 0n ? this.negate() : this;
  }

  signum(): number {
    return this.unscaled < 0n ? -1 : this.unscaled > 0n ? 1 : 0;
  }

  /** The integral part, truncated toward zero. */
  toBigInt(): bigint {
    return this.setScale(0, "DOWN").unscaled;
  }
}

/** Integer division of n by a positive d with the given rounding of the remainder. */
function divideRounded(n: bigint, d: bigint, mode: RoundingMode): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const negative = n < 0n;
  switch (mode) {
    case "DOWN":
      return q;
    case "FLOOR":
      return negative ? q - 1n : q;
    case "CEILING":
      return negative ? q : q + 1n;
    case "HALF_UP": {
      const twice = (negative ? -r : r) * 2n;
      return twice >= d ? (negative ? q - 1n : q + 1n) : q;
    }
    case "HALF_CEILING": {
      const twice = (negative ? -r : r) * 2n;
      if (negative) return twice > d ? q - 1n : q;
      return twice >= d ? q + 1n : q;
    }
  }
}
