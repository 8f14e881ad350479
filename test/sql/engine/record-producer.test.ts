// The engine's partitioner agrees with Kafka's Java producer (data/java-partitions.json); records map onto the client's.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { defaultPartitioner } from "@platformatic/kafka";
import { javaPartitioner, toMessage } from "../../../src/sql/engine/record-producer.ts";

const { keys } = JSON.parse(readFileSync(new URL("data/java-partitions.json", import.meta.url), "utf8")) as {
  keys: { key: string; murmur2: number; partitions: Record<string, number> }[];
};

test("keyed records go to the partition Kafka's Java producer picks, where the library's default would not", () => {
  const partitioner = javaPartitioner();
  let differs = 0;
  for (const { key, murmur2, partitions } of keys) {
    const bytes = Buffer.from(key, "utf8");
    const message = { topic: "t", key: bytes, value: Buffer.from("v") };
    const raw = partitioner(message, bytes, { metadata: undefined });
    assert.equal(raw, murmur2 & 0x7fffffff, `${key}: the hash with its sign bit masked`);
    for (const [count, expected] of Object.entries(partitions)) {
      // The producer takes the partitioner's answer modulo the partition count.
      assert.equal(raw % Number(count), expected, `${key} over ${count} partitions`);
      if (defaultPartitioner(message, bytes) % Number(count) !== expected) differs++;
    }
  }
  assert.ok(differs > 0, "the library's default partitioner is not Java's: the vectors must show it");
});

test("records without a key go round robin per topic", () => {
  const partitioner = javaPartitioner();
  const pick = (topic: string) => partitioner({ topic, value: Buffer.from("v") }, undefined, { metadata: undefined });
  assert.deepEqual([pick("a"), pick("a"), pick("b"), pick("a")], [0, 1, 0, 2]);
});

test("an output record becomes a message: null key and value stay absent, headers keep duplicates", () => {
  const message = toMessage({
    topic: "sink",
    key: null,
    value: null,
    timestamp: 1_700_000_000_123,
    headers: [
      ["h", Buffer.from("1")],
      ["h", Buffer.from("2")],
    ],
  });
  assert.equal(message.key, undefined);
  assert.equal(message.value, undefined);
  assert.equal(message.partition, undefined);
  assert.equal(message.timestamp, 1_700_000_000_123n);
  const headers = [...((message.headers as Map<Buffer, Buffer>) ?? new Map()).entries()];
  assert.deepEqual(
    headers.map(([k, v]) => [k.toString(), v.toString()]),
    [
      ["h", "1"],
      ["h", "2"],
    ],
  );
  assert.equal(toMessage({ topic: "sink", partition: 3, key: null, value: null, timestamp: 0 }).partition, 3);
});
