// Tests the one-record-per-tag format against its golden file, and its key templates.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { decodeJson, encodeJson, type JsonValue, tagRecords } from "../../../src/connect/records/index.ts";
import { goldenPath, SAMPLE } from "./sample-fixture.ts";

interface GoldenTagRecord {
  readonly tag: string;
  readonly key: string;
  readonly timestamp: number;
  readonly value: JsonValue;
}

describe("tagRecords", () => {
  it("writes the golden records, one per tag in the job's order", () => {
    const golden = decodeJson(readFileSync(goldenPath("tag-records.json"), "utf8")) as GoldenTagRecord[];
    const records = tagRecords(SAMPLE);
    assert.deepEqual(
      records.map((record) => record.tag),
      golden.map((record) => record.tag),
    );
    for (const [i, record] of records.entries()) {
      const expected = golden[i]!;
      assert.equal(record.key, expected.key, expected.tag);
      assert.equal(record.timestamp, expected.timestamp, expected.tag);
      assert.equal(record.value, encodeJson(expected.value), expected.tag);
    }
  });

  it("renders a key template with the source, job and tag names", () => {
    const records = tagRecords(SAMPLE, "{job}:{tag}@{source}");
    assert.equal(records[0]!.key, "cycle:temperature@press-1");
    assert.equal(records.at(-1)!.key, "cycle:valve@press-1");
  });

  it("writes nothing for a sample without readings", () => {
    assert.deepEqual(tagRecords({ ...SAMPLE, readings: {} }), []);
  });

  it("floors the tag's sample time to whole ms for ts and the record timestamp", () => {
    const readings = { a: { code: "OK", value: false, quality: "GOOD", sampledAt: 1000.9 } } as const;
    const [record] = tagRecords({ source: "s", job: "j", readings, sampledAt: 0 });
    assert.equal(record!.timestamp, 1000);
    assert.equal(record!.value, '{"value":false,"quality":"GOOD","ts":1000}');
  });
});
