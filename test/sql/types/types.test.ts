// The type model: ksqlDB spelling, validation, widening, common super types and type text.

import assert from "node:assert/strict";
import { test } from "node:test";
import { canWiden, commonSuperType, commonTypeOf, wideningCost } from "../../../src/sql/types/coercion.ts";
import { parseTypeText } from "../../../src/sql/types/type-text.ts";
import {
  arrayType,
  BIGINT,
  DOUBLE,
  decimalType,
  formatType,
  INTEGER,
  mapType,
  STRING,
  structType,
  TIMESTAMP,
  typesEqual,
} from "../../../src/sql/types/types.ts";

const t = parseTypeText;

test("types print in ksqlDB's spelling and read back", () => {
  const cases: [string, string][] = [
    ["int", "INTEGER"],
    ["VARCHAR", "STRING"],
    ["decimal(10,2)", "DECIMAL(10, 2)"],
    ["ARRAY<MAP<STRING, BIGINT>>", "ARRAY<MAP<STRING, BIGINT>>"],
    ["STRUCT<id INT, `name` STRING, `a b` ARRAY<DOUBLE>>", "STRUCT<ID INTEGER, `name` STRING, `a b` ARRAY<DOUBLE>>"],
    ["STRUCT<>", "STRUCT<>"],
  ];
  for (const [text, formatted] of cases) {
    assert.equal(formatType(t(text)), formatted);
    assert.ok(typesEqual(t(formatted), t(text)));
  }
});

test("malformed types are SQL_TYPE errors", () => {
  for (const bad of [
    "DECIMAL(0, 0)",
    "DECIMAL(39, 2)",
    "DECIMAL(4, 5)",
    "MAP<ARRAY<INT>, INT>",
    "FLOAT",
    "ARRAY<INT",
    "STRUCT<A INT, A INT>",
  ]) {
    assert.throws(() => t(bad), { code: "SQL_TYPE" }, bad);
  }
  // Type text goes through the KSQL parser: syntax errors say where, and STRUCT fields need their commas.
  assert.throws(() => t("STRUCT<A INT B INT>"), {
    code: "SQL_TYPE",
    message: `bad type "STRUCT<A INT B INT>": line 1:14: expected ',' or '>' but found 'B'`,
  });
  assert.throws(() => t("ARRAY<Reading>"), {
    code: "SQL_TYPE",
    message: `bad type "ARRAY<Reading>": unknown type READING`,
  });
  assert.throws(() => mapType(arrayType(INTEGER), STRING), { code: "SQL_TYPE" });
  assert.throws(
    () =>
      structType([
        { name: "A", type: INTEGER },
        { name: "A", type: STRING },
      ]),
    { code: "SQL_TYPE" },
  );
});

test("numbers widen INT → BIGINT → DECIMAL → DOUBLE and never back", () => {
  assert.ok(canWiden(INTEGER, BIGINT));
  assert.ok(canWiden(BIGINT, DOUBLE));
  assert.ok(canWiden(INTEGER, decimalType(10, 0)));
  assert.ok(!canWiden(INTEGER, decimalType(9, 0)), "INT needs 10 integer digits");
  assert.ok(canWiden(BIGINT, decimalType(21, 2)));
  assert.ok(!canWiden(BIGINT, decimalType(20, 2)));
  assert.ok(canWiden(decimalType(5, 2), decimalType(6, 3)));
  assert.ok(!canWiden(decimalType(5, 2), decimalType(5, 3)));
  assert.ok(canWiden(decimalType(38, 10), DOUBLE));
  assert.ok(!canWiden(DOUBLE, BIGINT));
  assert.ok(!canWiden(BIGINT, INTEGER));
  assert.ok(!canWiden(STRING, INTEGER));
  assert.ok(!canWiden(TIMESTAMP, BIGINT));
  assert.ok(canWiden(arrayType(INTEGER), arrayType(DOUBLE)));
  assert.ok(wideningCost(INTEGER, BIGINT) < wideningCost(INTEGER, DOUBLE));
  assert.equal(wideningCost(STRING, STRING), 0);
});

test("common super types serve CASE, COALESCE and ARRAY[...]", () => {
  assert.equal(commonSuperType(INTEGER, BIGINT), BIGINT);
  assert.equal(commonSuperType(BIGINT, DOUBLE), DOUBLE);
  assert.equal(formatType(commonSuperType(decimalType(5, 2), decimalType(4, 3))!), "DECIMAL(6, 3)");
  assert.equal(formatType(commonSuperType(INTEGER, decimalType(4, 2))!), "DECIMAL(12, 2)");
  assert.equal(formatType(commonSuperType(decimalType(38, 0), decimalType(38, 38))!), "DECIMAL(38, 38)");
  assert.equal(commonSuperType(STRING, INTEGER), null);
  assert.equal(formatType(commonSuperType(t("MAP<STRING, INT>"), t("MAP<STRING, BIGINT>"))!), "MAP<STRING, BIGINT>");
  assert.equal(formatType(commonSuperType(t("STRUCT<A INT>"), t("STRUCT<A DOUBLE>"))!), "STRUCT<A DOUBLE>");
  assert.equal(commonSuperType(t("STRUCT<A INT>"), t("STRUCT<B INT>")), null);
  assert.equal(commonTypeOf([null, INTEGER, null, BIGINT], "CASE"), BIGINT);
  assert.equal(commonTypeOf([null, null], "CASE"), null);
  assert.throws(
    () => commonTypeOf([INTEGER, STRING], "COALESCE"),
    (e: unknown) => {
      return e instanceof Error && "code" in e && e.code === "SQL_TYPE" && /COALESCE: STRING/.test(e.message);
    },
  );
});
