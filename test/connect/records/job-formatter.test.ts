// Tests that a job's config picks its records: format, topic and key templates, expiry and report-by-exception.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { JobConfig } from "../../../src/connect/config/model.ts";
import { decodeJson, JobFormatter, jobRecord, tagRecords } from "../../../src/connect/records/index.ts";
import type { ReadResponse } from "../../../src/plc/index.ts";
import { SAMPLE, T0 } from "./sample-fixture.ts";

const JOB: JobConfig = {
  name: "cycle",
  tags: [],
  sampling: { kind: "poll", intervalMs: 1000 },
  topic: "plant.{source}.{job}",
  format: "job",
};

function readings(temperature: number, at: number): ReadResponse {
  return { temperature: { code: "OK", value: temperature, quality: "GOOD", sampledAt: at } };
}

describe("JobFormatter", () => {
  it("writes the job record to the rendered topic", () => {
    const formatter = new JobFormatter("press-1", { ...JOB, expiresAfterMs: 5000 });
    const records = formatter.records({ readings: SAMPLE.readings, sampledAt: SAMPLE.sampledAt });
    assert.deepEqual(records, [{ topic: "plant.press-1.cycle", ...jobRecord(SAMPLE) }]);
  });

  it("names every topic its records can go to: one per job, or one per tag for per-tag topics", () => {
    assert.deepEqual(new JobFormatter("press-1", JOB).topics(), ["plant.press-1.cycle"]);
    const tags = Object.keys(SAMPLE.readings).map((alias) => ({ alias, address: `RANDOM/${alias}:INT` }));
    const perTag: JobConfig = { ...JOB, tags, format: "tag", topic: "plant.{source}.{tag}" };
    const formatter = new JobFormatter("press-1", perTag);
    const written = formatter.records({ readings: SAMPLE.readings, sampledAt: SAMPLE.sampledAt }).map((r) => r.topic);
    assert.deepEqual(formatter.topics().sort(), [...new Set(written)].sort(), "the topics the records go to");
    assert.equal(formatter.topics().length, tags.length);
    assert.deepEqual(new JobFormatter("press-1", { ...perTag, topic: "plant.{source}" }).topics(), ["plant.press-1"]);
  });

  it("writes no expiry when the job sets none", () => {
    const [record] = new JobFormatter("press-1", JOB).records({ readings: readings(1, T0), sampledAt: T0 });
    assert.equal((decodeJson(record!.value) as { expires: unknown }).expires, null);
  });

  it("writes one record per tag to topics and keys rendered per tag", () => {
    const job: JobConfig = { ...JOB, format: "tag", topic: "plant.{source}.{tag}", key: "{job}/{tag}" };
    const records = new JobFormatter("press-1", job).records({
      readings: SAMPLE.readings,
      sampledAt: SAMPLE.sampledAt,
    });
    const expected = tagRecords(SAMPLE, "{job}/{tag}");
    assert.equal(records.length, expected.length);
    assert.deepEqual(records[0], {
      topic: "plant.press-1.temperature",
      key: "cycle/temperature",
      value: expected[0]!.value,
      timestamp: expected[0]!.timestamp,
    });
    assert.equal(records.at(-1)!.topic, "plant.press-1.valve");
  });

  it("uses the default tag key source/tag", () => {
    const [record] = new JobFormatter("press-1", { ...JOB, format: "tag" }).records({
      readings: readings(1, T0),
      sampledAt: T0,
    });
    assert.equal(record!.key, "press-1/temperature");
  });

  it("applies report-by-exception on sample time, job format", () => {
    const job: JobConfig = {
      ...JOB,
      reportByException: { deadband: { kind: "absolute", value: 1 }, heartbeatMs: 60000 },
    };
    const formatter = new JobFormatter("press-1", job);
    const count = (value: number, at: number) =>
      formatter.records({ readings: readings(value, at), sampledAt: at }).length;
    assert.equal(count(20, T0), 1);
    assert.equal(count(20.5, T0 + 1000), 0);
    assert.equal(count(22, T0 + 2000), 1);
    assert.equal(count(22, T0 + 61999), 0);
    assert.equal(count(22, T0 + 62000), 1, "heartbeat");
    formatter.reset();
    assert.equal(count(22, T0 + 62001), 1, "after reset");
  });

  it("applies report-by-exception per tag, tag format", () => {
    const formatter = new JobFormatter("press-1", { ...JOB, format: "tag", reportByException: {} });
    const sample = (a: number, b: number) => ({
      readings: {
        a: { code: "OK", value: a, quality: "GOOD", sampledAt: T0 },
        b: { code: "OK", value: b, quality: "GOOD", sampledAt: T0 },
      } as const,
      sampledAt: T0,
    });
    assert.deepEqual(
      formatter.records(sample(1, 1)).map((record) => record.key),
      ["press-1/a", "press-1/b"],
    );
    assert.deepEqual(
      formatter.records(sample(1, 2)).map((record) => record.key),
      ["press-1/b"],
    );
    assert.deepEqual(formatter.records(sample(1, 2)), []);
  });
});
