// Two runners of one source with the same transactional id: the newer fences the older, which stops for good.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ConnectLog } from "../../../src/connect/log.ts";
import { SourceFencedError } from "../../../src/connect/source/errors.ts";
import { eventually, testKafka, uniqueTopic } from "../../support/kafka.ts";
import { createTopic, metricValue, readSamples, startPlant, startSource } from "./fixture.ts";

const PRODUCED = "fabrik_producer_records_total";

test("a second runner with the same transactional id fences the first: it stops sending, nothing arrives twice", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "eos-fence");
  const offsetsTopic = await createTopic(kafka, "eos-fence-offsets");
  const { sim, port } = await startPlant(9);
  const transactionalId = uniqueTopic("txn");
  const source = {
    url: `modbus-tcp://127.0.0.1:${port}?unit-identifier=1`,
    jobs: [{ name: "status", interval: "50ms", tags: { sequence: "input-register:1:UDINT" }, topic }],
  };
  const errors: string[] = [];
  const log: ConnectLog = { info() {}, warn() {}, error: (message) => errors.push(message) };
  let fenced: (error: SourceFencedError) => void = () => {};
  const fencedOnce = new Promise<SourceFencedError>((resolve) => {
    fenced = resolve;
  });
  const older = await startSource(t, kafka, "conveyor", source, {
    log,
    exactlyOnce: { transactionalId, offsetsTopic, onFenced: (error) => fenced(error) },
  });
  // The older one must own the transactional id first: whichever initialises last fences the other.
  await eventually("the older runner to deliver", async () => (await metricValue(older.metrics, PRODUCED)) > 0);
  const newer = await startSource(t, kafka, "conveyor", source, { exactlyOnce: { transactionalId, offsetsTopic } });
  t.after(() => sim.stop());

  const error = await fencedOnce;
  assert.equal(error.code, "SOURCE_FENCED");
  assert.equal(error.transactionalId, transactionalId);
  assert.equal(older.runner.fenced, true);
  assert.equal(newer.runner.fenced, false);
  assert.ok(
    errors.some((message) => message.includes("fences this runner") && message.includes("stops sending")),
    `the fence was logged as an error: ${errors.join("; ")}`,
  );
  await assert.rejects(older.runner.drained(), (e) => e instanceof SourceFencedError);
  const producedByOlder = await metricValue(older.metrics, PRODUCED);

  // The newer runner goes on delivering while the older one holds its unsent records.
  await newer.runner.drained();
  await newer.runner.stopSampling();
  await newer.runner.drained();
  assert.equal(await metricValue(older.metrics, PRODUCED), producedByOlder, "the fenced runner sent nothing more");
  const producedByNewer = await metricValue(newer.metrics, PRODUCED);
  assert.ok(producedByNewer > 0);

  const { samples, stats } = await readSamples(kafka, topic);
  const keys = samples.map((s) => `${s.sequence}@${s.timestamp}`);
  assert.equal(new Set(keys).size, keys.length, "no sample twice");
  assert.equal(stats.committed, producedByOlder + producedByNewer, "Kafka holds what both runners counted as sent");
});
