// Tests PLC4X's Modbus tag grammar over a table of good addresses and of bad ones with their exact messages.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidAddressError } from "../../../src/plc/errors.ts";
import { type ModbusAddress, parseModbusAddress } from "../../../src/plc/modbus/address.ts";

const REGISTER_TYPES =
  "BOOL, BYTE, WORD, DWORD, LWORD, SINT, INT, DINT, LINT, USINT, UINT, UDINT, ULINT, REAL, LREAL, CHAR, WCHAR, STRING, WSTRING, TIME, LTIME, TIME_OF_DAY";

const good: ReadonlyArray<readonly [string, ModbusAddress]> = [
  ["coil:1", { area: "coil", address: 0, type: "BOOL", count: 1, quantity: 1 }],
  ["discrete-input:1", { area: "discrete-input", address: 0, type: "BOOL", count: 1, quantity: 1 }],
  ["input-register:1", { area: "input-register", address: 0, type: "INT", count: 1, quantity: 1 }],
  ["holding-register:20:UINT[10]", { area: "holding-register", address: 19, type: "UINT", count: 10, quantity: 10 }],
  ["holding-register:20[10]", { area: "holding-register", address: 19, type: "INT", count: 10, quantity: 10 }],
  ["4x00020:REAL", { area: "holding-register", address: 19, type: "REAL", count: 1, quantity: 2 }],
  ["0x00001", { area: "coil", address: 0, type: "BOOL", count: 1, quantity: 1 }],
  ["3x00010:DINT", { area: "input-register", address: 9, type: "DINT", count: 1, quantity: 2 }],
  ["1x00001", { area: "discrete-input", address: 0, type: "BOOL", count: 1, quantity: 1 }],
  ["400020", { area: "holding-register", address: 19, type: "INT", count: 1, quantity: 1 }],
  ["40020", { area: "holding-register", address: 19, type: "INT", count: 1, quantity: 1 }],
  ["300001:LREAL", { area: "input-register", address: 0, type: "LREAL", count: 1, quantity: 4 }],
  ["000010[16]", { area: "coil", address: 9, type: "BOOL", count: 16, quantity: 16 }],
  ["100001:BOOL[8]", { area: "discrete-input", address: 0, type: "BOOL", count: 8, quantity: 8 }],
  ["extended-register:0", { area: "extended-register", address: 0, type: "INT", count: 1, quantity: 1 }],
  ["600000:REAL", { area: "extended-register", address: 0, type: "REAL", count: 1, quantity: 2 }],
  ["6x10000", { area: "extended-register", address: 10000, type: "INT", count: 1, quantity: 1 }],
  ["holding-register:1:BOOL", { area: "holding-register", address: 0, type: "BOOL", count: 1, quantity: 1 }],
  ["holding-register:1:BYTE[3]", { area: "holding-register", address: 0, type: "BYTE", count: 3, quantity: 2 }],
  ["holding-register:1:CHAR[3]", { area: "holding-register", address: 0, type: "CHAR", count: 3, quantity: 2 }],
  [
    "holding-register:1:STRING(20)",
    { area: "holding-register", address: 0, type: "STRING", count: 1, stringLength: 20, quantity: 10 },
  ],
  [
    "holding-register:1:STRING(5)[2]",
    { area: "holding-register", address: 0, type: "STRING", count: 2, stringLength: 5, quantity: 6 },
  ],
  [
    "holding-register:1:WSTRING(4)",
    { area: "holding-register", address: 0, type: "WSTRING", count: 1, stringLength: 4, quantity: 4 },
  ],
  ["holding-register:1:LINT[31]", { area: "holding-register", address: 0, type: "LINT", count: 31, quantity: 124 }],
  ["holding-register:65535", { area: "holding-register", address: 65534, type: "INT", count: 1, quantity: 1 }],
  ["holding-register:65534:DINT", { area: "holding-register", address: 65533, type: "DINT", count: 1, quantity: 2 }],
  ["coil:1[2000]", { area: "coil", address: 0, type: "BOOL", count: 2000, quantity: 2000 }],
  [
    "holding-register:5:INT{unit-id: 2}",
    { area: "holding-register", address: 4, type: "INT", count: 1, quantity: 1, unitId: 2 },
  ],
  [
    "holding-register:1:REAL{byte-order: 'LITTLE_ENDIAN'}",
    { area: "holding-register", address: 0, type: "REAL", count: 1, quantity: 2, byteOrder: "LITTLE_ENDIAN" },
  ],
  [
    '4x00001:DINT{unit-id:7,byte-order:"BIG_ENDIAN_BYTE_SWAP"}',
    {
      area: "holding-register",
      address: 0,
      type: "DINT",
      count: 1,
      quantity: 2,
      unitId: 7,
      byteOrder: "BIG_ENDIAN_BYTE_SWAP",
    },
  ],
  [
    "coil:3{ unit-id: 0 , byte-order: LITTLE_ENDIAN_BYTE_SWAP }",
    { area: "coil", address: 2, type: "BOOL", count: 1, quantity: 1, unitId: 0, byteOrder: "LITTLE_ENDIAN_BYTE_SWAP" },
  ],
  ["holding-register:1{}", { area: "holding-register", address: 0, type: "INT", count: 1, quantity: 1 }],
];

const bad: ReadonlyArray<readonly [string, number, string]> = [
  ["holding-register:1:FOO", 20, `unknown data type 'FOO' at column 20; expected one of ${REGISTER_TYPES}`],
  ["holding-register:1:real", 20, "unknown data type 'real' at column 20; expected 'REAL' (data types are upper case)"],
  ["holding-register:1:DATE", 20, `unsupported data type 'DATE' at column 20; expected one of ${REGISTER_TYPES}`],
  ["holding-register:0", 18, "address 0 at column 18; expected 1..65535 (Modbus tag addresses are 1-based)"],
  ["holding-register:70000", 18, "address 70000 at column 18; expected 1..65535 (Modbus tag addresses are 1-based)"],
  [
    "holding-register:65535:DINT",
    18,
    "2 registers from 65535 to 65536 at column 18; expected a span ending within 1..65535",
  ],
  ["coil:65535[2]", 6, "2 bits from 65535 to 65536 at column 6; expected a span ending within 1..65535"],
  ["400000", 2, "address 0 at column 2; expected 1..65535 (Modbus tag addresses are 1-based)"],
  ["4x00000:REAL", 3, "address 0 at column 3; expected 1..65535 (Modbus tag addresses are 1-based)"],
  [
    "extended-register:655350000",
    19,
    "address 655350000 at column 19; expected 0..655349999 (extended registers count from 0)",
  ],
  [
    "holding-register:1:UINT[126]",
    19,
    "a span of 126 registers at column 19; expected at most 125 registers per tag (one Modbus request)",
  ],
  [
    "holding-register:1:STRING(251)",
    19,
    "a span of 126 registers at column 19; expected at most 125 registers per tag (one Modbus request)",
  ],
  ["coil:1[2001]", 7, "a span of 2001 bits at column 7; expected at most 2000 bits per tag (one Modbus request)"],
  [
    "holding-register:1:STRING",
    26,
    "STRING without a length at column 26; expected '(' and a length in characters, e.g. STRING(20)",
  ],
  [
    "coil:1:INT",
    8,
    "data type 'INT' in a bit area at column 8; expected BOOL (coils and discrete inputs hold single bits)",
  ],
  [
    "1x00001:REAL",
    9,
    "data type 'REAL' in a bit area at column 9; expected BOOL (coils and discrete inputs hold single bits)",
  ],
  ["coil:1:", 8, "end of address at column 8; expected a data type, one of BOOL"],
  [
    "holding-registers:1",
    1,
    "unknown area 'holding-registers' at column 1; expected one of coil, discrete-input, input-register, holding-register, extended-register",
  ],
  ["coil1", 5, "'1' at column 5; expected ':' after 'coil'"],
  ["coil:", 6, "end of address at column 6; expected an address number"],
  ["coil:x", 6, "'x' at column 6; expected an address number"],
  [
    "5x00001",
    1,
    "'5' at column 1; expected an area (coil, discrete-input, input-register, holding-register, extended-register) or a numeric form 0x, 1x, 3x, 4x, 6x",
  ],
  [
    ":1",
    1,
    "':' at column 1; expected an area (coil, discrete-input, input-register, holding-register, extended-register) or a numeric form 0x, 1x, 3x, 4x, 6x",
  ],
  ["4x20", 3, "2 digits at column 3; expected 4 or 5 address digits after '4x', e.g. 4x00001"],
  ["4000001", 2, "6 digits at column 2; expected 4 or 5 address digits after '4', e.g. 400001"],
  ["4x", 3, "end of address at column 3; expected 4 or 5 address digits after '4x', e.g. 4x00001"],
  ["4X00001", 2, "'X' at column 2; expected 4 or 5 address digits after '4', e.g. 400001"],
  ["holding-register:1;INT", 19, "';' at column 19; expected a digit, ':' and a data type, '[', '{' or end of address"],
  ["holding-register:1:INT[0]", 24, "an element count 0 at column 24; expected an element count 1..65535"],
  [
    "holding-register:1:INT(2)",
    23,
    "a length after INT at column 23; expected '[' or end of address (only STRING and WSTRING take a length)",
  ],
  ["holding-register:1{unit-id: 300}", 29, "unit-id '300' at column 29; expected a unit id 0..255"],
  ["holding-register:1{unit-id: }", 29, "'}' at column 29; expected a unit id 0..255"],
  ["holding-register:1{unit: 1}", 20, "unknown setting 'unit' at column 20; expected one of unit-id, byte-order"],
  [
    "holding-register:1{byte-order: 'MIDDLE'}",
    32,
    "byte-order 'MIDDLE' at column 32; expected one of BIG_ENDIAN, LITTLE_ENDIAN, BIG_ENDIAN_BYTE_SWAP, LITTLE_ENDIAN_BYTE_SWAP",
  ],
  [
    "holding-register:1{unit-id: 1, unit-id: 2}",
    32,
    "'unit-id' given twice at column 32; expected each setting at most once",
  ],
  ["holding-register:1{unit-id 1}", 28, "'1' at column 28; expected ':' after 'unit-id'"],
  ["holding-register:1{unit-id: 1,}", 31, "'}' at column 31; expected a setting after ','"],
  ["holding-register:1{unit-id: 1 x}", 31, "'x' at column 31; expected ',' or '}'"],
  ["holding-register:1{unit-id: 1", 30, "end of address at column 30; expected '}'"],
  ["holding-register:1{unit-id: 1}x", 31, "'x' at column 31; expected end of address after '}'"],
];

describe("parseModbusAddress", () => {
  for (const [text, expected] of good) {
    it(`parses ${text}`, () => {
      assert.deepEqual(parseModbusAddress(text), expected);
    });
  }

  for (const [text, column, message] of bad) {
    it(`rejects ${text}`, () => {
      assert.throws(
        () => parseModbusAddress(text),
        (error: unknown) => {
          assert.ok(error instanceof InvalidAddressError);
          assert.equal(error.message, `${text}: ${message}`);
          assert.equal(error.column, column);
          assert.equal(error.address, text);
          return true;
        },
      );
    });
  }

  it("asks the register codec how many registers each type spans", () => {
    const spans: ReadonlyArray<readonly [string, number, number]> = [
      // [type, registers for one element, registers for [20]]
      ["BOOL", 1, 2],
      ["BYTE", 1, 10],
      ["SINT", 1, 10],
      ["USINT", 1, 10],
      ["CHAR", 1, 10],
      ["WORD", 1, 20],
      ["INT", 1, 20],
      ["UINT", 1, 20],
      ["WCHAR", 1, 20],
      ["DWORD", 2, 40],
      ["DINT", 2, 40],
      ["UDINT", 2, 40],
      ["REAL", 2, 40],
      ["TIME", 2, 40],
      ["TIME_OF_DAY", 2, 40],
      ["LWORD", 4, 80],
      ["LINT", 4, 80],
      ["ULINT", 4, 80],
      ["LREAL", 4, 80],
      ["LTIME", 4, 80],
    ];
    for (const [type, one, twenty] of spans) {
      assert.equal(parseModbusAddress(`holding-register:1:${type}`).quantity, one, type);
      assert.equal(parseModbusAddress(`holding-register:1:${type}[20]`).quantity, twenty, `${type}[20]`);
    }
  });
});
