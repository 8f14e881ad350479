// A sink against the test broker and the simulator's Modbus face: records written and read back from the PLC, and
// records refused (allow-list, expiry, bad data) dead-lettered with their reason while the PLC keeps its values.
import assert from "node:assert/strict";
import { test } from "node:test";
import { testKafka, uniqueTopic } from "../../support/kafka.ts";
import { createTopic, startPlant } from "../source/fixture.ts";
import { headersOf, plcValues, produce, readRecords, startSink } from "./fixture.ts";

const ROBOT = { speedOverride: "holding-register:11:REAL", programName: "holding-register:21:STRING(32)" };

function robotUrl(port: number): string {
  return `modbus-tcp://127.0.0.1:${port}?unit-identifier=4&request-timeout=500`;
}

test("records of every accepted shape are written to the PLC, each in one write, and read back from it", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "sink-in");
  const { sim, port } = await startPlant(11);
  t.after(() => sim.stop());
  const url = robotUrl(port);
  const { outcomes, metrics, runner } = await startSink(t, kafka, "robot", {
    url,
    topic,
    tags: ROBOT,
    deadLetterTopic: uniqueTopic("sink-dlq"),
    groupId: uniqueTopic("sink-group"),
  });

  await produce(kafka, topic, [
    {
      key: '{"sourceName":"optimizer","jobName":"robot"}',
      value: '{"tags":{"speedOverride":42.5,"programName":"PICK_PLACE_B"},"timestamp":1700000000000,"expires":null}',
    },
  ]);
  assert.deepEqual(await outcomes.next("the job record"), {
    topic,
    partition: 0,
    offset: 0n,
    result: "WRITTEN",
    attempts: 1,
  });
  assert.deepEqual(await plcValues(url, ROBOT), { speedOverride: 42.5, programName: "PICK_PLACE_B" });

  await produce(kafka, topic, [{ key: "optimizer/speedOverride", value: '{"value":55,"quality":"GOOD"}' }]);
  assert.equal((await outcomes.next("the tag record")).result, "WRITTEN");
  assert.deepEqual(await plcValues(url, ROBOT), { speedOverride: 55, programName: "PICK_PLACE_B" });

  // As PLC4X's Kafka Connect sink receives it with JsonConverter and schemas enabled; expires is an offset there.
  const plc4x = {
    schema: {
      type: "struct",
      name: "org.apache.plc4x.kafka.schema.JobResult",
      fields: [
        { field: "tags", type: "struct", fields: [{ field: "speedOverride", type: "float", optional: true }] },
        { field: "timestamp", type: "int64" },
        { field: "expires", type: "int64", optional: true },
      ],
    },
    payload: { tags: { speedOverride: 64.25 }, timestamp: Date.now(), expires: 60_000 },
  };
  await produce(kafka, topic, [{ value: JSON.stringify(plc4x) }]);
  assert.equal((await outcomes.next("the PLC4X record")).result, "WRITTEN");
  assert.deepEqual(await plcValues(url, ROBOT), { speedOverride: 64.25, programName: "PICK_PLACE_B" });

  const text = await metrics.metricsText();
  assert.match(text, /^fabrik_sink_writes_total\{connector="line",sink="robot"\} 4$/m, "two tags, then one, then one");
  assert.deepEqual(
    { written: runner.status().written, deadLettered: runner.status().deadLettered },
    { written: 3, deadLettered: 0 },
  );
  assert.equal(runner.status().health, "connected");
});

test("a record naming a tag outside the allow-list is not written at all, and goes to the dead letters as it was", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "sink-in");
  const deadLetterTopic = uniqueTopic("sink-dlq");
  const { sim, port } = await startPlant(12);
  t.after(() => sim.stop());
  const url = robotUrl(port);
  const before = await plcValues(url, ROBOT);
  const { outcomes, log } = await startSink(t, kafka, "robot", {
    url,
    topic,
    tags: { speedOverride: ROBOT.speedOverride },
    deadLetterTopic,
    groupId: uniqueTopic("sink-group"),
  });

  const value = '{"tags":{"speedOverride":20,"programName":"PICK_PLACE_C"}}';
  await produce(kafka, topic, [{ key: "k1", value, timestamp: 1700000000000n, headers: { "trace-id": "t-1" } }]);
  const outcome = await outcomes.next("the record");
  assert.equal(outcome.result, "NOT_ALLOWED");
  assert.equal(outcome.attempts, 0, "the PLC was not asked to write anything");
  assert.deepEqual(await plcValues(url, ROBOT), before, "neither tag changed on the PLC");

  const [letter] = await readRecords(kafka, deadLetterTopic, 1);
  assert.ok(letter);
  assert.equal(letter.key, "k1");
  assert.equal(letter.value, value);
  assert.equal(letter.timestamp, 1700000000000n);
  const headers = headersOf(letter);
  assert.equal(headers.get("trace-id"), "t-1");
  assert.equal(headers.get("fabrik.error.code"), "NOT_ALLOWED");
  assert.equal(headers.get("fabrik.error.tags"), '{"programName":"NOT_ALLOWED"}');
  assert.equal(headers.get("__connect.errors.topic"), topic);
  assert.equal(headers.get("__connect.errors.partition"), "0");
  assert.equal(headers.get("__connect.errors.offset"), "0");
  assert.equal(headers.get("__connect.errors.connector.name"), "line");
  assert.equal(headers.get("__connect.errors.exception.class.name"), "NotAllowedError");
  assert.equal(
    headers.get("__connect.errors.exception.message"),
    "tags.programName: not in this sink's allow-list (speedOverride); nothing of the record was written",
  );
  assert.ok(log.lines.some((line) => line.startsWith("warn: line/robot: record") && line.includes("NOT_ALLOWED")));
});

test("expired and bad records go to the dead letters with their reason, in order, and the PLC keeps its value", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "sink-in");
  const deadLetterTopic = uniqueTopic("sink-dlq");
  const { sim, port } = await startPlant(13);
  t.after(() => sim.stop());
  const url = robotUrl(port);
  const { outcomes, log } = await startSink(t, kafka, "robot", {
    url,
    topic,
    tags: ROBOT,
    deadLetterTopic,
    groupId: uniqueTopic("sink-group"),
  });

  await produce(kafka, topic, [
    { value: JSON.stringify({ tags: { speedOverride: 30 }, expires: Date.now() - 1000 }) },
    { value: "speedOverride=30" },
    { value: Buffer.from([0xff, 0x7b, 0x7d]) },
    { value: '{"speedOverride":30}' },
    { value: '{"tags":{"speedOverride":"fast"}}' },
  ]);
  const results = [];
  for (let i = 0; i < 5; i++) results.push((await outcomes.next(`record ${i}`)).result);
  assert.deepEqual(results, ["EXPIRED", "BAD_RECORD", "BAD_RECORD", "BAD_RECORD", "BAD_RECORD"]);
  assert.deepEqual(await plcValues(url, { speedOverride: ROBOT.speedOverride }), { speedOverride: 100 });

  const letters = await readRecords(kafka, deadLetterTopic, 5);
  const summary = letters.map((letter) => {
    const headers = headersOf(letter);
    return [
      headers.get("__connect.errors.offset"),
      headers.get("fabrik.error.code"),
      headers.get("__connect.errors.stage"),
      headers.get("__connect.errors.exception.message")?.replace(/: Unexpected token.*/, ": …"),
    ];
  });
  assert.match(summary[0]![3]!, /^expired at \S+Z, \d+ ms before it could be written$/);
  assert.match(summary[1]![3]!, /^value: not valid JSON: /);
  assert.deepEqual(
    summary.map(([offset, code, stage]) => [offset, code, stage]),
    [
      ["0", "EXPIRED", "TASK_PUT"],
      ["1", "BAD_RECORD", "VALUE_CONVERTER"],
      ["2", "BAD_RECORD", "VALUE_CONVERTER"],
      ["3", "BAD_RECORD", "TASK_PUT"],
      ["4", "BAD_RECORD", "TASK_PUT"],
    ],
  );
  assert.equal(summary[2]![3], "value: not UTF-8 text; expected JSON");
  assert.match(summary[3]![3]!, /^expected a job record .* got an object with fields "speedOverride"$/);
  assert.equal(summary[4]![3], 'tags.speedOverride: expected a number for REAL, got "fast"');
  assert.equal(headersOf(letters[4]!).get("fabrik.error.tags"), '{"speedOverride":"INVALID_DATA"}');
  assert.deepEqual(letters[2]!.value, Buffer.from([0xff, 0x7b, 0x7d]).toString(), "the bytes are kept as they were");

  const warned = log.lines.filter((line) => line.startsWith("warn: line/robot: record"));
  assert.equal(warned.length, 1, "five dead letters in a burst are one warning (and a summary later)");

  await produce(kafka, topic, [{ value: '{"tags":{"speedOverride":77}}' }]);
  assert.equal((await outcomes.next("the good record after them")).result, "WRITTEN");
  assert.deepEqual(await plcValues(url, { speedOverride: ROBOT.speedOverride }), { speedOverride: 77 });
});
