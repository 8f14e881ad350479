// The dead letter of a record: the record unchanged, Kafka Connect's context headers, and Fabrik's reason headers.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CONNECT_ERROR_HEADERS,
  type ConsumedRecord,
  deadLetterRecord,
  ERROR_CODE_HEADER,
  ERROR_TAGS_HEADER,
} from "../../../src/connect/sink/dead-letter.ts";
import { BadRecordError, NotAllowedError, WriteFailedError } from "../../../src/connect/sink/errors.ts";

const context = { topic: "line.setpoints.dlq", connector: "line", taskId: 2 };

function consumed(overrides: Partial<ConsumedRecord> = {}): ConsumedRecord {
  return {
    topic: "line.setpoints",
    partition: 3,
    offset: 41n,
    key: Buffer.from("optimizer/speed"),
    value: Buffer.from('{"tags":{"speed":"fast"}}'),
    timestamp: 1700000000123n,
    headers: new Map([[Buffer.from("trace-id"), Buffer.from("abc")]]),
    ...overrides,
  };
}

/** Header name → text, in the order they were set. */
function texts(headers: ReadonlyMap<Buffer, Buffer>): [string, string][] {
  return [...headers].map(([name, value]) => [name.toString(), value.toString()]);
}

test("a dead letter keeps the record's key, value, timestamp and headers, and says where it came from and why", () => {
  const record = consumed();
  const error = new BadRecordError('tags.speed: expected a number for REAL, got "fast"', "record", {
    speed: "INVALID_DATA",
  });
  const letter = deadLetterRecord(record, error, context);
  assert.equal(letter.topic, "line.setpoints.dlq");
  assert.equal(letter.key, record.key);
  assert.equal(letter.value, record.value);
  assert.equal(letter.timestamp, 1700000000123n);
  assert.deepEqual(texts(letter.headers), [
    ["trace-id", "abc"],
    ["__connect.errors.topic", "line.setpoints"],
    ["__connect.errors.partition", "3"],
    ["__connect.errors.offset", "41"],
    ["__connect.errors.connector.name", "line"],
    ["__connect.errors.task.id", "2"],
    ["__connect.errors.stage", "TASK_PUT"],
    ["__connect.errors.class.name", "fabrik.connect.sink.SinkRunner"],
    ["__connect.errors.exception.class.name", "BadRecordError"],
    ["__connect.errors.exception.message", 'tags.speed: expected a number for REAL, got "fast"'],
    ["fabrik.error.code", "BAD_RECORD"],
    ["fabrik.error.tags", '{"speed":"INVALID_DATA"}'],
  ]);
});

test("a record that did not decode failed in Kafka Connect's converter stage, and blames no tag", () => {
  const letter = deadLetterRecord(
    consumed(),
    new BadRecordError("value: not UTF-8 text; expected JSON", "value"),
    context,
  );
  const headers = new Map(texts(letter.headers));
  assert.equal(headers.get(CONNECT_ERROR_HEADERS.stage), "VALUE_CONVERTER");
  assert.equal(headers.has(ERROR_TAGS_HEADER), false);
});

test("the reason headers replace those of a record that was dead-lettered before", () => {
  const earlier = deadLetterRecord(consumed(), new NotAllowedError(["mode"], ["tags.mode"], ["speed"]), context);
  const failed = new WriteFailedError(
    { speed: { code: "OK" }, count: { code: "TIMEOUT", message: "no answer within 500 ms" } },
    4,
  );
  const again = deadLetterRecord(consumed({ headers: earlier.headers, offset: 7n }), failed, context);
  const names = texts(again.headers).map(([name]) => name);
  assert.equal(new Set(names).size, names.length, "each header once");
  const headers = new Map(texts(again.headers));
  assert.equal(headers.get(ERROR_CODE_HEADER), "WRITE_FAILED");
  assert.equal(headers.get(ERROR_TAGS_HEADER), '{"speed":"OK","count":"TIMEOUT"}');
  assert.equal(headers.get(CONNECT_ERROR_HEADERS.offset), "7");
  assert.equal(
    headers.get(CONNECT_ERROR_HEADERS.exceptionMessage),
    "1 of 2 tags not written after 4 attempts: count: TIMEOUT (no answer within 500 ms)",
  );
  assert.equal(headers.get("trace-id"), "abc", "the producer's own headers stay");
});

test("a tombstone without a timestamp stays one", () => {
  const letter = deadLetterRecord(
    consumed({ key: null, value: null, timestamp: -1n, headers: new Map() }),
    new BadRecordError("the record has no value (a tombstone?): nothing to write", "value"),
    context,
  );
  assert.equal(letter.key, undefined);
  assert.equal(letter.value, undefined);
  assert.equal(letter.timestamp, undefined);
});

test("a very long reason is cut to fit a header", () => {
  const letter = deadLetterRecord(consumed(), new BadRecordError(`x${"y".repeat(20_000)}`, "record"), context);
  const message = new Map(texts(letter.headers)).get(CONNECT_ERROR_HEADERS.exceptionMessage) ?? "";
  assert.equal(message.length, 8192);
  assert.ok(message.endsWith("…"));
});
