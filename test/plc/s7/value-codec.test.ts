// Runs the S7 value vectors in values.json both ways: bytes to values and values to bytes, and refusals with a reason.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseS7Address } from "../../../src/plc/s7/address.ts";
import { S7ValueError } from "../../../src/plc/s7/errors.ts";
import { decodeS7Value, encodeS7Value, layoutBytes } from "../../../src/plc/s7/value-codec.ts";
import type { PlcValue } from "../../../src/plc/values.ts";
import { hexBytes, loadVectorFiles, toHex } from "./vectors.ts";

interface ValueCase {
  readonly name?: string;
  readonly address: string;
  readonly hex?: string;
  readonly value?: PlcValue;
  readonly decodeOnly?: boolean;
  readonly reason?: string;
}

interface ValueVectors {
  readonly cases: readonly ValueCase[];
  readonly badBytes: readonly ValueCase[];
  readonly badValues: readonly ValueCase[];
}

const [vectors] = loadVectorFiles<ValueVectors>("values").map(({ content }) => content);

function rejects(action: () => unknown, reason: string): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof S7ValueError, String(error));
    assert.equal(error.code, "S7_VALUE_INVALID");
    assert.equal(error.reason, reason, error.message);
    return true;
  });
}

describe("S7 values both ways", () => {
  for (const c of vectors!.cases) {
    test(c.name ?? `${c.address} ${c.hex}`, () => {
      const address = parseS7Address(c.address);
      const bytes = hexBytes(c.hex!);
      assert.equal(layoutBytes(address), bytes.length, "the layout spans the vector's bytes");
      // Decoding at an offset inside a larger buffer, as a read's block holds it.
      const block = new Uint8Array(bytes.length + 3);
      block.set(bytes, 3);
      assert.deepEqual(decodeS7Value(block, 3, address), c.value);
      if (!c.decodeOnly) assert.equal(toHex(encodeS7Value(c.value!, address)), toHex(bytes));
    });
  }
});

describe("bytes that hold no valid value", () => {
  for (const c of vectors!.badBytes) {
    test(c.name!, () => rejects(() => decodeS7Value(hexBytes(c.hex!), 0, parseS7Address(c.address)), c.reason!));
  }
});

describe("values S7 cannot hold", () => {
  for (const c of vectors!.badValues) {
    test(c.name!, () => rejects(() => encodeS7Value(c.value!, parseS7Address(c.address)), c.reason!));
  }
});
