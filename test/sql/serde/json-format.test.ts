// The JSON format's fast path: which records need the exact (bigint-keeping) parse, and that both paths agree.

import assert from "node:assert/strict";
import { test } from "node:test";
import { createSerde } from "../../../src/sql/serde/index.ts";
import { hasLongDigitRun } from "../../../src/sql/serde/json-format.ts";
import { parseTypeText } from "../../../src/sql/types/type-text.ts";
import { seededRandom } from "../../support/random.ts";

test("a run of 16 digits is found wherever it lies; 15 are not enough", () => {
  const digits16 = "1234567890123456";
  for (let before = 0; before < 40; before++) {
    const text = `${"x".repeat(before)}${digits16}"`;
    assert.equal(hasLongDigitRun(text), true, `16 digits after ${before} characters`);
    assert.equal(hasLongDigitRun(text.replace("6", "")), false, `15 digits after ${before} characters`);
  }
  assert.equal(hasLongDigitRun(""), false);
  assert.equal(hasLongDigitRun("123456789012345.1234567890123"), false, "a dot breaks the run");
});

test("the strided scan agrees with /\\d{16}/ on seeded random texts of digits and punctuation", () => {
  const random = seededRandom(16);
  const alphabet = '0123456789012345678901234567890123456789.,:"e-';
  for (let round = 0; round < 5000; round++) {
    const length = Math.floor(random() * 80);
    let text = "";
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
    assert.equal(hasLongDigitRun(text), /\d{16}/.test(text), JSON.stringify(text));
  }
});

test("integers beyond 2^53 are decoded exactly wherever they sit in the record", () => {
  const serde = createSerde("JSON", [{ name: "N", type: parseTypeText("BIGINT") }], { role: "value" });
  for (let pad = 0; pad < 20; pad++) {
    const row = serde.decode(Buffer.from(`{"P":"${"p".repeat(pad)}","N":-9007199254740993}`));
    assert.deepEqual(row, [-9007199254740993n], `padding ${pad}`);
  }
});

test("a bare STRING key reads the same through the quoted-ASCII shortcut as through JSON.parse", () => {
  const key = createSerde("JSON", [{ name: "ID", type: parseTypeText("STRING") }], { role: "key" });
  const cases: [string, string][] = [
    ['"sensor-00042"', "sensor-00042"],
    ['""', ""],
    ['"tab\\tand \\"quote\\""', 'tab\tand "quote"'],
    ['"caf\u00e9"', "caf\u00e9"],
    ["42", "42"],
    ['{"a":1}', '{"a":1}'],
  ];
  for (const [text, expected] of cases) assert.deepEqual(key.decode(Buffer.from(text)), [expected], text);
  for (const bad of ['"', '"open', '"a"b"']) {
    assert.throws(() => key.decode(Buffer.from(bad)), { code: "SQL_SERDE" }, bad);
  }
});

test("DOUBLE values are written as Java prints them, inside and outside Java's plain-notation range [1e-3, 1e7)", () => {
  const serde = createSerde("JSON", [{ name: "D", type: parseTypeText("DOUBLE") }], { role: "value" });
  const cases: [number, string][] = [
    [55.12, "55.12"],
    [50, "50.0"],
    [-0.001, "-0.001"],
    [0.000999, "9.99E-4"],
    [9999999.5, "9999999.5"],
    [1e7, "1.0E7"],
    [-2.5e-7, "-2.5E-7"],
    [0, "0.0"],
    [Number.NaN, '"NaN"'],
  ];
  for (const [value, text] of cases) {
    assert.equal(Buffer.from(serde.encode([value])!).toString(), `{"D":${text}}`, String(value));
  }
});
