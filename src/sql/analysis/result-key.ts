// The key of a query's result as the stages before the projection leave it, and how the projection finds it.

import type { TypedExpression } from "../expressions/typed.ts";
import { printExpression } from "../language/print-expression.ts";
import { typesEqual } from "../types/types.ts";
import { fingerprint } from "./typed-tree.ts";

/** One key column: every expression equal to it (by fingerprint over the projection's scope) and how to read it. */
export interface KeyPart {
  /** Fingerprint → the expression the projection reads when the SELECT item has that fingerprint. */
  readonly matches: ReadonlyMap<string, TypedExpression>;
  /** The key as the statement spells it, for messages. */
  readonly text: string;
}

export interface ResultKey {
  readonly parts: readonly KeyPart[];
  /**
   * What the key is, for messages ("GROUP BY expression"); and whether a persistent query must select every part
   * (aggregations, tables, PARTITION BY: ksqlDB's "Key missing from projection") or may drop them all, which makes a
   * stream without a key (ksqlDB ≥ 0.25 allows that for streams).
   */
  readonly origin: "GROUP BY expression" | "key column" | "PARTITION BY expression" | "join expression";
  readonly required: boolean;
}

/** A key part that `read` computes, recognised wherever the projection repeats any of `equals`. */
export function keyPart(read: TypedExpression, equals: readonly TypedExpression[] = []): KeyPart {
  const matches = new Map<string, TypedExpression>();
  for (const expression of [read, ...equals]) {
    const key = fingerprint(expression);
    // An equal expression of another type (a stream INTEGER matched to a BIGINT table key) is read as written.
    if (!matches.has(key)) matches.set(key, sameType(expression, read) ? read : expression);
  }
  return { matches, text: printExpression(read.expression) };
}

function sameType(a: TypedExpression, b: TypedExpression): boolean {
  return a.type === null || b.type === null ? a.type === b.type : typesEqual(a.type, b.type);
}
