// The KSQL lexer: token kinds and values, positions across lines, comments, quoting, numbers, and its errors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SqlSyntaxError, type Token, tokenize } from "../../../src/sql/language/index.ts";

function kinds(text: string): string[] {
  return tokenize(text).map((t) => `${t.kind}:${t.value}`);
}

function lexError(text: string): string {
  try {
    tokenize(text);
  } catch (error) {
    assert.ok(error instanceof SqlSyntaxError);
    assert.equal(error.code, "SQL_SYNTAX");
    return error.message;
  }
  assert.fail(`tokenized ${JSON.stringify(text)}`);
}

describe("KSQL lexer", () => {
  it("upper-cases unquoted words and keeps back-quoted ones, with `` for a back-quote", () => {
    assert.deepEqual(kinds("select Foo_1 `Mixed Case` `a``b` x@y"), [
      "word:SELECT",
      "word:FOO_1",
      "quoted:Mixed Case",
      "quoted:a`b",
      "word:X@Y",
      "eof:",
    ]);
  });

  it("unescapes '' inside strings and keeps the source text", () => {
    const [token] = tokenize("'O''Brien'");
    assert.equal(token!.kind, "string");
    assert.equal(token!.value, "O'Brien");
    assert.equal(token!.text, "'O''Brien'");
    assert.equal(tokenize("''")[0]!.value, "");
  });

  it("tells integers, decimals and doubles apart", () => {
    assert.deepEqual(kinds("1 007 1.5 .5 2. 1e3 1.5E-3 2E+2"), [
      "integer:1",
      "integer:007",
      "decimal:1.5",
      "decimal:.5",
      "decimal:2.",
      "double:1e3",
      "double:1.5E-3",
      "double:2E+2",
      "eof:",
    ]);
  });

  it("matches the longest operator", () => {
    assert.deepEqual(
      tokenize("a->b => := <> != <= >= || < > = - + * / % . , ; ( ) [ ]")
        .filter((t) => t.kind === "symbol")
        .map((t) => t.value),
      [
        "->",
        "=>",
        ":=",
        "<>",
        "!=",
        "<=",
        ">=",
        "||",
        "<",
        ">",
        "=",
        "-",
        "+",
        "*",
        "/",
        "%",
        ".",
        ",",
        ";",
        "(",
        ")",
        "[",
        "]",
      ],
    );
  });

  it("drops -- and /* */ comments, which may hold anything", () => {
    assert.deepEqual(kinds("a -- b ' ` \n c /* d\n ' */ e--"), ["word:A", "word:C", "word:E", "eof:"]);
  });

  it("reads a variable reference as one token", () => {
    assert.deepEqual(kinds("WITH (KAFKA_TOPIC=\u0024{topic_1})").slice(4, 5), ["variable:TOPIC_1"]);
  });

  it("gives 1-based lines and columns and 0-based offsets, also after multi-line strings and comments", () => {
    const tokens = tokenize("SELECT a,\n  'x\ny' /* c\n */ b\r\nFROM s");
    const at = (value: string): Token => tokens.find((t) => t.value === value)!;
    assert.deepEqual(
      [at("SELECT"), at("A"), at("x\ny"), at("B"), at("FROM"), at("S")].map((t) => [t.line, t.column, t.offset]),
      [
        [1, 1, 0],
        [1, 8, 7],
        [2, 3, 12],
        [4, 5, 27],
        [5, 1, 30],
        [5, 6, 35],
      ],
    );
    const eof = tokens[tokens.length - 1]!;
    assert.deepEqual([eof.kind, eof.line, eof.column, eof.offset, eof.end], ["eof", 5, 7, 36, 36]);
  });

  it("refuses what no token can start with, saying where", () => {
    assert.equal(lexError("SELECT 'abc"), "line 1:8: string opened here is never closed with '");
    assert.equal(lexError("a\n  `abc"), "line 2:3: identifier opened here is never closed with `");
    assert.equal(lexError("a /* b"), "line 1:3: comment opened here is never closed with '*/'");
    assert.equal(lexError("SELECT ``"), "line 1:8: an identifier cannot be empty");
    assert.equal(lexError("a ? b"), "line 1:3: unexpected character '?'");
    assert.equal(lexError("a :: b"), "line 1:3: unexpected character ':'");
    assert.equal(lexError('x = "y"'), "line 1:5: unexpected character '\"'");
    assert.equal(
      lexError("2abc"),
      "line 1:1: '2abc' is neither a number nor an identifier (identifiers cannot start with a digit)",
    );
    assert.equal(lexError("\u0024{1x}"), "line 1:1: a variable reference must look like \u0024{name}");
    assert.equal(lexError("\u0024{open"), "line 1:1: a variable reference must look like \u0024{name}");
    assert.equal(lexError("é"), "line 1:1: unexpected character 'é'");
  });
});
