// A source against the simulator's Modbus face and the test broker: job records in Kafka, BAD while the PLC is away.
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeJson } from "../../../src/connect/records/index.ts";
import { createConsumer, type Message, stringDeserializers } from "../../../src/kafka/index.ts";
import { testKafka, uniqueTopic } from "../../support/kafka.ts";
import { assertEachSampleOnce, createTopic, startPlant, startSource } from "./fixture.ts";

interface JobValue {
  tags: { sequence: number | null; beltSpeed: number | null };
  quality: { sequence: string; beltSpeed: string };
  timestamp: number;
  expires: number | null;
}

test("a source polls the simulator into Kafka; while the PLC is away its records say BAD, then GOOD values resume", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "connect-source");
  const { sim, port } = await startPlant(7);
  await startSource(
    t,
    kafka,
    "conveyor",
    {
      url: `modbus-tcp://127.0.0.1:${port}?unit-identifier=1&request-timeout=500`,
      jobs: [
        {
          name: "status",
          interval: "100ms",
          tags: { sequence: "input-register:1:UDINT", beltSpeed: "input-register:11:REAL" },
          topic,
        },
      ],
    },
    { backoff: { baseMs: 50, capMs: 200 } },
  );
  const consumer = createConsumer(kafka, { groupId: uniqueTopic("group"), deserializers: stringDeserializers });
  t.after(async () => {
    await sim.stop();
    await consumer.close(true);
  });
  const stream = await consumer.consume({ topics: [topic], mode: "earliest" });
  const records: Message<string, string, string, string>[] = [];
  const values: JobValue[] = [];
  let phase: "before" | "away" | "back" = "before";
  let awaySince = 0;
  for await (const message of stream) {
    records.push(message);
    const value = decodeJson(message.value) as unknown as JobValue;
    values.push(value);
    if (phase === "before" && values.filter((v) => v.quality.sequence === "GOOD").length >= 5) {
      phase = "away";
      awaySince = values.length;
      await sim.modbus!.close();
    } else if (phase === "away" && values.slice(awaySince).filter((v) => v.quality.sequence === "BAD").length >= 3) {
      phase = "back";
      await sim.modbus!.listen();
      awaySince = values.length;
    } else if (phase === "back" && values.slice(awaySince).filter((v) => v.quality.sequence === "GOOD").length >= 3) {
      break;
    }
  }
  assert.deepEqual(JSON.parse(records[0]!.key), { sourceName: "conveyor", jobName: "status" });
  for (const [i, record] of records.entries()) {
    assert.equal(record.timestamp, BigInt(values[i]!.timestamp), "the Kafka timestamp is the sample time");
  }
  const bad = values.filter((v) => v.quality.sequence === "BAD");
  assert.ok(bad.length >= 3);
  for (const value of bad) assert.deepEqual(value.tags, { sequence: null, beltSpeed: null }, "never a stale value");
  assertEachSampleOnce(
    values
      .filter((v) => v.quality.sequence === "GOOD")
      .map((v) => ({ sequence: v.tags.sequence as number, timestamp: v.timestamp })),
  );
  const times = values.map((v) => v.timestamp);
  assert.deepEqual(
    [...times].sort((a, b) => a - b),
    times,
    "records arrive in sample order",
  );
});
