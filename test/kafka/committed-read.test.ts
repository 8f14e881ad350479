// Tests that a committed read can be ended while Kafka does not answer (the reading itself needs a broker: .int.test).
import assert from "node:assert/strict";
import { test } from "node:test";
import { readCommitted } from "../../src/kafka/index.ts";
import { silentKafka } from "../support/silent-kafka.ts";

test("an aborted read ends at once although Kafka does not answer, rejecting with the abort's reason", async (t) => {
  const silent = await silentKafka(t);
  const controller = new AbortController();
  const reading = readCommitted(silent.kafka, "plant", () => assert.fail("nothing to visit"), {
    signal: controller.signal,
  });
  const outcome = reading.then(
    () => assert.fail("the read resolved"),
    (error: unknown) => error,
  );
  await silent.asked;
  const reason = new Error("stopping");
  controller.abort(reason);
  assert.equal(await outcome, reason);
});

test("a read aborted before it starts rejects without connecting", async (t) => {
  const silent = await silentKafka(t);
  const reason = new Error("stopped already");
  await assert.rejects(
    readCommitted(silent.kafka, "plant", () => {}, { signal: AbortSignal.abort(reason) }),
    (error) => error === reason,
  );
  assert.equal(silent.connections(), 0);
});
