// Reads KSQL scripts: statements separated by ';', each kept with the exact text it came from.
import type {
  ColumnDefinition,
  ColumnRole,
  Expression,
  Identifier,
  Literal,
  ParsedStatement,
  Property,
  ShowSubject,
  SourceType,
  SqlType,
  Statement,
} from "./ast.ts";
import { TokenCursor } from "./cursor.ts";
import { STATEMENT_KEYWORDS } from "./keywords.ts";
import { parseExpression, parseList } from "./parse-expression.ts";
import { parseQuery } from "./parse-query.ts";
import { parseType } from "./parse-types.ts";

/** Parses every statement of `text`. The last statement may omit its ';'. Throws SqlSyntaxError. */
export function parseStatements(text: string): ParsedStatement[] {
  const cursor = new TokenCursor(text);
  const statements: ParsedStatement[] = [];
  while (!cursor.atEnd()) {
    if (cursor.isSymbol(";")) {
      cursor.next();
      continue;
    }
    const start = cursor.peek();
    const statement = parseStatement(cursor);
    if (!cursor.atEnd()) cursor.requireSymbol(";");
    const span = cursor.spanFrom(start);
    statements.push({ statement, text: text.slice(span.start, span.end), span });
  }
  return statements;
}

function parseStatement(cursor: TokenCursor): Statement {
  const token = cursor.peek();
  if (token.kind === "word") {
    switch (token.value) {
      case "SELECT":
        return parseQuery(cursor);
      case "CREATE":
        return parseCreate(cursor);
      case "INSERT":
        return parseInsert(cursor);
      case "DROP":
        return parseDrop(cursor);
      case "SHOW":
      case "LIST":
        return parseShow(cursor);
      case "DESCRIBE":
        return parseDescribe(cursor);
      case "EXPLAIN":
        return parseExplain(cursor);
      case "TERMINATE":
        return parseTerminate(cursor);
      case "PRINT":
        return parsePrint(cursor);
      case "SET":
      case "UNSET":
      case "RUN":
      case "DEFINE":
      case "UNDEFINE":
        return parseSession(cursor);
    }
  }
  cursor.expect("a statement");
  return cursor.fail(STATEMENT_KEYWORDS);
}

function sourceType(cursor: TokenCursor): SourceType {
  return cursor.requireOneOf(["STREAM", "TABLE"]);
}

function parseCreate(cursor: TokenCursor): Statement {
  const start = cursor.next();
  const orReplace = cursor.acceptWord("OR") && requireWords(cursor, "REPLACE");
  const readOnlyToken = cursor.peek();
  const readOnly = cursor.acceptWord("SOURCE");
  const type = sourceType(cursor);
  const ifNotExists = cursor.acceptWord("IF") && requireWords(cursor, "NOT", "EXISTS");
  const name = cursor.identifier();
  const columns = cursor.acceptSymbol("(") ? parseColumns(cursor) : [];
  const properties = parseWith(cursor);
  if (columns.length === 0 && cursor.acceptWord("AS")) {
    if (readOnly) cursor.failAt(readOnlyToken, "CREATE SOURCE cannot have AS SELECT: a source reads a topic as it is");
    const query = parseQuery(cursor);
    const span = cursor.spanFrom(start);
    return { kind: "CreateAsSelect", sourceType: type, orReplace, ifNotExists, name, properties, query, span };
  }
  const span = cursor.spanFrom(start);
  return { kind: "CreateSource", sourceType: type, orReplace, readOnly, ifNotExists, name, columns, properties, span };
}

function requireWords(cursor: TokenCursor, ...words: string[]): true {
  for (const word of words) cursor.requireWord(word);
  return true;
}

/** After `(`: `name type [KEY | PRIMARY KEY | HEADERS | HEADER('key')]`, separated by commas, then `)`. */
function parseColumns(cursor: TokenCursor): ColumnDefinition[] {
  const columns: ColumnDefinition[] = [];
  do {
    const name = cursor.identifier();
    const type = parseType(cursor);
    let role: ColumnRole = "VALUE";
    let headerKey: string | undefined;
    if (cursor.acceptWord("KEY")) role = "KEY";
    else if (cursor.acceptWord("PRIMARY")) {
      cursor.requireWord("KEY");
      role = "PRIMARY KEY";
    } else if (cursor.acceptWord("HEADERS")) role = "HEADERS";
    else if (cursor.acceptWord("HEADER")) {
      role = "HEADER";
      cursor.requireSymbol("(");
      headerKey = cursor.string("a header key");
      cursor.requireSymbol(")");
    }
    const span = cursor.spanFrom(name.span.start);
    columns.push({ name, type, role, ...(headerKey === undefined ? {} : { headerKey }), span });
  } while (cursor.acceptSymbol(","));
  cursor.requireSymbol(")");
  return columns;
}

/** `WITH (NAME = literal, ...)`, or nothing. Names may also be written as strings. */
function parseWith(cursor: TokenCursor): Property[] {
  if (!cursor.acceptWord("WITH")) return [];
  cursor.requireSymbol("(");
  const properties: Property[] = [];
  do {
    const nameToken = cursor.peek();
    const name: Identifier =
      nameToken.kind === "string"
        ? { value: cursor.next().value, span: { start: nameToken.offset, end: nameToken.end } }
        : cursor.identifier();
    cursor.requireSymbol("=");
    const value = parseLiteral(cursor);
    properties.push({ name, value, span: cursor.spanFrom(nameToken) });
  } while (cursor.acceptSymbol(","));
  cursor.requireSymbol(")");
  return properties;
}

/** A property value: a string, number, boolean or NULL, with an optional sign on numbers. */
function parseLiteral(cursor: TokenCursor): Literal {
  const start = cursor.peek();
  const value: Expression = parseExpression(cursor);
  if (value.kind === "Negate" && (value.operand.kind === "IntegerLiteral" || value.operand.kind === "DecimalLiteral")) {
    return { ...value.operand, value: `-${value.operand.value}`, span: value.span };
  }
  if (value.kind === "Negate" && value.operand.kind === "DoubleLiteral") {
    return { ...value.operand, value: -value.operand.value, span: value.span };
  }
  switch (value.kind) {
    case "NullLiteral":
    case "BooleanLiteral":
    case "StringLiteral":
    case "IntegerLiteral":
    case "DecimalLiteral":
    case "DoubleLiteral":
      return value;
    default:
      return cursor.failAt(start, "a property value must be a literal: a string, a number, TRUE, FALSE or NULL");
  }
}

function parseInsert(cursor: TokenCursor): Statement {
  const start = cursor.next();
  cursor.requireWord("INTO");
  const target = cursor.identifier();
  if (cursor.acceptSymbol("(") || cursor.isWord("VALUES")) {
    const columns: Identifier[] = [];
    if (cursor.peek(-1).value === "(") {
      do columns.push(cursor.identifier());
      while (cursor.acceptSymbol(","));
      cursor.requireSymbol(")");
    }
    cursor.requireWord("VALUES");
    cursor.requireSymbol("(");
    const values = parseList(cursor, ")");
    return { kind: "InsertValues", target, columns, values, span: cursor.spanFrom(start) };
  }
  const properties = parseWith(cursor);
  const query = parseQuery(cursor);
  return { kind: "InsertInto", target, properties, query, span: cursor.spanFrom(start) };
}

function parseDrop(cursor: TokenCursor): Statement {
  const start = cursor.next();
  const type = sourceType(cursor);
  const ifExists = cursor.acceptWord("IF") && requireWords(cursor, "EXISTS");
  const name = cursor.identifier();
  const deleteTopic = cursor.acceptWord("DELETE") && requireWords(cursor, "TOPIC");
  return { kind: "DropSource", sourceType: type, ifExists, name, deleteTopic, span: cursor.spanFrom(start) };
}

const SHOW_SUBJECTS: readonly ShowSubject[] = [
  "STREAMS",
  "TABLES",
  "TOPICS",
  "QUERIES",
  "FUNCTIONS",
  "PROPERTIES",
  "TYPES",
  "VARIABLES",
];
const EXTENSIBLE: ReadonlySet<ShowSubject> = new Set(["STREAMS", "TABLES", "TOPICS", "QUERIES"]);

function parseShow(cursor: TokenCursor): Statement {
  const start = cursor.next();
  const all = cursor.acceptWord("ALL");
  const subject = all ? (cursor.requireWord("TOPICS").value as ShowSubject) : cursor.requireOneOf(SHOW_SUBJECTS);
  const extended = EXTENSIBLE.has(subject) && cursor.acceptWord("EXTENDED");
  return { kind: "Show", subject, extended, all, span: cursor.spanFrom(start) };
}

function parseDescribe(cursor: TokenCursor): Statement {
  const start = cursor.next();
  if (cursor.acceptWord("FUNCTION")) {
    const name = cursor.identifier();
    return { kind: "DescribeFunction", name, span: cursor.spanFrom(start) };
  }
  const extended = cursor.acceptWord("EXTENDED");
  // Unquoted STREAMS/TABLES mean "all of them"; a source of that name must be back-quoted, as in ksqlDB.
  for (const [word, type] of [
    ["STREAMS", "STREAM"],
    ["TABLES", "TABLE"],
  ] as const) {
    if (cursor.isWord(word)) {
      cursor.next();
      const listExtended = extended || cursor.acceptWord("EXTENDED");
      return { kind: "DescribeSources", sourceType: type, extended: listExtended, span: cursor.spanFrom(start) };
    }
  }
  const name = cursor.identifier();
  return { kind: "Describe", name, extended, span: cursor.spanFrom(start) };
}

function parseExplain(cursor: TokenCursor): Statement {
  const start = cursor.next();
  if (cursor.isWord("SELECT") || cursor.isWord("CREATE") || cursor.isWord("INSERT")) {
    const statementStart = cursor.peek();
    const statement = parseStatement(cursor);
    if (statement.kind !== "Query" && statement.kind !== "CreateAsSelect" && statement.kind !== "InsertInto") {
      return cursor.failAt(
        statementStart,
        "EXPLAIN takes a query, CREATE ... AS SELECT, INSERT INTO ... SELECT or a query id",
      );
    }
    return { kind: "Explain", statement, span: cursor.spanFrom(start) };
  }
  const queryId = cursor.identifier();
  return { kind: "Explain", queryId, span: cursor.spanFrom(start) };
}

function parseTerminate(cursor: TokenCursor): Statement {
  const start = cursor.next();
  if (cursor.isWord("ALL")) {
    cursor.next();
    return { kind: "Terminate", all: true, span: cursor.spanFrom(start) };
  }
  cursor.expect("'ALL'");
  const queryId = cursor.identifier();
  return { kind: "Terminate", queryId, all: false, span: cursor.spanFrom(start) };
}

/** PRINT topic [FROM BEGINNING] [INTERVAL|SAMPLE n] [LIMIT n]. */
function parsePrint(cursor: TokenCursor): Statement {
  const start = cursor.next();
  const topicToken = cursor.peek();
  let topic: string;
  if (topicToken.kind === "string" || topicToken.kind === "quoted") topic = cursor.next().value;
  else if (topicToken.kind === "word") topic = cursor.next().text;
  else {
    cursor.expect("a topic name");
    return cursor.fail();
  }
  const caseSensitive = topicToken.kind !== "word";
  const fromBeginning = cursor.acceptWord("FROM") && requireWords(cursor, "BEGINNING");
  const interval =
    cursor.acceptWord("INTERVAL") || cursor.acceptWord("SAMPLE") ? cursor.integer("an interval") : undefined;
  const limit = cursor.acceptWord("LIMIT") ? cursor.integer("a record count") : undefined;
  return {
    kind: "Print",
    topic,
    caseSensitive,
    fromBeginning,
    ...(interval === undefined ? {} : { interval }),
    ...(limit === undefined ? {} : { limit }),
    span: cursor.spanFrom(start),
  };
}

/** SET 'k' = 'v', UNSET 'k', RUN SCRIPT 'path', DEFINE name = 'value', UNDEFINE name. */
function parseSession(cursor: TokenCursor): Statement {
  const start = cursor.next();
  switch (start.value) {
    case "SET": {
      const name = cursor.string("a property name");
      cursor.requireSymbol("=");
      const value = cursor.string("a property value");
      return { kind: "SetProperty", name, value, span: cursor.spanFrom(start) };
    }
    case "UNSET":
      return { kind: "UnsetProperty", name: cursor.string("a property name"), span: cursor.spanFrom(start) };
    case "RUN": {
      cursor.requireWord("SCRIPT");
      return { kind: "RunScript", path: cursor.string("a script path"), span: cursor.spanFrom(start) };
    }
    case "DEFINE": {
      const name = cursor.identifier();
      cursor.requireSymbol("=");
      const value = cursor.string("a variable value");
      return { kind: "DefineVariable", name, value, span: cursor.spanFrom(start) };
    }
    default:
      return { kind: "UndefineVariable", name: cursor.identifier(), span: cursor.spanFrom(start) };
  }
}

/** Parses one expression, the whole of `text`. */
export function parseStandaloneExpression(text: string): Expression {
  return parseWhole(text, parseExpression);
}

/** Parses one SQL type, the whole of `text`. */
export function parseStandaloneType(text: string): SqlType {
  return parseWhole(text, parseType);
}

function parseWhole<T>(text: string, parse: (cursor: TokenCursor) => T): T {
  const cursor = new TokenCursor(text);
  const result = parse(cursor);
  if (!cursor.atEnd()) {
    cursor.expect("end of input");
    cursor.fail();
  }
  return result;
}
