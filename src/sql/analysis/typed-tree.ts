// Walks typed expression trees: their children, a rebuilt copy with children replaced, and a structural fingerprint.

import type { TypedExpression } from "../expressions/typed.ts";
import { formatType } from "../types/types.ts";
import { valueKey } from "../types/values.ts";

/** The direct sub-expressions of a node, in evaluation order. */
export function childrenOf(node: TypedExpression): readonly TypedExpression[] {
  switch (node.kind) {
    case "Literal":
    case "Column":
    case "Pseudo":
    case "LambdaParam":
      return [];
    case "Dereference":
      return [node.base];
    case "Subscript":
      return [node.base, node.index];
    case "Call":
      return node.args;
    case "Lambda":
      return [node.body];
    case "Negate":
    case "IsNull":
    case "Not":
    case "Convert":
      return [node.operand];
    case "Arithmetic":
    case "Concat":
    case "Comparison":
    case "IsDistinctFrom":
    case "Logical":
      return [node.left, node.right];
    case "Between":
      return [node.operand, node.low, node.high];
    case "InList":
      return [node.operand, ...node.list];
    case "Like":
      return [node.operand, node.pattern];
    case "Case":
      return [...node.whens.flatMap((w) => [w.when, w.result]), ...(node.else ? [node.else] : [])];
    case "ArrayConstructor":
      return node.elements;
    case "MapConstructor":
      return node.entries.flatMap((e) => [e.key, e.value]);
    case "StructConstructor":
      return node.fields.map((f) => f.value);
  }
}

/**
 * A copy of the tree in which `replace` had the first say on every node, top-down: where it returns a node, that node
 * stands and its subtree is not visited; where it returns undefined, the node is kept with its children mapped.
 */
export function mapTyped(
  node: TypedExpression,
  replace: (node: TypedExpression) => TypedExpression | undefined,
): TypedExpression {
  const replaced = replace(node);
  if (replaced !== undefined) return replaced;
  const m = (child: TypedExpression) => mapTyped(child, replace);
  switch (node.kind) {
    case "Literal":
    case "Column":
    case "Pseudo":
    case "LambdaParam":
      return node;
    case "Dereference":
      return { ...node, base: m(node.base) };
    case "Subscript":
      return { ...node, base: m(node.base), index: m(node.index) };
    case "Call":
      return { ...node, args: node.args.map(m) };
    case "Lambda":
      return { ...node, body: m(node.body) };
    case "Negate":
    case "IsNull":
    case "Not":
    case "Convert":
      return { ...node, operand: m(node.operand) } as TypedExpression;
    case "Arithmetic":
    case "Concat":
    case "Comparison":
    case "IsDistinctFrom":
    case "Logical":
      return { ...node, left: m(node.left), right: m(node.right) } as TypedExpression;
    case "Between":
      return { ...node, operand: m(node.operand), low: m(node.low), high: m(node.high) };
    case "InList":
      return { ...node, operand: m(node.operand), list: node.list.map(m) };
    case "Like":
      return { ...node, operand: m(node.operand), pattern: m(node.pattern) };
    case "Case":
      return {
        ...node,
        whens: node.whens.map((w) => ({ when: m(w.when), result: m(w.result) })),
        else: node.else ? m(node.else) : undefined,
      };
    case "ArrayConstructor":
      return { ...node, elements: node.elements.map(m) };
    case "MapConstructor":
      return { ...node, entries: node.entries.map((e) => ({ key: m(e.key), value: m(e.value) })) };
    case "StructConstructor":
      return { ...node, fields: node.fields.map((f) => ({ name: f.name, value: m(f.value) })) };
  }
}

/** True when `test` holds for the node or any node below it. */
export function someNode(node: TypedExpression, test: (node: TypedExpression) => boolean): boolean {
  return test(node) || childrenOf(node).some((child) => someNode(child, test));
}

/**
 * A text equal for two trees that compute the same thing over the same scope, whatever way they were written:
 * `s.id` and `ID` resolve to one row index and print alike here. Used to recognise a GROUP BY or PARTITION BY
 * expression, or a join key, where the projection repeats it.
 */
export function fingerprint(node: TypedExpression): string {
  const type = node.type === null ? "NULL" : formatType(node.type);
  const inner = childrenOf(node).map(fingerprint).join(",");
  return `${node.kind}[${ownAttributes(node)}]<${type}>(${inner})`;
}

function ownAttributes(node: TypedExpression): string {
  switch (node.kind) {
    case "Literal":
      return valueKey(node.value);
    case "Column":
      return String(node.index);
    case "Pseudo":
      return node.column;
    case "LambdaParam":
      return String(node.slot);
    case "Dereference":
      return JSON.stringify(node.field);
    case "Subscript":
      return node.container;
    case "Call":
      return node.name;
    case "Lambda":
      return node.slots.join(" ");
    case "Arithmetic":
    case "Comparison":
      return node.operator;
    case "Logical":
      return node.operator;
    case "IsNull":
    case "IsDistinctFrom":
    case "Between":
    case "InList":
      return String(node.negated);
    case "Like":
      return `${node.negated} ${node.escape ?? ""}`;
    case "Convert":
      return String(node.implicit);
    case "Case":
      return String(node.whens.length);
    case "StructConstructor":
      return node.fields.map((f) => JSON.stringify(f.name)).join(" ");
    default:
      return "";
  }
}

/** Whether a node reads no row: only literals and functions of them, which can be computed once at planning time. */
export function isConstant(node: TypedExpression): boolean {
  return !someNode(node, (n) => n.kind === "Column" || n.kind === "Pseudo");
}
