// Tests the properties reader against Java's Properties.load rules: comments, separators, continuations, escapes.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseProperties } from "../../../src/connect/config/properties.ts";

const DATA = join(import.meta.dirname, "properties");

function entries(text: string): [string, string][] {
  const result = parseProperties(text);
  assert.deepEqual(result.problems, []);
  return result.entries.map((entry) => [entry.key, entry.value]);
}

describe("parseProperties", () => {
  it("follows Java's rules over a file of every rule", () => {
    const text = readFileSync(join(DATA, "java-rules.properties"), "utf8");
    const expected = JSON.parse(readFileSync(join(DATA, "java-rules.expected.json"), "utf8"));
    const result = parseProperties(text);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.entries, expected);
  });

  it("ends lines at \\n, \\r\\n and a lone \\r", () => {
    assert.deepEqual(entries("a=1\r\nb=2\rc=3\n"), [
      ["a", "1"],
      ["b", "2"],
      ["c", "3"],
    ]);
    const lines = parseProperties("a=1\r\nb=2\rc=3").entries.map((entry) => entry.line);
    assert.deepEqual(lines, [1, 2, 3]);
  });

  it("continues across \\r\\n and drops the next line's leading blanks, tabs and form feeds", () => {
    assert.deepEqual(entries("list=a,\\\r\n \t\fb,\\\n   c"), [["list", "a,b,c"]]);
  });

  it("does not continue a line ending in an even number of backslashes", () => {
    assert.deepEqual(entries("a=x\\\\\nb=y"), [
      ["a", "x\\"],
      ["b", "y"],
    ]);
  });

  it("does not continue a comment line", () => {
    assert.deepEqual(entries("# comment \\\na=1"), [["a", "1"]]);
  });

  it("keeps a key given twice twice, in order (Java keeps the last)", () => {
    assert.deepEqual(entries("a=1\na=2"), [
      ["a", "1"],
      ["a", "2"],
    ]);
  });

  it("skips a byte order mark", () => {
    assert.deepEqual(entries("\uFEFFname=x"), [["name", "x"]]);
  });

  it("reads \\u escapes in keys too, and upper-case hex", () => {
    assert.deepEqual(entries("\\u0061b\\u00C4=\\u0041"), [["ab\u00c4", "A"]]);
  });

  it("reports a malformed \\u escape by line, without echoing the line", () => {
    const result = parseProperties("ok=1\nsources.a.connectionString=s7://user:secret@h/\\u12G4\nnext=2");
    assert.deepEqual(
      result.entries.map((entry) => entry.key),
      ["ok", "next"],
    );
    assert.equal(result.problems.length, 1);
    const [problem] = result.problems;
    assert.equal(problem?.line, 2);
    assert.match(problem?.message ?? "", /malformed \\uXXXX escape/);
    assert.doesNotMatch(problem?.message ?? "", /secret/);
  });

  it("reads an empty text as no entries", () => {
    assert.deepEqual(parseProperties("").entries, []);
    assert.deepEqual(parseProperties("\n\n  \n# only comments\n").entries, []);
  });
});
