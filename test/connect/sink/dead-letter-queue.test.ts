// Tests that a sink's dead letter send, retried until Kafka has it, ends at once when the sink stops.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DeadLetterQueue } from "../../../src/connect/sink/dead-letter-queue.ts";
import { BadRecordError } from "../../../src/connect/sink/errors.ts";
import { Backoff, realSchedule } from "../../../src/plc/index.ts";
import { silentKafka } from "../../support/silent-kafka.ts";

test("abandon ends a dead letter send that Kafka does not answer with false", async (t) => {
  const silent = await silentKafka(t);
  const queue = new DeadLetterQueue({
    kafka: silent.kafka,
    clientId: "dlq-test",
    topic: "line.setpoints.dlq",
    connector: "line",
    taskId: 0,
    schedule: realSchedule,
    backoff: new Backoff({ baseMs: 250, factor: 2, capMs: 5_000 }, () => 0.5),
    onError: () => {},
  });
  t.after(() => queue.close());
  const sending = queue.send(
    {
      topic: "line.setpoints",
      partition: 0,
      offset: 7n,
      key: null,
      value: Buffer.from("{"),
      timestamp: 1_700_000_000_000n,
      headers: new Map(),
    },
    new BadRecordError("value: unexpected end of JSON", "value"),
  );
  await silent.asked;
  queue.abandon();
  assert.equal(await sending, false);
});
