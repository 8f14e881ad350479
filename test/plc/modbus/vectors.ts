// Loads the Modbus test vectors (JSON files beside this one) and checks codec errors against their expectations.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ModbusCodecError } from "../../../src/plc/modbus/errors.ts";

const HERE = import.meta.dirname;

/** What a vector expects of an error: its code and any other properties (field, value, exceptionCode, ...). */
export type ExpectedError = { readonly code: string } & Readonly<Record<string, unknown>>;

/** Every JSON file of a vector folder, parsed with boxed bigints and floats revived. */
export function loadVectorFiles<T>(folder: string): { file: string; content: T }[] {
  const dir = join(HERE, folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({ file, content: JSON.parse(readFileSync(join(dir, file), "utf8"), revive) as T }));
}

/** {"$bigint": "12"} becomes 12n and {"$float": "NaN"} becomes NaN, since JSON has neither. */
function revive(_key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if ("$bigint" in value && typeof value.$bigint === "string") return BigInt(value.$bigint);
  if ("$float" in value && typeof value.$float === "string") return Number(value.$float);
  return value;
}

/** "01 00FF" style hex, spaces ignored, to bytes. */
export function hexBytes(hex: string): Uint8Array {
  const digits = hex.replace(/\s+/g, "");
  assert.match(digits, /^([0-9a-fA-F]{2})*$/, `bad hex in vector: ${hex}`);
  return Uint8Array.from(Buffer.from(digits, "hex"));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex").toUpperCase();
}

/** "0102 0304" to [0x0102, 0x0304]. */
export function hexWords(hex: string): number[] {
  return hex
    .trim()
    .split(/\s+/)
    .filter((word) => word !== "")
    .map((word) => Number.parseInt(word, 16));
}

/** Runs `action`, expecting it to throw a codec error with every property `expected` lists. */
export function assertCodecError(action: () => unknown, expected: ExpectedError): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof ModbusCodecError, `expected a Modbus codec error, got ${String(error)}`);
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual((error as unknown as Record<string, unknown>)[key], value, `${key} of "${error.message}"`);
    }
    return true;
  });
}
