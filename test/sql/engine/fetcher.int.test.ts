// The engine's fetch loop against the real broker: committed records only, headers and timestamps, positions that left the log.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { createConsumer, createProducer, type Producer } from "../../../src/kafka/index.ts";
import { type ByteConsumer, PartitionFetcher } from "../../../src/sql/engine/fetcher.ts";
import type { InputRecord } from "../../../src/sql/runtime/pipeline.ts";
import { uniqueTopic } from "../../support/kafka.ts";
import { createTopics, kafka, produce } from "./fixture.ts";

function fetcherFor(t: { after: (fn: () => Promise<void>) => void }, options = {}) {
  const consumer: ByteConsumer = createConsumer(kafka, {
    clientId: "fetcher-test",
    groupId: `fetcher-${randomUUID()}`,
  });
  t.after(() => consumer.close(true));
  return new PartitionFetcher(consumer, { maxWaitMs: 100, ...options });
}

/** Polls until the positions reach `end` on every partition read. */
async function readTo(fetcher: PartitionFetcher, end: bigint): Promise<InputRecord[]> {
  const records: InputRecord[] = [];
  while (fetcher.positions().some((p) => p.offset < end)) records.push(...(await fetcher.poll()));
  return records;
}

async function transactional(transactionalId: string): Promise<Producer> {
  const producer = createProducer(kafka, { transactionalId });
  const init = await producer.beginTransaction({ producerId: -1n, producerEpoch: -1 });
  await init.cancel();
  return producer;
}

test("read_committed leaves out every aborted transaction, two of one producer in one fetch too", async (t) => {
  const topic = uniqueTopic("fetch-txn");
  await createTopics([topic], 1);
  const producer = await transactional(uniqueTopic("txn"));
  t.after(() => producer.close(true));
  const write = async (values: string[], commit: boolean) => {
    const transaction = await producer.beginTransaction();
    await transaction.send({ messages: values.map((value) => ({ topic, value: Buffer.from(value) })) });
    if (commit) await transaction.commit();
    else await transaction.abort();
  };
  await write(["c1"], true);
  await write(["a1", "a2"], false);
  await write(["c2"], true);
  await write(["a3"], false);
  await write(["c3"], true);
  const fetcher = fetcherFor(t);
  fetcher.seek(topic, 0, 0n);
  const [end = 0n] = await fetcher.offsets(topic, "latest");
  const values = (await readTo(fetcher, end)).map((r) => r.value?.toString());
  assert.deepEqual(values, ["c1", "c2", "c3"]);
  assert.equal(fetcher.position(topic, 0), end, "the position moved past the markers too");
});

test("records come with headers, timestamps and null keys and values as written", async (t) => {
  const topic = uniqueTopic("fetch-fields");
  await createTopics([topic], 1);
  const producer = createProducer(kafka);
  t.after(() => producer.close());
  await producer.send({
    messages: [
      {
        topic,
        key: Buffer.from("k"),
        value: Buffer.from("v"),
        timestamp: 1_700_000_000_000n,
        headers: new Map([[Buffer.from("origin"), Buffer.from("plc-7")]]),
      },
      { topic, timestamp: 1_700_000_000_001n },
    ],
  });
  const fetcher = fetcherFor(t, { readCommitted: false });
  fetcher.seek(topic, 0, 0n);
  const [first, tombstone] = await readTo(fetcher, 2n);
  assert.equal(first?.timestamp, 1_700_000_000_000);
  assert.deepEqual(first?.headers, [["origin", Buffer.from("plc-7")]]);
  assert.deepEqual([first?.topic, first?.partition, first?.offset, first?.key?.toString()], [topic, 0, 0n, "k"]);
  assert.deepEqual([tombstone?.key, tombstone?.value, tombstone?.timestamp], [null, null, 1_700_000_000_001]);
});

test("a position past the log moves to its start or end, as the reset says", async (t) => {
  const topic = uniqueTopic("fetch-range");
  await createTopics([topic], 1);
  await produce(topic, [
    { key: null, value: "a" },
    { key: null, value: "b" },
  ]);
  const earliest = fetcherFor(t, { reset: "earliest" });
  earliest.seek(topic, 0, 100n);
  assert.deepEqual(await earliest.poll(), []);
  assert.equal(earliest.position(topic, 0), 0n);
  assert.deepEqual(
    (await readTo(earliest, 2n)).map((r) => r.value?.toString()),
    ["a", "b"],
  );
  const latest = fetcherFor(t, { reset: "latest" });
  latest.seek(topic, 0, 100n);
  await latest.poll();
  assert.equal(latest.position(topic, 0), 2n);
});

test("a topic that does not exist fails with SQL_TOPIC_MISSING naming it", async (t) => {
  const [present, missing] = [uniqueTopic("fetch-present"), uniqueTopic("fetch-missing")];
  await createTopics([present], 1);
  await assert.rejects(fetcherFor(t).partitionCounts([present, missing]), {
    code: "SQL_TOPIC_MISSING",
    message: `topic ${missing} does not exist`,
  });
});
