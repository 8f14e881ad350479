// Tests the S7 tag grammar against the addresses in addresses.json: every PLC4X form, and mistakes with their column.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { InvalidAddressError } from "../../../src/plc/errors.ts";
import { parseS7Address } from "../../../src/plc/s7/address.ts";

interface Vectors {
  readonly valid: readonly ({ readonly address: string } & Record<string, unknown>)[];
  readonly invalid: readonly { address: string; column: number; found?: string; expected?: string }[];
}

const vectors = JSON.parse(readFileSync(join(import.meta.dirname, "addresses", "addresses.json"), "utf8")) as Vectors;

describe("valid S7 addresses", () => {
  for (const { address, ...expected } of vectors.valid) {
    test(address, () => assert.deepEqual({ ...parseS7Address(address) }, expected));
  }
});

describe("invalid S7 addresses name the column and what was expected", () => {
  for (const bad of vectors.invalid) {
    test(bad.address === "" ? "(empty)" : bad.address, () => {
      assert.throws(
        () => parseS7Address(bad.address),
        (error: unknown) => {
          assert.ok(error instanceof InvalidAddressError, String(error));
          assert.equal(error.code, "INVALID_ADDRESS");
          assert.equal(error.address, bad.address);
          assert.equal(error.column, bad.column, error.message);
          if (bad.found !== undefined) assert.equal(error.found, bad.found, error.message);
          if (bad.expected !== undefined) assert.equal(error.expected, bad.expected, error.message);
          assert.ok(error.message.includes(`at column ${bad.column}`));
          return true;
        },
      );
    });
  }
});
