// Typing of KSQL's operators: arithmetic with widening and DECIMAL result types, comparisons, predicates, logic.

import type { Expression, Span } from "../language/ast.ts";
import { commonSuperType } from "../types/coercion.ts";
import { BOOLEAN, isNumeric, type SqlType, STRING } from "../types/types.ts";
import { asDecimal, coerce, typeName, unifyForComparison } from "./coerce.ts";
import { decimalResultType } from "./decimal-arithmetic.ts";
import type { SqlSemanticErrorCode } from "./errors.ts";
import type { TypedExpression } from "./typed.ts";

/** What the operator rules need from the checker: typing sub-expressions and failing with a position. */
export interface CheckContext {
  check(expression: Expression): TypedExpression;
  fail(code: SqlSemanticErrorCode, problem: string, span: Span, cause?: unknown): never;
}

type Of<K extends Expression["kind"]> = Extract<Expression, { kind: K }>;

export function typeNegate(ctx: CheckContext, e: Of<"Negate">): TypedExpression {
  const operand = ctx.check(e.operand);
  if (operand.type === null) ctx.fail("SQL_CANNOT_INFER_TYPE", "cannot negate an untyped NULL; CAST it", e.span);
  if (!isNumeric(operand.type)) {
    ctx.fail("SQL_TYPE_MISMATCH", `operator - cannot be applied to ${typeName(operand.type)}`, e.span);
  }
  return { kind: "Negate", expression: e, type: operand.type, operand };
}

export function typeArithmetic(ctx: CheckContext, e: Of<"Arithmetic">): TypedExpression {
  const left = ctx.check(e.left);
  const right = ctx.check(e.right);
  const a = left.type;
  const b = right.type;
  // KSQL's `+` also concatenates strings.
  if (e.operator === "+" && (a?.kind === "STRING" || b?.kind === "STRING")) return concat(ctx, e, left, right);
  const mismatch = () =>
    ctx.fail(
      "SQL_TYPE_MISMATCH",
      `operator ${e.operator} cannot be applied to ${typeName(a)} and ${typeName(b)}`,
      e.span,
    );
  if ((a !== null && !isNumeric(a)) || (b !== null && !isNumeric(b))) return mismatch();
  if (a === null && b === null) {
    return ctx.fail("SQL_CANNOT_INFER_TYPE", `operator ${e.operator} on two untyped NULLs; CAST one`, e.span);
  }
  const common = a === null ? b! : b === null ? a : commonSuperType(a, b);
  if (common === null) return mismatch();
  if (common.kind === "DECIMAL") {
    // Each operand keeps its own precision and scale; the result type follows from both.
    const da = asDecimal(a ?? common);
    const db = asDecimal(b ?? common);
    const type = decimalResultType(e.operator, da, db);
    return {
      kind: "Arithmetic",
      expression: e,
      type,
      operator: e.operator,
      left: coerce(left, da),
      right: coerce(right, db),
    };
  }
  return {
    kind: "Arithmetic",
    expression: e,
    type: common,
    operator: e.operator,
    left: coerce(left, common),
    right: coerce(right, common),
  };
}

export function typeConcat(ctx: CheckContext, e: Of<"Concat">): TypedExpression {
  return concat(ctx, e, ctx.check(e.left), ctx.check(e.right));
}

function concat(ctx: CheckContext, e: Expression, left: TypedExpression, right: TypedExpression): TypedExpression {
  for (const side of [left, right]) {
    if (side.type !== null && side.type.kind !== "STRING") {
      ctx.fail(
        "SQL_TYPE_MISMATCH",
        `concatenation needs STRING operands, got ${typeName(left.type)} and ${typeName(right.type)}`,
        e.span,
      );
    }
  }
  return { kind: "Concat", expression: e, type: STRING, left: coerce(left, STRING), right: coerce(right, STRING) };
}

/** Ordering is defined on primitive types only; equality on every type. */
function unify(ctx: CheckContext, operator: string, left: TypedExpression, right: TypedExpression, span: Span) {
  const unified = unifyForComparison(left, right);
  if (unified === null) {
    return ctx.fail(
      "SQL_TYPE_MISMATCH",
      `operator ${operator} cannot compare ${typeName(left.type)} with ${typeName(right.type)}`,
      span,
    );
  }
  const kind = unified.type?.kind;
  const ordering = operator !== "=" && operator !== "<>" && operator !== "IS DISTINCT FROM" && operator !== "IN";
  if (ordering && (kind === "ARRAY" || kind === "MAP" || kind === "STRUCT")) {
    ctx.fail("SQL_TYPE_MISMATCH", `operator ${operator} cannot order values of ${typeName(unified.type)}`, span);
  }
  return unified;
}

export function typeComparison(ctx: CheckContext, e: Of<"Comparison">): TypedExpression {
  const u = unify(ctx, e.operator, ctx.check(e.left), ctx.check(e.right), e.span);
  return {
    kind: "Comparison",
    expression: e,
    type: BOOLEAN,
    operator: e.operator,
    left: u.left,
    right: u.right,
    operandType: u.type,
  };
}

/** `left = right` for a simple CASE's WHEN, typed like any comparison. */
export function equalityOf(
  ctx: CheckContext,
  expression: Expression,
  left: TypedExpression,
  right: TypedExpression,
): TypedExpression {
  const u = unify(ctx, "=", left, right, expression.span);
  return {
    kind: "Comparison",
    expression,
    type: BOOLEAN,
    operator: "=",
    left: u.left,
    right: u.right,
    operandType: u.type,
  };
}

export function typeIsDistinctFrom(ctx: CheckContext, e: Of<"IsDistinctFrom">): TypedExpression {
  const u = unify(ctx, "IS DISTINCT FROM", ctx.check(e.left), ctx.check(e.right), e.span);
  return {
    kind: "IsDistinctFrom",
    expression: e,
    type: BOOLEAN,
    negated: e.negated,
    left: u.left,
    right: u.right,
    operandType: u.type,
  };
}

export function typeBetween(ctx: CheckContext, e: Of<"Between">): TypedExpression {
  const operand = ctx.check(e.operand);
  const first = unify(ctx, "BETWEEN", operand, ctx.check(e.low), e.span);
  const second = unify(ctx, "BETWEEN", first.left, ctx.check(e.high), e.span);
  // The high bound may have widened the operand further; bring the low bound along.
  const low = second.type === null ? first.right : coerce(first.right, second.type);
  const operandType = second.type;
  return {
    kind: "Between",
    expression: e,
    type: BOOLEAN,
    operand: second.left,
    low,
    high: second.right,
    negated: e.negated,
    operandType,
  };
}

export function typeInList(ctx: CheckContext, e: Of<"InList">): TypedExpression {
  let operand = ctx.check(e.operand);
  const items = e.list.map((item) => ctx.check(item));
  let type: SqlType | null = operand.type;
  for (const item of items) type = unify(ctx, "IN", coerceIfTyped(operand, type), item, item.expression.span).type;
  operand = coerceIfTyped(operand, type);
  const list = items.map((item) => coerceIfTyped(item, type));
  return { kind: "InList", expression: e, type: BOOLEAN, operand, list, negated: e.negated, operandType: type };
}

function coerceIfTyped(node: TypedExpression, type: SqlType | null): TypedExpression {
  return type === null ? node : coerce(node, type);
}

export function typeLike(ctx: CheckContext, e: Of<"Like">): TypedExpression {
  const operand = ctx.check(e.operand);
  const pattern = ctx.check(e.pattern);
  for (const side of [operand, pattern]) {
    if (side.type !== null && side.type.kind !== "STRING") {
      ctx.fail("SQL_TYPE_MISMATCH", `LIKE needs STRING operands, got ${typeName(side.type)}`, side.expression.span);
    }
  }
  return {
    kind: "Like",
    expression: e,
    type: BOOLEAN,
    operand: coerce(operand, STRING),
    pattern: coerce(pattern, STRING),
    escape: e.escape,
    negated: e.negated,
  };
}

export function typeNot(ctx: CheckContext, e: Of<"Not">): TypedExpression {
  return { kind: "Not", expression: e, type: BOOLEAN, operand: booleanOperand(ctx, "NOT", e.operand) };
}

export function typeLogical(ctx: CheckContext, e: Of<"Logical">): TypedExpression {
  const left = booleanOperand(ctx, e.operator, e.left);
  const right = booleanOperand(ctx, e.operator, e.right);
  return { kind: "Logical", expression: e, type: BOOLEAN, operator: e.operator, left, right };
}

export function booleanOperand(ctx: CheckContext, operator: string, expression: Expression): TypedExpression {
  const node = ctx.check(expression);
  if (node.type !== null && node.type.kind !== "BOOLEAN") {
    ctx.fail("SQL_TYPE_MISMATCH", `${operator} needs a BOOLEAN operand, got ${typeName(node.type)}`, expression.span);
  }
  return coerce(node, BOOLEAN);
}
