// The typed expression tree: each node with its SQL type, names resolved to row indexes, functions to implementations.

import type { ScalarImpl } from "../functions/signature.ts";
import type { ArithmeticOperator, ComparisonOperator, Expression } from "../language/ast.ts";
import type { SqlType } from "../types/types.ts";
import type { SqlValue } from "../types/values.ts";
import type { PseudoColumn } from "./scope.ts";

/**
 * Every node keeps the syntax node it was typed from (`expression`), for error messages and output column names.
 * `type` is null only for an untyped NULL (a bare NULL literal, or something made only of them).
 */
interface Node {
  readonly expression: Expression;
  readonly type: SqlType | null;
}

/** A value converter applied to an operand: implicit widening (INTEGER → BIGINT …) or an explicit CAST. */
export type Converter = (value: SqlValue) => SqlValue;

export type TypedExpression =
  | (Node & { readonly kind: "Literal"; readonly value: SqlValue })
  | (Node & { readonly kind: "Column"; readonly index: number; readonly name: string })
  | (Node & { readonly kind: "Pseudo"; readonly column: PseudoColumn })
  /** A lambda parameter; `slot` is unique within the whole expression. */
  | (Node & { readonly kind: "LambdaParam"; readonly slot: number })
  | (Node & { readonly kind: "Dereference"; readonly base: TypedExpression; readonly field: string })
  | (Node & {
      readonly kind: "Subscript";
      readonly base: TypedExpression;
      readonly index: TypedExpression;
      readonly container: "ARRAY" | "MAP";
    })
  | (Node & {
      readonly kind: "Call";
      readonly name: string;
      readonly args: readonly TypedExpression[];
      readonly invoke: ScalarImpl;
    })
  | (Node & { readonly kind: "Lambda"; readonly slots: readonly number[]; readonly body: TypedExpression })
  /** Operands already converted to `type`, the operator's type (for DECIMAL: the result type). */
  | (Node & { readonly kind: "Negate"; readonly operand: TypedExpression })
  | (Node & {
      readonly kind: "Arithmetic";
      readonly operator: ArithmeticOperator;
      readonly left: TypedExpression;
      readonly right: TypedExpression;
    })
  | (Node & { readonly kind: "Concat"; readonly left: TypedExpression; readonly right: TypedExpression })
  /** `operandType` is the common type both operands were converted to (null when both are untyped NULLs). */
  | (Node & {
      readonly kind: "Comparison";
      readonly operator: ComparisonOperator;
      readonly left: TypedExpression;
      readonly right: TypedExpression;
      readonly operandType: SqlType | null;
    })
  | (Node & { readonly kind: "IsNull"; readonly operand: TypedExpression; readonly negated: boolean })
  | (Node & {
      readonly kind: "IsDistinctFrom";
      readonly left: TypedExpression;
      readonly right: TypedExpression;
      readonly negated: boolean;
      readonly operandType: SqlType | null;
    })
  | (Node & {
      readonly kind: "Between";
      readonly operand: TypedExpression;
      readonly low: TypedExpression;
      readonly high: TypedExpression;
      readonly negated: boolean;
      readonly operandType: SqlType | null;
    })
  | (Node & {
      readonly kind: "InList";
      readonly operand: TypedExpression;
      readonly list: readonly TypedExpression[];
      readonly negated: boolean;
      readonly operandType: SqlType | null;
    })
  | (Node & {
      readonly kind: "Like";
      readonly operand: TypedExpression;
      readonly pattern: TypedExpression;
      readonly escape: string | undefined;
      readonly negated: boolean;
    })
  | (Node & { readonly kind: "Not"; readonly operand: TypedExpression })
  | (Node & {
      readonly kind: "Logical";
      readonly operator: "AND" | "OR";
      readonly left: TypedExpression;
      readonly right: TypedExpression;
    })
  /** Searched CASE; a simple CASE is typed into this shape with `operand = value` conditions. */
  | (Node & {
      readonly kind: "Case";
      readonly whens: readonly { readonly when: TypedExpression; readonly result: TypedExpression }[];
      readonly else: TypedExpression | undefined;
    })
  /** `implicit` marks widening the checker inserted, as opposed to a CAST the user wrote. */
  | (Node & {
      readonly kind: "Convert";
      readonly operand: TypedExpression;
      readonly convert: Converter;
      readonly implicit: boolean;
    })
  | (Node & { readonly kind: "ArrayConstructor"; readonly elements: readonly TypedExpression[] })
  | (Node & {
      readonly kind: "MapConstructor";
      readonly entries: readonly { readonly key: TypedExpression; readonly value: TypedExpression }[];
    })
  | (Node & {
      readonly kind: "StructConstructor";
      readonly fields: readonly { readonly name: string; readonly value: TypedExpression }[];
    });

export type TypedKind = TypedExpression["kind"];
