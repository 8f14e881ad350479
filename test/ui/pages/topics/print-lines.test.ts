// PRINT's lines read back into messages: formats, time, key, value and partition, also when JSON holds the separator.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parsePrintLine, prettyJson } from "../../../../ui/src/pages/topics/print-lines.ts";

test("format lines name the key and value formats", () => {
  assert.deepEqual(parsePrintLine("Key format: JSON or KAFKA_STRING"), {
    kind: "key-format",
    format: "JSON or KAFKA_STRING",
  });
  assert.deepEqual(parsePrintLine("Value format: KAFKA_BIGINT or KAFKA_DOUBLE"), {
    kind: "value-format",
    format: "KAFKA_BIGINT or KAFKA_DOUBLE",
  });
});

test("a record line gives its UTC time, key, value and partition", () => {
  const line =
    'rowtime: 2026/11/25 03:22:49.437 Z, key: {"sourceName":"conveyor","jobName":"status"}, ' +
    'value: {"tags":{"beltSpeed":24}}, partition: 3';
  assert.deepEqual(parsePrintLine(line), {
    kind: "message",
    message: {
      rowtime: Date.UTC(2026, 10, 25, 3, 22, 49, 437),
      key: '{"sourceName":"conveyor","jobName":"status"}',
      value: '{"tags":{"beltSpeed":24}}',
      partition: 3,
    },
  });
});

test("a JSON key that holds ', value: ' is split where the key is whole JSON", () => {
  const line = 'rowtime: 2026/01/02 00:00:00.000 Z, key: {"a":"x, value: y"}, value: 42, partition: 0';
  const parsed = parsePrintLine(line);
  assert.equal(parsed.kind, "message");
  if (parsed.kind !== "message") return;
  assert.equal(parsed.message.key, '{"a":"x, value: y"}');
  assert.equal(parsed.message.value, "42");
});

test("null keys, a value holding the separator, and an offset when the line has one", () => {
  const parsed = parsePrintLine(
    "rowtime: 2026/01/02 00:00:00.000 Z, key: <null>, value: a, value: b, partition: 1, offset: 17",
  );
  assert.deepEqual(parsed, {
    kind: "message",
    message: { rowtime: Date.UTC(2026, 0, 2), key: "<null>", value: "a, value: b", partition: 1, offset: 17 },
  });
});

test("anything else is kept as text", () => {
  assert.deepEqual(parsePrintLine("¯\\_(ツ)_/¯ - no data processed"), {
    kind: "other",
    text: "¯\\_(ツ)_/¯ - no data processed",
  });
});

test("prettyJson indents JSON objects and arrays and leaves other text alone", () => {
  assert.deepEqual(prettyJson('{"a":[1,2]}'), { pretty: '{\n  "a": [\n    1,\n    2\n  ]\n}', json: true });
  assert.deepEqual(prettyJson("press-1"), { pretty: "press-1", json: false });
  assert.deepEqual(prettyJson("{not json"), { pretty: "{not json", json: false });
});
