// An idempotent producer keeps sending while the broker is stopped and restarted: exactly once, in order per partition.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  consumeOwned,
  createAdmin,
  createConsumer,
  createProducer,
  type KafkaConfig,
  type RunningBroker,
  startBroker,
  stringDeserializers,
  stringSerializers,
} from "../../src/kafka/index.ts";
import { uniqueTopic } from "../support/kafka.ts";

const PARTITIONS = 3;
const PER_PARTITION = 150;
const RESTART_AFTER = 150;

test("records sent across a broker restart arrive exactly once and in order", async (t) => {
  // This test stops its broker, so it runs its own instead of the shared one.
  const dir = await mkdtemp(join(tmpdir(), "fabrik-restart-"));
  let broker: RunningBroker = await startBroker({ dir, heapMb: 384 });
  t.after(async () => {
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const kafka: KafkaConfig = { bootstrapServers: [broker.bootstrap] };
  const topic = uniqueTopic("restart");
  const admin = createAdmin(kafka);
  await admin.createTopics({ topics: [topic], partitions: PARTITIONS, replicas: 1 });
  await admin.close();

  // Enough retries to outlast the restart: within its retries the client resends a batch with the same producer id
  // and sequence number, which is what lets the broker drop a duplicate.
  const producer = createProducer(kafka, { serializers: stringSerializers, retries: 400, retryDelay: 250 });
  t.after(() => producer.close());

  let restarted = false;
  let sentAcrossOutage = 0;
  let reachedRestartPoint!: () => void;
  const restartPoint = new Promise<void>((resolve) => {
    reachedRestartPoint = resolve;
  });
  const sending = (async () => {
    for (let i = 0; i < PARTITIONS * PER_PARTITION; i++) {
      if (i === RESTART_AFTER) reachedRestartPoint();
      const startedBeforeRestart = !restarted;
      const partition = i % PARTITIONS;
      await producer.send({
        messages: [{ topic, partition, key: `p${partition}`, value: String(Math.floor(i / PARTITIONS)) }],
      });
      if (startedBeforeRestart && restarted) sentAcrossOutage++;
    }
  })();

  await restartPoint;
  await broker.stop();
  broker = await startBroker(broker.options);
  restarted = true;
  await sending;
  assert.ok(sentAcrossOutage >= 1, "a send was waiting while the broker was down and completed after it came back");

  const consumer = createConsumer(kafka, { groupId: uniqueTopic("restart-check"), deserializers: stringDeserializers });
  const stream = await consumeOwned(consumer, { topics: [topic], mode: "earliest", autocommit: false });
  const received = new Map<number, number[]>();
  let count = 0;
  for await (const message of stream.messages) {
    received.set(message.partition, [...(received.get(message.partition) ?? []), Number(message.value)]);
    if (++count === PARTITIONS * PER_PARTITION) break;
  }
  await stream.close();
  await consumer.close();

  const sequence = Array.from({ length: PER_PARTITION }, (_, i) => i);
  for (let p = 0; p < PARTITIONS; p++)
    assert.deepEqual(received.get(p), sequence, `partition ${p}: every record once, in order`);

  // Nothing beyond what was read: the log end offsets equal the record counts.
  const admin2 = createAdmin(kafka);
  const offsets = await admin2.listOffsets({
    topics: [
      {
        name: topic,
        partitions: Array.from({ length: PARTITIONS }, (_, p) => ({ partitionIndex: p, timestamp: -1n })),
      },
    ],
  });
  await admin2.close();
  const ends = offsets[0]?.partitions.map((p) => [p.partitionIndex, p.offset]).sort();
  assert.deepEqual(
    ends,
    Array.from({ length: PARTITIONS }, (_, p) => [p, BigInt(PER_PARTITION)]),
    "no duplicate records in the log",
  );
});
