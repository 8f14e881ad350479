// Windowed key bytes against hand-written vectors (windowed-keys.json), both ways.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { decodeWindowedKey, encodeWindowedKey, type WindowKind } from "../../../src/sql/runtime/windowed-key.ts";

interface Vector {
  readonly name: string;
  readonly kind: WindowKind;
  readonly sizeMs?: number;
  readonly innerKey: string;
  readonly start: number;
  readonly end: number;
  readonly bytes: string;
}

const vectors = (
  JSON.parse(readFileSync(new URL("windowed-keys.json", import.meta.url), "utf8")) as { cases: Vector[] }
).cases;
const hex = (text: string) => Buffer.from(text.replaceAll(" ", ""), "hex");

for (const v of vectors) {
  test(`windowed key: ${v.name}`, () => {
    const inner = v.innerKey === "" ? null : hex(v.innerKey);
    const encoded = encodeWindowedKey(inner, v.kind, { start: v.start, end: v.end });
    assert.equal(encoded.toString("hex"), hex(v.bytes).toString("hex"));
    const decoded = decodeWindowedKey(hex(v.bytes), v.kind, v.sizeMs);
    assert.ok(decoded);
    assert.equal(Buffer.from(decoded.key).toString("hex"), v.innerKey);
    assert.deepEqual(decoded.window, { start: v.start, end: v.end });
  });
}

test("a windowed key shorter than its window suffix does not decode", () => {
  assert.equal(decodeWindowedKey(Buffer.alloc(7), "TUMBLING", 1000), null);
  assert.equal(decodeWindowedKey(Buffer.alloc(15), "SESSION", undefined), null);
});
