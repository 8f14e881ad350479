// Producing and consuming through Fabrik's Kafka layer against the real broker: keys, headers, timestamps, admin.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import {
  createAdmin,
  createConsumer,
  createProducer,
  type Message,
  stringDeserializers,
  stringSerializers,
} from "../../src/kafka/index.ts";
import { eventually, testKafka, uniqueTopic } from "../support/kafka.ts";

const kafka = testKafka();
const admin = createAdmin(kafka);
after(() => admin.close());

test("a record comes back with its key, value, headers, partition and timestamp", async () => {
  const topic = uniqueTopic("roundtrip");
  await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 });
  const producer = createProducer(kafka, { serializers: stringSerializers });
  const sent: { key: string; value: string; partition: number; timestamp: bigint; headers: Record<string, string> }[] =
    [
      { key: "press-1", value: '{"t":71.5}', partition: 0, timestamp: 1_700_000_000_123n, headers: { unit: "°C" } },
      { key: "press-1", value: '{"t":71.9}', partition: 0, timestamp: 1_700_000_001_123n, headers: { unit: "°C" } },
      {
        key: "conveyor-1",
        value: "ünïcode ✓",
        partition: 2,
        timestamp: 1_700_000_002_000n,
        headers: { a: "1", b: "2" },
      },
    ];
  const result = await producer.send({ messages: sent.map((m) => ({ ...m, topic })) });
  assert.deepEqual(result.offsets?.map((o) => [o.partition, o.offset]).sort(), [
    [0, 0n],
    [2, 0n],
  ]);
  await producer.close();

  const consumer = createConsumer(kafka, { groupId: uniqueTopic("group"), deserializers: stringDeserializers });
  const stream = await consumer.consume({ topics: [topic], mode: "earliest" });
  const received: Message<string, string, string, string>[] = [];
  for await (const message of stream) {
    received.push(message);
    if (received.length === sent.length) break;
  }
  await stream.close();
  await consumer.close();

  const byOrder = received.sort((a, b) => Number(a.timestamp - b.timestamp));
  assert.deepEqual(
    byOrder.map((m) => ({
      key: m.key,
      value: m.value,
      partition: m.partition,
      timestamp: m.timestamp,
      headers: Object.fromEntries(m.headers),
    })),
    sent,
  );
  assert.deepEqual(
    byOrder.map((m) => m.offset),
    [0n, 1n, 0n],
  );
});

test("admin creates, lists, describes and deletes topics", async () => {
  const topic = uniqueTopic("admin");
  const created = await admin.createTopics({
    topics: [topic],
    partitions: 4,
    replicas: 1,
    configs: [{ name: "cleanup.policy", value: "compact" }],
  });
  assert.equal(created[0]?.name, topic);
  assert.equal(created[0]?.partitions, 4);

  // Like deletion below, creation reaches the broker's metadata a moment after the controller accepts it.
  await eventually("the new topic to be listed", async () => (await admin.listTopics()).includes(topic), 10_000);

  const metadata = await admin.metadata({ topics: [topic] });
  assert.equal(metadata.topics.get(topic)?.partitionsCount, 4);

  const [description] = await admin.describeConfigs({ resources: [{ resourceType: 2, resourceName: topic }] });
  const policy = description?.configs.find((c) => c.name === "cleanup.policy");
  assert.equal(policy?.value, "compact");

  await assert.rejects(
    admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 }),
    /already exists/i,
    "creating it twice is refused",
  );

  await admin.deleteTopics({ topics: [topic] });
  // Deletion is accepted by the controller at once but reaches the broker's metadata a moment later, with no event to
  // wait on: the listing is asked again until the topic is gone.
  await eventually(
    "the deleted topic to leave the listing",
    async () => !(await admin.listTopics()).includes(topic),
    10_000,
  );
});
