// Prints expressions, types, identifiers and literals as canonical KSQL, adding only the parentheses precedence needs.
import type { Duration, Expression, Identifier, Literal, SqlType } from "./ast.ts";
import { RESERVED_WORDS, TYPE_KEYWORDS } from "./keywords.ts";

const PLAIN_NAME = /^[A-Z_][A-Z0-9_@]*$/;

/** Words that start a constructor where a column or function name stands, so names spelled like them are quoted. */
const CONSTRUCTOR_WORDS = ["ARRAY", "MAP", "STRUCT"];

/**
 * An identifier as KSQL reads it back: bare when it is upper-case and not reserved, back-quoted otherwise.
 * `alsoQuote` lists words that are not reserved but would be misread where this name stands.
 */
export function printIdentifier(identifier: Identifier | string, alsoQuote: Iterable<string> = []): string {
  const name = typeof identifier === "string" ? identifier : identifier.value;
  const clash = RESERVED_WORDS.has(name) || [...alsoQuote].includes(name);
  return PLAIN_NAME.test(name) && !clash ? name : `\`${name.replaceAll("`", "``")}\``;
}

export function printString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function printLiteral(literal: Literal): string {
  switch (literal.kind) {
    case "NullLiteral":
      return "NULL";
    case "BooleanLiteral":
      return literal.value ? "TRUE" : "FALSE";
    case "StringLiteral":
      return printString(literal.value);
    case "IntegerLiteral":
    case "DecimalLiteral":
      return literal.value;
    case "DoubleLiteral":
      return printDouble(literal.value);
  }
}

/** Always with an exponent: without one, KSQL would read the number back as a DECIMAL. */
function printDouble(value: number): string {
  if (Object.is(value, -0)) return "-0E0";
  return value.toExponential().toUpperCase().replace("E+", "E");
}

export function printDuration(duration: Duration): string {
  return `${duration.value} ${duration.unit}${duration.value === 1 ? "" : "S"}`;
}

export function printType(type: SqlType): string {
  switch (type.kind) {
    case "Primitive":
      return type.name;
    case "Decimal":
      return `DECIMAL(${type.precision}, ${type.scale})`;
    case "Array":
      return `ARRAY<${printType(type.element)}>`;
    case "Map":
      return `MAP<${printType(type.key)}, ${printType(type.value)}>`;
    case "Struct":
      return `STRUCT<${type.fields.map((f) => `${printIdentifier(f.name)} ${printType(f.type)}`).join(", ")}>`;
    case "Named":
      return printIdentifier(type.name, TYPE_KEYWORDS);
  }
}

// Binding strength, loosest first; an operand printed where a stronger one is needed gets parentheses.
const LAMBDA = 0;
const OR = 1;
const AND = 2;
const NOT = 3;
const PREDICATE = 4;
const CONCAT = 5;
const ADDITIVE = 6;
const MULTIPLICATIVE = 7;
const UNARY = 8;
const PRIMARY = 9;

function levelOf(expression: Expression): number {
  switch (expression.kind) {
    case "Lambda":
      return LAMBDA;
    case "Logical":
      return expression.operator === "OR" ? OR : AND;
    case "Not":
      return NOT;
    case "Comparison":
    case "IsNull":
    case "IsDistinctFrom":
    case "Between":
    case "InList":
    case "Like":
      return PREDICATE;
    case "Concat":
      return CONCAT;
    case "Arithmetic":
      return expression.operator === "+" || expression.operator === "-" ? ADDITIVE : MULTIPLICATIVE;
    case "Negate":
      return UNARY;
    default:
      // A negative number only comes from a WITH value; as an operand it must read as one unit.
      if (
        (expression.kind === "IntegerLiteral" || expression.kind === "DecimalLiteral") &&
        expression.value.startsWith("-")
      )
        return UNARY;
      if (expression.kind === "DoubleLiteral" && (expression.value < 0 || Object.is(expression.value, -0)))
        return UNARY;
      return PRIMARY;
  }
}

/** Prints `expression`, parenthesized when it binds looser than `atLeast`. */
export function printExpression(expression: Expression, atLeast = LAMBDA): string {
  const text = printBare(expression);
  return levelOf(expression) < atLeast ? `(${text})` : text;
}

function list(expressions: readonly Expression[]): string {
  return expressions.map((e) => printExpression(e)).join(", ");
}

function printBare(e: Expression): string {
  switch (e.kind) {
    case "NullLiteral":
    case "BooleanLiteral":
    case "StringLiteral":
    case "IntegerLiteral":
    case "DecimalLiteral":
    case "DoubleLiteral":
      return printLiteral(e);
    case "ColumnRef":
      return e.source === undefined
        ? printIdentifier(e.name, CONSTRUCTOR_WORDS)
        : `${printIdentifier(e.source)}.${printIdentifier(e.name)}`;
    case "Dereference":
      return `${printExpression(e.base, PRIMARY)}->${printIdentifier(e.field)}`;
    case "Subscript":
      return `${printExpression(e.base, PRIMARY)}[${printExpression(e.index)}]`;
    case "FunctionCall":
      return `${printIdentifier(e.name, CONSTRUCTOR_WORDS)}(${e.star ? "*" : list(e.args)})`;
    case "Lambda": {
      const params = e.params.map((p) => printIdentifier(p));
      const head = params.length === 1 ? params[0] : `(${params.join(", ")})`;
      return `${head} => ${printExpression(e.body)}`;
    }
    case "Negate": {
      const operand = printExpression(e.operand, UNARY);
      // `--` would start a comment.
      return operand.startsWith("-") ? `- ${operand}` : `-${operand}`;
    }
    case "Arithmetic": {
      const level = levelOf(e);
      return `${printExpression(e.left, level)} ${e.operator} ${printExpression(e.right, level + 1)}`;
    }
    case "Concat":
      return `${printExpression(e.left, CONCAT)} || ${printExpression(e.right, CONCAT + 1)}`;
    case "Comparison":
      return `${printExpression(e.left, CONCAT)} ${e.operator} ${printExpression(e.right, CONCAT)}`;
    case "IsNull":
      return `${printExpression(e.operand, CONCAT)} IS ${e.negated ? "NOT " : ""}NULL`;
    case "IsDistinctFrom":
      return `${printExpression(e.left, CONCAT)} IS ${e.negated ? "NOT " : ""}DISTINCT FROM ${printExpression(e.right, CONCAT)}`;
    case "Between":
      return `${printExpression(e.operand, CONCAT)} ${e.negated ? "NOT " : ""}BETWEEN ${printExpression(e.low, CONCAT)} AND ${printExpression(e.high, CONCAT)}`;
    case "InList":
      return `${printExpression(e.operand, CONCAT)} ${e.negated ? "NOT " : ""}IN (${list(e.list)})`;
    case "Like": {
      const escapeClause = e.escape === undefined ? "" : ` ESCAPE ${printString(e.escape)}`;
      return `${printExpression(e.operand, CONCAT)} ${e.negated ? "NOT " : ""}LIKE ${printExpression(e.pattern, CONCAT)}${escapeClause}`;
    }
    case "Not":
      return `NOT ${printExpression(e.operand, NOT)}`;
    case "Logical": {
      const level = levelOf(e);
      return `${printExpression(e.left, level)} ${e.operator} ${printExpression(e.right, level + 1)}`;
    }
    case "Case": {
      const parts = ["CASE"];
      if (e.operand !== undefined) parts.push(printExpression(e.operand));
      for (const w of e.whens) parts.push(`WHEN ${printExpression(w.when)} THEN ${printExpression(w.then)}`);
      if (e.else !== undefined) parts.push(`ELSE ${printExpression(e.else)}`);
      parts.push("END");
      return parts.join(" ");
    }
    case "Cast":
      return `CAST(${printExpression(e.operand)} AS ${printType(e.type)})`;
    case "ArrayConstructor":
      return `ARRAY[${list(e.elements)}]`;
    case "MapConstructor":
      return `MAP(${e.entries.map((entry) => `${printExpression(entry.key)} := ${printExpression(entry.value)}`).join(", ")})`;
    case "StructConstructor":
      return `STRUCT(${e.fields.map((f) => `${printIdentifier(f.name)} := ${printExpression(f.value)}`).join(", ")})`;
  }
}
