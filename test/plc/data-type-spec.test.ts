// Tests the shared `TYPE[n]` / `STRING(len)` grammar: good specs, and every error's column and expectation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type DataTypeSpec,
  formatDataTypeSpec,
  parseDataTypeSpec,
  parseElementCount,
} from "../../src/plc/data-type-spec.ts";
import { InvalidAddressError } from "../../src/plc/errors.ts";
import { DATA_TYPES } from "../../src/plc/values.ts";

const ALL_TYPES = DATA_TYPES.join(", ");

describe("parseDataTypeSpec", () => {
  const good: ReadonlyArray<readonly [string, DataTypeSpec]> = [
    ["REAL", { type: "REAL", count: 1 }],
    ["UINT[10]", { type: "UINT", count: 10 }],
    ["STRING(20)", { type: "STRING", count: 1, stringLength: 20 }],
    ["WSTRING(10)", { type: "WSTRING", count: 1, stringLength: 10 }],
    ["STRING(20)[4]", { type: "STRING", count: 4, stringLength: 20 }],
    ["STRING", { type: "STRING", count: 1 }],
    ["DATE_AND_TIME", { type: "DATE_AND_TIME", count: 1 }],
    ["BOOL[65535]", { type: "BOOL", count: 65535 }],
    ["INT[1]", { type: "INT", count: 1 }],
  ];
  for (const [text, expected] of good) {
    it(`parses ${text}`, () => {
      assert.deepEqual(parseDataTypeSpec(text), expected);
    });
  }

  it("parses every IEC type name", () => {
    for (const type of DATA_TYPES) assert.equal(parseDataTypeSpec(type).type, type);
  });

  it("parses a slice of a longer address and reports columns in the whole address", () => {
    assert.deepEqual(parseDataTypeSpec("RANDOM/x:DINT[3]", 9), { type: "DINT", count: 3 });
    assert.deepEqual(parseDataTypeSpec("a:REAL{x}", 2, 6), { type: "REAL", count: 1 });
    assert.throws(() => parseDataTypeSpec("holding-register:1:FOO", 19), {
      message: `holding-register:1:FOO: unknown data type 'FOO' at column 20; expected one of ${ALL_TYPES}`,
    });
  });

  const bad: ReadonlyArray<readonly [string, number, string]> = [
    ["", 1, `end of address at column 1; expected a data type, one of ${ALL_TYPES}`],
    ["[3]", 1, `'[' at column 1; expected a data type, one of ${ALL_TYPES}`],
    ["FOO", 1, `unknown data type 'FOO' at column 1; expected one of ${ALL_TYPES}`],
    ["real", 1, "unknown data type 'real' at column 1; expected 'REAL' (data types are upper case)"],
    [
      "INT(4)",
      4,
      "a length after INT at column 4; expected '[' or end of address (only STRING and WSTRING take a length)",
    ],
    ["STRING()", 8, "')' at column 8; expected a string length 1..65535"],
    ["STRING(0)", 8, "a string length 0 at column 8; expected a string length 1..65535"],
    ["STRING(70000)", 8, "a string length 70000 at column 8; expected a string length 1..65535"],
    ["STRING(20", 10, "end of address at column 10; expected ')'"],
    ["INT[0]", 5, "an element count 0 at column 5; expected an element count 1..65535"],
    ["INT[", 5, "end of address at column 5; expected an element count 1..65535"],
    ["INT[4", 6, "end of address at column 6; expected ']'"],
    ["INT[x]", 5, "'x' at column 5; expected an element count 1..65535"],
    ["INT x", 4, "' ' at column 4; expected '[' or end of address"],
    ["INT[2]x", 7, "'x' at column 7; expected end of address"],
    ["INT[2][3]", 7, "'[' at column 7; expected end of address"],
  ];
  for (const [text, column, message] of bad) {
    it(`rejects '${text}' at column ${column}`, () => {
      assert.throws(
        () => parseDataTypeSpec(text),
        (error: unknown) => {
          assert.ok(error instanceof InvalidAddressError);
          assert.equal(error.code, "INVALID_ADDRESS");
          assert.equal(error.column, column);
          assert.equal(error.message, `${text}: ${message}`);
          return true;
        },
      );
    });
  }

  it("restricts types and requires string lengths when the grammar says so", () => {
    const rules = { types: ["INT", "STRING"] as const, requireStringLength: true };
    assert.deepEqual(parseDataTypeSpec("STRING(4)", 0, 9, rules), { type: "STRING", count: 1, stringLength: 4 });
    assert.throws(() => parseDataTypeSpec("REAL", 0, 4, rules), {
      message: "REAL: unsupported data type 'REAL' at column 1; expected one of INT, STRING",
    });
    assert.throws(() => parseDataTypeSpec("STRING[2]", 0, 9, rules), {
      message:
        "STRING[2]: STRING without a length at column 7; expected '(' and a length in characters, e.g. STRING(20)",
    });
  });
});

describe("parseElementCount", () => {
  it("reads [n] that runs to the end", () => {
    assert.equal(parseElementCount("coil:1[12]", 6), 12);
  });
  it("rejects anything after ]", () => {
    assert.throws(() => parseElementCount("coil:1[12]x", 6), {
      message: "coil:1[12]x: 'x' at column 11; expected end of address",
    });
  });
});

describe("formatDataTypeSpec", () => {
  it("writes specs back the way addresses spell them", () => {
    for (const text of ["REAL", "UINT[10]", "STRING(20)", "STRING(20)[4]", "WSTRING(10)"]) {
      assert.equal(formatDataTypeSpec(parseDataTypeSpec(text)), text);
    }
  });
});
