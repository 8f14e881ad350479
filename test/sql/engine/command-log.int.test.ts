// The command log against the real broker: replay on open, appends from two servers in one order, bad records skipped.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createProducer } from "../../../src/kafka/index.ts";
import { type Command, CommandLog, type LoggedCommand } from "../../../src/sql/engine/command-log.ts";
import { commandTopic } from "../../../src/sql/engine/internal-names.ts";
import { testKafka, uniqueTopic } from "../../support/kafka.ts";

const kafka = testKafka();

function statement(text: string): Command {
  return { statement: text, properties: { "auto.offset.reset": "earliest" } };
}

/** Opens a log that records what it applies, closed when the test ends. */
async function server(t: { after: (fn: () => Promise<void>) => void }, serviceId: string, name: string) {
  const applied: LoggedCommand[] = [];
  const problems: [number, string][] = [];
  const log = await CommandLog.open({
    kafka,
    serviceId,
    serverId: name,
    apply: (command) => {
      applied.push(command);
    },
    onProblem: (sequence, error) => problems.push([sequence, error.message]),
  });
  t.after(() => log.close());
  return { log, applied, problems };
}

test("two servers append at once; both apply every command in one order, and a new server replays it", async (t) => {
  const serviceId = uniqueTopic("cmd").replace(/^test-/, "");
  const a = await server(t, serviceId, "a");
  const b = await server(t, serviceId, "b");
  assert.equal(a.log.next, 0, "a new service starts with an empty history");

  const appends = await Promise.all(
    Array.from({ length: 10 }, (_, i) => [
      a.log.append(statement(`CREATE STREAM A${i} (X INT) WITH (KAFKA_TOPIC='a${i}', VALUE_FORMAT='JSON');`)),
      b.log.append(statement(`CREATE STREAM B${i} (X INT) WITH (KAFKA_TOPIC='b${i}', VALUE_FORMAT='JSON');`)),
    ]).flat(),
  );
  assert.deepEqual(
    [...appends].sort((x, y) => x - y),
    Array.from({ length: 20 }, (_, i) => i),
    "each append got its own sequence number",
  );
  // An append resolves once its own server applied it; the other server gets there when it has read as far.
  await a.log.caughtUp();
  await b.log.caughtUp();
  const order = (applied: LoggedCommand[]) => applied.map((c) => [c.sequence, c.command.statement, c.origin]);
  assert.equal(a.applied.length, 20);
  assert.deepEqual(order(b.applied), order(a.applied), "both servers applied the same commands in the same order");
  assert.deepEqual(
    a.applied.map((c) => c.sequence),
    Array.from({ length: 20 }, (_, i) => i),
  );
  for (const [i, sequence] of appends.entries()) {
    const origin = i % 2 === 0 ? "a" : "b";
    const name = `${origin.toUpperCase()}${Math.floor(i / 2)}`;
    const applied = a.applied[sequence];
    assert.ok(applied?.command.statement.startsWith(`CREATE STREAM ${name} `), `sequence ${sequence} is ${name}`);
    assert.equal(applied?.origin, origin);
    assert.deepEqual(applied?.command.properties, { "auto.offset.reset": "earliest" });
  }

  const c = await server(t, serviceId, "c");
  assert.equal(c.log.next, 20, "open resolves once the history is replayed");
  assert.deepEqual(order(c.applied), order(a.applied));
  const topics = { a0: { partitions: 1, replicas: 1 } };
  const sequence = await c.log.append({ ...statement("TERMINATE CSAS_A0_1;"), topics });
  assert.equal(sequence, 20);
  await a.log.caughtUp();
  assert.deepEqual(a.applied.at(-1)?.command, {
    statement: "TERMINATE CSAS_A0_1;",
    properties: { "auto.offset.reset": "earliest" },
    topics,
  });
});

test("a record that is no command is reported with its sequence and skipped; a throwing apply is too", async (t) => {
  const serviceId = uniqueTopic("cmd-bad").replace(/^test-/, "");
  const first = await server(t, serviceId, "first");
  const producer = createProducer(kafka);
  t.after(() => producer.close());
  await producer.send({ messages: [{ topic: commandTopic(serviceId), partition: 0, value: Buffer.from("garbage") }] });
  await first.log.append(statement("SHOW STREAMS;"));
  assert.deepEqual(first.problems, [[0, "command 0: not JSON"]]);
  assert.deepEqual(
    first.applied.map((c) => [c.sequence, c.command.statement]),
    [[1, "SHOW STREAMS;"]],
  );

  const problems: number[] = [];
  const failing = await CommandLog.open({
    kafka,
    serviceId,
    apply: (command) => {
      if (command.sequence === 1) throw new Error("boom");
    },
    onProblem: (sequence) => problems.push(sequence),
  });
  t.after(() => failing.close());
  assert.deepEqual(problems, [0, 1]);
  assert.equal(failing.next, 2, "the log goes on past both");
  assert.deepEqual(failing.health(), { healthy: true, error: undefined });
});

test("an append after close is refused as SQL_COMMAND_LOG_CLOSED", async (t) => {
  const serviceId = uniqueTopic("cmd-close").replace(/^test-/, "");
  const { log } = await server(t, serviceId, "only");
  await log.close();
  await assert.rejects(log.append(statement("SHOW TOPICS;")), {
    code: "SQL_COMMAND_LOG_CLOSED",
    message: `the command log of ${log.topic} is closed`,
  });
});
