// Runtime values: decimals, CAST, Java-style text, exact JSON text and the changelog state codec.

import assert from "node:assert/strict";
import { test } from "node:test";
import { canCast, castValue } from "../../../src/sql/types/cast.ts";
import { Decimal } from "../../../src/sql/types/decimal.ts";
import { parseJsonExact, stringifyJson, toJsonText } from "../../../src/sql/types/json-value.ts";
import { type StateValue, stateFromJson, stateToJson } from "../../../src/sql/types/state-codec.ts";
import { formatIsoTime, parseIsoDate, parseIsoTimestamp } from "../../../src/sql/types/temporal.ts";
import { parseTypeText } from "../../../src/sql/types/type-text.ts";
import { formatDouble } from "../../../src/sql/types/value-text.ts";
import { compareValues, type SqlValue, valueKey, valuesEqual } from "../../../src/sql/types/values.ts";

const t = parseTypeText;

test("Decimal parses, prints, rounds and compares exactly", () => {
  assert.equal(Decimal.parse("-12.340").toString(), "-12.340");
  assert.equal(Decimal.parse("1e3").toString(), "1000");
  assert.equal(Decimal.parse(".5").toString(), "0.5");
  assert.equal(Decimal.parse("0.001").precision(), 1);
  assert.equal(Decimal.parse("2.5").setScale(0, "HALF_UP").toString(), "3");
  assert.equal(Decimal.parse("-2.5").setScale(0, "HALF_UP").toString(), "-3");
  assert.equal(Decimal.parse("-2.5").setScale(0, "HALF_CEILING").toString(), "-2");
  assert.equal(Decimal.parse("-2.1").setScale(0, "FLOOR").toString(), "-3");
  assert.equal(Decimal.parse("0.1").add(Decimal.parse("0.2")).toString(), "0.3");
  assert.ok(Decimal.parse("1.0").equals(Decimal.parse("1.00")));
  assert.equal(Decimal.parse("99999999999999999999.5").compareTo(Decimal.parse("99999999999999999999.49")), 1);
  assert.throws(() => Decimal.parse("1.2.3"), { code: "SQL_CAST" });
  assert.throws(() => Decimal.parse(""), { code: "SQL_CAST" });
});

test("CAST follows ksqlDB's rules", () => {
  const cast = (value: SqlValue, from: string, to: string) => castValue(value, t(from), t(to));
  assert.equal(cast(null, "STRING", "INT"), null);
  assert.equal(cast(" 42 ", "STRING", "INT"), 42);
  assert.equal(cast("9223372036854775807", "STRING", "BIGINT"), 9223372036854775807n);
  assert.throws(() => cast("9223372036854775808", "STRING", "BIGINT"), { code: "SQL_CAST" });
  assert.throws(() => cast("abc", "STRING", "INT"), { code: "SQL_CAST" });
  assert.throws(() => cast("1.5", "STRING", "INT"), { code: "SQL_CAST" });
  assert.equal(cast("TrUe", "STRING", "BOOLEAN"), true);
  assert.equal(cast("yes", "STRING", "BOOLEAN"), false);
  assert.equal(cast("1e3", "STRING", "DOUBLE"), 1000);
  assert.equal((cast("1.005", "STRING", "DECIMAL(4, 2)") as Decimal).toString(), "1.01");
  assert.throws(() => cast("123.4", "STRING", "DECIMAL(4, 2)"), { code: "SQL_CAST" });
  assert.equal(cast(3.99, "DOUBLE", "INT"), 3);
  assert.equal(cast(-3.99, "DOUBLE", "BIGINT"), -3n);
  assert.equal(cast(1e20, "DOUBLE", "INT"), 2147483647);
  assert.equal(cast(Number.NaN, "DOUBLE", "BIGINT"), 0n);
  assert.equal(cast(4294967297n, "BIGINT", "INT"), 1, "keeps the low 32 bits like Java");
  assert.equal(cast(7, "INT", "BIGINT"), 7n);
  assert.equal((cast(7, "INT", "DECIMAL(5, 2)") as Decimal).toString(), "7.00");
  assert.equal((cast(0.125, "DOUBLE", "DECIMAL(4, 2)") as Decimal).toString(), "0.13");
  assert.equal(cast(Decimal.parse("-7.9"), "DECIMAL(2, 1)", "INT"), -7);
  assert.equal(cast(1.0, "DOUBLE", "STRING"), "1.0");
  assert.equal(cast(12345678.9, "DOUBLE", "STRING"), "1.23456789E7");
  assert.equal(cast(Decimal.parse("1.50"), "DECIMAL(3, 2)", "STRING"), "1.50");
  assert.equal(cast(parseIsoTimestamp("2021-06-30T12:18:39.446Z"), "TIMESTAMP", "STRING"), "2021-06-30T12:18:39.446");
  assert.equal(cast(parseIsoTimestamp("2021-06-30T12:18:39.446Z"), "TIMESTAMP", "DATE"), parseIsoDate("2021-06-30"));
  assert.equal(cast(parseIsoTimestamp("1969-12-31T23:00:00Z"), "TIMESTAMP", "TIME"), 23 * 3_600_000);
  assert.equal(cast(parseIsoDate("1969-12-31"), "DATE", "TIMESTAMP"), -86_400_000);
  assert.equal(cast("2021-06-30T12:00:00+02:00", "STRING", "TIMESTAMP"), parseIsoTimestamp("2021-06-30T10:00:00Z"));
  assert.throws(() => cast("2021-02-30", "STRING", "DATE"), { code: "SQL_CAST" });
  assert.equal(cast("23:59:59.5", "STRING", "TIME"), 86_399_500);
  assert.deepEqual(cast([1, null], "ARRAY<INT>", "ARRAY<STRING>"), ["1", null]);
  assert.deepEqual(
    cast(new Map<SqlValue, SqlValue>([["a", 1]]), "MAP<STRING, INT>", "MAP<STRING, BIGINT>"),
    new Map([["a", 1n]]),
  );
  assert.deepEqual(cast({ A: 1, B: "x" }, "STRUCT<A INT, B STRING>", "STRUCT<A BIGINT, C STRING>"), { A: 1n, C: null });
  assert.equal(cast([1, 2], "ARRAY<INT>", "STRING"), "[1, 2]");
  assert.ok(!canCast(t("BYTES"), t("STRING")));
  assert.ok(!canCast(t("BOOLEAN"), t("INT")));
  assert.ok(!canCast(t("TIME"), t("TIMESTAMP")));
  assert.throws(() => castValue(true, t("BOOLEAN"), t("INT")), { code: "SQL_CAST" });
});

test("doubles print as Java does", () => {
  const cases: [number, string][] = [
    [1, "1.0"],
    [0.001, "0.001"],
    [0.0001, "1.0E-4"],
    [1e7, "1.0E7"],
    [1234567.5, "1234567.5"],
    [-0, "-0.0"],
    [Number.NaN, "NaN"],
    [Number.NEGATIVE_INFINITY, "-Infinity"],
    [1.5e300, "1.5E300"],
  ];
  for (const [value, text] of cases) assert.equal(formatDouble(value), text);
  assert.equal(formatIsoTime(45_296_789), "12:34:56.789");
  assert.equal(formatIsoTime(45_240_000), "12:34");
});

test("JSON keeps 64-bit integers and decimals exact", () => {
  const parsed = parseJsonExact('{"id": 9223372036854775807, "small": 42, "x": 1.5, "neg": -9007199254740993}');
  assert.deepEqual(parsed, { id: 9223372036854775807n, small: 42, x: 1.5, neg: -9007199254740993n });
  assert.equal(stringifyJson(parsed), '{"id":9223372036854775807,"small":42,"x":1.5,"neg":-9007199254740993}');
  const row = t("STRUCT<ID BIGINT, AMOUNT DECIMAL(20, 2), TS TIMESTAMP, TAGS MAP<STRING, INT>, D DATE>");
  const value: SqlValue = {
    ID: 9007199254740993n,
    AMOUNT: Decimal.parse("123456789012345678.91"),
    TS: 1625055519446,
    TAGS: new Map<SqlValue, SqlValue>([["a", 1]]),
    D: parseIsoDate("2021-10-11"),
  };
  assert.equal(
    toJsonText(value, row),
    '{"ID":9007199254740993,"AMOUNT":123456789012345678.91,"TS":"2021-06-30T12:18:39.446","TAGS":{"a":1},"D":"2021-10-11"}',
  );
});

test("aggregate state survives the changelog codec exactly", () => {
  const state: StateValue = {
    count: 3,
    sum: 9223372036854775807n,
    total: Decimal.parse("0.30"),
    bytes: Buffer.from([0, 255]),
    seen: new Set(["a", "b"]),
    histogram: new Map<StateValue, StateValue>([
      ["x", 2],
      [5n, null],
    ]),
    weird: { $bigint: "not a tag" },
    list: [Number.NaN, Number.POSITIVE_INFINITY, null, [true]],
  };
  const back = stateFromJson(stateToJson(state)) as Record<string, StateValue>;
  assert.equal(back.sum, 9223372036854775807n);
  assert.equal((back.total as Decimal).toString(), "0.30");
  assert.deepEqual([...(back.bytes as Uint8Array)], [0, 255]);
  assert.deepEqual(back.seen, new Set(["a", "b"]));
  assert.deepEqual(
    back.histogram,
    new Map<StateValue, StateValue>([
      ["x", 2],
      [5n, null],
    ]),
  );
  assert.deepEqual(back.weird, { $bigint: "not a tag" });
  assert.deepEqual(back.list, [Number.NaN, Number.POSITIVE_INFINITY, null, [true]]);
  assert.throws(() => stateFromJson('{"$nope": 1}'), { code: "SQL_EVAL" });
});

test("value equality, ordering and keys agree", () => {
  assert.ok(valuesEqual(Decimal.parse("1.0"), Decimal.parse("1.00")));
  assert.equal(valueKey(Decimal.parse("1.0")), valueKey(Decimal.parse("1.00")));
  assert.ok(valuesEqual(Number.NaN, Number.NaN));
  assert.ok(!valuesEqual(1, 1n));
  assert.notEqual(valueKey(1), valueKey(1n));
  assert.ok(
    valuesEqual(
      [1, { A: new Map<SqlValue, SqlValue>([["k", "v"]]) }],
      [1, { A: new Map<SqlValue, SqlValue>([["k", "v"]]) }],
    ),
  );
  assert.ok(compareValues("Z", "a") < 0);
  assert.ok(compareValues(false, true) < 0);
  assert.ok(compareValues(9007199254740993n, 9007199254740992n) > 0);
  assert.ok(compareValues(Number.NaN, Number.POSITIVE_INFINITY) > 0);
});
