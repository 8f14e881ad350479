// Reads KSQL expressions by recursive descent, one function per precedence level, loosest (OR) first.
import type {
  ArithmeticOperator,
  ComparisonOperator,
  Expression,
  Identifier,
  MapEntry,
  StructValue,
  WhenClause,
} from "./ast.ts";
import type { TokenCursor } from "./cursor.ts";
import { timeUnitOf } from "./keywords.ts";
import { literal } from "./literals.ts";
import { parseType } from "./parse-types.ts";

const COMPARISONS: ReadonlyMap<string, ComparisonOperator> = new Map([
  ["=", "="],
  ["<>", "<>"],
  ["!=", "<>"],
  ["<", "<"],
  ["<=", "<="],
  [">", ">"],
  [">=", ">="],
]);

export function parseExpression(cursor: TokenCursor): Expression {
  return cursor.nested(() => parseOr(cursor));
}

/**
 * A left-associative run of one binary operator level. Each link counts as a nesting level while the rest is read,
 * so that `a + a + ...` cannot build a tree deeper than the printer and the analyzer can walk.
 */
function chain<O>(
  cursor: TokenCursor,
  operand: () => Expression,
  operator: () => O | undefined,
  build: (operator: O, left: Expression, right: Expression) => Expression,
): Expression {
  let left = operand();
  let links = 0;
  try {
    for (;;) {
      const op = operator();
      if (op === undefined) return left;
      cursor.deepen();
      links++;
      left = build(op, left, operand());
    }
  } finally {
    cursor.shallower(links);
  }
}

function spanOver(cursor: TokenCursor, first: Expression) {
  return cursor.spanFrom(first.span.start);
}

function takeWord<W extends string>(cursor: TokenCursor, word: W): W | undefined {
  if (!cursor.isWord(word)) return undefined;
  cursor.next();
  return word;
}

function parseOr(cursor: TokenCursor): Expression {
  return chain(
    cursor,
    () => parseAnd(cursor),
    () => takeWord(cursor, "OR"),
    (operator, left, right) => ({ kind: "Logical", operator, left, right, span: spanOver(cursor, left) }),
  );
}

function parseAnd(cursor: TokenCursor): Expression {
  return chain(
    cursor,
    () => parseNot(cursor),
    () => takeWord(cursor, "AND"),
    (operator, left, right) => ({ kind: "Logical", operator, left, right, span: spanOver(cursor, left) }),
  );
}

function parseNot(cursor: TokenCursor): Expression {
  const start = cursor.peek();
  if (!cursor.isWord("NOT")) return parsePredicated(cursor);
  cursor.next();
  const operand = cursor.nested(() => parseNot(cursor));
  return { kind: "Not", operand, span: cursor.spanFrom(start) };
}

/** A value expression followed by at most one predicate: comparison, IS, BETWEEN, IN or LIKE. */
function parsePredicated(cursor: TokenCursor): Expression {
  const left = parseValue(cursor);
  const token = cursor.peek();
  const comparison = token.kind === "symbol" ? COMPARISONS.get(token.value) : undefined;
  if (comparison !== undefined) {
    cursor.next();
    const right = parseValue(cursor);
    return { kind: "Comparison", operator: comparison, left, right, span: spanOver(cursor, left) };
  }
  if (cursor.isWord("IS")) {
    cursor.next();
    const negated = cursor.acceptWord("NOT");
    if (cursor.acceptWord("NULL")) return { kind: "IsNull", operand: left, negated, span: spanOver(cursor, left) };
    cursor.requireWord("DISTINCT");
    cursor.requireWord("FROM");
    const right = parseValue(cursor);
    return { kind: "IsDistinctFrom", left, right, negated, span: spanOver(cursor, left) };
  }
  const negated = cursor.isWord("NOT") && ["BETWEEN", "IN", "LIKE"].some((word) => cursor.isWord(word, 1));
  if (negated) cursor.next();
  if (cursor.isWord("BETWEEN")) {
    cursor.next();
    const low = parseValue(cursor);
    cursor.requireWord("AND");
    const high = parseValue(cursor);
    return { kind: "Between", operand: left, low, high, negated, span: spanOver(cursor, left) };
  }
  if (cursor.isWord("IN")) {
    cursor.next();
    cursor.requireSymbol("(");
    const list = parseList(cursor, ")");
    return { kind: "InList", operand: left, list, negated, span: spanOver(cursor, left) };
  }
  if (cursor.isWord("LIKE")) {
    cursor.next();
    const pattern = parseValue(cursor);
    if (!cursor.isWord("ESCAPE"))
      return { kind: "Like", operand: left, pattern, negated, span: spanOver(cursor, left) };
    cursor.next();
    const escapeToken = cursor.peek();
    const escapeChar = cursor.string("an escape character");
    if ([...escapeChar].length !== 1) cursor.failAt(escapeToken, "ESCAPE takes exactly one character");
    return { kind: "Like", operand: left, pattern, escape: escapeChar, negated, span: spanOver(cursor, left) };
  }
  return left;
}

/** One or more expressions separated by commas. */
export function parseExpressions(cursor: TokenCursor): Expression[] {
  const items = [parseExpression(cursor)];
  while (cursor.acceptSymbol(",")) items.push(parseExpression(cursor));
  return items;
}

/** One or more expressions separated by commas, then `close`. */
export function parseList(cursor: TokenCursor, close: ")" | "]"): Expression[] {
  const items = parseExpressions(cursor);
  cursor.requireSymbol(close);
  return items;
}

/** The loosest value operator is `||`, below + and -. */
function parseValue(cursor: TokenCursor): Expression {
  return chain(
    cursor,
    () => parseAdditive(cursor),
    () => (cursor.isSymbol("||") ? cursor.next().value : undefined),
    (_, left, right) => ({ kind: "Concat", left, right, span: spanOver(cursor, left) }),
  );
}

function arithmetic(cursor: TokenCursor, symbols: readonly ArithmeticOperator[]): ArithmeticOperator | undefined {
  const symbol = symbols.find((s) => cursor.isSymbol(s));
  if (symbol !== undefined) cursor.next();
  return symbol;
}

function parseAdditive(cursor: TokenCursor): Expression {
  return chain(
    cursor,
    () => parseMultiplicative(cursor),
    () => arithmetic(cursor, ["+", "-"]),
    (operator, left, right) => ({ kind: "Arithmetic", operator, left, right, span: spanOver(cursor, left) }),
  );
}

function parseMultiplicative(cursor: TokenCursor): Expression {
  return chain(
    cursor,
    () => parseUnary(cursor),
    () => arithmetic(cursor, ["*", "/", "%"]),
    (operator, left, right) => ({ kind: "Arithmetic", operator, left, right, span: spanOver(cursor, left) }),
  );
}

/** Unary minus binds tighter than every binary operator; unary plus changes nothing and leaves no node. */
function parseUnary(cursor: TokenCursor): Expression {
  const start = cursor.peek();
  if (cursor.isSymbol("+")) {
    cursor.next();
    return cursor.nested(() => parseUnary(cursor));
  }
  if (!cursor.isSymbol("-")) return parsePostfix(cursor);
  cursor.next();
  const operand = cursor.nested(() => parseUnary(cursor));
  return { kind: "Negate", operand, span: cursor.spanFrom(start) };
}

/** `base[index]` and `base->field`, repeated and mixed: `readings[1]->value`. */
function parsePostfix(cursor: TokenCursor): Expression {
  let base = parsePrimary(cursor);
  let links = 0;
  try {
    for (;;) {
      if (cursor.isSymbol("[")) {
        cursor.next();
        cursor.deepen();
        links++;
        const index = parseExpression(cursor);
        cursor.requireSymbol("]");
        base = { kind: "Subscript", base, index, span: spanOver(cursor, base) };
      } else if (cursor.isSymbol("->")) {
        cursor.next();
        cursor.deepen();
        links++;
        const field = cursor.identifier();
        base = { kind: "Dereference", base, field, span: spanOver(cursor, base) };
      } else {
        return base;
      }
    }
  } finally {
    cursor.shallower(links);
  }
}

function parsePrimary(cursor: TokenCursor): Expression {
  const token = cursor.peek();
  switch (token.kind) {
    case "integer":
    case "decimal":
    case "double":
    case "string":
      cursor.next();
      return literal(cursor, token);
    case "variable":
      return cursor.failAt(
        token,
        `variable ${token.text} must be defined and substituted before the statement is parsed`,
      );
    case "symbol":
      if (token.value === "(") return isLambdaAhead(cursor) ? parseLambda(cursor) : parseParenthesized(cursor);
      break;
    case "word":
      switch (token.value) {
        case "NULL":
          cursor.next();
          return { kind: "NullLiteral", span: cursor.spanFrom(token) };
        case "TRUE":
        case "FALSE":
          cursor.next();
          return { kind: "BooleanLiteral", value: token.value === "TRUE", span: cursor.spanFrom(token) };
        case "CASE":
          return parseCase(cursor);
        case "CAST":
          return parseCast(cursor);
        case "ARRAY":
          if (cursor.isSymbol("[", 1)) return parseArray(cursor);
          break;
        case "MAP":
          if (cursor.isSymbol("(", 1)) return parseMap(cursor);
          break;
        case "STRUCT":
          if (cursor.isSymbol("(", 1)) return parseStruct(cursor);
          break;
      }
  }
  if (cursor.isIdentifier()) {
    if (cursor.isSymbol("=>", 1)) return parseLambda(cursor);
    const name = cursor.identifier();
    if (cursor.isSymbol("(")) return parseCall(cursor, name);
    if (cursor.isSymbol(".") && cursor.isIdentifier(1)) {
      cursor.next();
      const column = cursor.identifier();
      return { kind: "ColumnRef", source: name, name: column, span: cursor.spanFrom(name.span.start) };
    }
    return { kind: "ColumnRef", name, span: name.span };
  }
  cursor.expect("an expression");
  return cursor.fail(["CASE", "CAST", "NULL", "TRUE", "FALSE", "ARRAY", "MAP", "STRUCT", "NOT"]);
}

/** At `(`: is this `(a, b) => ...`, the parameter list of a lambda? */
function isLambdaAhead(cursor: TokenCursor): boolean {
  let ahead = 1;
  for (;;) {
    if (!cursor.isIdentifier(ahead)) return false;
    ahead++;
    if (cursor.isSymbol(")", ahead)) return cursor.isSymbol("=>", ahead + 1);
    if (!cursor.isSymbol(",", ahead)) return false;
    ahead++;
  }
}

function parseLambda(cursor: TokenCursor): Expression {
  const start = cursor.peek();
  const params: Identifier[] = [];
  if (cursor.acceptSymbol("(")) {
    do params.push(cursor.identifier());
    while (cursor.acceptSymbol(","));
    cursor.requireSymbol(")");
  } else {
    params.push(cursor.identifier());
  }
  cursor.requireSymbol("=>");
  const body = parseExpression(cursor);
  return { kind: "Lambda", params, body, span: cursor.spanFrom(start) };
}

function parseParenthesized(cursor: TokenCursor): Expression {
  cursor.next();
  const inner = parseExpression(cursor);
  cursor.requireSymbol(")");
  return inner;
}

/** The functions whose first argument ksqlDB writes as a bare time unit word: `TIMESTAMPADD(MINUTES, 40, ts)`. */
const UNIT_FIRST_FUNCTIONS = new Set(["TIMESTAMPADD", "TIMESTAMPSUB", "DATEADD", "DATESUB", "TIMEADD", "TIMESUB"]);

function parseCall(cursor: TokenCursor, name: Identifier): Expression {
  cursor.requireSymbol("(");
  if (cursor.isSymbol("*") && cursor.isSymbol(")", 1)) {
    cursor.next();
    cursor.next();
    return { kind: "FunctionCall", name, args: [], star: true, span: cursor.spanFrom(name.span.start) };
  }
  // A bare unit reads as the unit's name in a string, which is what the functions take (`'MINUTES'` works too).
  const first = cursor.peek();
  if (
    UNIT_FIRST_FUNCTIONS.has(name.value) &&
    first.kind === "word" &&
    timeUnitOf(first.value) !== undefined &&
    cursor.isSymbol(",", 1)
  ) {
    cursor.next();
    cursor.next();
    const unit: Expression = {
      kind: "StringLiteral",
      value: first.value,
      span: { start: first.offset, end: first.end },
    };
    return {
      kind: "FunctionCall",
      name,
      args: [unit, ...parseList(cursor, ")")],
      star: false,
      span: cursor.spanFrom(name.span.start),
    };
  }
  const args = cursor.acceptSymbol(")") ? [] : parseList(cursor, ")");
  return { kind: "FunctionCall", name, args, star: false, span: cursor.spanFrom(name.span.start) };
}

function parseCase(cursor: TokenCursor): Expression {
  const start = cursor.next();
  const operand = cursor.isWord("WHEN") ? undefined : parseExpression(cursor);
  const whens: WhenClause[] = [];
  let whenStart = cursor.requireWord("WHEN");
  for (;;) {
    const when = parseExpression(cursor);
    cursor.requireWord("THEN");
    const then = parseExpression(cursor);
    whens.push({ when, then, span: cursor.spanFrom(whenStart) });
    whenStart = cursor.peek();
    if (!cursor.acceptWord("WHEN")) break;
  }
  const otherwise = cursor.acceptWord("ELSE") ? parseExpression(cursor) : undefined;
  cursor.requireWord("END");
  return {
    kind: "Case",
    ...(operand === undefined ? {} : { operand }),
    whens,
    ...(otherwise === undefined ? {} : { else: otherwise }),
    span: cursor.spanFrom(start),
  };
}

function parseCast(cursor: TokenCursor): Expression {
  const start = cursor.next();
  cursor.requireSymbol("(");
  const operand = parseExpression(cursor);
  cursor.requireWord("AS");
  const type = parseType(cursor);
  cursor.requireSymbol(")");
  return { kind: "Cast", operand, type, span: cursor.spanFrom(start) };
}

function parseArray(cursor: TokenCursor): Expression {
  const start = cursor.next();
  cursor.requireSymbol("[");
  const elements = cursor.acceptSymbol("]") ? [] : parseList(cursor, "]");
  return { kind: "ArrayConstructor", elements, span: cursor.spanFrom(start) };
}

function parseMap(cursor: TokenCursor): Expression {
  const start = cursor.next();
  cursor.requireSymbol("(");
  const entries: MapEntry[] = [];
  if (!cursor.acceptSymbol(")")) {
    do {
      const key = parseExpression(cursor);
      cursor.requireSymbol(":=");
      const value = parseExpression(cursor);
      entries.push({ key, value, span: spanOver(cursor, key) });
    } while (cursor.acceptSymbol(","));
    cursor.requireSymbol(")");
  }
  return { kind: "MapConstructor", entries, span: cursor.spanFrom(start) };
}

function parseStruct(cursor: TokenCursor): Expression {
  const start = cursor.next();
  cursor.requireSymbol("(");
  const fields: StructValue[] = [];
  if (!cursor.acceptSymbol(")")) {
    do {
      const name = cursor.identifier();
      cursor.requireSymbol(":=");
      const value = parseExpression(cursor);
      fields.push({ name, value, span: cursor.spanFrom(name.span.start) });
    } while (cursor.acceptSymbol(","));
    cursor.requireSymbol(")");
  }
  return { kind: "StructConstructor", fields, span: cursor.spanFrom(start) };
}
