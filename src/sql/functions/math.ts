// Numeric scalar functions (ABS, CEIL, FLOOR, ROUND, SQRT, LOG, POWER, SIGN, RANDOM, GREATEST, trigonometry…).

import { Decimal, type RoundingMode } from "../types/decimal.ts";
import { BIGINT, type DecimalType, DOUBLE, INTEGER, integralAsDecimal, MAX_DECIMAL_PRECISION } from "../types/types.ts";
import { compareValues, type SqlValue } from "../types/values.ts";
import type { ArgType, FunctionDescription, ParamType, ScalarSignature } from "./signature.ts";

const ANY_DECIMAL: ParamType = { kind: "ANY_DECIMAL" };
const T: ParamType = { kind: "GENERIC", name: "T" };

type Num = number | null;

/** The DECIMAL argument's own type, so that DECIMAL functions return the precision and scale they were given. */
function argDecimal(args: readonly ArgType[]): DecimalType {
  const arg = args[0]!;
  return arg.kind === "DECIMAL" ? arg : integralAsDecimal(arg.kind === "INTEGER" ? "INTEGER" : "BIGINT");
}

/** Integral DECIMAL one digit wider than the argument's integer part: CEIL(9.5) = 10 needs the extra digit. */
function integralDecimal(args: readonly ArgType[]): DecimalType {
  const { precision, scale } = argDecimal(args);
  return { kind: "DECIMAL", precision: Math.min(MAX_DECIMAL_PRECISION, precision - scale + 1), scale: 0 };
}

/** Rounds to `places` digits after the point (negative: before it); the result has scale max(places, 0). */
function roundDecimal(value: Decimal, places: number, mode: RoundingMode): Decimal {
  if (places >= 0) return value.setScale(places, mode);
  const factor = 10n ** BigInt(-places);
  const shrunk = new Decimal(value.unscaled, value.scale - places);
  return new Decimal(shrunk.setScale(0, mode).unscaled * factor, 0);
}

function unaryDouble(fn: (x: number) => number, description: string): ScalarSignature[] {
  return [
    { params: [DOUBLE], names: ["x"], returns: DOUBLE, description, impl: (x: Num) => (x === null ? null : fn(x)) },
  ];
}

function scalar(name: string, description: string, signatures: ScalarSignature[]): FunctionDescription {
  return { name, kind: "scalar", category: "math", description, signatures };
}

/** Java's Math.round: half toward positive infinity, NaN → 0, saturating to the long range. */
function javaRound(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  const r = Math.floor(x + 0.5);
  if (r >= 2 ** 63) return 2n ** 63n - 1n;
  if (r <= -(2 ** 63)) return -(2n ** 63n);
  return BigInt(Math.abs(x) >= 2 ** 52 ? x : r);
}

function extreme(sign: 1 | -1) {
  return (...values: SqlValue[]): SqlValue => {
    let best: SqlValue = null;
    for (const v of values) if (v !== null && (best === null || compareValues(v, best) * sign > 0)) best = v;
    return best;
  };
}

export const mathFunctions: readonly FunctionDescription[] = [
  scalar("ABS", "The absolute value of x.", [
    { params: [INTEGER], returns: INTEGER, impl: (x: Num) => (x === null ? null : Math.abs(x) | 0) },
    {
      params: [BIGINT],
      returns: BIGINT,
      impl: (x: bigint | null) => (x === null ? null : BigInt.asIntN(64, x < 0n ? -x : x)),
    },
    { params: [DOUBLE], returns: DOUBLE, impl: (x: Num) => (x === null ? null : Math.abs(x)) },
    { params: [ANY_DECIMAL], returns: argDecimal, impl: (x: Decimal | null) => (x === null ? null : x.abs()) },
  ]),
  scalar("CEIL", "The smallest integer value that is greater than or equal to x.", [
    { params: [INTEGER], returns: INTEGER, impl: (x: Num) => x },
    { params: [BIGINT], returns: BIGINT, impl: (x: bigint | null) => x },
    { params: [DOUBLE], returns: DOUBLE, impl: (x: Num) => (x === null ? null : Math.ceil(x)) },
    { params: [ANY_DECIMAL], returns: integralDecimal, impl: (x: Decimal | null) => x?.setScale(0, "CEILING") ?? null },
  ]),
  scalar("FLOOR", "The largest integer value that is less than or equal to x.", [
    { params: [INTEGER], returns: INTEGER, impl: (x: Num) => x },
    { params: [BIGINT], returns: BIGINT, impl: (x: bigint | null) => x },
    { params: [DOUBLE], returns: DOUBLE, impl: (x: Num) => (x === null ? null : Math.floor(x)) },
    { params: [ANY_DECIMAL], returns: integralDecimal, impl: (x: Decimal | null) => x?.setScale(0, "FLOOR") ?? null },
  ]),
  scalar("ROUND", "Rounds x to `scale` decimal places (default 0); halves round toward positive infinity.", [
    { params: [INTEGER], returns: INTEGER, impl: (x: Num) => x },
    { params: [BIGINT], returns: BIGINT, impl: (x: bigint | null) => x },
    { params: [DOUBLE], names: ["x"], returns: BIGINT, impl: (x: Num) => (x === null ? null : javaRound(x)) },
    {
      params: [DOUBLE, INTEGER],
      names: ["x", "scale"],
      returns: DOUBLE,
      impl: (x: Num, places: Num) =>
        x === null || places === null
          ? null
          : Number.isFinite(x)
            ? roundDecimal(Decimal.fromNumber(x), places, "HALF_CEILING").toNumber()
            : x,
    },
    {
      params: [ANY_DECIMAL],
      returns: integralDecimal,
      impl: (x: Decimal | null) => (x === null ? null : roundDecimal(x, 0, "HALF_CEILING")),
    },
    {
      params: [ANY_DECIMAL, INTEGER],
      names: ["x", "scale"],
      returns: argDecimal,
      description: "The result keeps the argument's scale: ROUND(1.2345, 2) = 1.2300.",
      impl: (x: Decimal | null, places: Num) =>
        x === null || places === null ? null : roundDecimal(x, places, "HALF_CEILING").setScale(x.scale, "DOWN"),
    },
  ]),
  scalar("SIGN", "The sign of x as an INTEGER: -1, 0 or 1.", [
    { params: [INTEGER], returns: INTEGER, impl: (x: Num) => (x === null ? null : Math.sign(x)) },
    {
      params: [BIGINT],
      returns: INTEGER,
      impl: (x: bigint | null) => (x === null ? null : x < 0n ? -1 : x > 0n ? 1 : 0),
    },
    {
      params: [DOUBLE],
      returns: INTEGER,
      impl: (x: Num) => (x === null ? null : Number.isNaN(x) ? 0 : Math.sign(x) | 0),
    },
    { params: [ANY_DECIMAL], returns: INTEGER, impl: (x: Decimal | null) => x?.signum() ?? null },
  ]),
  scalar("SQRT", "The square root of x (NaN for negative x).", unaryDouble(Math.sqrt, "square root")),
  scalar("CBRT", "The cube root of x.", unaryDouble(Math.cbrt, "cube root")),
  scalar("EXP", "e raised to the power of x.", unaryDouble(Math.exp, "exponential")),
  scalar("LN", "The natural logarithm of x.", unaryDouble(Math.log, "natural logarithm")),
  scalar("LOG", "The base-10 logarithm of value, or its logarithm in the given base.", [
    { params: [DOUBLE], names: ["value"], returns: DOUBLE, impl: (v: Num) => (v === null ? null : Math.log10(v)) },
    {
      params: [DOUBLE, DOUBLE],
      names: ["base", "value"],
      returns: DOUBLE,
      description: "-Infinity when value is 0; NaN when value or base is negative, or base is 0 or 1.",
      impl: (base: Num, v: Num) => {
        if (base === null || v === null) return null;
        if (v === 0) return Number.NEGATIVE_INFINITY;
        if (v < 0 || base <= 0 || base === 1) return Number.NaN;
        return Math.log(v) / Math.log(base);
      },
    },
  ]),
  scalar("POWER", "base raised to the power of exponent (Infinity on overflow).", [
    {
      params: [DOUBLE, DOUBLE],
      names: ["base", "exponent"],
      returns: DOUBLE,
      impl: (b: Num, e: Num) => (b === null || e === null ? null : b ** e),
    },
  ]),
  scalar("RANDOM", "A random DOUBLE in [0.0, 1.0).", [{ params: [], returns: DOUBLE, impl: () => Math.random() }]),
  scalar("PI", "An approximation of π.", [{ params: [], returns: DOUBLE, impl: () => Math.PI }]),
  scalar(
    "DEGREES",
    "Converts radians to degrees.",
    unaryDouble((x) => (x * 180) / Math.PI, "degrees"),
  ),
  scalar(
    "RADIANS",
    "Converts degrees to radians.",
    unaryDouble((x) => (x / 180) * Math.PI, "radians"),
  ),
  scalar("SIN", "The sine of x (radians).", unaryDouble(Math.sin, "sine")),
  scalar("COS", "The cosine of x (radians).", unaryDouble(Math.cos, "cosine")),
  scalar("TAN", "The tangent of x (radians).", unaryDouble(Math.tan, "tangent")),
  scalar(
    "COT",
    "The cotangent of x (radians).",
    unaryDouble((x) => 1 / Math.tan(x), "cotangent"),
  ),
  scalar("ASIN", "The arc sine of x, NaN outside [-1, 1].", unaryDouble(Math.asin, "arc sine")),
  scalar("ACOS", "The arc cosine of x, NaN outside [-1, 1].", unaryDouble(Math.acos, "arc cosine")),
  scalar("ATAN", "The arc tangent of x.", unaryDouble(Math.atan, "arc tangent")),
  scalar("SINH", "The hyperbolic sine of x.", unaryDouble(Math.sinh, "hyperbolic sine")),
  scalar("COSH", "The hyperbolic cosine of x.", unaryDouble(Math.cosh, "hyperbolic cosine")),
  scalar("TANH", "The hyperbolic tangent of x.", unaryDouble(Math.tanh, "hyperbolic tangent")),
  scalar("ATAN2", "The arc tangent of y / x, in radians.", [
    {
      params: [DOUBLE, DOUBLE],
      names: ["y", "x"],
      returns: DOUBLE,
      impl: (y: Num, x: Num) => (y === null || x === null ? null : Math.atan2(y, x)),
    },
  ]),
  scalar("GREATEST", "The largest non-null argument; NULL when all are NULL.", [
    { params: [T, T], variadic: true, returns: T, impl: extreme(1) },
  ]),
  scalar("LEAST", "The smallest non-null argument; NULL when all are NULL.", [
    { params: [T, T], variadic: true, returns: T, impl: extreme(-1) },
  ]),
];
