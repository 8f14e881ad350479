// Tests reading YAML and JSON with positions: where keys and values are, paths as people read them, syntax errors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatPath, readStructured, type StructuredDocument } from "../../../src/connect/config/document.ts";

function read(text: string, syntax: "yaml" | "json"): StructuredDocument {
  const result = readStructured(text, syntax);
  assert.ok(result.ok, result.ok ? "" : JSON.stringify(result.problems));
  return result.document;
}

describe("formatPath", () => {
  it("writes keys with dots, indexes in brackets and odd keys quoted", () => {
    assert.equal(formatPath(["sources", "press", "jobs", 1, "tags", "temp"]), "sources.press.jobs[1].tags.temp");
    assert.equal(formatPath(["sources", "site1.press", "url"]), 'sources["site1.press"].url');
    assert.equal(formatPath([]), "");
  });
});

describe("readStructured", () => {
  const yaml = "name: plant\nsources:\n  press:\n    jobs:\n      - name: fast\n        interval: 100ms\n";

  it("locates values and keys in YAML, 1-based", () => {
    const document = read(yaml, "yaml");
    assert.deepEqual(document.value, {
      name: "plant",
      sources: { press: { jobs: [{ name: "fast", interval: "100ms" }] } },
    });
    assert.deepEqual(document.locate(["name"]), { line: 1, column: 7 });
    assert.deepEqual(document.locate(["name"], "key"), { line: 1, column: 1 });
    assert.deepEqual(document.locate(["sources", "press", "jobs", 0, "interval"]), { line: 6, column: 19 });
    assert.deepEqual(document.locate(["sources", "press", "jobs", 0]), { line: 5, column: 9 });
    assert.equal(document.locate(["sources", "nothing"]), undefined);
  });

  it("follows YAML aliases", () => {
    const document = read("base: &b { interval: 1s }\njob: *b\n", "yaml");
    assert.deepEqual(document.value, { base: { interval: "1s" }, job: { interval: "1s" } });
    assert.deepEqual(document.locate(["job", "interval"]), { line: 1, column: 22 });
  });

  it("locates values in JSON", () => {
    const document = read('{\n  "name": "plant",\n  "config": {\n    "tasks.max": 2\n  }\n}\n', "json");
    assert.deepEqual(document.locate(["config", "tasks.max"]), { line: 4, column: 18 });
    assert.deepEqual(document.locate(["config", "tasks.max"], "key"), { line: 4, column: 5 });
  });

  it("reports YAML syntax errors with their position", () => {
    const result = readStructured("name: plant\n  sources: [\n", "yaml");
    assert.ok(!result.ok);
    assert.ok(result.problems.length >= 1);
    assert.ok(
      result.problems.every((problem) => problem.message.startsWith("invalid YAML: ") && problem.line !== undefined),
    );
  });

  it("reports a key given twice, in YAML and in JSON (which JSON.parse would let pass)", () => {
    for (const [text, syntax, column] of [
      ["a: 1\na: 2\n", "yaml", 1],
      ['{"a": 1,\n "a": 2}', "json", 2],
    ] as const) {
      const result = readStructured(text, syntax);
      assert.ok(!result.ok);
      assert.deepEqual(result.problems, [
        { path: "", message: "a key is given twice in one mapping", line: 2, column },
      ]);
    }
  });

  it("reports JSON syntax errors by position, without quoting the text (it may hold a password)", () => {
    const missingComma = readStructured('{\n  "url": "s7://u:pw@h"\n  "name": "x"\n}', "json");
    assert.ok(!missingComma.ok);
    assert.deepEqual(missingComma.problems, [
      { path: "", message: "invalid JSON: Expected ',' or '}' after property value", line: 3, column: 3 },
    ]);
    const badToken = readStructured('{"url": s7://u:secret@h}', "json");
    assert.ok(!badToken.ok);
    assert.equal(badToken.problems.length, 1);
    assert.doesNotMatch(badToken.problems[0]?.message ?? "", /secret/);
  });

  it("reads an empty YAML document as nothing", () => {
    assert.equal(read("# only a comment\n", "yaml").value, null);
  });
});
