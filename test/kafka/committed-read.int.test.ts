// Tests reading a topic's committed records against the test broker: aborted and open transactions stay out.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CommittedReadError,
  type CommittedRecord,
  createProducer,
  type KafkaConfig,
  type Producer,
  readCommitted,
} from "../../src/kafka/index.ts";
import { createTopic, testKafka, uniqueTopic } from "../support/kafka.ts";

/** A transactional producer that has taken over `transactionalId` (aborting what an earlier holder left open). */
async function transactional(kafka: KafkaConfig, transactionalId: string): Promise<Producer> {
  const producer = createProducer(kafka, { transactionalId });
  const init = await producer.beginTransaction({ producerId: -1n, producerEpoch: -1 });
  await init.cancel();
  return producer;
}

async function inTransaction(producer: Producer, topic: string, values: string[], end: "commit" | "abort" | "leave") {
  const transaction = await producer.beginTransaction();
  await transaction.send({ messages: values.map((value) => ({ topic, value: Buffer.from(value) })) });
  if (end === "commit") await transaction.commit();
  else if (end === "abort") await transaction.abort();
}

test("a committed read leaves out every aborted transaction, several of one producer in one fetch too, and open ones", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "committed-read");
  const transactionalId = uniqueTopic("txn");
  const plain = createProducer(kafka);
  const other = await transactional(kafka, uniqueTopic("txn-other"));
  let first = await transactional(kafka, transactionalId);
  t.after(async () => {
    await plain.close(true);
    await other.close(true);
    await first.close(true);
  });
  await inTransaction(first, topic, ["c1"], "commit");
  await inTransaction(first, topic, ["a1", "a2"], "abort");
  await plain.send({ messages: [{ topic, value: Buffer.from("n1") }] });
  await inTransaction(first, topic, ["c2"], "commit");
  await inTransaction(first, topic, ["a3"], "abort");
  // A holder that dies inside a transaction: the next holder of the id aborts what it left.
  await inTransaction(first, topic, ["a4"], "leave");
  await first.close(true);
  first = await transactional(kafka, transactionalId);
  await inTransaction(first, topic, ["c3", "c4"], "commit");
  await inTransaction(other, topic, ["o1"], "leave");

  const read: CommittedRecord[] = [];
  const stats = await readCommitted(kafka, topic, (record) => read.push(record));
  assert.deepEqual(
    read.map((record) => record.value?.toString()),
    ["c1", "n1", "c2", "c3", "c4"],
  );
  assert.deepEqual(stats, { committed: 5, aborted: 4, open: 1 });
  const offsets = read.map((record) => record.offset);
  assert.deepEqual(
    offsets,
    [...offsets].sort((a, b) => (a < b ? -1 : 1)),
    "one producer's commits in offset order",
  );
  assert.ok(read.every((record) => record.partition === 0 && record.timestamp > 0n));
});

test("reading a topic that does not exist fails with a CommittedReadError naming it", async () => {
  const kafka = testKafka();
  const topic = uniqueTopic("missing");
  await assert.rejects(
    readCommitted(kafka, topic, () => {}),
    (error) => error instanceof CommittedReadError && error.code === "COMMITTED_READ_FAILED" && error.topic === topic,
  );
});
