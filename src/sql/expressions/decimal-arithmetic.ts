// DECIMAL arithmetic as ksqlDB types it: the result precision and scale of each operator, and the exact operations.

import type { ArithmeticOperator } from "../language/ast.ts";
import { Decimal } from "../types/decimal.ts";
import { type DecimalType, MAX_DECIMAL_PRECISION } from "../types/types.ts";
import { ArithmeticFault } from "./errors.ts";

/*
 * Result types (ksqlDB follows the SQL Server / Hive rules):
 *   a + b, a - b   scale max(s1, s2)            precision max(p1 - s1, p2 - s2) + max(s1, s2) + 1
 *   a * b          scale s1 + s2                precision p1 + p2 + 1
 *   a / b          scale max(6, s1 + p2 + 1)    precision p1 - s1 + s2 + scale
 *   a % b          scale max(s1, s2)            precision min(p1 - s1, p2 - s2) + scale
 * Above 38 digits the precision is capped and the scale gives way first (down to 6), so that the integer digits
 * survive; a value that still does not fit fails on its row.
 */
export function decimalResultType(operator: ArithmeticOperator, a: DecimalType, b: DecimalType): DecimalType {
  let precision: number;
  let scale: number;
  switch (operator) {
    case "+":
    case "-":
      scale = Math.max(a.scale, b.scale);
      precision = Math.max(a.precision - a.scale, b.precision - b.scale) + scale + 1;
      break;
    case "*":
      scale = a.scale + b.scale;
      precision = a.precision + b.precision + 1;
      break;
    case "/":
      scale = Math.max(6, a.scale + b.precision + 1);
      precision = a.precision - a.scale + b.scale + scale;
      break;
    case "%":
      scale = Math.max(a.scale, b.scale);
      precision = Math.min(a.precision - a.scale, b.precision - b.scale) + scale;
      break;
  }
  if (precision > MAX_DECIMAL_PRECISION) {
    scale = Math.max(MAX_DECIMAL_PRECISION - (precision - scale), Math.min(scale, 6));
    precision = MAX_DECIMAL_PRECISION;
  }
  return { kind: "DECIMAL", precision: Math.max(precision, 1), scale: Math.min(scale, precision) };
}

/** Computes `a op b` exactly, rounded HALF_UP to the result type's scale; throws when it does not fit. */
export function decimalArithmetic(operator: ArithmeticOperator, a: Decimal, b: Decimal, type: DecimalType): Decimal {
  let result: Decimal;
  switch (operator) {
    case "+":
      result = a.add(b);
      break;
    case "-":
      result = a.subtract(b);
      break;
    case "*":
      result = new Decimal(a.unscaled * b.unscaled, a.scale + b.scale);
      break;
    case "/":
      return fit(divide(a, b, type.scale), type);
    case "%": {
      if (b.unscaled === 0n) throw new ArithmeticFault("division by zero");
      const scale = Math.max(a.scale, b.scale);
      // bigint % truncates toward zero and keeps the dividend's sign, as Java's BigDecimal.remainder does.
      result = new Decimal(a.setScale(scale, "DOWN").unscaled % b.setScale(scale, "DOWN").unscaled, scale);
      break;
    }
  }
  return fit(result.setScale(type.scale, "HALF_UP"), type);
}

function divide(a: Decimal, b: Decimal, scale: number): Decimal {
  if (b.unscaled === 0n) throw new ArithmeticFault("division by zero");
  // a / b at `scale` digits is (a.unscaled × 10^(scale - a.scale + b.scale)) / b.unscaled, rounded half up.
  const shift = scale - a.scale + b.scale;
  let numerator = a.unscaled;
  let denominator = b.unscaled;
  if (shift >= 0) numerator *= 10n ** BigInt(shift);
  else denominator *= 10n ** BigInt(-shift);
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const quotient = numerator / denominator;
  const twiceRemainder = (numerator % denominator) * 2n;
  if (twiceRemainder >= denominator) return new Decimal(quotient + 1n, scale);
  if (-twiceRemainder >= denominator) return new Decimal(quotient - 1n, scale);
  return new Decimal(quotient, scale);
}

function fit(value: Decimal, type: DecimalType): Decimal {
  if (value.precision() > type.precision) {
    throw new ArithmeticFault(`${value} overflows DECIMAL(${type.precision}, ${type.scale})`);
  }
  return value;
}
