// The function-code dispatcher: quantity limits of every function at their edges, and how a server answers bad requests.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ModbusPduError } from "../../../src/plc/modbus/errors.ts";
import { EXCEPTION, exceptionResponseFor } from "../../../src/plc/modbus/messages/exception.ts";
import {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  FUNCTION_NAMES,
  type ModbusRequest,
  QUANTITY_LIMITS,
} from "../../../src/plc/modbus/pdu.ts";
import { toHex } from "./vectors.ts";

/** A request of `quantity` items from `address` for each function that takes a quantity. */
const requestOf = (functionCode: number, address: number, quantity: number): ModbusRequest => {
  switch (functionCode) {
    case 0x0f:
      return { functionCode, address, values: Array.from({ length: quantity }, (_, index) => index % 3 === 0) };
    case 0x10:
      return { functionCode, address, values: Array.from({ length: quantity }, (_, index) => index * 257) };
    default:
      return { functionCode: functionCode as 0x01 | 0x02 | 0x03 | 0x04, address, quantity };
  }
};

/** The request PDU of `quantity` items, built by hand so decoding can be tested past what the encoder allows. */
function rawRequest(functionCode: number, address: number, quantity: number): Uint8Array {
  const head = [functionCode, address >> 8, address & 0xff, quantity >> 8, quantity & 0xff];
  if (functionCode === 0x0f) {
    return Uint8Array.of(...head, Math.ceil(quantity / 8), ...new Array(Math.ceil(quantity / 8)).fill(0));
  }
  if (functionCode === 0x10) return Uint8Array.of(...head, (2 * quantity) & 0xff, ...new Array(2 * quantity).fill(0));
  return Uint8Array.of(...head);
}

const quantityFunctions = [0x01, 0x02, 0x03, 0x04, 0x0f, 0x10] as const;

describe("quantity limits of each function", () => {
  for (const functionCode of quantityFunctions) {
    const max = QUANTITY_LIMITS[functionCode];
    const name = FUNCTION_NAMES[functionCode];

    test(`${name}: ${max} items go both ways and fit in one frame`, () => {
      const request = requestOf(functionCode, 0, max);
      const pdu = encodeRequest(request);
      assert.ok(pdu.length <= 253, `${pdu.length} bytes`);
      assert.deepEqual(decodeRequest(pdu), request);
    });

    test(`${name}: ${max + 1} items are refused both ways, with ILLEGAL DATA VALUE`, () => {
      assert.throws(() => encodeRequest(requestOf(functionCode, 0, max + 1)), { field: "quantity", value: max + 1 });
      assert.throws(() => decodeRequest(rawRequest(functionCode, 0, max + 1)), {
        field: "quantity",
        exceptionCode: EXCEPTION.ILLEGAL_DATA_VALUE,
      });
    });

    test(`${name}: the block may end at 65535 but not beyond, else ILLEGAL DATA ADDRESS`, () => {
      const last = 65536 - 8;
      const lastBlock = requestOf(functionCode, last, 8);
      assert.deepEqual(decodeRequest(encodeRequest(lastBlock)), lastBlock);
      assert.throws(() => encodeRequest(requestOf(functionCode, last + 1, 8)), { field: "address", value: last + 1 });
      assert.throws(() => decodeRequest(rawRequest(functionCode, last + 1, 8)), {
        field: "address",
        exceptionCode: EXCEPTION.ILLEGAL_DATA_ADDRESS,
      });
    });

    test(`${name}: a full-size response fits in one frame`, () => {
      const request = requestOf(functionCode, 0, max);
      const response =
        functionCode === 0x01 || functionCode === 0x02
          ? { functionCode, values: Array.from({ length: max }, (_, index) => index % 2 === 0) }
          : functionCode === 0x03 || functionCode === 0x04
            ? { functionCode, values: Array.from({ length: max }, (_, index) => 65535 - index) }
            : { functionCode, address: 0, quantity: max };
      const pdu = encodeResponse(response as Parameters<typeof encodeResponse>[0]);
      assert.ok(pdu.length <= 253, `${pdu.length} bytes`);
      assert.deepEqual(decodeResponse(pdu, request), response);
    });
  }
});

describe("a server answering requests it cannot serve", () => {
  /** What a server does with a request PDU it could not decode: the exception response it sends back. */
  function answer(pdu: Uint8Array): string {
    try {
      decodeRequest(pdu);
      return "decoded";
    } catch (error) {
      assert.ok(error instanceof ModbusPduError);
      return toHex(encodeResponse(exceptionResponseFor(error)));
    }
  }

  test("an unknown function gets ILLEGAL FUNCTION with its own function code", () => {
    assert.equal(answer(Uint8Array.of(0x2b, 0x0e, 0x01, 0x00)), "AB01");
    assert.equal(answer(Uint8Array.of(0x41)), "C101");
  });

  test("a request with the exception flag set is answered without doubling the flag", () => {
    assert.equal(answer(Uint8Array.of(0x83, 0, 0, 0, 1)), "8301");
  });

  test("a bad quantity gets ILLEGAL DATA VALUE, a bad range ILLEGAL DATA ADDRESS", () => {
    assert.equal(answer(Uint8Array.of(0x03, 0, 0, 0, 0)), "8303");
    assert.equal(answer(Uint8Array.of(0x04, 0xff, 0xff, 0, 2)), "8402");
    assert.equal(answer(Uint8Array.of(0x05, 0, 1, 0x12, 0x34)), "8503");
    assert.equal(answer(Uint8Array.of(0x10, 0, 1, 0, 1, 2, 0)), "9003");
  });

  test("a good request decodes", () => {
    assert.equal(answer(Uint8Array.of(0x06, 0, 1, 0, 3)), "decoded");
  });
});

test("a response is decoded as the exception it is, whatever function was asked", () => {
  for (const functionCode of quantityFunctions) {
    const request = requestOf(functionCode, 0, 1);
    assert.deepEqual(decodeResponse(Uint8Array.of(functionCode | 0x80, 4), request), {
      functionCode,
      exceptionCode: 4,
    });
  }
});

test("every function Fabrik implements has a name and a limit", () => {
  assert.deepEqual(Object.keys(FUNCTION_NAMES).map(Number), Object.keys(QUANTITY_LIMITS).map(Number));
  assert.equal(Object.keys(FUNCTION_NAMES).length, 8);
});
