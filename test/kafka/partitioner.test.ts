// Kafka's default partitioner: murmur2 against Kafka's own vectors and the client library's hash, and the partition.

import assert from "node:assert/strict";
import { test } from "node:test";
import { murmur2 as clientMurmur2 } from "@platformatic/kafka";
import { defaultPartition, murmur2, partitionHash } from "../../src/kafka/partitioner.ts";
import { seededRandom } from "../support/random.ts";

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

test("the partition hash is murmur2 with the sign bit masked off, never the unsigned hash", () => {
  const key = Buffer.from("foobar");
  assert.equal(partitionHash(key), -790332482 & 0x7fffffff);
  assert.notEqual(partitionHash(key), -790332482 >>> 0);
});

test("the default partition is the positive hash modulo the partition count; null keys go to 0", () => {
  const key = Buffer.from("foobar");
  assert.equal(defaultPartition(key, 7), (-790332482 & 0x7fffffff) % 7);
  assert.equal(defaultPartition(null, 7), 0);
  assert.equal(defaultPartition(key, 1), 0);
});
