// Exception codes: their spec names and the per-tag response codes Fabrik reports for them.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  describeException,
  EXCEPTION,
  exceptionName,
  exceptionResponseCode,
  isExceptionCode,
  isExceptionPdu,
} from "../../../../src/plc/modbus/messages/exception.ts";

test("each exception code maps to the spec's name and a per-tag response code", () => {
  const table: [number, string, string][] = [
    [0x01, "ILLEGAL FUNCTION", "UNSUPPORTED"],
    [0x02, "ILLEGAL DATA ADDRESS", "INVALID_ADDRESS"],
    [0x03, "ILLEGAL DATA VALUE", "INVALID_DATA"],
    [0x04, "SERVER DEVICE FAILURE", "REMOTE_ERROR"],
    [0x05, "ACKNOWLEDGE", "REMOTE_BUSY"],
    [0x06, "SERVER DEVICE BUSY", "REMOTE_BUSY"],
    [0x08, "MEMORY PARITY ERROR", "REMOTE_ERROR"],
    [0x0a, "GATEWAY PATH UNAVAILABLE", "REMOTE_ERROR"],
    [0x0b, "GATEWAY TARGET DEVICE FAILED TO RESPOND", "TIMEOUT"],
  ];
  for (const [code, name, responseCode] of table) {
    assert.ok(isExceptionCode(code));
    assert.equal(exceptionName(code), name);
    assert.equal(exceptionResponseCode(code), responseCode, name);
  }
  assert.equal(Object.keys(EXCEPTION).length, table.length);
});

test("codes the spec does not define are the device's own errors, named by number", () => {
  for (const code of [0x07, 0x09, 0x0c, 0x41, 0xff]) {
    assert.equal(isExceptionCode(code), false);
    assert.equal(exceptionResponseCode(code), "REMOTE_ERROR");
  }
  assert.equal(exceptionName(0x41), "UNDEFINED EXCEPTION 0x41");
});

test("the message for a tag names the exception and the function", () => {
  assert.deepEqual(describeException({ functionCode: 0x03, exceptionCode: 0x02 }), {
    code: "INVALID_ADDRESS",
    message: "Modbus exception 0x02 ILLEGAL DATA ADDRESS in answer to function 0x03",
  });
  assert.equal(describeException({ functionCode: 0x10, exceptionCode: 0x0b }).code, "TIMEOUT");
});

test("an exception PDU is recognised by its function code's high bit", () => {
  assert.equal(isExceptionPdu(Uint8Array.of(0x83, 0x02)), true);
  assert.equal(isExceptionPdu(Uint8Array.of(0x03, 0x02, 0x00, 0x01)), false);
  assert.equal(isExceptionPdu(new Uint8Array(0)), false);
});
