// Topics as SQL statements see them, against the real broker: SHOW [ALL] TOPICS, sink topics, DELETE TOPIC.
import assert from "node:assert/strict";
import { test } from "node:test";
import { deleteTopic, describeTopics, ensureSinkTopic, listTopics } from "../../../src/sql/engine/topics.ts";
import { eventually, uniqueTopic } from "../../support/kafka.ts";
import { createTopics, kafka } from "./fixture.ts";

test("SHOW TOPICS leaves out internal topics, SHOW ALL TOPICS lists them, with partitions and replicas", async () => {
  const [plain, internal] = [uniqueTopic("show"), `_fabrik-sql-${uniqueTopic("show")}-commands`];
  await createTopics([plain, internal], 2);
  const shown = await listTopics(kafka);
  assert.deepEqual(
    shown.find((t) => t.name === plain),
    { name: plain, partitions: 2, replicas: 1, replicaInfo: [1, 1] },
  );
  assert.ok(!shown.some((t) => t.name.startsWith("_")), "no internal topic in SHOW TOPICS");
  assert.deepEqual(
    shown.map((t) => t.name),
    [...shown.map((t) => t.name)].sort(),
  );
  const all = await listTopics(kafka, { includeInternal: true });
  assert.ok(all.some((t) => t.name === internal));
  const described = await describeTopics(kafka, [plain, uniqueTopic("absent")]);
  assert.deepEqual([...described.keys()], [plain], "a topic that does not exist is left out");
});

test("a sink topic is created once; one that exists must have the partitions asked for", async () => {
  const name = uniqueTopic("sink");
  const spec = { name, partitions: 3, configs: { "cleanup.policy": "compact" } };
  assert.deepEqual(await ensureSinkTopic(kafka, spec), { name, partitions: 3, replicas: 1, replicaInfo: [1, 1, 1] });
  assert.equal((await ensureSinkTopic(kafka, spec)).partitions, 3, "applying the same command again is fine");
  await assert.rejects(ensureSinkTopic(kafka, { name, partitions: 2 }), {
    code: "SQL_TOPIC_CONFLICT",
    message: `topic ${name} already exists with 3 partitions and replication factor 1, but 2 partitions are required`,
  });
  await assert.rejects(ensureSinkTopic(kafka, { name, partitions: 3, replicas: 2 }), { code: "SQL_TOPIC_CONFLICT" });
});

test("DROP … DELETE TOPIC deletes the topic, and deleting it again is harmless", async () => {
  const name = uniqueTopic("drop");
  await createTopics([name], 1);
  assert.equal(await deleteTopic(kafka, name), true);
  assert.equal(await deleteTopic(kafka, name), false);
  await eventually("the deleted topic to leave the listing", async () =>
    (await listTopics(kafka)).every((t) => t.name !== name),
  );
});
