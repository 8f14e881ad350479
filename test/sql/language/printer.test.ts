// The printer: canonical text that reads back as the same tree, quoting names only where KSQL would misread them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  parseExpression,
  parseStatements,
  parseType,
  printExpression,
  printIdentifier,
  printStatement,
  printStatements,
  printType,
} from "../../../src/sql/language/index.ts";
import { stripSpans } from "./strip-spans.ts";

function canonical(text: string): string {
  const [parsed] = parseStatements(text);
  const printed = printStatement(parsed!.statement);
  assert.deepEqual(stripSpans(parseStatements(printed)[0]!.statement), stripSpans(parsed!.statement), printed);
  return printed;
}

describe("KSQL printer", () => {
  it("quotes names that are reserved, not upper-case, or not plain", () => {
    assert.equal(printIdentifier("MACHINE"), "MACHINE");
    assert.equal(printIdentifier("_X1@Y"), "_X1@Y");
    assert.equal(printIdentifier("machine"), "`machine`");
    assert.equal(printIdentifier("SELECT"), "`SELECT`");
    assert.equal(printIdentifier("a b`c"), "`a b``c`");
    assert.equal(printIdentifier("1ST"), "`1ST`");
  });

  it("quotes names that would read as a keyword where they stand", () => {
    assert.equal(canonical("CREATE STREAM `IF` (a INT)"), "CREATE STREAM `IF` (A INT)");
    assert.equal(canonical("DROP TABLE `IF`"), "DROP TABLE `IF`");
    assert.equal(canonical("DESCRIBE `STREAMS`"), "DESCRIBE `STREAMS`");
    assert.equal(canonical("DESCRIBE `EXTENDED`"), "DESCRIBE `EXTENDED`");
    assert.equal(canonical("DESCRIBE `FUNCTION`"), "DESCRIBE `FUNCTION`");
    assert.equal(canonical("TERMINATE `ALL`"), "TERMINATE `ALL`");
    assert.equal(
      canonical("SELECT `ARRAY`[1], `MAP`(x), `STRUCT` FROM s"),
      "SELECT `ARRAY`[1], `MAP`(X), `STRUCT` FROM S",
    );
    assert.equal(canonical("CREATE STREAM s (a `INT`, b `STRUCT`)"), "CREATE STREAM S (A `INT`, B `STRUCT`)");
    assert.equal(
      canonical("CREATE STREAM s (a `VARCHAR`, b `DECIMAL`, c `TIMESTAMP`)"),
      "CREATE STREAM S (A `VARCHAR`, B `DECIMAL`, C `TIMESTAMP`)",
    );
  });

  it("adds the parentheses precedence needs, and no others", () => {
    const cases: [string, string][] = [
      ["(a + b) * c", "(A + B) * C"],
      ["a + (b * c)", "A + B * C"],
      ["a - (b - c)", "A - (B - C)"],
      ["(a - b) - c", "A - B - C"],
      ["(a OR b) AND NOT (c AND d)", "(A OR B) AND NOT (C AND D)"],
      ["(a = b) = (c IS NULL)", "(A = B) = (C IS NULL)"],
      ["-(a + b)", "-(A + B)"],
      ["- (-a)", "- -A"],
      ["(a || b) || (c || d)", "A || B || (C || D)"],
      ["(a + b)[1]->x", "(A + B)[1]->X"],
      ["f((x => x), y)", "F(X => X, Y)"],
      ["(x => x) IS NULL", "(X => X) IS NULL"],
      ["CASE WHEN a THEN (b OR c) END", "CASE WHEN A THEN B OR C END"],
    ];
    for (const [input, printed] of cases) {
      const tree = parseExpression(input);
      assert.equal(printExpression(tree), printed, input);
      assert.deepEqual(stripSpans(parseExpression(printed)), stripSpans(tree), input);
    }
  });

  it("prints doubles with an exponent, so that they do not read back as DECIMAL", () => {
    const printed = ["1e0", "1.5E300", "0.1E0", "123456789.25E0", "5e-324"].map((t) =>
      printExpression(parseExpression(t)),
    );
    assert.deepEqual(printed, ["1E0", "1.5E300", "1E-1", "1.2345678925E8", "5E-324"]);
    assert.equal(
      canonical("CREATE STREAM s WITH (A=-0E0, B=-2.5, C=-7)"),
      "CREATE STREAM S WITH (A=-0E0, B=-2.5, C=-7)",
    );
  });

  it("uses singular units for one and the canonical keywords for synonyms", () => {
    assert.equal(
      canonical("SELECT * FROM s WINDOW HOPPING (SIZE 1 MINUTES, ADVANCE BY 2 SECOND) EMIT CHANGES"),
      "SELECT * FROM S WINDOW HOPPING (SIZE 1 MINUTE, ADVANCE BY 2 SECONDS) EMIT CHANGES",
    );
    assert.equal(canonical("LIST QUERIES EXTENDED"), "SHOW QUERIES EXTENDED");
    assert.equal(canonical("PRINT t SAMPLE 3"), "PRINT t INTERVAL 3");
    assert.equal(canonical("SELECT * FROM a INNER JOIN b ON x = y"), "SELECT * FROM A JOIN B ON X = Y");
    assert.equal(printType(parseType("MAP<VARCHAR, INTEGER>")), "MAP<STRING, INT>");
  });

  it("prints a script one statement a line, each with its ';'", () => {
    const statements = parseStatements("show streams; select * from s").map((p) => p.statement);
    assert.equal(printStatements(statements), "SHOW STREAMS;\nSELECT * FROM S;\n");
  });
});
