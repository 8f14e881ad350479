// The SQL page's script splitter: statements as the server reads them, their kinds, SET/UNSET, and error positions
// mapped from the statement sent back onto the script.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  errorRange,
  lineColumnAt,
  offsetAt,
  sendable,
  splitStatements,
} from "../../../../ui/src/pages/sql/statements.ts";

test("statements end at ';' outside strings, quoted names and comments", () => {
  const script = [
    "SHOW STREAMS;",
    "INSERT INTO t (a) VALUES ('x;y''s');",
    "-- a comment; with a semicolon",
    "SELECT `we;ird` FROM s /* ; */ EMIT CHANGES;",
    '  DESCRIBE "odd;name";',
  ].join("\n");
  const texts = splitStatements(script).map((s) => s.text);
  assert.deepEqual(texts, [
    "SHOW STREAMS;",
    "INSERT INTO t (a) VALUES ('x;y''s');",
    "-- a comment; with a semicolon\nSELECT `we;ird` FROM s /* ; */ EMIT CHANGES;",
    'DESCRIBE "odd;name";',
  ]);
});

test("offsets point into the script; pieces of blanks and comments are left out", () => {
  const script = "  SHOW TOPICS;\n\n-- only a comment\n";
  const [only, ...rest] = splitStatements(script);
  assert.equal(rest.length, 0);
  assert.equal(only!.from, 2);
  assert.equal(script.slice(only!.from, only!.to), "SHOW TOPICS;");
});

test("the last statement may lack its ';', which is added when it is sent", () => {
  const [first, last] = splitStatements("SHOW TABLES;\nSELECT * FROM t");
  assert.equal(sendable(first!), "SHOW TABLES;");
  assert.equal(last!.text, "SELECT * FROM t");
  assert.equal(sendable(last!), "SELECT * FROM t;");
});

test("kinds: push and pull SELECTs, PRINT, SET/UNSET with their property, everything else a statement", () => {
  const kinds = splitStatements(
    [
      "SELECT * FROM s EMIT CHANGES;",
      "select * from t where k = 'EMIT CHANGES';",
      "SELECT * FROM w EMIT FINAL;",
      "PRINT 'plant.press' FROM BEGINNING;",
      "SET 'auto.offset.reset' = 'earliest';",
      "unset 'auto.offset.reset';",
      "SET 'odd' = 'it''s';",
      "CREATE STREAM s (a INT) WITH (KAFKA_TOPIC='s');",
      "/* why */ TERMINATE CSAS_X_1;",
    ].join("\n"),
  ).map((s) => (s.property === undefined ? s.kind : [s.kind, s.property]));
  assert.deepEqual(kinds, [
    "push",
    "pull",
    "push",
    "print",
    ["set", { name: "auto.offset.reset", value: "earliest" }],
    ["unset", { name: "auto.offset.reset" }],
    ["set", { name: "odd", value: "it's" }],
    "statement",
    "statement",
  ]);
});

test("offsetAt and lineColumnAt convert both ways and clamp to the text", () => {
  const text = "ab\ncde\nf";
  assert.equal(offsetAt(text, 1, 1), 0);
  assert.equal(offsetAt(text, 2, 3), 5);
  assert.equal(offsetAt(text, 3, 1), 7);
  assert.equal(offsetAt(text, 2, 99), 6, "a column past the line's end stops at its end");
  assert.equal(offsetAt(text, 9, 1), text.length);
  assert.deepEqual(lineColumnAt(text, 5), { line: 2, column: 3 });
  assert.deepEqual(lineColumnAt(text, 0), { line: 1, column: 1 });
});

test("errorRange maps the server's position in the statement sent onto the script and spans the word there", () => {
  const script = "SHOW STREAMS;\n\nCREATE STREAM y AS\n  SELECT BELT_SPED FROM CONVEYOR_READINGS;";
  const statement = splitStatements(script)[1]!;
  // The server counts lines within the statement it was sent: line 2 of the statement is line 4 of the script.
  const range = errorRange(script, statement, { line: 2, column: 10 });
  assert.equal(script.slice(range.from, range.to), "BELT_SPED");
  assert.deepEqual(lineColumnAt(script, range.from), { line: 4, column: 10 });
});

test("errorRange on the statement's first line adds the statement's own column; quoted names are one token", () => {
  const script = "SHOW TABLES;  SELECT `my col` FROM t;";
  const statement = splitStatements(script)[1]!;
  const range = errorRange(script, statement, { line: 1, column: 8 });
  assert.equal(script.slice(range.from, range.to), "`my col`");
});

test("errorRange marks the last character for an error at the end of input, and the statement without a position", () => {
  const script = "INSERT INTO m (a) VALUES (1";
  const statement = splitStatements(script)[0]!;
  const end = errorRange(script, statement, { line: 1, column: 28 });
  assert.deepEqual(end, { from: 26, to: 27 });
  assert.deepEqual(errorRange(script, statement, undefined), { from: 0, to: script.length });
});
