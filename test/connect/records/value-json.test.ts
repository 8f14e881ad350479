// Tests how every kind of PLC value maps to record JSON, and that each survives encodeJson → decodeJson.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeJson, encodeJson, plcValueToJson } from "../../../src/connect/records/index.ts";
import type { PlcValue } from "../../../src/plc/index.ts";

/** [PLC value, its JSON text, what decodeJson gives back] */
const KINDS: [string, PlcValue, string, unknown][] = [
  ["BOOL", true, "true", true],
  ["INT", -32768, "-32768", -32768],
  ["REAL", 21.5, "21.5", 21.5],
  ["LREAL", 1e20, "1e+20", 1e20],
  ["ULINT max", 18446744073709551615n, "18446744073709551615", 18446744073709551615n],
  ["LINT min", -9223372036854775808n, "-9223372036854775808", -9223372036854775808n],
  ["LINT 2^53+1", 9007199254740993n, "9007199254740993", 9007199254740993n],
  ["LINT small", 42n, "42", 42],
  ["STRING", 'a"b\\c\n', '"a\\"b\\\\c\\n"', 'a"b\\c\n'],
  ["WSTRING", "Grüße 😀", '"Grüße 😀"', "Grüße 😀"],
  ["TIME", { ms: -1500 }, "-1500", -1500],
  ["TIME_OF_DAY", { ms: 43200000 }, "43200000", 43200000],
  ["LTIME", { ns: 9223372036854775807n }, "9223372036854775807", 9223372036854775807n],
  ["LTIME small", { ns: 1500000n }, "1500000", 1500000],
  ["DATE", new Date(Date.UTC(2024, 2, 1)), '"2024-03-01T00:00:00.000Z"', "2024-03-01T00:00:00.000Z"],
  [
    "DATE_AND_TIME",
    new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 123)),
    '"1999-12-31T23:59:59.123Z"',
    "1999-12-31T23:59:59.123Z",
  ],
  ["BOOL[]", [true, false], "[true,false]", [true, false]],
  ["LINT[]", [1n, -9223372036854775808n], "[1,-9223372036854775808]", [1, -9223372036854775808n]],
  ["TIME[]", [{ ms: 1 }, { ms: 2 }], "[1,2]", [1, 2]],
  ["STRING[0]", [], "[]", []],
];

describe("plcValueToJson", () => {
  for (const [kind, value, text, decoded] of KINDS) {
    it(`maps ${kind} and round-trips it`, () => {
      const mapped = plcValueToJson(value);
      assert.equal(mapped.nonFinite, undefined);
      const written = encodeJson(mapped.json);
      assert.equal(written, text);
      assert.deepEqual(decodeJson(written), decoded);
    });
  }

  it("maps NaN and ±Infinity to null and says which", () => {
    assert.deepEqual(plcValueToJson(Number.NaN), { json: null, nonFinite: "NaN" });
    assert.deepEqual(plcValueToJson(Number.POSITIVE_INFINITY), { json: null, nonFinite: "Infinity" });
    assert.deepEqual(plcValueToJson(Number.NEGATIVE_INFINITY), { json: null, nonFinite: "-Infinity" });
    assert.deepEqual(plcValueToJson({ ms: Number.NaN }), { json: null, nonFinite: "NaN" });
    assert.deepEqual(plcValueToJson(new Date(Number.NaN)), { json: null, nonFinite: "NaN" });
  });

  it("marks non-finite array elements by position and keeps the finite ones", () => {
    const mapped = plcValueToJson([Number.NaN, 2.5, Number.POSITIVE_INFINITY]);
    assert.deepEqual(mapped, { json: [null, 2.5, null], nonFinite: ["NaN", null, "Infinity"] });
    assert.equal(encodeJson(mapped.json), "[null,2.5,null]");
  });
});
