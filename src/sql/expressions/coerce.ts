// Implicit conversions the checker inserts: widening an operand to a common type, and typing untyped NULLs.

import { compileCast } from "../types/cast.ts";
import { commonSuperType } from "../types/coercion.ts";
import { parseIsoTimestamp } from "../types/temporal.ts";
import { type DecimalType, formatType, integralAsDecimal, type SqlType, typesEqual } from "../types/types.ts";
import type { SqlValue } from "../types/values.ts";
import { isTimePseudoColumn } from "./scope.ts";
import type { Converter, TypedExpression } from "./typed.ts";

/** `node` as a value of `target`: untyped NULLs take the type, literals convert now, anything else converts per row. */
export function coerce(node: TypedExpression, target: SqlType): TypedExpression {
  if (node.type === null) return { ...node, type: target } as TypedExpression;
  if (typesEqual(node.type, target)) return node;
  return convert(node, target, compileCast(node.type, target));
}

function convert(node: TypedExpression, target: SqlType, converter: Converter): TypedExpression {
  if (node.kind === "Literal") {
    return { kind: "Literal", expression: node.expression, type: target, value: converter(node.value) };
  }
  return {
    kind: "Convert",
    expression: node.expression,
    type: target,
    operand: node,
    convert: converter,
    implicit: true,
  };
}

export function typeName(type: SqlType | null): string {
  return type === null ? "NULL" : formatType(type);
}

export function asDecimal(type: SqlType): DecimalType {
  if (type.kind === "DECIMAL") return type;
  return integralAsDecimal(type.kind as "INTEGER" | "BIGINT");
}

const TEMPORAL = new Set(["DATE", "TIME", "TIMESTAMP"]);

/** Reads timestamp text into the BIGINT milliseconds of ROWTIME and the window bounds. */
const timestampTextToMillis: Converter = (value: SqlValue) =>
  value === null ? null : BigInt(parseIsoTimestamp(value as string));

/**
 * The type two operands of a comparison meet at, with both operands converted to it; null when they have none.
 * Besides widening, KSQL compares DATE/TIME/TIMESTAMP — and ROWTIME, WINDOWSTART, WINDOWEND — with ISO text.
 */
export function unifyForComparison(
  left: TypedExpression,
  right: TypedExpression,
): { left: TypedExpression; right: TypedExpression; type: SqlType | null } | null {
  const a = left.type;
  const b = right.type;
  if (a === null && b === null) return { left, right, type: null };
  if (a === null) return { left: coerce(left, b!), right, type: b };
  if (b === null) return { left, right: coerce(right, a), type: a };
  const common = commonSuperType(a, b);
  if (common) return { left: coerce(left, common), right: coerce(right, common), type: common };
  if (TEMPORAL.has(a.kind) && b.kind === "STRING") return { left, right: coerce(right, a), type: a };
  if (TEMPORAL.has(b.kind) && a.kind === "STRING") return { left: coerce(left, b), right, type: b };
  if (isTimeColumn(left) && b.kind === "STRING") {
    return { left, right: convert(right, a, timestampTextToMillis), type: a };
  }
  if (isTimeColumn(right) && a.kind === "STRING") {
    return { left: convert(left, b, timestampTextToMillis), right, type: b };
  }
  return null;
}

function isTimeColumn(node: TypedExpression): boolean {
  return node.kind === "Pseudo" && isTimePseudoColumn(node.column);
}
