// The golden runner's own pieces: matching values and record bytes, and mapping error positions past topic prefixes.

import assert from "node:assert/strict";
import { test } from "node:test";
import { describeBytes, encodeBytes, matchBytes } from "./record-bytes.ts";
import { compareRecords } from "./sink-reader.ts";
import { originalPosition, prefixTopics, withoutPrefix } from "./topic-names.ts";
import { matchValue } from "./value-match.ts";

test("exact matching wants every field; subset matching only the named ones", () => {
  assert.equal(matchValue({ A: 1 }, { A: 1 }, "exact"), undefined);
  assert.match(matchValue({ A: 1 }, { A: 1, B: 2 }, "exact") ?? "", /unexpected field/);
  assert.equal(matchValue({ A: 1 }, { A: 1, B: 2 }, "subset"), undefined);
  assert.equal(matchValue({ A: null }, {}, "subset"), undefined);
  assert.match(matchValue({ A: null }, {}, "exact") ?? "", /missing field/);
});

test("markers: regular expressions, approximate numbers, contains, unordered, none", () => {
  assert.equal(matchValue("~^CSAS_X_\\d+$", "CSAS_X_12", "exact"), undefined);
  assert.notEqual(matchValue("~^CSAS_X_\\d+$", "CSAS_Y_12", "exact"), undefined);
  assert.equal(matchValue({ $approx: 14.142135623730951 }, 14.14213562373095, "exact"), undefined);
  assert.notEqual(matchValue({ $approx: 14.1421 }, 14.2, "exact"), undefined);
  assert.equal(matchValue({ $contains: [{ n: 2 }] }, [{ n: 1 }, { n: 2 }], "subset"), undefined);
  assert.notEqual(matchValue({ $contains: [{ n: 2 }, { n: 2 }] }, [{ n: 2 }], "subset"), undefined);
  assert.equal(matchValue({ $unordered: [1, 2] }, [2, 1], "exact"), undefined);
  assert.notEqual(matchValue({ $unordered: [1, 2] }, [2, 1, 3], "exact"), undefined);
  assert.equal(matchValue({ $none: [{ id: "A" }] }, [{ id: "B" }], "subset"), undefined);
  assert.notEqual(matchValue({ $none: [{ id: "A" }], $contains: [] }, [{ id: "A" }], "subset"), undefined);
});

test("record bytes: text, JSON, KAFKA numbers and windowed keys", () => {
  assert.deepEqual(encodeBytes({ $int: -1 }), Buffer.from([0xff, 0xff, 0xff, 0xff]));
  assert.deepEqual(encodeBytes({ $bigint: "9007199254740993" }), Buffer.from("0020000000000001", "hex"));
  assert.equal(encodeBytes(null), null);
  assert.ok(matchBytes({ A: 1.5 }, Buffer.from('{"A":1.50}')));
  assert.ok(!matchBytes({ A: 1.5 }, Buffer.from('{"A":1.5,"B":null}')));
  assert.ok(matchBytes('"P1"', Buffer.from('"P1"')));
  assert.ok(!matchBytes("P1", Buffer.from('"P1"')));
  const windowed = Buffer.concat([Buffer.from("s1"), Buffer.from("000001a20cff7d00", "hex")]);
  assert.ok(matchBytes({ $windowed: "s1", start: 1795514400000 }, windowed));
  assert.ok(!matchBytes({ $windowed: "s1", start: 1795514460000 }, windowed));
  assert.equal(describeBytes(windowed), "s10x000001a20cff7d00 (2026-11-24T10:00:00.000Z)");
  const session = encodeBytes({ $session: "u1", start: 1795514400000, end: 1795514420000 })!;
  assert.equal(session.readBigInt64BE(2), 1795514420000n, "a session key holds the end first");
});

test("records compare per key, in order within a key", () => {
  const record = (key: string, value: string | null) => ({
    topic: "t",
    partition: 0,
    offset: 0n,
    timestamp: 0,
    key: Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    headers: [],
  });
  const actual = [record("b", '{"N":1}'), record("a", '{"N":1}'), record("a", null)];
  const expected = [
    { key: "a", value: { N: 1 } },
    { key: "a", value: null },
    { key: "b", value: { N: 1 } },
  ];
  assert.deepEqual(compareRecords(expected, actual), []);
  assert.equal(compareRecords(expected.slice().reverse(), actual).length, 2, "a's order matters");
  assert.match(compareRecords(expected.slice(0, 2), actual).join(), /unexpected key b/);
  assert.match(compareRecords([...expected, { key: "c", value: null }], actual).join(), /no record has the key "c"/);
});

test("topics get the engine's prefix, and error columns map back past it", () => {
  const original = "CREATE STREAM A (X INT)\n WITH (KAFKA_TOPIC='a', KAFKA_TOPIC='b', BAD=1);";
  const { text, insertions } = prefixTopics(original, "pp-");
  assert.equal(text, "CREATE STREAM A (X INT)\n WITH (KAFKA_TOPIC='pp-a', KAFKA_TOPIC='pp-b', BAD=1);");
  const column = text.split("\n")[1]!.indexOf("BAD") + 1;
  assert.deepEqual(originalPosition(original, text, insertions, 2, column), {
    line: 2,
    column: original.split("\n")[1]!.indexOf("BAD") + 1,
  });
  assert.equal(prefixTopics("PRINT 'abc' FROM BEGINNING;", "pp-").text, "PRINT 'pp-abc' FROM BEGINNING;");
  assert.deepEqual(withoutPrefix({ topic: "pp-a", list: ["pp-b"] }, "pp-"), { topic: "a", list: ["b"] });
});
