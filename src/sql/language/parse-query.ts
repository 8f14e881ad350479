// Reads SELECT queries: projection, FROM with joins, windows, WHERE, GROUP BY, PARTITION BY, HAVING, EMIT and LIMIT.
import type {
  AliasedSource,
  Duration,
  Expression,
  JoinType,
  JoinWindow,
  Query,
  Relation,
  SelectItem,
  WindowExpression,
  WindowLimits,
} from "./ast.ts";
import type { TokenCursor } from "./cursor.ts";
import { TIME_UNITS, timeUnitOf } from "./keywords.ts";
import { parseExpression, parseExpressions, parseList } from "./parse-expression.ts";

export function parseQuery(cursor: TokenCursor): Query {
  const start = cursor.requireWord("SELECT");
  const select = [parseSelectItem(cursor)];
  while (cursor.acceptSymbol(",")) select.push(parseSelectItem(cursor));
  cursor.requireWord("FROM");
  const from = parseRelation(cursor);
  const window = cursor.acceptWord("WINDOW") ? parseWindow(cursor) : undefined;
  const where = cursor.acceptWord("WHERE") ? parseExpression(cursor) : undefined;
  const groupBy = acceptPair(cursor, "GROUP") ? parseGroupBy(cursor) : undefined;
  const partitionBy = acceptPair(cursor, "PARTITION") ? parseExpressions(cursor) : undefined;
  const having = cursor.acceptWord("HAVING") ? parseExpression(cursor) : undefined;
  const emit = cursor.acceptWord("EMIT") ? cursor.requireOneOf(["CHANGES", "FINAL"]) : undefined;
  const limit = cursor.acceptWord("LIMIT") ? cursor.integer("a row count") : undefined;
  return {
    kind: "Query",
    select,
    from,
    ...(window === undefined ? {} : { window }),
    ...(where === undefined ? {} : { where }),
    ...(groupBy === undefined ? {} : { groupBy }),
    ...(partitionBy === undefined ? {} : { partitionBy }),
    ...(having === undefined ? {} : { having }),
    ...(emit === undefined ? {} : { emit }),
    ...(limit === undefined ? {} : { limit }),
    span: cursor.spanFrom(start),
  };
}

/** `GROUP BY` / `PARTITION BY`: the first word, then BY is required. */
function acceptPair(cursor: TokenCursor, first: string): boolean {
  if (!cursor.acceptWord(first)) return false;
  cursor.requireWord("BY");
  return true;
}

/** GROUP BY a, b or GROUP BY (a, b): a parenthesized list has a comma at its top level and is not a lambda. */
function parseGroupBy(cursor: TokenCursor): Expression[] {
  if (!cursor.isSymbol("(") || !isParenthesizedList(cursor)) return parseExpressions(cursor);
  cursor.next();
  return parseList(cursor, ")");
}

function isParenthesizedList(cursor: TokenCursor): boolean {
  let depth = 0;
  let comma = false;
  for (let ahead = 0; cursor.peek(ahead).kind !== "eof"; ahead++) {
    if (cursor.isSymbol("(", ahead) || cursor.isSymbol("[", ahead)) depth++;
    else if (cursor.isSymbol(")", ahead) || cursor.isSymbol("]", ahead)) {
      if (--depth === 0) return comma && !cursor.isSymbol("=>", ahead + 1);
    } else if (depth === 1 && cursor.isSymbol(",", ahead)) comma = true;
  }
  return false;
}

function parseSelectItem(cursor: TokenCursor): SelectItem {
  const start = cursor.peek();
  if (cursor.acceptSymbol("*")) return { kind: "AllColumns", span: cursor.spanFrom(start) };
  if (cursor.isIdentifier() && cursor.isSymbol(".", 1) && cursor.isSymbol("*", 2)) {
    const source = cursor.identifier();
    cursor.next();
    cursor.next();
    return { kind: "AllColumns", source, span: cursor.spanFrom(start) };
  }
  const expression = parseExpression(cursor);
  const alias = cursor.acceptWord("AS") || cursor.isIdentifier() ? cursor.identifier() : undefined;
  return {
    kind: "SelectColumn",
    expression,
    ...(alias === undefined ? {} : { alias }),
    span: cursor.spanFrom(start),
  };
}

function parseSource(cursor: TokenCursor): AliasedSource {
  const name = cursor.identifier();
  const alias = cursor.acceptWord("AS") || cursor.isIdentifier() ? cursor.identifier() : undefined;
  return { kind: "Source", name, ...(alias === undefined ? {} : { alias }), span: cursor.spanFrom(name.span.start) };
}

function parseRelation(cursor: TokenCursor): Relation {
  let relation: Relation = parseSource(cursor);
  for (;;) {
    const joinType = parseJoinType(cursor);
    if (joinType === undefined) return relation;
    const right = parseSource(cursor);
    const within = cursor.isWord("WITHIN") ? parseJoinWindow(cursor) : undefined;
    cursor.requireWord("ON");
    const on = parseExpression(cursor);
    relation = {
      kind: "Join",
      joinType,
      left: relation,
      right,
      ...(within === undefined ? {} : { within }),
      on,
      span: cursor.spanFrom(relation.span.start),
    };
  }
}

/** `JOIN`, `INNER JOIN`, `LEFT [OUTER] JOIN`, `RIGHT [OUTER] JOIN`, `FULL [OUTER] JOIN`, `OUTER JOIN` (= FULL). */
function parseJoinType(cursor: TokenCursor): JoinType | undefined {
  let joinType: JoinType | undefined;
  if (cursor.acceptWord("JOIN")) return "INNER";
  if (cursor.acceptWord("INNER")) joinType = "INNER";
  else if (cursor.acceptWord("LEFT")) joinType = "LEFT";
  else if (cursor.acceptWord("RIGHT")) joinType = "RIGHT";
  else if (cursor.acceptWord("FULL")) joinType = "FULL";
  else if (cursor.isWord("OUTER")) joinType = "FULL";
  if (joinType === undefined) return undefined;
  if (joinType !== "INNER") cursor.acceptWord("OUTER");
  cursor.requireWord("JOIN");
  return joinType;
}

function parseJoinWindow(cursor: TokenCursor): JoinWindow {
  const start = cursor.next();
  let before: Duration;
  let after: Duration | undefined;
  if (cursor.acceptSymbol("(")) {
    before = parseDuration(cursor);
    cursor.requireSymbol(",");
    after = parseDuration(cursor);
    cursor.requireSymbol(")");
  } else {
    before = parseDuration(cursor);
  }
  const grace = parseGrace(cursor);
  return {
    before,
    ...(after === undefined ? {} : { after }),
    ...(grace === undefined ? {} : { grace }),
    span: cursor.spanFrom(start),
  };
}

function parseGrace(cursor: TokenCursor): Duration | undefined {
  if (!cursor.acceptWord("GRACE")) return undefined;
  cursor.requireWord("PERIOD");
  return parseDuration(cursor);
}

/** `5 SECONDS`, `1 MINUTE`: an integer and a time unit, singular or plural. */
export function parseDuration(cursor: TokenCursor): Duration {
  const start = cursor.peek();
  const value = cursor.integer("a duration");
  const unitToken = cursor.peek();
  const unit = unitToken.kind === "word" ? timeUnitOf(unitToken.value) : undefined;
  if (unit === undefined) {
    cursor.expect("a time unit");
    cursor.fail(TIME_UNITS.flatMap((u) => [u, `${u}S`]));
  }
  cursor.next();
  return { value, unit, span: cursor.spanFrom(start) };
}

function parseWindow(cursor: TokenCursor): WindowExpression {
  const start = cursor.peek();
  const kind = cursor.requireOneOf(["TUMBLING", "HOPPING", "SESSION"]);
  cursor.requireSymbol("(");
  let window: WindowExpression;
  if (kind === "SESSION") {
    const gap = parseDuration(cursor);
    window = { kind: "Session", gap, ...parseLimits(cursor), span: cursor.spanFrom(start) };
  } else {
    cursor.requireWord("SIZE");
    const size = parseDuration(cursor);
    if (kind === "HOPPING") {
      cursor.requireSymbol(",");
      cursor.requireWord("ADVANCE");
      cursor.requireWord("BY");
      const advanceBy = parseDuration(cursor);
      window = { kind: "Hopping", size, advanceBy, ...parseLimits(cursor), span: cursor.spanFrom(start) };
    } else {
      window = { kind: "Tumbling", size, ...parseLimits(cursor), span: cursor.spanFrom(start) };
    }
  }
  cursor.requireSymbol(")");
  return { ...window, span: cursor.spanFrom(start) };
}

/** `, RETENTION d` then `, GRACE PERIOD d`, both optional, in that order. */
function parseLimits(cursor: TokenCursor): WindowLimits {
  let retention: Duration | undefined;
  let grace: Duration | undefined;
  if (cursor.isSymbol(",") && cursor.isWord("RETENTION", 1)) {
    cursor.next();
    cursor.next();
    retention = parseDuration(cursor);
  }
  if (cursor.isSymbol(",") && cursor.isWord("GRACE", 1)) {
    cursor.next();
    grace = parseGrace(cursor);
  }
  if (grace === undefined && cursor.isSymbol(",")) {
    cursor.next();
    if (retention === undefined) cursor.expect("'RETENTION'", "RETENTION");
    cursor.expect("'GRACE'", "GRACE");
    cursor.fail();
  }
  return { ...(retention === undefined ? {} : { retention }), ...(grace === undefined ? {} : { grace }) };
}
