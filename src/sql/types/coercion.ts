// Implicit widening between SQL types (INT → BIGINT → DECIMAL → DOUBLE, as ksqlDB does) and common super types.

import { SqlFunctionError } from "./errors.ts";
import {
  type DecimalType,
  DOUBLE,
  formatType,
  integralAsDecimal,
  MAX_DECIMAL_PRECISION,
  type SqlType,
  typesEqual,
} from "./types.ts";

const NUMERIC_RANK: Record<string, number> = { INTEGER: 1, BIGINT: 2, DECIMAL: 3, DOUBLE: 4 };

/**
 * How many widening steps turn `from` into `to` implicitly: 0 when equal, a positive cost when allowed, -1 when not.
 * Overload resolution picks the signature with the lowest total cost.
 */
export function wideningCost(from: SqlType, to: SqlType): number {
  if (typesEqual(from, to)) return 0;
  const rankFrom = NUMERIC_RANK[from.kind];
  const rankTo = NUMERIC_RANK[to.kind];
  if (rankFrom !== undefined && rankTo !== undefined) {
    if (rankFrom > rankTo) return -1;
    if (to.kind === "DECIMAL") {
      const source = from.kind === "DECIMAL" ? from : integralAsDecimal(from.kind as "INTEGER" | "BIGINT");
      return decimalFits(source, to) ? rankTo - rankFrom + 1 : -1;
    }
    return rankTo - rankFrom;
  }
  if (from.kind === "ARRAY" && to.kind === "ARRAY") return wideningCost(from.element, to.element);
  if (from.kind === "MAP" && to.kind === "MAP") {
    const key = wideningCost(from.key, to.key);
    const value = wideningCost(from.value, to.value);
    return key < 0 || value < 0 ? -1 : key + value;
  }
  if (from.kind === "STRUCT" && to.kind === "STRUCT") {
    if (from.fields.length !== to.fields.length) return -1;
    let total = 0;
    for (let i = 0; i < from.fields.length; i++) {
      const a = from.fields[i]!;
      const b = to.fields[i]!;
      const cost = a.name === b.name ? wideningCost(a.type, b.type) : -1;
      if (cost < 0) return -1;
      total += cost;
    }
    return total;
  }
  return -1;
}

export function canWiden(from: SqlType, to: SqlType): boolean {
  return wideningCost(from, to) >= 0;
}

/** True when every value of `from` fits `to` without losing digits on either side of the point. */
function decimalFits(from: DecimalType, to: DecimalType): boolean {
  return to.scale >= from.scale && to.precision - to.scale >= from.precision - from.scale;
}

/** The narrowest type both `a` and `b` widen to, or null when there is none (e.g. STRING and INTEGER). */
export function commonSuperType(a: SqlType, b: SqlType): SqlType | null {
  if (typesEqual(a, b)) return a;
  const rankA = NUMERIC_RANK[a.kind];
  const rankB = NUMERIC_RANK[b.kind];
  if (rankA !== undefined && rankB !== undefined) {
    if (a.kind === "DOUBLE" || b.kind === "DOUBLE") return DOUBLE;
    if (a.kind === "DECIMAL" || b.kind === "DECIMAL") return decimalUnion(asDecimal(a), asDecimal(b));
    return rankA >= rankB ? a : b;
  }
  if (a.kind === "ARRAY" && b.kind === "ARRAY") {
    const element = commonSuperType(a.element, b.element);
    return element ? { kind: "ARRAY", element } : null;
  }
  if (a.kind === "MAP" && b.kind === "MAP") {
    const key = commonSuperType(a.key, b.key);
    const value = commonSuperType(a.value, b.value);
    return key && value ? { kind: "MAP", key, value } : null;
  }
  if (a.kind === "STRUCT" && b.kind === "STRUCT" && a.fields.length === b.fields.length) {
    const fields = [];
    for (let i = 0; i < a.fields.length; i++) {
      const fa = a.fields[i]!;
      const fb = b.fields[i]!;
      const type = fa.name === fb.name ? commonSuperType(fa.type, fb.type) : null;
      if (!type) return null;
      fields.push({ name: fa.name, type });
    }
    return { kind: "STRUCT", fields };
  }
  return null;
}

/**
 * The common type of CASE branches, COALESCE arguments or ARRAY[...] elements; `null` entries stand for untyped NULL
 * literals and fit anything. Throws SQL_TYPE naming the first type that does not fit.
 */
export function commonTypeOf(types: readonly (SqlType | null)[], context: string): SqlType | null {
  let result: SqlType | null = null;
  for (const type of types) {
    if (type === null) continue;
    if (result === null) {
      result = type;
      continue;
    }
    const next = commonSuperType(result, type);
    if (!next) {
      throw new SqlFunctionError(
        "SQL_TYPE",
        `${context}: ${formatType(type)} has no common type with ${formatType(result)}`,
        { subject: context },
      );
    }
    result = next;
  }
  return result;
}

function asDecimal(type: SqlType): DecimalType {
  return type.kind === "DECIMAL" ? type : integralAsDecimal(type.kind as "INTEGER" | "BIGINT");
}

function decimalUnion(a: DecimalType, b: DecimalType): DecimalType {
  const scale = Math.max(a.scale, b.scale);
  const integerDigits = Math.max(a.precision - a.scale, b.precision - b.scale);
  return { kind: "DECIMAL", precision: Math.min(MAX_DECIMAL_PRECISION, integerDigits + scale), scale };
}
