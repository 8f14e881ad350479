// Runs the golden cases in cases/: each NAME.sql with NAME.json holding either every statement (its text, canonical
// printed form and tree without spans) or the one syntax error the script must give.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseStatements, printStatement, SqlSyntaxError } from "../../../src/sql/language/index.ts";
import { stripSpans } from "./strip-spans.ts";

const CASES = join(import.meta.dirname, "cases");

interface ExpectedStatement {
  readonly text: string;
  readonly printed: string;
  readonly ast: unknown;
}

interface Expected {
  readonly statements?: readonly ExpectedStatement[];
  readonly error?: string;
}

const cases = readdirSync(CASES)
  .filter((file) => file.endsWith(".sql"))
  .sort()
  .map((file) => ({
    name: file.replace(/\.sql$/, ""),
    text: readFileSync(join(CASES, file), "utf8"),
    expected: JSON.parse(readFileSync(join(CASES, file.replace(/\.sql$/, ".json")), "utf8")) as Expected,
  }));

describe("KSQL golden cases", () => {
  it("has both kinds of case, the plant pipeline among them", () => {
    assert.ok(cases.filter((c) => c.expected.error === undefined).length >= 8);
    assert.ok(cases.filter((c) => c.expected.error !== undefined).length >= 15);
    assert.ok(cases.some((c) => c.name === "plant-pipeline"));
  });

  for (const c of cases) {
    it(c.name, () => {
      const { statements, error } = c.expected;
      assert.equal(statements === undefined, error !== undefined, "the .json holds either statements or an error");
      if (error !== undefined) {
        assert.throws(
          () => parseStatements(c.text),
          (thrown: unknown) => {
            assert.ok(thrown instanceof SqlSyntaxError);
            assert.equal(thrown.code, "SQL_SYNTAX");
            assert.equal(thrown.message, error);
            assert.ok(error.startsWith(`line ${thrown.line}:${thrown.column}: `));
            return true;
          },
        );
        return;
      }
      const parsed = parseStatements(c.text);
      assert.deepEqual(
        parsed.map((p) => p.text),
        statements!.map((s) => s.text),
      );
      for (const [i, p] of parsed.entries()) {
        const want = statements![i]!;
        assert.equal(p.text, c.text.slice(p.span.start, p.span.end));
        assert.deepEqual(stripSpans(p.statement), want.ast, `statement ${i + 1}: tree`);
        const printed = printStatement(p.statement);
        assert.equal(printed, want.printed, `statement ${i + 1}: printed`);
        // Round trip: the canonical text reads back as the same tree, and prints the same again.
        const [again] = parseStatements(printed);
        assert.deepEqual(stripSpans(again!.statement), want.ast, `statement ${i + 1}: reparsed`);
        assert.equal(printStatement(again!.statement), printed);
      }
    });
  }
});
