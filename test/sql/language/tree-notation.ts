// A compact prefix notation for expression trees, so that precedence tests read as `(+ A (* B C))` in a data file.
import type { Expression } from "../../../src/sql/language/index.ts";
import { printType } from "../../../src/sql/language/index.ts";

export function treeNotation(e: Expression): string {
  const t = treeNotation;
  const not = (negated: boolean) => (negated ? "not-" : "");
  switch (e.kind) {
    case "NullLiteral":
      return "null";
    case "BooleanLiteral":
      return String(e.value);
    case "StringLiteral":
      return `'${e.value}'`;
    case "IntegerLiteral":
      return `${e.type.toLowerCase()}:${e.value}`;
    case "DecimalLiteral":
      return `dec:${e.value}`;
    case "DoubleLiteral":
      return `double:${e.value}`;
    case "ColumnRef":
      return e.source === undefined ? e.name.value : `${e.source.value}.${e.name.value}`;
    case "Dereference":
      return `(-> ${t(e.base)} ${e.field.value})`;
    case "Subscript":
      return `([] ${t(e.base)} ${t(e.index)})`;
    case "FunctionCall":
      return `(call ${e.name.value}${e.star ? " *" : e.args.map((a) => ` ${t(a)}`).join("")})`;
    case "Lambda":
      return `(lambda (${e.params.map((p) => p.value).join(" ")}) ${t(e.body)})`;
    case "Negate":
      return `(neg ${t(e.operand)})`;
    case "Arithmetic":
    case "Comparison":
      return `(${e.operator} ${t(e.left)} ${t(e.right)})`;
    case "Concat":
      return `(|| ${t(e.left)} ${t(e.right)})`;
    case "Logical":
      return `(${e.operator} ${t(e.left)} ${t(e.right)})`;
    case "Not":
      return `(NOT ${t(e.operand)})`;
    case "IsNull":
      return `(is-${not(e.negated)}null ${t(e.operand)})`;
    case "IsDistinctFrom":
      return `(${not(e.negated)}distinct ${t(e.left)} ${t(e.right)})`;
    case "Between":
      return `(${not(e.negated)}between ${t(e.operand)} ${t(e.low)} ${t(e.high)})`;
    case "InList":
      return `(${not(e.negated)}in ${t(e.operand)}${e.list.map((x) => ` ${t(x)}`).join("")})`;
    case "Like":
      return `(${not(e.negated)}like ${t(e.operand)} ${t(e.pattern)}${e.escape === undefined ? "" : ` '${e.escape}'`})`;
    case "Case": {
      const parts = ["case"];
      if (e.operand !== undefined) parts.push(t(e.operand));
      for (const w of e.whens) parts.push(`(when ${t(w.when)} ${t(w.then)})`);
      if (e.else !== undefined) parts.push(`(else ${t(e.else)})`);
      return `(${parts.join(" ")})`;
    }
    case "Cast":
      return `(cast ${t(e.operand)} ${printType(e.type)})`;
    case "ArrayConstructor":
      return `(array${e.elements.map((x) => ` ${t(x)}`).join("")})`;
    case "MapConstructor":
      return `(map${e.entries.map((x) => ` (${t(x.key)} ${t(x.value)})`).join("")})`;
    case "StructConstructor":
      return `(struct${e.fields.map((x) => ` (${x.name.value} ${t(x.value)})`).join("")})`;
  }
}
