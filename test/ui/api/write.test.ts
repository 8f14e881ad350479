// The value typed into the write dialog as the JSON the server takes: text for string tags, else booleans and numbers.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseWriteValue } from "../../../ui/src/api/write.ts";

test("numbers and booleans for other tags, what fits neither as text for the server to refuse with its reason", () => {
  assert.equal(parseWriteValue(" 172.5 ", "%DB1.DBD28:REAL"), 172.5);
  assert.equal(parseWriteValue("-3", "holding-register:1:INT"), -3);
  assert.equal(parseWriteValue("TRUE", "%I0.0"), true);
  assert.equal(parseWriteValue("false", "coil:1"), false);
  assert.equal(parseWriteValue("fast", "%DB1.DBD28:REAL"), "fast");
  assert.equal(parseWriteValue("   ", "%DB1.DBD28:REAL"), "   ");
});

test("a string tag takes the text as typed, digits and spaces included", () => {
  assert.equal(parseWriteValue("42", "holding-register:21:STRING(32)"), "42");
  assert.equal(parseWriteValue(" P-12 ", "STATE/program:STRING"), " P-12 ");
  assert.equal(parseWriteValue("true", "%DB1.DBB0:CHAR"), "true");
});
