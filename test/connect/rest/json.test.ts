// The REST layer's JSON writer: bigints as exact digits, everything else as JSON.stringify writes it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { stringifyJson } from "../../../src/connect/rest/json.ts";

test("bigints are written as their digits, at any depth, beyond 2^53 and negative", () => {
  const value = {
    max: 18446744073709551615n,
    min: -9223372036854775808n,
    list: [1n, 2],
    nested: { ns: 9007199254740993n },
  };
  assert.equal(
    stringifyJson(value),
    '{"max":18446744073709551615,"min":-9223372036854775808,"list":[1,2],"nested":{"ns":9007199254740993}}',
  );
});

test("other values as JSON.stringify: dates as ISO strings, NaN as null, undefined fields left out", () => {
  const value = { at: new Date(0), nan: Number.NaN, gone: undefined, text: 'say "hi"' };
  assert.equal(stringifyJson(value), '{"at":"1970-01-01T00:00:00.000Z","nan":null,"text":"say \\"hi\\""}');
  assert.equal(stringifyJson(undefined), "null");
  assert.equal(stringifyJson(12n), "12");
});
