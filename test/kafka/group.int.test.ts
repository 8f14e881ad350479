// A consumer group of two members against the real broker: partitions split between them and move on a leave.
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import {
  type Consumer,
  consumeOwned,
  createAdmin,
  createConsumer,
  createProducer,
  stringDeserializers,
  stringSerializers,
} from "../../src/kafka/index.ts";
import { whenEvent } from "../support/events.ts";
import { testKafka, uniqueTopic } from "../support/kafka.ts";

const kafka = testKafka();
const PARTITIONS = 4;
/** Emitted by a consumer once it has its assignment for a new generation of the group. */
const JOINED = "consumer:group:join";

type StringConsumer = Consumer<string, string, string, string>;

function ownedPartitions(consumer: StringConsumer, topic: string): number[] {
  return (consumer.assignments ?? [])
    .filter((a) => a.topic === topic)
    .flatMap((a) => a.partitions)
    .sort();
}

/** Starts consuming and records, per partition, the values this member received; closed when the test ends. */
async function member(t: TestContext, groupId: string, topic: string) {
  const consumer: StringConsumer = createConsumer(kafka, {
    groupId,
    deserializers: stringDeserializers,
    sessionTimeout: 10_000,
    heartbeatInterval: 500,
  });
  const received = new Map<number, string[]>();
  const stream = await consumeOwned(consumer, {
    topics: [topic],
    mode: "committed",
    fallbackMode: "earliest",
    autocommit: 100,
  });
  stream.messages.on("data", (m) => {
    received.set(m.partition, [...(received.get(m.partition) ?? []), m.value]);
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await stream.close();
    await consumer.close();
  };
  t.after(close);
  return { consumer, stream, received, close };
}

test("two members split the partitions, and the survivor takes all of them when one leaves", async (t) => {
  const topic = uniqueTopic("group");
  const groupId = uniqueTopic("group-id");
  const admin = createAdmin(kafka);
  await admin.createTopics({ topics: [topic], partitions: PARTITIONS, replicas: 1 });
  await admin.close();
  const producer = createProducer(kafka, { serializers: stringSerializers });
  t.after(() => producer.close());
  const produceRound = async (round: string) => {
    const messages = [];
    for (let p = 0; p < PARTITIONS; p++) {
      for (let i = 0; i < 5; i++) messages.push({ topic, partition: p, key: `k${p}`, value: `${round}-p${p}-${i}` });
    }
    await producer.send({ messages });
  };

  const a = await member(t, groupId, topic);
  // Assignments change only when a member joins a new generation of the group: wait on that event.
  await whenEvent(
    "the first member to own every partition",
    [a.consumer],
    JOINED,
    () => ownedPartitions(a.consumer, topic).length === PARTITIONS,
  );

  const b = await member(t, groupId, topic);
  const split = await whenEvent("the two members to split the partitions", [a.consumer, b.consumer], JOINED, () => {
    const [ofA, ofB] = [ownedPartitions(a.consumer, topic), ownedPartitions(b.consumer, topic)];
    return ofA.length > 0 && ofB.length > 0 && ofA.length + ofB.length === PARTITIONS ? { ofA, ofB } : undefined;
  });
  assert.deepEqual([...split.ofA, ...split.ofB].sort(), [0, 1, 2, 3], "every partition has exactly one owner");

  // Produced the moment the split is seen, so the first member's fetch from before the rebalance is still in flight:
  // it must not deliver the records of partitions it has just lost.
  await produceRound("first");
  const expected = (round: string, p: number) => Array.from({ length: 5 }, (_, i) => `${round}-p${p}-${i}`);
  await whenEvent(
    "each member to receive its partitions' records",
    [a.stream.messages, b.stream.messages],
    "data",
    () =>
      [
        ...split.ofA.map((p) => a.received.get(p)?.length === 5),
        ...split.ofB.map((p) => b.received.get(p)?.length === 5),
      ].every(Boolean),
  );
  for (const p of split.ofA)
    assert.deepEqual(a.received.get(p), expected("first", p), `partition ${p} in order at its owner`);
  for (const p of split.ofB)
    assert.deepEqual(b.received.get(p), expected("first", p), `partition ${p} in order at its owner`);
  for (const p of split.ofB) assert.equal(a.received.get(p), undefined, `partition ${p} was only read by its owner`);

  await b.close();
  await whenEvent(
    "the survivor to own every partition again",
    [a.consumer],
    JOINED,
    () => ownedPartitions(a.consumer, topic).length === PARTITIONS,
  );

  await produceRound("second");
  await whenEvent("the survivor to receive the second round on every partition", [a.stream.messages], "data", () =>
    Array.from(
      { length: PARTITIONS },
      (_, p) => a.received.get(p)?.filter((v) => v.startsWith("second")).length === 5,
    ).every(Boolean),
  );
  for (let p = 0; p < PARTITIONS; p++) {
    const second = a.received.get(p)?.filter((v) => v.startsWith("second"));
    assert.deepEqual(second, expected("second", p), `partition ${p}'s second round in order`);
  }
  for (const p of split.ofB) {
    assert.ok(
      !a.received.get(p)?.some((v) => v.startsWith("first")),
      `partition ${p}'s committed records are not read again`,
    );
  }

  await a.close();
});
