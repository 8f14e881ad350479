// Tests that every PLC error has its stable code, its class name, and a message that says what and where.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ConnectionClosedError,
  ConnectionFailedError,
  DuplicateProtocolError,
  InvalidAddressError,
  InvalidOptionError,
  InvalidRequestError,
  InvalidUrlError,
  InvalidValueError,
  PlcError,
  UnknownOptionError,
  UnknownProtocolError,
  UnsupportedOperationError,
} from "../../src/plc/errors.ts";

describe("PLC errors", () => {
  const cases: ReadonlyArray<readonly [PlcError, string, string, string]> = [
    [
      new InvalidAddressError("holding-register:1:FOO", 20, "unknown data type 'FOO'", "one of BOOL, BYTE"),
      "INVALID_ADDRESS",
      "InvalidAddressError",
      "holding-register:1:FOO: unknown data type 'FOO' at column 20; expected one of BOOL, BYTE",
    ],
    [
      new InvalidUrlError("s7://h:0", 8, "port '0'", "a port number 1..65535"),
      "INVALID_URL",
      "InvalidUrlError",
      "s7://h:0: port '0' at column 8; expected a port number 1..65535",
    ],
    [
      new InvalidOptionError("s7://h?rack=x", "rack", 13, "option 'rack' is 'x'", "an integer in 0..7"),
      "INVALID_OPTION",
      "InvalidOptionError",
      "s7://h?rack=x: option 'rack' is 'x' at column 13; expected an integer in 0..7",
    ],
    [
      new UnknownOptionError("s7://h?rak=1", "rak", 8, ["rack", "slot"]),
      "UNKNOWN_OPTION",
      "UnknownOptionError",
      "s7://h?rak=1: unknown option 'rak' at column 8; expected one of rack, slot",
    ],
    [
      new UnknownProtocolError("modbus-tpc", ["modbus-tcp", "simulated"]),
      "UNKNOWN_PROTOCOL",
      "UnknownProtocolError",
      "unknown protocol 'modbus-tpc'; known protocols: modbus-tcp, simulated",
    ],
    [
      new UnknownProtocolError("s7", []),
      "UNKNOWN_PROTOCOL",
      "UnknownProtocolError",
      "unknown protocol 's7'; none are registered",
    ],
    [
      new DuplicateProtocolError("s7", "Siemens S7"),
      "DUPLICATE_PROTOCOL",
      "DuplicateProtocolError",
      "protocol 's7' is already registered by the Siemens S7 driver",
    ],
    [
      new InvalidValueError("speed", "INT", "40000 is out of range for INT (-32768..32767)", "-32768..32767"),
      "INVALID_VALUE",
      "InvalidValueError",
      "cannot write 'speed' (INT): 40000 is out of range for INT (-32768..32767)",
    ],
    [new InvalidRequestError("bad interval"), "INVALID_REQUEST", "InvalidRequestError", "bad interval"],
    [
      new UnsupportedOperationError("browse", "modbus-tcp"),
      "UNSUPPORTED_OPERATION",
      "UnsupportedOperationError",
      "modbus-tcp connections do not support browse",
    ],
    [
      new UnsupportedOperationError("subscribe", "simulated", "mode 'event'"),
      "UNSUPPORTED_OPERATION",
      "UnsupportedOperationError",
      "simulated connections do not support subscribe: mode 'event'",
    ],
    [
      new ConnectionFailedError("modbus-tcp://10.0.0.9:502", "connection refused"),
      "CONNECTION_FAILED",
      "ConnectionFailedError",
      "cannot connect to modbus-tcp://10.0.0.9:502: connection refused",
    ],
    [
      new ConnectionClosedError("simulated://demo", "read"),
      "CONNECTION_CLOSED",
      "ConnectionClosedError",
      "cannot read: the connection to simulated://demo is closed",
    ],
  ];

  for (const [error, code, name, message] of cases) {
    it(`${name} carries ${code}`, () => {
      assert.ok(error instanceof PlcError);
      assert.ok(error instanceof Error);
      assert.equal(error.code, code);
      assert.equal(error.name, name);
      assert.equal(error.message, message);
    });
  }

  it("keeps the parts of positional errors as fields", () => {
    const error = new InvalidAddressError("coil:0", 6, "address 0", "1..65535");
    assert.deepEqual(
      { address: error.address, column: error.column, found: error.found, expected: error.expected },
      { address: "coil:0", column: 6, found: "address 0", expected: "1..65535" },
    );
    const value = new InvalidValueError("t", "UINT", "-1 is out of range", "0..65535");
    assert.deepEqual([value.tag, value.expectedType, value.range], ["t", "UINT", "0..65535"]);
  });

  it("keeps the cause of a connection failure", () => {
    const cause = new Error("ECONNREFUSED");
    assert.equal(new ConnectionFailedError("s7://h", "refused", { cause }).cause, cause);
  });
});
