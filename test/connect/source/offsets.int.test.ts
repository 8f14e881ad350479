// Tests reading a source's committed offset back from an offsets topic on the test broker.
import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeSourceOffset, readSourceOffset, sourceOffsetKey } from "../../../src/connect/source/offsets.ts";
import { CommittedReadError, createProducer, type KafkaConfig, type Producer } from "../../../src/kafka/index.ts";
import { testKafka, uniqueTopic } from "../../support/kafka.ts";
import { createTopic } from "./fixture.ts";

const press = sourceOffsetKey("line", "press");

function offset(position: number): Buffer {
  return encodeSourceOffset({ bufferId: "b1", position });
}

async function write(
  producer: Producer,
  topic: string,
  entries: [Buffer, Buffer | undefined][],
  end: "commit" | "abort" | "none",
): Promise<void> {
  const messages = entries.map(([key, value]) => ({ topic, key, value }));
  if (end === "none") {
    await producer.send({ messages });
    return;
  }
  const transaction = await producer.beginTransaction();
  await transaction.send({ messages });
  await (end === "commit" ? transaction.commit() : transaction.abort());
}

async function producers(kafka: KafkaConfig) {
  const transactional = createProducer(kafka, { transactionalId: uniqueTopic("txn") });
  const init = await transactional.beginTransaction({ producerId: -1n, producerEpoch: -1 });
  await init.cancel();
  return { transactional, plain: createProducer(kafka) };
}

test("the latest committed offset of the source counts; other sources, aborts and bad values do not", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "offsets", 3);
  const { transactional, plain } = await producers(kafka);
  t.after(async () => {
    await transactional.close(true);
    await plain.close(true);
  });
  assert.equal(await readSourceOffset(kafka, topic, "line", "press"), undefined, "an empty topic holds no offset");
  await write(transactional, topic, [[press, offset(10)]], "commit");
  await write(
    transactional,
    topic,
    [
      [press, offset(20)],
      [sourceOffsetKey("line", "robot"), offset(99)],
    ],
    "commit",
  );
  await write(transactional, topic, [[press, offset(30)]], "abort");
  await write(plain, topic, [[press, Buffer.from("not json")]], "none");
  assert.deepEqual(await readSourceOffset(kafka, topic, "line", "press"), { bufferId: "b1", position: 20 });
  assert.deepEqual(await readSourceOffset(kafka, topic, "line", "robot"), { bufferId: "b1", position: 99 });
  await write(plain, topic, [[press, undefined]], "none");
  assert.equal(await readSourceOffset(kafka, topic, "line", "press"), undefined, "a tombstone forgets the offset");
});

test("an offsets topic that does not exist is a CommittedReadError naming it", async () => {
  const topic = uniqueTopic("no-offsets");
  await assert.rejects(
    readSourceOffset(testKafka(), topic, "line", "press"),
    (error) => error instanceof CommittedReadError && error.topic === topic && /does not exist/.test(error.message),
  );
});
