// Tests how problems are collected and told: one line each, in file order, each problem once.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, formatProblem, ProblemList } from "../../../src/connect/config/errors.ts";

describe("formatProblem", () => {
  it("writes path: message, then the line and column when known", () => {
    assert.equal(formatProblem({ path: "a.b", message: "wrong", line: 3, column: 7 }), "a.b: wrong (line 3, column 7)");
    assert.equal(formatProblem({ path: "a.b", message: "wrong", line: 3 }), "a.b: wrong (line 3)");
    assert.equal(formatProblem({ path: "a.b", message: "wrong" }), "a.b: wrong");
    assert.equal(formatProblem({ path: "", message: "the configuration is empty" }), "the configuration is empty");
  });
});

describe("ProblemList", () => {
  it("keeps each problem once and lists them by line, then column, those without a line last", () => {
    const list = new ProblemList();
    list.add({ path: "late" }, "no line");
    list.add({ path: "b", line: 9, column: 1 }, "second");
    list.add({ path: "a", line: 2, column: 5 }, "first, right");
    list.add({ path: "a", line: 2, column: 1 }, "first, left");
    list.add({ path: "b", line: 9, column: 1 }, "second");
    assert.equal(list.size, 4);
    assert.deepEqual(
      list.list().map((problem) => problem.message),
      ["first, left", "first, right", "second", "no line"],
    );
  });

  it("keeps the same message at two paths, and two messages at one path", () => {
    const list = new ProblemList();
    list.add({ path: "a" }, "x");
    list.add({ path: "b" }, "x");
    list.add({ path: "a" }, "y");
    assert.equal(list.size, 3);
  });
});

describe("ConfigError", () => {
  it("has a stable code, every problem, and a message of one line per problem", () => {
    const problems = [
      { path: "name", message: "missing", line: 1, column: 1 },
      { path: "sources.press.url", message: "bad port" },
    ];
    const error = new ConfigError(problems, ["ignored: acks"]);
    assert.equal(error.code, "INVALID_CONFIG");
    assert.equal(error.name, "ConfigError");
    assert.deepEqual(error.problems, problems);
    assert.deepEqual(error.notes, ["ignored: acks"]);
    assert.equal(error.message, "name: missing (line 1, column 1)\nsources.press.url: bad port");
    assert.ok(error instanceof Error);
  });
});
