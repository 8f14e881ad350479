// The decoders a read compiles once per tag (registerDecoder, coilDecoder) against the same tables as decodeRegisters.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ModbusValueError } from "../../../src/plc/modbus/errors.ts";
import { BYTE_ORDERS, type ByteOrder, type RegisterLayout } from "../../../src/plc/modbus/register-layout.ts";
import { coilDecoder, decodeRegisters, registerDecoder } from "../../../src/plc/modbus/registers.ts";
import type { DataType, PlcValue } from "../../../src/plc/values.ts";
import { hexWords, loadVectorFiles } from "./vectors.ts";

interface Shape {
  readonly type: DataType;
  readonly stringLength?: number;
  readonly arrayLength?: number;
}

interface VectorFile {
  readonly vectors?: readonly (Shape & { readonly value: PlcValue; readonly words: Record<ByteOrder, string> })[];
  readonly decodeOnly?: readonly (Shape & {
    readonly name: string;
    readonly words: string;
    readonly value: PlcValue;
  })[];
  readonly decode?: readonly {
    readonly layout: RegisterLayout;
    readonly words: number[];
    readonly reason: string;
    readonly message: string;
  }[];
}

const files = loadVectorFiles<VectorFile>("registers");

const layoutOf = (v: Shape, byteOrder?: ByteOrder): RegisterLayout => ({
  dataType: v.type,
  ...(v.stringLength === undefined ? {} : { stringLength: v.stringLength }),
  ...(v.arrayLength === undefined ? {} : { arrayLength: v.arrayLength }),
  ...(byteOrder === undefined ? {} : { byteOrder }),
});

/** `words` inside a block: other tags' words before and after, which the decoder must not touch. */
function inBlock(words: readonly number[]): { run: number[]; offset: number } {
  return { run: [0xdead, 0xbeef, 0x0101, ...words, 0xffff, 0x8000], offset: 3 };
}

function expectValueError(action: () => unknown, reason: string, message: string): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof ModbusValueError, `expected a ModbusValueError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    assert.ok(error.message.includes(message), `"${error.message}" should mention "${message}"`);
    return true;
  });
}

for (const { file, content } of files) {
  describe(`registerDecoder over registers/${file}`, () => {
    for (const vector of content.vectors ?? []) {
      test(`${vector.type}${vector.arrayLength ? `[${vector.arrayLength}]` : ""} in every byte order`, () => {
        for (const order of BYTE_ORDERS) {
          const layout = layoutOf(vector, order);
          const words = hexWords(vector.words[order]);
          const { run, offset } = inBlock(words);
          const decoded = registerDecoder(layout)(run, offset);
          assert.deepEqual(decoded, vector.value, order);
          assert.deepEqual(decoded, decodeRegisters(words, layout), order);
        }
      });
    }
    for (const vector of content.decodeOnly ?? []) {
      test(vector.name, () => {
        const { run, offset } = inBlock(hexWords(vector.words));
        assert.deepEqual(registerDecoder(layoutOf(vector))(run, offset), vector.value);
      });
    }
    for (const vector of content.decode ?? []) {
      // The words end the block: a decoder must not read past them, so a short run is WRONG_LENGTH as a short slice is.
      test(`refuses ${JSON.stringify(vector.layout)} ${JSON.stringify(vector.words)} as decodeRegisters does`, () => {
        const run = [0x1111, 0x2222, ...vector.words];
        expectValueError(() => registerDecoder(vector.layout)(run, 2), vector.reason, vector.message);
      });
    }
  });
}

describe("registerDecoder's direct paths", () => {
  test("read their own words and no others", () => {
    const run = [0x7fff, 0x8000, 0xffff, 0x0001, 0x4049, 0x0fdb];
    assert.equal(registerDecoder({ dataType: "INT" })(run, 1), -32768);
    assert.equal(registerDecoder({ dataType: "UINT" })(run, 2), 65535);
    assert.equal(registerDecoder({ dataType: "WORD" })(run, 0), 0x7fff);
    assert.equal(registerDecoder({ dataType: "DINT" })(run, 1), -2147418113);
    assert.equal(registerDecoder({ dataType: "UDINT" })(run, 1), 0x8000ffff);
    assert.equal(registerDecoder({ dataType: "DWORD" })(run, 2), 0xffff0001);
    assert.equal(registerDecoder({ dataType: "REAL" })(run, 4), Math.fround(Math.PI));
  });

  test("leave words outside 0..65535 to the general path, which names the register", () => {
    expectValueError(() => registerDecoder({ dataType: "INT" })([1, 1.5], 1), "OUT_OF_RANGE", "register [0] 1.5");
    expectValueError(() => registerDecoder({ dataType: "DINT" })([0, 1, -1], 1), "OUT_OF_RANGE", "register [1] -1");
    expectValueError(() => registerDecoder({ dataType: "REAL" })([0x10000, 0], 0), "OUT_OF_RANGE", "register [0]");
  });

  test("refuse a tag that runs past the block's end", () => {
    expectValueError(() => registerDecoder({ dataType: "INT" })([1, 2], 2), "WRONG_LENGTH", "needs 1 registers, got 0");
    expectValueError(
      () => registerDecoder({ dataType: "REAL" })([1, 2], 1),
      "WRONG_LENGTH",
      "needs 2 registers, got 1",
    );
  });
});

describe("coilDecoder", () => {
  const states = [false, true, true, false, true];

  test("reads one state at the tag's offset", () => {
    const decode = coilDecoder({ dataType: "BOOL" });
    assert.equal(decode(states, 1), true);
    assert.equal(decode(states, 3), false);
  });

  test("copies an array's states, so the answer does not share the block's", () => {
    const decoded = coilDecoder({ dataType: "BOOL", arrayLength: 3 })(states, 2);
    assert.deepEqual(decoded, [true, false, true]);
    assert.ok(Array.isArray(decoded));
    decoded[0] = false;
    assert.equal(states[2], true);
  });

  test("refuses a tag that runs past the block's end, and types other than BOOL", () => {
    const decode = coilDecoder({ dataType: "BOOL", arrayLength: 3 });
    expectValueError(() => decode(states, 3), "WRONG_LENGTH", "needs 3 coil states, got 2");
    expectValueError(() => coilDecoder({ dataType: "INT" }), "UNSUPPORTED_TYPE", "BOOL only");
  });
});
