// Tests the PLC4X-compatible job record against its golden file, and its timestamp, expiry and key rules.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  decodeJson,
  encodeJson,
  type JsonValue,
  jobKey,
  jobRecord,
  sampleTime,
} from "../../../src/connect/records/index.ts";
import type { ReadResponse } from "../../../src/plc/index.ts";
import { goldenPath, READINGS, SAMPLE, T0 } from "./sample-fixture.ts";

interface GoldenJobRecord {
  readonly key: JsonValue;
  readonly timestamp: number;
  readonly value: JsonValue;
}

describe("jobRecord", () => {
  it("writes the golden record for a sample of every value kind", () => {
    const golden = decodeJson(readFileSync(goldenPath("job-record.json"), "utf8")) as GoldenJobRecord;
    const record = jobRecord(SAMPLE);
    assert.equal(record.key, encodeJson(golden.key));
    assert.equal(record.timestamp, golden.timestamp);
    // Text equality: field order and every digit of the 64-bit integers are part of the contract.
    assert.equal(record.value, encodeJson(golden.value));
    assert.match(record.value, /"count":18446744073709551615,"position":-9223372036854775808,/);
  });

  it("keys by PLC4X's sourceName and jobName, the same bytes every time", () => {
    assert.equal(jobKey("press-1", "cycle"), '{"sourceName":"press-1","jobName":"cycle"}');
    assert.equal(jobKey('a"b', "c"), '{"sourceName":"a\\"b","jobName":"c"}');
    assert.equal(jobRecord(SAMPLE).key, jobRecord({ ...SAMPLE, readings: {} }).key);
  });

  it("is readable by a PLC4X consumer that knows only tags, timestamp and expires", () => {
    const value = decodeJson(jobRecord(SAMPLE).value) as Record<string, unknown>;
    assert.deepEqual(Object.keys(value).slice(0, 3), ["tags", "timestamp", "expires"]);
    assert.equal(value.timestamp, T0);
    assert.equal(value.expires, T0 + 5000);
  });

  it("stamps the record with the earliest reading's time, floored to whole ms", () => {
    const readings = {
      a: { code: "OK", value: 1, quality: "GOOD", sampledAt: T0 + 7.9 },
      b: { code: "OK", value: 2, quality: "GOOD", sampledAt: T0 + 5.6 },
    } as const;
    const record = jobRecord({ source: "s", job: "j", readings, sampledAt: T0 });
    assert.equal(record.timestamp, T0 + 5);
    assert.equal(sampleTime({ readings, sampledAt: T0 }), T0 + 5);
  });

  it("writes an empty sample with the sample's own time, no expiry and no optional fields", () => {
    const record = jobRecord({ source: "s", job: "j", readings: {}, sampledAt: T0 + 0.5 });
    assert.equal(record.timestamp, T0);
    assert.equal(record.value, `{"tags":{},"timestamp":${T0},"expires":null,"quality":{}}`);
  });

  it("leaves sourceTimestamps, errors and nonFinite out when no tag needs them", () => {
    const readings = { temperature: READINGS.temperature!, count: READINGS.count! };
    const value = decodeJson(jobRecord({ ...SAMPLE, readings }).value) as Record<string, unknown>;
    assert.deepEqual(Object.keys(value), ["tags", "timestamp", "expires", "quality", "sourceTimestamps"]);
  });

  it("keeps an alias named __proto__ as an ordinary tag", () => {
    // Object.fromEntries, because `{ __proto__: x }` in a literal would set the prototype instead.
    const readings: ReadResponse = Object.fromEntries([
      ["__proto__", { code: "OK", value: 1, quality: "GOOD", sampledAt: T0 }],
    ]);
    const record = jobRecord({ source: "s", job: "j", readings, sampledAt: T0 });
    assert.match(
      record.value,
      /^\{"tags":\{"__proto__":1\},"timestamp":\d+,"expires":null,"quality":\{"__proto__":"GOOD"\}\}$/,
    );
  });
});
