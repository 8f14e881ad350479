// Generates the JavaScript source of a typed expression: straight-line statements over `row`, `ctx` and constants.

/*
 * Why the generated code is safe to hand to `new Function`: the generator writes only identifiers it makes itself
 * (v12, p3, k7, l2), numeric row indexes, int32 literals it printed with String(number), operators from a fixed list
 * and calls to the global BigInt, Number, Math and the runtime object. Nothing the user wrote — string literals,
 * column and field names, LIKE patterns, decimals, doubles — is pasted into the source: such values go into the
 * constants array and the code refers to them as k<n>.
 */

import type { ComparisonOperator } from "../language/ast.ts";
import type { SqlType } from "../types/types.ts";
import type { SqlValue } from "../types/values.ts";
import { likePattern } from "./runtime.ts";
import type { TypedExpression } from "./typed.ts";

type Of<K extends TypedExpression["kind"]> = Extract<TypedExpression, { kind: K }>;

export interface GeneratedSource {
  /** The body of `new Function("k", "rt", "fail", source)`, which returns the `(row, ctx) => value` function. */
  readonly source: string;
  readonly constants: readonly unknown[];
}

export function generate(expression: TypedExpression): GeneratedSource {
  const generator = new Generator();
  const result = generator.emit(expression);
  return generator.finish(result);
}

const JS_COMPARISON: Record<ComparisonOperator, string> = {
  "=": "===",
  "<>": "!==",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
};

class Generator {
  #lines: string[] = [];
  readonly #constants: unknown[] = [];
  #next = 0;

  finish(result: string): GeneratedSource {
    const header = this.#constants.map((_, i) => `const k${i} = k[${i}];`);
    const source = [
      '"use strict";',
      ...header,
      "return function evaluate(row, ctx) {",
      "try {",
      ...this.#lines,
      `return ${result};`,
      "} catch (error) { throw fail(error); }",
      "};",
    ].join("\n");
    return { source, constants: this.#constants };
  }

  #name(prefix: string): string {
    return `${prefix}${this.#next++}`;
  }

  #constant(value: unknown): string {
    this.#constants.push(value);
    return `k${this.#constants.length - 1}`;
  }

  /** Declares a variable holding `expression` and returns its name. */
  #let(expression: string): string {
    const name = this.#name("v");
    this.#lines.push(`const ${name} = ${expression};`);
    return name;
  }

  /** Emits the statements computing `node` and returns an atom: a variable, `row[i]`, or a literal. */
  emit(node: TypedExpression): string {
    switch (node.kind) {
      case "Literal":
        return this.#literal(node.value);
      case "Column":
        return `row[${node.index}]`;
      case "Pseudo":
        return this.#pseudo(node);
      case "LambdaParam":
        return `p${node.slot}`;
      case "Dereference": {
        const base = this.emit(node.base);
        return this.#let(`${base} === null ? null : (${base}[${this.#constant(node.field)}] ?? null)`);
      }
      case "Subscript": {
        const base = this.emit(node.base);
        const index = this.emit(node.index);
        if (node.container === "ARRAY") return this.#let(`rt.arrayAt(${base}, ${index})`);
        return this.#let(`${base} === null || ${index} === null ? null : (${base}.get(${index}) ?? null)`);
      }
      case "Call": {
        const args = node.args.map((arg) => (arg.kind === "Lambda" ? this.#lambda(arg) : this.emit(arg)));
        return this.#let(`${this.#constant(node.invoke)}(${args.join(", ")})`);
      }
      case "Lambda":
        return this.#lambda(node);
      case "Negate":
        return this.#negate(node);
      case "Arithmetic":
        return this.#arithmetic(node);
      case "Concat":
        return this.#nullGuarded([this.emit(node.left), this.emit(node.right)], (a, b) => `${a} + ${b}`);
      case "Comparison":
        return this.#comparison(node);
      case "IsNull":
        return this.#let(`${this.emit(node.operand)} ${node.negated ? "!==" : "==="} null`);
      case "IsDistinctFrom":
        return this.#distinct(node);
      case "Between":
        return this.#between(node);
      case "InList":
        return this.#inList(node);
      case "Like":
        return this.#like(node);
      case "Not": {
        const operand = this.emit(node.operand);
        return this.#let(`${operand} === null ? null : !${operand}`);
      }
      case "Logical":
        return this.#logical(node);
      case "Case":
        return this.#case(node);
      case "Convert":
        return this.#convert(node);
      case "ArrayConstructor":
        return this.#let(`[${node.elements.map((e) => this.emit(e)).join(", ")}]`);
      case "MapConstructor": {
        const entries = node.entries.map((e) => `[${this.emit(e.key)}, ${this.emit(e.value)}]`);
        return this.#let(`new Map([${entries.join(", ")}])`);
      }
      case "StructConstructor": {
        const fields = node.fields.map((f) => `[${this.#constant(f.name)}]: ${this.emit(f.value)}`);
        return this.#let(`{ ${fields.join(", ")} }`);
      }
    }
  }

  #literal(value: SqlValue): string {
    if (value === null || typeof value === "boolean") return String(value);
    if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) <= 2 ** 31 && !Object.is(value, -0)) {
      return value < 0 ? `(${value})` : String(value);
    }
    return this.#constant(value);
  }

  #pseudo(node: Of<"Pseudo">): string {
    switch (node.column) {
      case "ROWTIME":
        return this.#let("BigInt(ctx.rowTime)");
      case "ROWPARTITION":
        return "ctx.rowPartition";
      case "ROWOFFSET":
        return "ctx.rowOffset";
      case "WINDOWSTART":
        return this.#let("ctx.windowStart === undefined ? null : BigInt(ctx.windowStart)");
      case "WINDOWEND":
        return this.#let("ctx.windowEnd === undefined ? null : BigInt(ctx.windowEnd)");
    }
  }

  /** `null` when any operand is NULL, else `compute(...)`: the rule of every strict operator. */
  #nullGuarded(operands: string[], compute: (...atoms: string[]) => string): string {
    const guard = operands.map((o) => `${o} === null`).join(" || ");
    return this.#let(`${guard} ? null : ${compute(...operands)}`);
  }

  /** A function expression for a lambda argument; its body's statements live inside it. */
  #lambda(node: Of<"Lambda">): string {
    const outer = this.#lines;
    this.#lines = [];
    const result = this.emit(node.body);
    const body = this.#lines;
    this.#lines = outer;
    const params = node.slots.map((slot) => `p${slot}`).join(", ");
    return this.#let(`(${params}) => {\n${body.join("\n")}\nreturn ${result};\n}`);
  }

  #negate(node: Of<"Negate">): string {
    const kind = node.type!.kind;
    return this.#nullGuarded([this.emit(node.operand)], (a) => {
      if (kind === "INTEGER") return `(-${a}) | 0`;
      if (kind === "BIGINT") return `BigInt.asIntN(64, -${a})`;
      if (kind === "DECIMAL") return `${a}.negate()`;
      return `-${a}`;
    });
  }

  #arithmetic(node: Of<"Arithmetic">): string {
    const type = node.type!;
    const op = node.operator;
    const operands = [this.emit(node.left), this.emit(node.right)];
    return this.#nullGuarded(operands, (a, b) => {
      switch (type.kind) {
        case "INTEGER":
          if (op === "*") return `Math.imul(${a}, ${b})`;
          if (op === "/" || op === "%") return `(${b} === 0 ? rt.divideByZero() : (${a} ${op} ${b}) | 0)`;
          return `(${a} ${op} ${b}) | 0`;
        case "BIGINT":
          if (op === "%") return `(${b} === 0n ? rt.divideByZero() : ${a} % ${b})`;
          if (op === "/") return `(${b} === 0n ? rt.divideByZero() : BigInt.asIntN(64, ${a} / ${b}))`;
          return `BigInt.asIntN(64, ${a} ${op} ${b})`;
        case "DECIMAL":
          return `rt.decimal(${this.#constant(op)}, ${a}, ${b}, ${this.#constant(type)})`;
        default:
          return `${a} ${op} ${b}`;
      }
    });
  }

  /** A JavaScript boolean expression comparing two non-null atoms of `type`. */
  #compare(operator: ComparisonOperator, a: string, b: string, type: SqlType): string {
    const js = JS_COMPARISON[operator];
    switch (type.kind) {
      case "DECIMAL":
        return `${a}.compareTo(${b}) ${js} 0`;
      case "BYTES":
        return `rt.compareBytes(${a}, ${b}) ${js} 0`;
      case "ARRAY":
      case "MAP":
      case "STRUCT":
        return `${operator === "=" ? "" : "!"}rt.equal(${a}, ${b})`;
      default:
        return `${a} ${js} ${b}`;
    }
  }

  #comparison(node: Of<"Comparison">): string {
    const a = this.emit(node.left);
    const b = this.emit(node.right);
    const type = node.operandType;
    if (type === null) return "null";
    return this.#nullGuarded([a, b], (x, y) => this.#compare(node.operator, x, y, type));
  }

  #distinct(node: Of<"IsDistinctFrom">): string {
    const a = this.emit(node.left);
    const b = this.emit(node.right);
    const type = node.operandType;
    const different = type === null ? "false" : `!(${this.#compare("=", a, b, type)})`;
    const distinct = `(${a} === null || ${b} === null ? (${a} === null) !== (${b} === null) : ${different})`;
    return this.#let(node.negated ? `!${distinct}` : distinct);
  }

  /** x BETWEEN lo AND hi is x >= lo AND x <= hi, with that AND's three-valued logic. */
  #between(node: Of<"Between">): string {
    const x = this.emit(node.operand);
    const lo = this.emit(node.low);
    const hi = this.emit(node.high);
    const type = node.operandType;
    if (type === null) return "null";
    const ge = this.#let(`${x} === null || ${lo} === null ? null : ${this.#compare(">=", x, lo, type)}`);
    const le = this.#let(`${x} === null || ${hi} === null ? null : ${this.#compare("<=", x, hi, type)}`);
    const both = `${ge} === false || ${le} === false ? false : ${ge} === null || ${le} === null ? null : true`;
    const result = this.#let(both);
    return node.negated ? this.#let(`${result} === null ? null : !${result}`) : result;
  }

  /** TRUE on the first equal item; else NULL when the operand or an item was NULL; else FALSE. */
  #inList(node: Of<"InList">): string {
    const type = node.operandType;
    const x = this.emit(node.operand);
    if (type === null) return "null";
    const result = this.#name("v");
    const label = this.#name("l");
    this.#lines.push(
      `let ${result} = false;`,
      `${label}: {`,
      `if (${x} === null) { ${result} = null; break ${label}; }`,
    );
    for (const item of node.list) {
      const y = this.emit(item);
      this.#lines.push(
        `if (${y} === null) ${result} = null; else if (${this.#compare("=", x, y, type)}) { ${result} = true; break ${label}; }`,
      );
    }
    this.#lines.push("}");
    return node.negated ? this.#let(`${result} === null ? null : !${result}`) : result;
  }

  #like(node: Of<"Like">): string {
    const value = this.emit(node.operand);
    const pattern = node.pattern;
    let test: string;
    if (pattern.kind === "Literal" && typeof pattern.value === "string") {
      const regexp = this.#constant(likePattern(pattern.value, node.escape));
      test = this.#let(`${value} === null ? null : ${regexp}.test(${value})`);
    } else {
      const escapeAtom = node.escape === undefined ? "undefined" : this.#constant(node.escape);
      test = this.#let(`rt.like(${value}, ${this.emit(pattern)}, ${escapeAtom})`);
    }
    return node.negated ? this.#let(`${test} === null ? null : !${test}`) : test;
  }

  /** AND and OR evaluate the right side only when the left does not decide; NULL means unknown. */
  #logical(node: Of<"Logical">): string {
    const decisive = node.operator === "AND" ? "false" : "true";
    const other = node.operator === "AND" ? "true" : "false";
    const left = this.emit(node.left);
    const result = this.#name("v");
    this.#lines.push(`let ${result};`, `if (${left} === ${decisive}) ${result} = ${decisive}; else {`);
    const right = this.emit(node.right);
    this.#lines.push(
      `${result} = ${right} === ${decisive} ? ${decisive} : ${left} === null || ${right} === null ? null : ${other};`,
      "}",
    );
    return result;
  }

  /** Each WHEN is evaluated only when the ones before it were not TRUE; a NULL condition counts as not TRUE. */
  #case(node: Of<"Case">): string {
    const result = this.#name("v");
    this.#lines.push(`let ${result} = null;`);
    let open = 0;
    for (const { when, result: then } of node.whens) {
      const condition = this.emit(when);
      this.#lines.push(`if (${condition} === true) {`);
      this.#lines.push(`${result} = ${this.emit(then)};`, "} else {");
      open++;
    }
    if (node.else) this.#lines.push(`${result} = ${this.emit(node.else)};`);
    this.#lines.push("}".repeat(open));
    return result;
  }

  /** Widening that needs no work on the value representation is free; INTEGER → BIGINT and BIGINT → DOUBLE inline. */
  #convert(node: Of<"Convert">): string {
    const operand = this.emit(node.operand);
    const from = node.operand.type?.kind;
    const to = node.type?.kind;
    if (node.implicit && from === "INTEGER" && to === "DOUBLE") return operand;
    if (node.implicit && from === "INTEGER" && to === "BIGINT") {
      return this.#let(`${operand} === null ? null : BigInt(${operand})`);
    }
    if (node.implicit && from === "BIGINT" && to === "DOUBLE") {
      return this.#let(`${operand} === null ? null : Number(${operand})`);
    }
    return this.#let(`${this.#constant(node.convert)}(${operand})`);
  }
}
