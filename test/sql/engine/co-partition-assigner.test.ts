// A query group's assignment: partition p of every topic to one member, even shares, members keep what they owned.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ClusterMetadata, ExtendedGroupProtocolSubscription } from "@platformatic/kafka";
import {
  assignCoPartitioned,
  coPartitionAssigner,
  decodeOwned,
  encodeOwned,
} from "../../../src/sql/engine/co-partition-assigner.ts";
import { seededRandom } from "../../support/random.ts";

const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));

/** Per member, the partition numbers it got of `topic`. */
function numbers(assigned: Map<string, Map<string, number[]>>, topic: string): Record<string, number[]> {
  return Object.fromEntries([...assigned].map(([member, topics]) => [member, topics.get(topic) ?? []]));
}

test("partition p of every topic goes to the same member, and shares differ by one at most", () => {
  const assigned = assignCoPartitioned(
    [
      { id: "b", owned: [] },
      { id: "a", owned: [] },
      { id: "c", owned: [] },
    ],
    counts({ source: 8, repartition: 8, table: 8 }),
  );
  const bySource = numbers(assigned, "source");
  assert.deepEqual(numbers(assigned, "repartition"), bySource);
  assert.deepEqual(numbers(assigned, "table"), bySource);
  assert.deepEqual(
    Object.values(bySource)
      .flat()
      .sort((x, y) => x - y),
    [0, 1, 2, 3, 4, 5, 6, 7],
  );
  const sizes = Object.values(bySource).map((p) => p.length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `shares ${sizes}`);
  assert.deepEqual(bySource, { a: [0, 3, 6], b: [1, 4, 7], c: [2, 5] }, "deterministic: fewest first, then by id");
});

test("a member keeps its partitions when another joins, up to its fair share", () => {
  const assigned = assignCoPartitioned(
    [
      { id: "old", owned: [0, 1, 2, 3] },
      { id: "new", owned: [] },
    ],
    counts({ source: 4 }),
  );
  const got = numbers(assigned, "source");
  assert.equal(got.old?.length, 2);
  assert.ok(got.old?.every((p) => [0, 1, 2, 3].includes(p)));
  assert.deepEqual([...(got.old ?? []), ...(got.new ?? [])].sort(), [0, 1, 2, 3]);
  assert.deepEqual(got.old, [0, 1], "keeps the first of what it owned");
});

test("claims that overlap, repeat or name partitions that do not exist are settled without double ownership", () => {
  const random = seededRandom(7);
  for (let round = 0; round < 200; round++) {
    const total = 1 + Math.floor(random() * 12);
    const members = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, i) => ({
      id: `m${i}`,
      owned: Array.from({ length: Math.floor(random() * 6) }, () => Math.floor(random() * (total + 3)) - 1),
    }));
    const got = numbers(assignCoPartitioned(members, counts({ s: total, smaller: Math.max(1, total - 2) })), "s");
    const all = Object.values(got).flat();
    assert.deepEqual(
      [...all].sort((x, y) => x - y),
      Array.from({ length: total }, (_, i) => i),
      `round ${round}`,
    );
    const sizes = Object.values(got).map((p) => p.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `round ${round}: shares ${sizes}`);
  }
});

test("a topic with fewer partitions gets only its own partition numbers; no members, no assignment", () => {
  const assigned = assignCoPartitioned(
    [
      { id: "a", owned: [] },
      { id: "b", owned: [] },
    ],
    counts({ big: 4, small: 2 }),
  );
  assert.deepEqual(numbers(assigned, "small"), { a: [0], b: [1] });
  assert.equal(assignCoPartitioned([], counts({ big: 4 })).size, 0);
});

test("the group assigner reads what members own from their subscription and answers every member", () => {
  const subscription = (owned: number[]): ExtendedGroupProtocolSubscription => ({
    memberId: "",
    version: 1,
    metadata: encodeOwned(owned),
  });
  const metadata = {
    topics: new Map([
      ["in", { partitionsCount: 4 }],
      ["rekey", { partitionsCount: 4 }],
    ]),
  } as unknown as ClusterMetadata;
  const members = new Map([
    ["x", subscription([2, 3])],
    ["y", subscription([])],
  ]);
  const result = coPartitionAssigner("x", members, new Set(["in", "rekey"]), metadata);
  const ofX = result.find((r) => r.memberId === "x")?.assignments;
  assert.deepEqual(ofX?.get("in"), { topic: "in", partitions: [2, 3] });
  assert.deepEqual(ofX?.get("rekey"), { topic: "rekey", partitions: [2, 3] });
  assert.deepEqual(result.find((r) => r.memberId === "y")?.assignments.get("in")?.partitions, [0, 1]);
  assert.deepEqual(decodeOwned({ memberId: "", version: 1, metadata: Buffer.from("not json") }), []);
});
