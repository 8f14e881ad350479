// Tests record JSON: 64-bit integers exact both ways, floats kept apart from integers, escaping, and typed failures.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  decodeJson,
  encodeJson,
  JsonDecodeError,
  JsonEncodeError,
  type JsonValue,
} from "../../../src/connect/records/index.ts";

const U64_MAX = 18446744073709551615n;
const I64_MIN = -9223372036854775808n;
const TWO_53_PLUS_1 = 9007199254740993n;

function roundTrip(value: JsonValue): unknown {
  return decodeJson(encodeJson(value));
}

describe("encodeJson", () => {
  it("writes bigints as bare integers with every digit", () => {
    assert.equal(encodeJson(U64_MAX), "18446744073709551615");
    assert.equal(encodeJson(I64_MIN), "-9223372036854775808");
    assert.equal(encodeJson({ n: TWO_53_PLUS_1 }), '{"n":9007199254740993}');
  });

  it("writes compact JSON with properties in insertion order, leaving undefined properties out", () => {
    assert.equal(
      encodeJson({ b: 1, a: [true, false, null], c: undefined, d: { e: "x" } }),
      '{"b":1,"a":[true,false,null],"d":{"e":"x"}}',
    );
    assert.equal(encodeJson([]), "[]");
    assert.equal(encodeJson({}), "{}");
  });

  it("writes integral floats beyond 2^53 in exponent form so they stay numbers", () => {
    assert.equal(encodeJson(1e20), "1e+20");
    assert.equal(encodeJson(2 ** 53), "9.007199254740992e+15");
    assert.equal(encodeJson(-(2 ** 60)), "-1.152921504606847e+18");
    assert.equal(encodeJson(Number.MAX_SAFE_INTEGER), "9007199254740991");
    assert.equal(encodeJson(0.1), "0.1");
    assert.equal(encodeJson(-0), "0");
  });

  it("escapes quotes, backslashes, control characters and lone surrogates; keeps other unicode as is", () => {
    assert.equal(encodeJson('"\\\u0000\u0001\u001f\b\f\n\r\t'), '"\\"\\\\\\u0000\\u0001\\u001f\\b\\f\\n\\r\\t"');
    assert.equal(encodeJson("Ä😀\u2028"), '"Ä😀\u2028"');
    assert.equal(encodeJson("\ud800x"), '"\\ud800x"');
    assert.equal(encodeJson({ 'k"\n': 1 }), '{"k\\"\\n":1}');
  });

  it("refuses NaN and ±Infinity, saying where they are", () => {
    for (const [value, found, path] of [
      [{ tags: { speed: [1, Number.NaN] } }, "NaN", "$.tags.speed[1]"],
      [[Number.POSITIVE_INFINITY], "Infinity", "$[0]"],
      [{ "a b": Number.NEGATIVE_INFINITY }, "-Infinity", '$["a b"]'],
    ] as const) {
      assert.throws(
        () => encodeJson(value),
        (error: unknown) => {
          assert.ok(error instanceof JsonEncodeError);
          assert.equal(error.code, "JSON_UNENCODABLE");
          assert.equal(error.path, path);
          assert.equal(error.found, found);
          assert.match(error.message, new RegExp(`cannot write ${found} at ${path.replace(/[[\]$.]/g, "\\$&")}`));
          return true;
        },
      );
    }
  });

  it("refuses what is not JSON data: undefined in an array, class instances, functions", () => {
    const cases: [unknown, string, string][] = [
      [[1, undefined], "$[1]", "undefined"],
      [{ at: new Date(0) }, "$.at", "an instance of Date"],
      [{ m: new Map() }, "$.m", "an instance of Map"],
      [{ f: () => 1 }, "$.f", "a function"],
    ];
    for (const [value, path, found] of cases) {
      assert.throws(
        () => encodeJson(value as JsonValue),
        (error: unknown) => error instanceof JsonEncodeError && error.path === path && error.found === found,
      );
    }
  });

  it("writes objects without a prototype like plain ones", () => {
    const object: Record<string, JsonValue> = Object.create(null);
    object.x = 1;
    assert.equal(encodeJson(object), '{"x":1}');
  });
});

describe("decodeJson", () => {
  it("gives integers beyond ±(2^53-1) back as exact bigints", () => {
    assert.equal(roundTrip(U64_MAX), U64_MAX);
    assert.equal(roundTrip(I64_MIN), I64_MIN);
    assert.equal(roundTrip(TWO_53_PLUS_1), TWO_53_PLUS_1);
    assert.equal(roundTrip(-TWO_53_PLUS_1), -TWO_53_PLUS_1);
    assert.equal(decodeJson("9007199254740992"), 9007199254740992n);
    assert.equal(decodeJson("123456789012345678901234567890"), 123456789012345678901234567890n);
  });

  it("gives integers within ±(2^53-1), fractions and exponent forms back as numbers", () => {
    assert.equal(roundTrip(9007199254740991n), 9007199254740991);
    assert.equal(roundTrip(-9007199254740991n), -9007199254740991);
    assert.equal(roundTrip(5n), 5);
    assert.equal(roundTrip(1e20), 1e20);
    assert.equal(roundTrip(2 ** 53), 2 ** 53);
    assert.equal(roundTrip(-1.5e-7), -1.5e-7);
    assert.equal(decodeJson("12345678901234567890.5"), 12345678901234567000);
    assert.equal(decodeJson("1e2"), 100);
  });

  it("round-trips strings, booleans, null, arrays and nested objects", () => {
    const value = { s: 'Ä "mix"\n\u0001\t😀\ud800', b: [true, false], n: null, o: { big: [U64_MAX, 1] } };
    assert.deepEqual(roundTrip(value), value);
  });

  it("keeps `__proto__` an ordinary key", () => {
    const decoded = decodeJson('{"__proto__":{"x":1}}') as Record<string, unknown>;
    assert.deepEqual(Object.keys(decoded), ["__proto__"]);
    assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
  });

  it("fails with JsonDecodeError on text that is not JSON, or numbers no value carries", () => {
    for (const text of ["{", "", "[1,]", "NaN", "'a'", "1e400", "[-1e400]"]) {
      assert.throws(
        () => decodeJson(text),
        (error: unknown) => error instanceof JsonDecodeError && error.code === "JSON_INVALID",
        text,
      );
    }
    assert.throws(() => decodeJson("1e400"), /not valid JSON: the number 1e400 is out of range/);
  });
});
