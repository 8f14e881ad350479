// Finding statement ends as the lexer sees them, the typed-lines buffer, and which statements stay in the client.
import assert from "node:assert/strict";
import { test } from "node:test";
import { routeOf, StatementBuffer, splitStatements } from "../../../../src/sql/api/repl/statements.ts";
import { SqlSyntaxError } from "../../../../src/sql/language/index.ts";

test("a ';' inside a string, a quoted name or a comment does not end a statement", () => {
  const text = [
    "SELECT 'a;b', `odd;name` FROM s -- not here;",
    "  /* nor ; here */ WHERE x = 'it''s;' EMIT CHANGES;",
    "SHOW STREAMS;",
  ].join("\n");
  const { statements, rest } = splitStatements(text);
  assert.equal(statements.length, 2);
  assert.match(statements[0]!, /^SELECT 'a;b'.*'it''s;' EMIT CHANGES;$/s);
  assert.equal(statements[1], "SHOW STREAMS;");
  assert.equal(rest, "");
});

test("leading comments are dropped; trailing text without ';' is the rest, white space and comments are not", () => {
  assert.deepEqual(splitStatements("-- plant\nSHOW TABLES; SELECT *\nFROM"), {
    statements: ["SHOW TABLES;"],
    rest: "SELECT *\nFROM",
  });
  assert.deepEqual(splitStatements("SHOW TABLES; -- done\n /* c */ "), { statements: ["SHOW TABLES;"], rest: "" });
  assert.deepEqual(splitStatements(";;"), { statements: [], rest: "" });
});

test("an unclosed string or comment waits for more text", () => {
  assert.deepEqual(splitStatements("SELECT 'abc;\n"), { statements: [], rest: "SELECT 'abc;\n" });
  assert.deepEqual(splitStatements("SELECT 1 /* ; \n"), { statements: [], rest: "SELECT 1 /* ; \n" });
});

test("text the lexer cannot read goes to the server as one statement once it ends with ';'", () => {
  assert.deepEqual(splitStatements('SELECT "x" FROM s'), { statements: [], rest: 'SELECT "x" FROM s' });
  assert.deepEqual(splitStatements('SELECT "x" FROM s;\n'), { statements: ['SELECT "x" FROM s;'], rest: "" });
});

test("the buffer hands out statements as their ';' is typed, across lines", () => {
  const buffer = new StatementBuffer();
  assert.deepEqual(buffer.add("CREATE STREAM s (id STRING KEY)"), []);
  assert.equal(buffer.pending, true);
  assert.deepEqual(buffer.add("  WITH (kafka_topic='s;t', value_format='JSON'); SHOW"), [
    "CREATE STREAM s (id STRING KEY)\n  WITH (kafka_topic='s;t', value_format='JSON');",
  ]);
  assert.deepEqual(buffer.add("STREAMS;"), ["SHOW\nSTREAMS;"]);
  assert.equal(buffer.pending, false);
  buffer.add("SELECT");
  buffer.clear();
  assert.equal(buffer.pending, false);
});

test("SELECT and PRINT are queries, SET/UNSET/RUN SCRIPT stay in the client, the rest goes to /ksql", () => {
  assert.deepEqual(routeOf("select * from s emit changes;"), { kind: "query", print: false });
  assert.deepEqual(routeOf("PRINT 'plant' FROM BEGINNING;"), { kind: "query", print: true });
  assert.deepEqual(routeOf("SET 'auto.offset.reset' = 'earliest';"), {
    kind: "set",
    name: "auto.offset.reset",
    value: "earliest",
  });
  assert.deepEqual(routeOf("unset 'auto.offset.reset';"), { kind: "unset", name: "auto.offset.reset" });
  assert.deepEqual(routeOf("RUN SCRIPT '/tmp/plant.sql';"), { kind: "script", path: "/tmp/plant.sql" });
  for (const text of [
    "EXPLAIN SELECT * FROM s;",
    "INSERT INTO a SELECT * FROM b;",
    "SHOW QUERIES;",
    "DEFINE x = '1';",
  ]) {
    assert.deepEqual(routeOf(text), { kind: "statement" }, text);
  }
});

test("a malformed client-side statement is a syntax error with its position", () => {
  assert.throws(() => routeOf("SET 'a' 'b';"), SqlSyntaxError);
});
