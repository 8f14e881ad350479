// createSerde's choices that are not about one record: format names, schemas a format refuses, options.

import assert from "node:assert/strict";
import { test } from "node:test";
import { createSerde, type SerdeColumn, SqlSerdeError } from "../../../src/sql/serde/index.ts";
import { parseTypeText } from "../../../src/sql/types/type-text.ts";

function columns(...specs: [string, string][]): SerdeColumn[] {
  return specs.map(([name, type]) => ({ name, type: parseTypeText(type) }));
}

function schemaError(path: string, fragment: string) {
  return (error: unknown) => {
    assert.ok(error instanceof SqlSerdeError);
    assert.equal(error.code, "SQL_SERDE_SCHEMA");
    assert.equal(error.path, path);
    assert.ok(error.problem.includes(fragment), error.problem);
    return true;
  };
}

test("format names are case-insensitive, as in WITH (VALUE_FORMAT='json')", () => {
  const serde = createSerde("json", columns(["A", "INT"]), { role: "value" });
  assert.equal(serde.format, "JSON");
  assert.deepEqual(serde.decode(Buffer.from('{"a":1}')), [1]);
});

test("an unknown format lists the known ones", () => {
  assert.throws(
    () => createSerde("AVRO", columns(["A", "INT"]), { role: "value" }),
    schemaError("AVRO", "expected one of JSON, KAFKA, DELIMITED, NONE"),
  );
});

test("KAFKA carries exactly one column of INT, BIGINT, DOUBLE, STRING or BYTES", () => {
  assert.throws(
    () => createSerde("KAFKA", columns(["A", "INT"], ["B", "INT"]), { role: "key" }),
    schemaError("key", "exactly one column, got 2"),
  );
  for (const type of ["BOOLEAN", "DECIMAL(4, 2)", "TIMESTAMP", "ARRAY<INT>"]) {
    assert.throws(
      () => createSerde("KAFKA", columns(["A", type]), { role: "value" }),
      schemaError("value.A", `cannot carry ${parseTypeText(type).kind}`),
    );
  }
});

test("DELIMITED refuses nested types and bad delimiters, takes TAB and SPACE by name", () => {
  assert.throws(
    () => createSerde("DELIMITED", columns(["A", "INT"], ["S", "STRUCT<X INT>"]), { role: "value" }),
    schemaError("value.S", "cannot carry STRUCT<X INTEGER>"),
  );
  assert.throws(
    () => createSerde("DELIMITED", columns(["A", "INT"]), { role: "value", delimiter: "::" }),
    schemaError("value", "delimiter must be one character"),
  );
  assert.throws(
    () => createSerde("DELIMITED", columns(["A", "INT"]), { role: "value", delimiter: '"' }),
    schemaError("value", "delimiter must be one character"),
  );
  const spaced = createSerde("DELIMITED", columns(["A", "INT"], ["B", "STRING"]), {
    role: "value",
    delimiter: "space",
  });
  assert.deepEqual(spaced.decode(Buffer.from("1 x")), [1, "x"]);
  assert.equal(Buffer.from(spaced.encode([2, "a b"])!).toString(), '2 "a b"');
  const piped = createSerde("DELIMITED", columns(["A", "INT"], ["B", "STRING"]), { role: "value", delimiter: "|" });
  assert.deepEqual(piped.decode(Buffer.from("1|a,b")), [1, "a,b"]);
});

test("NONE is a key format without columns that ignores the key's bytes", () => {
  const none = createSerde("NONE", [], { role: "key" });
  assert.deepEqual(none.decode(Buffer.from("anything")), []);
  assert.deepEqual(none.decode(null), []);
  assert.equal(none.encode([]), null);
  assert.throws(() => createSerde("NONE", [], { role: "value" }), schemaError("NONE", "only be a KEY_FORMAT"));
  assert.throws(
    () => createSerde("NONE", columns(["K", "INT"]), { role: "key" }),
    schemaError("NONE", "no key columns"),
  );
});

test("WRAP_SINGLE_VALUE=false needs a single value column; keys ignore it", () => {
  assert.throws(
    () => createSerde("JSON", columns(["A", "INT"], ["B", "INT"]), { role: "value", wrapSingleValue: false }),
    schemaError("value", "exactly one value column"),
  );
  const key = createSerde("JSON", columns(["K", "INT"]), { role: "key", wrapSingleValue: true });
  assert.equal(Buffer.from(key.encode([7])!).toString(), "7");
});

test("a null row is written as null bytes by every format", () => {
  for (const format of ["JSON", "KAFKA", "DELIMITED"]) {
    assert.equal(createSerde(format, columns(["A", "INT"]), { role: "value" }).encode(null), null, format);
  }
});

test("a decoded BYTES value does not alias the record's buffer", () => {
  const serde = createSerde("KAFKA", columns(["B", "BYTES"]), { role: "value" });
  const input = Buffer.from([1, 2, 3]);
  const row = serde.decode(input)!;
  input[0] = 9;
  assert.deepEqual([...(row[0] as Uint8Array)], [1, 2, 3]);
});

test("STRUCT fields named like Object's own properties are ordinary fields, NULL when absent", () => {
  const serde = createSerde("JSON", columns(["S", "STRUCT<`__proto__` INT, `constructor` STRING>"]), { role: "value" });
  const text = '{"S":{"__proto__":1,"constructor":"x"}}';
  const row = serde.decode(Buffer.from(text))!;
  assert.deepEqual(Object.entries(row[0] as object), [
    ["__proto__", 1],
    ["constructor", "x"],
  ]);
  assert.equal(Object.getPrototypeOf(row[0]), Object.prototype);
  assert.equal(Buffer.from(serde.encode(row)!).toString(), text);
  const empty = serde.decode(Buffer.from('{"S":{}}'))!;
  assert.deepEqual(Object.entries(empty[0] as object), [
    ["__proto__", null],
    ["constructor", null],
  ]);
});
