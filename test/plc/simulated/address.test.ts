// Tests the simulated driver's tag grammar `{RANDOM|STATE|STDOUT}/{name}[:{type}]` and its errors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidAddressError } from "../../../src/plc/errors.ts";
import { parseSimulatedAddress, type SimulatedAddress } from "../../../src/plc/simulated/address.ts";

describe("parseSimulatedAddress", () => {
  const good: ReadonlyArray<readonly [string, SimulatedAddress]> = [
    ["RANDOM/foo:INT", { kind: "RANDOM", name: "foo", spec: { type: "INT", count: 1 } }],
    ["RANDOM/foo:UDINT", { kind: "RANDOM", name: "foo", spec: { type: "UDINT", count: 1 } }],
    [
      "RANDOM/device1.machineA.sensor1:UINT",
      { kind: "RANDOM", name: "device1.machineA.sensor1", spec: { type: "UINT", count: 1 } },
    ],
    [
      "RANDOM/device1.machineA.sensor1:STRING",
      { kind: "RANDOM", name: "device1.machineA.sensor1", spec: { type: "STRING", count: 1, stringLength: 254 } },
    ],
    [
      "STATE/device1.machineA.sensor1:INT",
      { kind: "STATE", name: "device1.machineA.sensor1", spec: { type: "INT", count: 1 } },
    ],
    [
      "STDOUT/device1.machineA.sensor1:INT",
      { kind: "STDOUT", name: "device1.machineA.sensor1", spec: { type: "INT", count: 1 } },
    ],
    ["STATE/arr:INT[4]", { kind: "STATE", name: "arr", spec: { type: "INT", count: 4 } }],
    ["STATE/s:STRING(8)[2]", { kind: "STATE", name: "s", spec: { type: "STRING", count: 2, stringLength: 8 } }],
    ["STATE/w:WSTRING", { kind: "STATE", name: "w", spec: { type: "WSTRING", count: 1, stringLength: 254 } }],
    ["RANDOM/Running:Boolean", { kind: "RANDOM", name: "Running", spec: { type: "BOOL", count: 1 } }],
    ["RANDOM/Boxes:Integer", { kind: "RANDOM", name: "Boxes", spec: { type: "DINT", count: 1 } }],
    ["STATE/Counts:Long[3]", { kind: "STATE", name: "Counts", spec: { type: "LINT", count: 3 } }],
    ["RANDOM/T:String", { kind: "RANDOM", name: "T", spec: { type: "STRING", count: 1, stringLength: 254 } }],
    [
      "STATE/no_type-here",
      { kind: "STATE", name: "no_type-here", spec: { type: "STRING", count: 1, stringLength: 254 } },
    ],
  ];
  for (const [text, expected] of good) {
    it(`parses ${text}`, () => {
      assert.deepEqual(parseSimulatedAddress(text), expected);
    });
  }

  const bad: ReadonlyArray<readonly [string, string]> = [
    ["FOO/x:INT", "FOO/x:INT: unknown simulation type 'FOO' at column 1; expected one of RANDOM, STATE, STDOUT"],
    [
      "random/x:INT",
      "random/x:INT: unknown simulation type 'random' at column 1; expected 'RANDOM' (simulation types are upper case)",
    ],
    ["/x:INT", "/x:INT: '/' at column 1; expected one of RANDOM, STATE, STDOUT"],
    ["STATE", "STATE: end of address at column 6; expected '/' and a tag name"],
    ["STATE/", "STATE/: end of address at column 7; expected a tag name of letters, digits, '.', '_' or '-'"],
    ["STATE/a b", "STATE/a b: ' ' at column 8; expected a letter, digit, '.', '_', '-', ':' or end of address"],
    [
      "STATE/x:",
      "STATE/x:: end of address at column 9; expected a data type, one of BOOL, BYTE, WORD, DWORD, LWORD, SINT, INT, DINT, LINT, USINT, UINT, UDINT, ULINT, REAL, LREAL, CHAR, WCHAR, STRING, WSTRING, TIME, LTIME, DATE, TIME_OF_DAY, DATE_AND_TIME",
    ],
    ["STATE/x:INT[0]", "STATE/x:INT[0]: an element count 0 at column 13; expected an element count 1..65535"],
    [
      `STATE/${"n".repeat(256)}:INT`,
      `STATE/${"n".repeat(256)}:INT: a name of 256 characters at column 7; expected at most 255`,
    ],
  ];
  for (const [text, message] of bad) {
    it(`rejects ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`, () => {
      assert.throws(
        () => parseSimulatedAddress(text),
        (error: unknown) => {
          assert.ok(error instanceof InvalidAddressError);
          assert.equal(error.message, message);
          return true;
        },
      );
    });
  }
});
