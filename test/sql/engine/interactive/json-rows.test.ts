// Row values as ksqlDB's REST API writes them: every SQL type, NULL inside containers, exactness limits of BIGINT.
import assert from "node:assert/strict";
import { test } from "node:test";
import { jsonConverter, jsonRowConverter } from "../../../../src/sql/engine/interactive/json-rows.ts";
import { Decimal, parseTypeText, type SqlValue } from "../../../../src/sql/types/index.ts";

const json = (typeText: string, value: SqlValue) => jsonConverter(parseTypeText(typeText))(value);

test("primitives: numbers stay numbers, temporal types become ISO text, bytes base64", () => {
  assert.equal(json("BOOLEAN", true), true);
  assert.equal(json("INTEGER", -7), -7);
  assert.equal(json("BIGINT", 1_700_000_000_000n), 1_700_000_000_000);
  assert.equal(json("DOUBLE", 2.5), 2.5);
  assert.equal(json("DECIMAL(5,2)", Decimal.parse("123.45")), 123.45);
  assert.equal(json("STRING", "belt"), "belt");
  assert.equal(json("BYTES", Buffer.from([0, 1, 254, 255])), "AAH+/w==");
  assert.equal(json("DATE", 20_000), "2024-10-04");
  assert.equal(json("TIME", 3_723_004), "01:02:03.004");
  assert.equal(json("TIME", 3_720_000), "01:02");
  assert.equal(json("TIMESTAMP", 1_732_440_000_123), "2024-11-24T09:20:00.123");
});

test("NULL is null for every type", () => {
  for (const type of ["INTEGER", "BIGINT", "DOUBLE", "STRING", "ARRAY<INT>", "MAP<STRING, INT>", "STRUCT<A INT>"]) {
    assert.equal(json(type, null), null, type);
  }
});

test("BIGINT is a number while exact and a digit string beyond 2^53, in both directions", () => {
  assert.equal(json("BIGINT", 9_007_199_254_740_991n), 9_007_199_254_740_991);
  assert.equal(json("BIGINT", -9_007_199_254_740_991n), -9_007_199_254_740_991);
  assert.equal(json("BIGINT", 9_007_199_254_740_992n), "9007199254740992");
  assert.equal(json("BIGINT", -9_223_372_036_854_775_808n), "-9223372036854775808");
});

test("non-finite doubles are quoted as Java writes them, since JSON has no literal for them", () => {
  assert.equal(json("DOUBLE", Number.NaN), "NaN");
  assert.equal(json("DOUBLE", Number.POSITIVE_INFINITY), "Infinity");
  assert.equal(json("DOUBLE", Number.NEGATIVE_INFINITY), "-Infinity");
});

test("containers convert their members by type, NULL members kept", () => {
  assert.deepEqual(json("ARRAY<BIGINT>", [1n, null, 3n]), [1, null, 3]);
  assert.deepEqual(json("ARRAY<DATE>", [0]), ["1970-01-01"]);
  const map = new Map<SqlValue, SqlValue>([
    [1, 1_000n],
    [2, null],
  ]);
  assert.deepEqual(json("MAP<INT, BIGINT>", map), { "1": 1000, "2": null });
  assert.deepEqual(json("STRUCT<A INT, `b` STRUCT<C TIMESTAMP>>", { A: 1, b: { C: 0 } }), {
    A: 1,
    b: { C: "1970-01-01T00:00:00.000" },
  });
  // Every declared field appears, absent ones as null.
  assert.deepEqual(json("STRUCT<A INT, B STRING>", { A: 1 } as SqlValue), { A: 1, B: null });
});

test("a map key or struct field named __proto__ is data, not a prototype", () => {
  const out = json("MAP<STRING, INT>", new Map<SqlValue, SqlValue>([["__proto__", 1]])) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.deepEqual(Object.keys(out), ["__proto__"]);
  assert.equal(JSON.stringify(out), '{"__proto__":1}');
});

test("jsonRowConverter converts a row column by column and treats missing cells as NULL", () => {
  const convert = jsonRowConverter([parseTypeText("STRING"), parseTypeText("BIGINT"), parseTypeText("TIMESTAMP")]);
  assert.deepEqual(convert(["m1", 5n, 0]), ["m1", 5, "1970-01-01T00:00:00.000"]);
  assert.deepEqual(convert(["m1"]), ["m1", null, null]);
});
