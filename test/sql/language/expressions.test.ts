// Expression precedence and shapes from expressions.txt: each line's tree, its round trip through the printer, or its error.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseExpression, printExpression, SqlSyntaxError } from "../../../src/sql/language/index.ts";
import { stripSpans } from "./strip-spans.ts";
import { treeNotation } from "./tree-notation.ts";

const lines = readFileSync(join(import.meta.dirname, "expressions.txt"), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "" && !line.startsWith("#"));

describe("KSQL expressions", () => {
  it("has cases of both kinds", () => {
    assert.ok(lines.filter((line) => line.includes("  =>  ")).length >= 50);
    assert.ok(lines.filter((line) => line.includes("  !!  ")).length >= 10);
  });

  for (const line of lines) {
    const arrow = line.indexOf("  =>  ");
    if (arrow !== -1) {
      const input = line.slice(0, arrow);
      const tree = line.slice(arrow + 6);
      it(input, () => {
        const parsed = parseExpression(input);
        assert.equal(treeNotation(parsed), tree);
        const printed = printExpression(parsed);
        assert.deepEqual(stripSpans(parseExpression(printed)), stripSpans(parsed), `printed as ${printed}`);
      });
      continue;
    }
    const bang = line.indexOf("  !!  ");
    assert.ok(bang !== -1, `expressions.txt line without => or !!: ${line}`);
    const input = line.slice(0, bang);
    it(`${input} fails`, () => {
      assert.throws(
        () => parseExpression(input),
        (error: unknown) => error instanceof SqlSyntaxError && error.message === line.slice(bang + 6),
        `expected: ${line.slice(bang + 6)}`,
      );
    });
  }
});
