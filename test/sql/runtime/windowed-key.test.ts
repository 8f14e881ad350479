// Windowed key bytes against hand-written vectors (windowed-keys.json), both ways, and Kafka's partitioner.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { murmur2 as clientMurmur2 } from "@platformatic/kafka";
import { defaultPartition, murmur2 } from "../../../src/sql/runtime/partitioner.ts";
import { decodeWindowedKey, encodeWindowedKey, type WindowKind } from "../../../src/sql/runtime/windowed-key.ts";
import { seededRandom } from "../../support/random.ts";

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

test("murmur2 matches the values Kafka's own tests list", () => {
  const known: [string, number][] = [
    ["21", -973932308],
    ["foobar", -790332482],
    ["a-little-bit-long-string", -985981536],
    ["a-little-bit-longer-string", -1486304829],
    ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971],
    ["abc", 479470107],
  ];
  for (const [text, hash] of known) assert.equal(murmur2(Buffer.from(text)), hash, text);
});

test("murmur2 agrees with the Kafka client's partitioner hash on random keys of every length", () => {
  const random = seededRandom(20261124);
  for (let length = 0; length < 64; length++) {
    const key = Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
    assert.equal(murmur2(key), clientMurmur2(key, false), key.toString("hex"));
  }
});

test("the default partition is the positive hash modulo the partition count; null keys go to 0", () => {
  const key = Buffer.from("foobar");
  assert.equal(defaultPartition(key, 7), (-790332482 & 0x7fffffff) % 7);
  assert.equal(defaultPartition(null, 7), 0);
  assert.equal(defaultPartition(key, 1), 0);
});
