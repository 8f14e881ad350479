// The register value codec over the hand-computed tables in registers/*.json: every value in every byte order, both ways.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ModbusValueError } from "../../../src/plc/modbus/errors.ts";
import {
  BYTE_ORDERS,
  type ByteOrder,
  type RegisterLayout,
  registerCount,
} from "../../../src/plc/modbus/register-layout.ts";
import {
  decodeCoilValues,
  decodeRegisters,
  encodeCoilValues,
  encodeRegisters,
} from "../../../src/plc/modbus/registers.ts";
import type { DataType, PlcValue } from "../../../src/plc/values.ts";
import { hexWords, loadVectorFiles } from "./vectors.ts";

interface ValueVector {
  readonly type: DataType;
  readonly stringLength?: number;
  readonly arrayLength?: number;
  readonly value: PlcValue;
  readonly words: Readonly<Record<ByteOrder, string>>;
}

interface DecodeOnlyVector {
  readonly name: string;
  readonly type: DataType;
  readonly stringLength?: number;
  readonly arrayLength?: number;
  readonly words: string;
  readonly value: PlcValue;
}

interface ErrorVector {
  readonly layout: RegisterLayout;
  readonly reason: string;
  /** A piece of the error's message: the type, and the range or rule broken. */
  readonly message: string;
}

interface VectorFile {
  readonly vectors?: readonly ValueVector[];
  readonly decodeOnly?: readonly DecodeOnlyVector[];
  readonly encode?: readonly (ErrorVector & { readonly value: PlcValue })[];
  readonly decode?: readonly (ErrorVector & { readonly words: number[] })[];
}

const files = loadVectorFiles<VectorFile>("registers");

const layoutOf = (v: { type: DataType; stringLength?: number; arrayLength?: number }, byteOrder?: ByteOrder) => ({
  dataType: v.type,
  ...(v.stringLength === undefined ? {} : { stringLength: v.stringLength }),
  ...(v.arrayLength === undefined ? {} : { arrayLength: v.arrayLength }),
  ...(byteOrder === undefined ? {} : { byteOrder }),
});

const show = (value: PlcValue) =>
  JSON.stringify(value, (_k, inner: unknown) => (typeof inner === "bigint" ? `${inner}n` : inner));

function expectValueError(action: () => unknown, reason: string, message: string): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof ModbusValueError, `expected a ModbusValueError, got ${String(error)}`);
    assert.equal(error.code, "MODBUS_VALUE_INVALID");
    assert.equal(error.reason, reason, error.message);
    assert.ok(error.message.includes(message), `"${error.message}" should mention "${message}"`);
    return true;
  });
}

for (const { file, content } of files) {
  describe(`registers/${file}`, () => {
    for (const vector of content.vectors ?? []) {
      for (const order of BYTE_ORDERS) {
        const suffix = vector.stringLength ? `(${vector.stringLength})` : "";
        const array = vector.arrayLength ? `[${vector.arrayLength}]` : "";
        test(`${vector.type}${suffix}${array} ${show(vector.value)} ${order}`, () => {
          const layout = layoutOf(vector, order);
          const words = hexWords(vector.words[order]);
          assert.deepEqual(encodeRegisters(vector.value, layout), words);
          assert.deepEqual(decodeRegisters(words, layout), vector.value);
          assert.equal(registerCount(layout), words.length);
        });
      }
    }
    for (const vector of content.decodeOnly ?? []) {
      test(vector.name, () =>
        assert.deepEqual(decodeRegisters(hexWords(vector.words), layoutOf(vector)), vector.value),
      );
    }
    for (const vector of content.encode ?? []) {
      test(`encode refuses ${show(vector.layout as unknown as PlcValue)} ${show(vector.value)}`, () => {
        expectValueError(() => encodeRegisters(vector.value, vector.layout), vector.reason, vector.message);
      });
    }
    for (const vector of content.decode ?? []) {
      test(`decode refuses ${show(vector.layout as unknown as PlcValue)} ${show(vector.words)}`, () => {
        expectValueError(() => decodeRegisters(vector.words, vector.layout), vector.reason, vector.message);
      });
    }
  });
}

test("every byte order is covered by every value vector", () => {
  const vectors = files.flatMap(({ content }) => content.vectors ?? []);
  assert.ok(vectors.length >= 40);
  for (const vector of vectors) assert.deepEqual(Object.keys(vector.words).sort(), [...BYTE_ORDERS].sort());
});

test("registers per tag, as a read planner needs them", () => {
  const cases: [RegisterLayout, number][] = [
    [{ dataType: "BOOL" }, 1],
    [{ dataType: "BOOL", arrayLength: 16 }, 1],
    [{ dataType: "BOOL", arrayLength: 17 }, 2],
    [{ dataType: "SINT" }, 1],
    [{ dataType: "BYTE", arrayLength: 1 }, 1],
    [{ dataType: "BYTE", arrayLength: 5 }, 3],
    [{ dataType: "CHAR", arrayLength: 4 }, 2],
    [{ dataType: "INT", arrayLength: 10 }, 10],
    [{ dataType: "REAL", arrayLength: 3 }, 6],
    [{ dataType: "LREAL" }, 4],
    [{ dataType: "LTIME", arrayLength: 2 }, 8],
    [{ dataType: "STRING", stringLength: 1 }, 1],
    [{ dataType: "STRING", stringLength: 7, arrayLength: 3 }, 12],
    [{ dataType: "WSTRING", stringLength: 7, arrayLength: 3 }, 21],
  ];
  for (const [layout, count] of cases) assert.equal(registerCount(layout), count, JSON.stringify(layout));
});

test("the byte order defaults to BIG_ENDIAN, Modbus' own", () => {
  assert.deepEqual(encodeRegisters(16909060, { dataType: "DINT" }), [0x0102, 0x0304]);
  assert.equal(decodeRegisters([0x0102, 0x0304], { dataType: "DINT" }), 16909060);
});

test("64-bit integers come back as bigint, narrower ones as number", () => {
  assert.equal(typeof decodeRegisters([0, 0, 0, 1], { dataType: "ULINT" }), "bigint");
  assert.equal(typeof decodeRegisters([0, 1], { dataType: "UDINT" }), "number");
  assert.equal(encodeRegisters(5, { dataType: "LINT" }).at(-1), 5, "a safe-integer number is accepted for LINT");
});

describe("coil values", () => {
  test("a single BOOL is one coil state", () => {
    assert.deepEqual(encodeCoilValues(true, { dataType: "BOOL" }), [true]);
    assert.equal(decodeCoilValues([false], { dataType: "BOOL" }), false);
  });

  test("a BOOL array is one coil state per element", () => {
    const layout: RegisterLayout = { dataType: "BOOL", arrayLength: 3 };
    assert.deepEqual(encodeCoilValues([true, false, true], layout), [true, false, true]);
    assert.deepEqual(decodeCoilValues([false, true, true], layout), [false, true, true]);
  });

  test("only BOOL lives on coils, and counts must match", () => {
    expectValueError(() => encodeCoilValues(1, { dataType: "INT" }), "UNSUPPORTED_TYPE", "BOOL only");
    expectValueError(() => encodeCoilValues(1, { dataType: "BOOL" }), "WRONG_TYPE", "needs a boolean");
    expectValueError(() => decodeCoilValues([true], { dataType: "BOOL", arrayLength: 2 }), "WRONG_LENGTH", "got 1");
  });
});
