// Tests what the exactly-once sender does without a broker that answers: closing ends it, for good.
import assert from "node:assert/strict";
import { test } from "node:test";
import { TransactionalSender } from "../../../src/connect/source/transactional-sender.ts";
import { silentKafka } from "../../support/silent-kafka.ts";

test("close ends a resume that Kafka does not answer, and the sender refuses every later call", async (t) => {
  const silent = await silentKafka(t);
  const sender = new TransactionalSender({
    kafka: silent.kafka,
    clientId: "eos-sender-test",
    connector: "line",
    source: "press",
    transactionalId: "fabrik-test-line-press",
    offsetsTopic: "fabrik-test-offsets",
    bufferId: "buffer-a",
  });
  const resumed = assert.rejects(sender.resume(), "the resume in progress fails");
  await silent.asked;
  await sender.close();
  await resumed;
  const connections = silent.connections();
  await assert.rejects(sender.resume(), /^Error: line\/press: the sender was closed$/);
  await assert.rejects(sender.send([], 0), /^Error: line\/press: the sender was closed$/);
  assert.equal(silent.connections(), connections, "no producer is made after close");
});
