// Seeded fuzzing: mutated statements must give statements that print and read back the same, or a SqlSyntaxError only.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseStatements, printStatement, SqlSyntaxError, tokenize } from "../../../src/sql/language/index.ts";
import { seededRandom } from "../../support/random.ts";
import { stripSpans } from "./strip-spans.ts";

const ITERATIONS = 20_000;
const SEED = 0x6b73716c;

/** Integers and picks from the shared seeded generator: the same sequence on every run. */
function random(seed: number) {
  const next = seededRandom(seed);
  const int = (below: number) => Math.floor(next() * below);
  return { int, pick: <T>(items: readonly T[]): T => items[int(items.length)]! };
}
type Random = ReturnType<typeof random>;

const CASES = join(import.meta.dirname, "cases");
const scripts = readdirSync(CASES)
  .filter((file) => file.endsWith(".sql"))
  .map((file) => readFileSync(join(CASES, file), "utf8"));
const statements = scripts.flatMap((text) => {
  try {
    return parseStatements(text).map((p) => p.text);
  } catch {
    return [text];
  }
});

/** Pieces worth splicing in: the tokens that steer the parser, and some that tempt it into deep or odd paths. */
const VOCABULARY = [
  ...["SELECT", "FROM", "WHERE", "GROUP", "BY", "PARTITION", "HAVING", "EMIT", "CHANGES", "FINAL", "LIMIT", "WINDOW"],
  ...["TUMBLING", "HOPPING", "SESSION", "SIZE", "ADVANCE", "RETENTION", "GRACE", "PERIOD", "SECONDS", "1 MINUTE"],
  ...["JOIN", "LEFT", "OUTER", "FULL", "WITHIN", "ON", "AS", "AND", "OR", "NOT", "IS", "NULL", "IN", "BETWEEN", "LIKE"],
  ...["CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "ARRAY", "MAP", "STRUCT", "DECIMAL", "KEY", "PRIMARY", "HEADERS"],
  ...["CREATE", "STREAM", "TABLE", "INSERT", "INTO", "VALUES", "DROP", "SHOW", "DESCRIBE", "EXPLAIN", "PRINT", "SET"],
  ...["(", ")", "[", "]", "<", ">", "<>", ",", ";", ".", "*", "-", "+", "||", "->", "=>", ":=", "=", "`q`", "'s'"],
  ...["0", "2147483648", "1.5", "1e3", "x", "x => x", "(a, b) => a", "\u0024{v}", "--", "/*", "*/", "'", "`", "\n"],
];

function mutate(r: Random, text: string): string {
  let tokens: { offset: number; end: number }[];
  try {
    tokens = tokenize(text).slice(0, -1);
  } catch {
    tokens = [];
  }
  const at = r.int(text.length + 1);
  if (tokens.length === 0 || r.int(4) === 0) {
    // Character-level: insert, delete or truncate.
    switch (r.int(3)) {
      case 0:
        return text.slice(0, at) + r.pick(VOCABULARY) + text.slice(at);
      case 1:
        return text.slice(0, at) + text.slice(at + 1 + r.int(8));
      default:
        return text.slice(0, at);
    }
  }
  const i = r.int(tokens.length);
  const token = tokens[i]!;
  const other = tokens[r.int(tokens.length)]!;
  const before = text.slice(0, token.offset);
  const after = text.slice(token.end);
  switch (r.int(4)) {
    case 0:
      return before + after;
    case 1:
      return before + r.pick(VOCABULARY) + after;
    case 2:
      return before + text.slice(other.offset, other.end) + after;
    default:
      return `${before}${text.slice(token.offset, token.end)} ${text.slice(token.offset)}`;
  }
}

test("mutated statements parse and round-trip, or fail with SqlSyntaxError only", () => {
  const r = random(SEED);
  let parsedCount = 0;
  let failedCount = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    let text = r.pick(statements);
    for (let n = 1 + r.int(3); n > 0; n--) text = mutate(r, text);
    let result: ReturnType<typeof parseStatements>;
    try {
      result = parseStatements(text);
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) {
        assert.fail(`${error instanceof Error ? error.stack : error}\nfor input:\n${text}`);
      }
      assert.equal(error.code, "SQL_SYNTAX");
      assert.match(error.message, /^line \d+:\d+: /);
      failedCount++;
      continue;
    }
    parsedCount++;
    for (const parsed of result) {
      assert.ok(parsed.span.start >= 0 && parsed.span.end <= text.length);
      const printed = printStatement(parsed.statement);
      let reparsed: ReturnType<typeof parseStatements>;
      try {
        reparsed = parseStatements(printed);
      } catch (error) {
        assert.fail(`printed form does not parse: ${error}\ninput:\n${text}\nprinted:\n${printed}`);
      }
      assert.equal(reparsed.length, 1, printed);
      assert.deepEqual(
        stripSpans(reparsed[0]!.statement),
        stripSpans(parsed.statement),
        `input:\n${text}\nprinted:\n${printed}`,
      );
    }
  }
  // Both outcomes must be common, or the mutations are not exercising the parser.
  assert.ok(parsedCount > ITERATIONS / 20, `${parsedCount} parsed`);
  assert.ok(failedCount > ITERATIONS / 4, `${failedCount} failed`);
});

test("pathological inputs fail fast with SqlSyntaxError instead of exhausting the stack", () => {
  const inputs = [
    `SELECT ${"(".repeat(100_000)}`,
    `SELECT ${"NOT ".repeat(50_000)}a FROM s;`,
    `SELECT ${"-".repeat(1)}${" -".repeat(50_000)}a FROM s;`,
    `SELECT ${Array(5000).fill("a").join(" + ")} FROM s;`,
    `SELECT a${"[1]".repeat(5000)} FROM s;`,
    `SELECT ${"f(".repeat(50_000)}`,
    `SELECT ${"ARRAY[".repeat(50_000)}`,
    `SELECT ${"CASE WHEN ".repeat(50_000)}`,
    `SELECT ${"x => ".repeat(50_000)}x FROM s;`,
    `CREATE STREAM s (a ${"ARRAY<".repeat(50_000)}`,
    `SELECT * FROM s GROUP BY ${"(".repeat(50_000)}`,
  ];
  for (const text of inputs) {
    assert.throws(
      () => parseStatements(text),
      (error: unknown) =>
        error instanceof SqlSyntaxError && /nesting deeper than|chained operators|expected/.test(error.message),
      text.slice(0, 40),
    );
  }
});
