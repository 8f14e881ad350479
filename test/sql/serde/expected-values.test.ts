// The serde cases' expected-row reader: lenient about how a case file writes a value, exact about the value it means.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Decimal } from "../../../src/sql/types/decimal.ts";
import { parseJsonExact, toJsonText } from "../../../src/sql/types/json-value.ts";
import { parseIsoDate } from "../../../src/sql/types/temporal.ts";
import { parseTypeText } from "../../../src/sql/types/type-text.ts";
import type { SqlValue } from "../../../src/sql/types/values.ts";
import { canonical } from "./canonical.ts";
import { fromJsonValue } from "./expected-values.ts";

const t = parseTypeText;

test("reads big integers and decimal text exactly, epoch millis, ISO dates and struct keys in any case", () => {
  const row = t("STRUCT<ID BIGINT, AMOUNT DECIMAL(20, 2), TS TIMESTAMP, TAGS MAP<STRING, INT>, D DATE>");
  const value = fromJsonValue(
    parseJsonExact(
      '{"id": 9007199254740993, "amount": "123456789012345678.91", "ts": 1625055519446, "tags": {"a": 1}, "d": "2021-10-11"}',
    ),
    row,
  );
  assert.deepEqual(
    canonical([value]),
    canonical([
      {
        ID: 9007199254740993n,
        AMOUNT: Decimal.parse("123456789012345678.91"),
        TS: 1625055519446,
        TAGS: new Map<SqlValue, SqlValue>([["a", 1]]),
        D: parseIsoDate("2021-10-11"),
      },
    ]),
  );
  assert.equal(
    toJsonText(value, row),
    '{"ID":9007199254740993,"AMOUNT":123456789012345678.91,"TS":"2021-06-30T12:18:39.446","TAGS":{"a":1},"D":"2021-10-11"}',
  );
});

test("a value that does not fit its type fails with SQL_CAST", () => {
  assert.throws(() => fromJsonValue("abc", t("INT")), { code: "SQL_CAST" });
  assert.throws(() => fromJsonValue([1], t("MAP<STRING, INT>")), { code: "SQL_CAST" });
});

test("a STRUCT field named __proto__ read from JSON is an ordinary field, never the object's prototype", () => {
  const type = t("STRUCT<`__proto__` INT, b INT>");
  const value = fromJsonValue(parseJsonExact('{"__proto__": 5, "b": 6}'), type) as Record<string, SqlValue>;
  assert.deepEqual(Object.keys(value), ["__proto__", "B"]);
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(value, "__proto__")?.value, 5);
});
