// Tests the exactly-once sender against the test broker: batches commit with their offset, owners fence each other.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { BufferedRecord } from "../../../src/connect/buffer/index.ts";
import { SourceFencedError } from "../../../src/connect/source/errors.ts";
import { readSourceOffset } from "../../../src/connect/source/offsets.ts";
import { TransactionalSender } from "../../../src/connect/source/transactional-sender.ts";
import type { KafkaConfig } from "../../../src/kafka/index.ts";
import { testKafka, uniqueTopic } from "../../support/kafka.ts";
import { createTopic, readSamples } from "./fixture.ts";

function records(topic: string, from: number, count: number): BufferedRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    topic,
    key: Buffer.from('{"sourceName":"press","jobName":"status"}'),
    value: Buffer.from(JSON.stringify({ tags: { sequence: from + i }, timestamp: 1_700_000_000_000 + from + i })),
    timestamp: 1_700_000_000_000 + from + i,
  }));
}

async function senders(kafka: KafkaConfig) {
  const topic = await createTopic(kafka, "eos-sender");
  const offsetsTopic = await createTopic(kafka, "eos-sender-offsets", 3);
  const transactionalId = uniqueTopic("txn");
  const sender = (bufferId: string) =>
    new TransactionalSender({
      kafka,
      clientId: "eos-sender-test",
      connector: "line",
      source: "press",
      transactionalId,
      offsetsTopic,
      bufferId,
    });
  return { topic, offsetsTopic, sender };
}

test("each batch commits with its offset; resuming as the same owner reads it back and keeps the id", async (t) => {
  const kafka = testKafka();
  const { topic, offsetsTopic, sender } = await senders(kafka);
  const owner = sender("buffer-a");
  t.after(() => owner.close());
  assert.equal(await owner.resume(), undefined, "nothing committed yet");
  await owner.send(records(topic, 0, 3), 2);
  await owner.send(records(topic, 3, 2), 4);
  assert.deepEqual(await readSourceOffset(kafka, offsetsTopic, "line", "press"), { bufferId: "buffer-a", position: 4 });
  // What the runner does after a failed send: a new producer, initialised as the same owner.
  assert.deepEqual(await owner.resume(), { bufferId: "buffer-a", position: 4 });
  await owner.send(records(topic, 5, 1), 5);
  assert.equal(owner.fenced, undefined);
  const { samples } = await readSamples(kafka, topic);
  assert.deepEqual(
    samples.map((s) => s.sequence),
    [0, 1, 2, 3, 4, 5],
  );
});

test("a new owner takes the id over and fences the old one, even between its transactions", async (t) => {
  const kafka = testKafka();
  const { topic, offsetsTopic, sender } = await senders(kafka);
  const old = sender("buffer-a");
  const next = sender("buffer-b");
  t.after(async () => {
    await old.close();
    await next.close();
  });
  await old.resume();
  await old.send(records(topic, 0, 2), 1);
  assert.deepEqual(
    await next.resume(),
    { bufferId: "buffer-a", position: 1 },
    "the new owner reads where the old stood",
  );
  await assert.rejects(old.send(records(topic, 2, 2), 3), "the old owner's transaction is refused");
  const fenced = await old.resume().then(
    () => assert.fail("the old owner initialised the id again"),
    (error: unknown) => error,
  );
  assert.ok(fenced instanceof SourceFencedError);
  assert.equal(fenced.code, "SOURCE_FENCED");
  assert.match(fenced.message, /line\/press: another owner took transactional id/);
  assert.equal(old.fenced, fenced);
  await assert.rejects(old.send(records(topic, 2, 2), 3), (error) => error === fenced, "for good");
  await next.send(records(topic, 100, 1), 0);
  const { samples } = await readSamples(kafka, topic);
  assert.deepEqual(
    samples.map((s) => s.sequence),
    [0, 1, 100],
  );
  assert.deepEqual(await readSourceOffset(kafka, offsetsTopic, "line", "press"), { bufferId: "buffer-b", position: 0 });
});
