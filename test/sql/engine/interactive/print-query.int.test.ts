// PRINT as a query stream against the real broker: one text row per line, LIMIT, close, a missing topic.
import assert from "node:assert/strict";
import { test } from "node:test";
import { startPrint } from "../../../../src/sql/engine/interactive/index.ts";
import type { PrintStatement } from "../../../../src/sql/engine/interactive/print-query.ts";
import { parseStatements } from "../../../../src/sql/language/index.ts";
import { uniqueTopic } from "../../../support/kafka.ts";
import { createTopics, kafka, produce } from "../fixture.ts";
import { collect, endCounter } from "./fixture.ts";

function printStatement(sql: string): PrintStatement {
  const statement = parseStatements(sql)[0]?.statement;
  assert.equal(statement?.kind, "Print");
  return statement as PrintStatement;
}

test("PRINT FROM BEGINNING LIMIT streams each line as a one-string row, then ends once", async () => {
  const topic = uniqueTopic("print-query");
  await createTopics([topic], 1);
  await produce(topic, [
    { key: "m1", value: '{"SPEED":1}' },
    { key: "m2", value: '{"SPEED":2}' },
    { key: "m3", value: '{"SPEED":3}' },
  ]);
  const ends = endCounter();
  const print = await startPrint({
    kafka,
    statement: printStatement(`PRINT '${topic}' FROM BEGINNING LIMIT 2;`),
    queryId: "print_1",
    ...ends,
  });
  assert.equal(print.kind, "print");
  assert.equal(print.queryId, "print_1");
  assert.deepEqual(print.columns, [{ name: topic, type: "STRING", key: false }]);
  const rows = await collect(print.rows);
  assert.ok(rows.every((row) => row.length === 1 && typeof row[0] === "string"));
  assert.deepEqual(
    rows.map((row) => String(row[0]).replace(/^rowtime: [^,]+, /, "")),
    [
      "Key format: KAFKA_STRING",
      "Value format: JSON or KAFKA_STRING",
      'key: m1, value: {"SPEED":1}, partition: 0',
      'key: m2, value: {"SPEED":2}, partition: 0',
    ],
  );
  assert.equal(ends.count(), 1);
});

test("PRINT without FROM BEGINNING waits for new records; close() ends it at once, once", async () => {
  const topic = uniqueTopic("print-close");
  await createTopics([topic], 1);
  await produce(topic, [{ key: "old", value: "before" }]);
  const ends = endCounter();
  const print = await startPrint({
    kafka,
    statement: printStatement(`PRINT '${topic}';`),
    queryId: "print_2",
    ...ends,
  });
  const iterator = print.rows[Symbol.asyncIterator]();
  const next = iterator.next();
  await produce(topic, [{ key: "new", value: "after" }]);
  const seen: string[] = [];
  for (let step = await next; !step.done; step = await iterator.next()) {
    seen.push(String(step.value[0]));
    if (seen.some((line) => line.includes("key: new"))) break;
  }
  assert.ok(!seen.some((line) => line.includes("key: old")), "starts at the end");
  print.close();
  print.close();
  assert.deepEqual(await iterator.next(), { value: undefined, done: true });
  assert.equal(ends.count(), 1);
});

test("PRINT of a topic that does not exist is refused, naming it", async () => {
  const topic = uniqueTopic("print-missing");
  await assert.rejects(startPrint({ kafka, statement: printStatement(`PRINT '${topic}';`), queryId: "print_3" }), {
    code: "SQL_TOPIC_MISSING",
  });
});
