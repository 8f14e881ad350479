// A sink when writes fail (the PLC away, the PLC refusing a value) and across a restart: bounded retries, dead letters,
// and committed offsets, so that a restarted sink does not write again what was written.
import assert from "node:assert/strict";
import { test } from "node:test";
import { testKafka, uniqueTopic } from "../../support/kafka.ts";
import { freePort } from "../../support/ports.ts";
import { createTopic, startPlant } from "../source/fixture.ts";
import { headersOf, plcValues, produce, readRecords, startSink, writePlc } from "./fixture.ts";

test("while the PLC is away a write is retried a bounded number of times, then dead-lettered as WRITE_FAILED", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "sink-in");
  const deadLetterTopic = uniqueTopic("sink-dlq");
  // Nothing listens on this port: the device is down for the whole test.
  const port = await freePort();
  const { outcomes, metrics, runner } = await startSink(t, kafka, "press", {
    url: `modbus-tcp://127.0.0.1:${port}?unit-identifier=3&request-timeout=300`,
    topic,
    tags: { pressureSetpoint: "holding-register:21:REAL" },
    retries: 2,
    timeout: "300ms",
    deadLetterTopic,
    groupId: uniqueTopic("sink-group"),
  });
  assert.notEqual(runner.status().health, "connected");

  await produce(kafka, topic, [{ key: "press", value: '{"tags":{"pressureSetpoint":180}}' }]);
  const outcome = await outcomes.next("the record");
  assert.equal(outcome.result, "WRITE_FAILED");
  assert.equal(outcome.attempts, 3, "the first attempt and two retries");

  const [letter] = await readRecords(kafka, deadLetterTopic, 1);
  assert.ok(letter);
  const headers = headersOf(letter);
  assert.equal(headers.get("fabrik.error.code"), "WRITE_FAILED");
  assert.equal(headers.get("fabrik.error.tags"), '{"pressureSetpoint":"REMOTE_ERROR"}');
  assert.match(
    headers.get("__connect.errors.exception.message") ?? "",
    /^1 of 1 tags not written after 3 attempts: pressureSetpoint: REMOTE_ERROR \(not written: /,
  );
  assert.equal(headers.get("__connect.errors.exception.class.name"), "WriteFailedError");
  const text = await metrics.metricsText();
  assert.match(text, /^fabrik_sink_dead_letters_total\{connector="line",sink="press"\} 1$/m);
  assert.doesNotMatch(text, /^fabrik_sink_writes_total\{connector="line",sink="press"\} [1-9]/m, "nothing written");
});

test("a value the PLC refuses is dead-lettered at once: retrying would not change its answer", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "sink-in");
  const deadLetterTopic = uniqueTopic("sink-dlq");
  const { sim, port } = await startPlant(21);
  t.after(() => sim.stop());
  const url = `modbus-tcp://127.0.0.1:${port}?unit-identifier=4&request-timeout=500`;
  const tags = { programName: "holding-register:21:STRING(32)" };
  const { outcomes } = await startSink(t, kafka, "robot", {
    url,
    topic,
    tags,
    retries: 5,
    deadLetterTopic,
    groupId: uniqueTopic("sink-group"),
  });

  // It fits STRING(32), so the sink sends it; the robot knows no such program and answers ILLEGAL DATA VALUE.
  await produce(kafka, topic, [{ value: '{"tags":{"programName":"NO_SUCH_PROGRAM"}}' }]);
  const outcome = await outcomes.next("the record");
  assert.equal(outcome.result, "WRITE_FAILED");
  assert.equal(outcome.attempts, 1);
  const [letter] = await readRecords(kafka, deadLetterTopic, 1);
  assert.equal(headersOf(letter!).get("fabrik.error.tags"), '{"programName":"INVALID_DATA"}');
  assert.deepEqual(await plcValues(url, tags), { programName: "PICK_PLACE_A" });
});

test("offsets are committed: a sink restarted in the same group does not write again what it wrote", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "sink-in");
  const { sim, port } = await startPlant(22);
  t.after(() => sim.stop());
  const url = `modbus-tcp://127.0.0.1:${port}?unit-identifier=6&request-timeout=500`;
  const tags = { packsPerLayer: "holding-register:21:DINT", layersPerPallet: "holding-register:23:DINT" };
  const config = { url, topic, tags, deadLetterTopic: uniqueTopic("sink-dlq"), groupId: uniqueTopic("sink-group") };

  const first = await startSink(t, kafka, "palletizer", config);
  await produce(kafka, topic, [{ value: '{"tags":{"packsPerLayer":10}}' }]);
  assert.equal((await first.outcomes.next("the first record")).result, "WRITTEN");
  await first.runner.stop();
  assert.equal(first.runner.status().state, "STOPPED");

  // The operator changes the recipe at the panel while the sink is away; its old command must not come back.
  await writePlc(url, { packsPerLayer: { address: tags.packsPerLayer, value: 12 } });
  await produce(kafka, topic, [{ value: '{"tags":{"layersPerPallet":7}}' }]);

  const second = await startSink(t, kafka, "palletizer", config);
  const outcome = await second.outcomes.next("the record produced while the sink was away");
  assert.deepEqual([outcome.offset, outcome.result], [1n, "WRITTEN"], "the sink resumes after the committed record");
  assert.deepEqual(await plcValues(url, tags), { packsPerLayer: 12, layersPerPallet: 7 });
  assert.equal(second.outcomes.all.length, 1);
});
