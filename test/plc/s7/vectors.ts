// Loads the S7 test vectors (JSON files beside this one), turns hex into bytes and back, and checks codec errors.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { S7CodecError } from "../../../src/plc/s7/errors.ts";

const HERE = import.meta.dirname;

/** What a vector expects of an error: its code and any other properties (field, value, layer, ...). */
export type ExpectedError = { readonly code: string } & Readonly<Record<string, unknown>>;

/** Every JSON file of a vector folder, parsed; `{"$bigint": "12"}` becomes 12n, since JSON has no bigint. */
export function loadVectorFiles<T>(folder: string): { file: string; content: T }[] {
  const dir = join(HERE, folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({ file, content: JSON.parse(readFileSync(join(dir, file), "utf8"), revive) as T }));
}

function revive(_key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if ("$bigint" in value && typeof value.$bigint === "string") return BigInt(value.$bigint);
  if ("$date" in value && typeof value.$date === "string") return new Date(value.$date);
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

/** A decoded structure with every byte array as hex and undefined fields dropped, to compare with a vector's JSON. */
export function normalize(value: unknown): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, field]) => field !== undefined)
        .map(([key, field]) => [key, normalize(field)]),
    );
  }
  return value;
}

/** The byte fields of the codecs' structures, by name. */
const BYTE_FIELDS = new Set(["data", "payload", "parameter", "tpdu"]);

/** A vector's structure ready for an encoder: hex strings of byte fields back into bytes. */
export function hydrate<T>(value: unknown): T {
  const walk = (node: unknown, key: string): unknown => {
    if (typeof node === "string" && BYTE_FIELDS.has(key)) return hexBytes(node);
    if (Array.isArray(node)) return node.map((item) => walk(item, key));
    if (typeof node === "object" && node !== null && !(node instanceof Date)) {
      return Object.fromEntries(Object.entries(node).map(([name, field]) => [name, walk(field, name)]));
    }
    return node;
  };
  return walk(value, "") as T;
}

/** Runs `action`, expecting it to throw an S7 codec error with every property `expected` lists. */
export function assertCodecError(action: () => unknown, expected: ExpectedError): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof S7CodecError, `expected an S7 codec error, got ${String(error)}`);
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual((error as unknown as Record<string, unknown>)[key], value, `${key} of "${error.message}"`);
    }
    return true;
  });
}
