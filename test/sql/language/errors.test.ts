// Syntax errors: the fields callers read, positions on later lines, keyword suggestions, and the standalone entry points.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseExpression, parseStatements, parseType, SqlSyntaxError } from "../../../src/sql/language/index.ts";

function syntaxError(parse: () => unknown): SqlSyntaxError {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof SqlSyntaxError, String(error));
    return error;
  }
  assert.fail("parsed without an error");
}

describe("KSQL syntax errors", () => {
  it("say line, column, what was found and what was expected", () => {
    const error = syntaxError(() => parseStatements("SHOW STREAMS;\n\nSELECT a, b\n  FROM s WHERE (a = 1 FROM t;"));
    assert.equal(error.code, "SQL_SYNTAX");
    assert.equal(error.name, "SqlSyntaxError");
    assert.equal(error.message, "line 4:23: expected ')' but found 'FROM'");
    assert.deepEqual([error.line, error.column, error.offset], [4, 23, 49]);
    assert.equal(error.found, "'FROM'");
    assert.deepEqual(error.expected, ["')'"]);
    assert.equal(error.suggestion, undefined);
  });

  it("suggest the keyword a misspelt word is closest to", () => {
    const cases: [string, string][] = [
      ["SELCT * FROM s;", "SELECT"],
      ["SHWO STREAMS;", "SHOW"],
      ["DESCRIEB s;", "DESCRIBE"],
      ["CREATE STRAEM s (a INT);", "STREAM"],
      ["SELECT * FROM s EMIT CHANGSE;", "CHANGES"],
      ["SHOW STREEMS;", "STREAMS"],
      ["SELECT * FROM s WINDOW TUMBLNG (SIZE 1 SECOND) GROUP BY a;", "TUMBLING"],
      ["CREATE TABLE t (id INT PRIMRY KEY);", "PRIMARY"],
      ["DROP TABLE t DELETE TOPCI;", "TOPIC"],
    ];
    for (const [text, keyword] of cases) {
      const error = syntaxError(() => parseStatements(text));
      assert.equal(error.suggestion, keyword, error.message);
      assert.ok(error.message.endsWith(`; did you mean '${keyword}'?`), error.message);
    }
  });

  it("do not suggest a keyword for a word far from all of them", () => {
    const error = syntaxError(() => parseStatements("FROBNICATE s;"));
    assert.equal(error.message, "line 1:1: expected a statement but found 'FROBNICATE'");
    assert.equal(error.suggestion, undefined);
  });

  it("report the end of input when text stops early", () => {
    assert.equal(
      syntaxError(() => parseStatements("CREATE STREAM s (a INT")).message,
      "line 1:23: expected 'KEY', 'PRIMARY', 'HEADERS', 'HEADER', ',' or ')' but found end of input",
    );
    assert.equal(syntaxError(() => parseStatements("SELECT * FROM")).found, "end of input");
  });

  it("shorten long tokens in the message", () => {
    const error = syntaxError(() => parseStatements(`SELECT * FROM s '${"x".repeat(100)}';`));
    assert.equal(error.found, `'${"'xxxxxxxxxxxxxxxxxxxxxxxxxxxx"}...'`);
  });

  it("come from parseExpression and parseType for trailing text", () => {
    assert.equal(syntaxError(() => parseExpression("a b")).message, "line 1:3: expected end of input but found 'b'");
    assert.equal(syntaxError(() => parseType("INT INT")).message, "line 1:5: expected end of input but found 'INT'");
    assert.equal(
      syntaxError(() => parseType("DECIMAL(0, 0)")).message,
      "line 1:9: DECIMAL precision must be between 1 and 38, not 0",
    );
    assert.equal(
      syntaxError(() => parseType("DECIMAL(39, 2)")).message,
      "line 1:9: DECIMAL precision must be between 1 and 38, not 39",
    );
  });

  it("keep statement texts apart from the comments and blank statements around them", () => {
    const parsed = parseStatements("-- header\nSHOW STREAMS ; ;\n/* c */ SHOW TABLES;\n");
    assert.deepEqual(
      parsed.map((p) => p.text),
      ["SHOW STREAMS ;", "SHOW TABLES;"],
    );
    assert.deepEqual(parseStatements("  -- only a comment\n;;"), []);
  });
});
