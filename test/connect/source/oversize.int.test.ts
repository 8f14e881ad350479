// A record larger than its topic's max.message.bytes is set aside in the rejected-records file with Kafka's reason,
// while the records around it keep flowing in order: nothing retried forever, nothing dropped in silence.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { type TestContext, test } from "node:test";
import { decodeJson } from "../../../src/connect/records/index.ts";
import type { RejectedRecord } from "../../../src/connect/source/rejected.ts";
import { rejectedPath } from "../../../src/connect/source/source-runner.ts";
import { createAdmin } from "../../../src/kafka/index.ts";
import { eventually, testKafka, uniqueTopic } from "../../support/kafka.ts";
import { assertEachSampleOnce, createTopic, metricValue, readSamples, startPlant, startSource } from "./fixture.ts";

const MAX_MESSAGE_BYTES = 2048;

for (const delivery of ["at-least-once", "exactly-once"] as const) {
  test(`${delivery}: records over the topic's size limit are set aside with the reason; the others arrive once, in order`, async (t) => {
    await oversize(t, delivery);
  });
}

async function oversize(t: TestContext, delivery: "at-least-once" | "exactly-once"): Promise<void> {
  const kafka = testKafka();
  const topic = uniqueTopic("connect-oversize");
  const admin = createAdmin(kafka);
  await admin.createTopics({
    topics: [topic],
    partitions: 1,
    replicas: 1,
    configs: [{ name: "max.message.bytes", value: String(MAX_MESSAGE_BYTES) }],
  });
  await admin.close();
  const { sim, port } = await startPlant(11);
  t.after(() => sim.stop());
  // Thirty long aliases (each also named in the record's quality map) make a record of several KiB.
  const bigTags = Object.fromEntries(
    Array.from({ length: 30 }, (_, i) => [`conveyor_belt_sequence_counter_copy_number_${i}`, "input-register:1:UDINT"]),
  );
  const exactlyOnce =
    delivery === "exactly-once"
      ? { transactionalId: uniqueTopic("txn"), offsetsTopic: await createTopic(kafka, "oversize-offsets") }
      : undefined;
  const { metrics, bufferDir } = await startSource(
    t,
    kafka,
    "conveyor",
    {
      url: `modbus-tcp://127.0.0.1:${port}?unit-identifier=1&request-timeout=500`,
      jobs: [
        { name: "small", interval: "50ms", tags: { sequence: "input-register:1:UDINT" }, topic },
        { name: "big", interval: "200ms", tags: bigTags, topic },
      ],
    },
    exactlyOnce === undefined ? {} : { exactlyOnce },
  );
  const path = rejectedPath(bufferDir, "line", "conveyor");
  const rejected = await eventually("three big records set aside and twenty small ones delivered", async () => {
    const lines = await readFile(path, "utf8").catch(() => "");
    const kept = lines
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as RejectedRecord);
    const { samples } = await readSamples(kafka, topic);
    return kept.length >= 3 && samples.length >= 20 ? kept : undefined;
  });
  for (const record of rejected) {
    assert.equal(record.topic, topic);
    assert.match(record.reason, /larger than the max message size/);
    assert.ok(record.bytes > MAX_MESSAGE_BYTES, `${record.bytes} bytes`);
    const key = JSON.parse(Buffer.from(record.key!, "base64").toString("utf8")) as { jobName: string };
    assert.equal(key.jobName, "big", "only the big job's records are refused");
    const value = decodeJson(Buffer.from(record.value!, "base64").toString("utf8")) as { tags: object };
    assert.equal(Object.keys(value.tags).length, 30, "the record is kept whole");
  }
  assert.ok((await metricValue(metrics, "fabrik_producer_rejected_records_total")) >= rejected.length);
  const { samples } = await readSamples(kafka, topic);
  assertEachSampleOnce(samples);
}
