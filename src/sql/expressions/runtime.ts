// The helpers generated expression code calls for what does not fit in one JavaScript operator.

import type { ArithmeticOperator } from "../language/ast.ts";
import type { Decimal } from "../types/decimal.ts";
import type { DecimalType } from "../types/types.ts";
import { type SqlValue, valuesEqual } from "../types/values.ts";
import { decimalArithmetic } from "./decimal-arithmetic.ts";
import { ArithmeticFault } from "./errors.ts";

/** LIKE patterns that are not literals are compiled on first sight; a bound keeps a stream of distinct ones in check. */
const LIKE_CACHE_LIMIT = 256;
const likeCache = new Map<string, RegExp>();

/** `%` is any run of characters, `_` exactly one; `escapeChar` makes the next character literal. Case-sensitive. */
export function likePattern(pattern: string, escapeChar: string | undefined): RegExp {
  let source = "";
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === escapeChar && i + 1 < chars.length) source += quote(chars[++i]!);
    else if (c === "%") source += "[\\s\\S]*";
    else if (c === "_") source += "[\\s\\S]";
    else source += quote(c);
  }
  return new RegExp(`^${source}$`, "u");
}

/** Escapes the characters RegExp syntax gives a meaning (the `u` flag rejects escaping any other). */
function quote(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

export const runtime = {
  like(value: SqlValue, pattern: SqlValue, escapeChar: string | undefined): boolean | null {
    if (value === null || pattern === null) return null;
    const key = `${escapeChar ?? ""}\u0000${pattern as string}`;
    let regexp = likeCache.get(key);
    if (!regexp) {
      if (likeCache.size >= LIKE_CACHE_LIMIT) likeCache.clear();
      regexp = likePattern(pattern as string, escapeChar);
      likeCache.set(key, regexp);
    }
    return regexp.test(value as string);
  },

  /** ksqlDB's subscript: 1 is the first element, -1 the last; 0 and anything out of range give NULL. */
  arrayAt(array: SqlValue, index: SqlValue): SqlValue {
    if (array === null || index === null) return null;
    const list = array as SqlValue[];
    const i = (index as number) > 0 ? (index as number) - 1 : list.length + (index as number);
    return i >= 0 && i < list.length ? list[i]! : null;
  },

  decimal(operator: ArithmeticOperator, a: Decimal, b: Decimal, type: DecimalType): Decimal {
    return decimalArithmetic(operator, a, b, type);
  },

  equal(a: SqlValue, b: SqlValue): boolean {
    return valuesEqual(a, b);
  },

  compareBytes(a: SqlValue, b: SqlValue): number {
    return Buffer.compare(a as Uint8Array, b as Uint8Array);
  },

  /** Integer division and modulo by zero fail on the row, as Java's ArithmeticException does in ksqlDB. */
  divideByZero(): never {
    throw new ArithmeticFault("division by zero");
  },
};

export type Runtime = typeof runtime;
