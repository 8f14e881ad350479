// PRINT against the real broker: from the beginning or from now, INTERVAL, LIMIT, and a topic that is not there.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openPrint } from "../../../src/sql/engine/print.ts";
import { uniqueTopic } from "../../support/kafka.ts";
import { createTopics, kafka, produce } from "./fixture.ts";

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

/** The line without its rowtime, which Kafka stamps. */
const untimed = (line: string) => line.replace(/^rowtime: \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{3} Z, /, "rowtime: …, ");

test("PRINT FROM BEGINNING INTERVAL 2 LIMIT 3 shows the formats, then every second record until three", async () => {
  const topic = uniqueTopic("print");
  await createTopics([topic], 1);
  await produce(
    topic,
    Array.from({ length: 8 }, (_, i) => ({ key: `machine-${i}`, value: JSON.stringify({ SPEED: i }) })),
  );
  const print = await openPrint({ kafka, topic, fromBeginning: true, interval: 2, limit: 3 });
  assert.equal(print.topic, topic);
  const lines = await collect(print.lines);
  assert.deepEqual(lines.map(untimed), [
    "Key format: KAFKA_STRING",
    "Value format: JSON or KAFKA_STRING",
    'rowtime: …, key: machine-0, value: {"SPEED":0}, partition: 0',
    'rowtime: …, key: machine-2, value: {"SPEED":2}, partition: 0',
    'rowtime: …, key: machine-4, value: {"SPEED":4}, partition: 0',
  ]);
  assert.match(lines[2] ?? "", /^rowtime: \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{3} Z, /);
});

test("PRINT without FROM BEGINNING starts at the end of every partition; an unquoted name finds its topic", async () => {
  const topic = uniqueTopic("print-now");
  await createTopics([topic], 2);
  await produce(topic, [{ partition: 0, key: null, value: "old" }]);
  const print = await openPrint({ kafka, topic: topic.toUpperCase(), caseSensitive: false, limit: 2 });
  assert.equal(print.topic, topic);
  await produce(topic, [
    { partition: 1, key: null, value: "new" },
    { partition: 0, key: null, value: "newer" },
  ]);
  const lines = (await collect(print.lines)).map(untimed).sort();
  assert.deepEqual(
    lines,
    [
      "Key format: ¯\\_(ツ)_/¯ - no data processed",
      "Value format: KAFKA_STRING",
      "rowtime: …, key: <null>, value: new, partition: 1",
      "rowtime: …, key: <null>, value: newer, partition: 0",
    ].sort(),
  );
});

test("PRINT of a topic that does not exist names it and the nearest one", async () => {
  const topic = uniqueTopic("print-near");
  await createTopics([topic], 1);
  // The suggestion is checked for a name that differs by case only: other tests' topics are as near to a typo.
  const typo = topic.toUpperCase();
  await assert.rejects(openPrint({ kafka, topic: typo }), {
    code: "SQL_TOPIC_MISSING",
    message: `topic '${typo}' does not exist (topic names are case-sensitive); did you mean '${topic}'?`,
  });
  await assert.rejects(openPrint({ kafka, topic: `${topic}-none` }), { code: "SQL_TOPIC_MISSING" });
});

test("closing a PRINT that waits for records ends it", async () => {
  const topic = uniqueTopic("print-close");
  await createTopics([topic], 1);
  const print = await openPrint({ kafka, topic });
  const next = print.lines[Symbol.asyncIterator]().next();
  await print.close();
  assert.deepEqual(await next, { value: undefined, done: true });
});
