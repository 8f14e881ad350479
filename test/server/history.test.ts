// Tag history without Kafka: the parameters and their 400s, the 404s for names the plant does not have, the
// min/max-bucket downsampling, and reading one tag out of a record's text.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConnectMetrics } from "../../src/connect/rest/metrics.ts";
import { Downsampler } from "../../src/server/history/downsample.ts";
import { historyParams } from "../../src/server/history/route.ts";
import { jobRecordTag, tagRecordValue } from "../../src/server/history/tag-value.ts";
import { serverApp } from "./fixture.ts";
import { PlantConnectService } from "./plant-service.ts";

const NAMES = { connector: "line1", source: "press", job: "status", tag: "pressure" };
const NOW = 1_764_000_000_000;

test("defaults: the last hour up to now, 2000 points", () => {
  assert.deepEqual(historyParams(NAMES, NOW), { ...NAMES, from: NOW - 3_600_000, to: NOW, points: 2000 });
  assert.deepEqual(historyParams({ ...NAMES, to: "5000000", points: "10" }, NOW), {
    ...NAMES,
    from: 5_000_000 - 3_600_000,
    to: 5_000_000,
    points: 10,
  });
});

test("a bad parameter is a 400 that names it", () => {
  const cases: [Record<string, string | string[]>, RegExp][] = [
    [{ ...NAMES, tag: "" }, /^tag: required/],
    [{ connector: "a", source: "b", job: "c" }, /^tag: required/],
    [{ ...NAMES, from: "yesterday" }, /^from: expected milliseconds since the epoch, found 'yesterday'$/],
    [{ ...NAMES, to: "1.5" }, /^to: expected milliseconds/],
    [{ ...NAMES, from: "2000", to: "1000" }, /^from: 2000 is after to \(1000\)$/],
    [{ ...NAMES, points: "1" }, /^points: expected a whole number in 2\.\.100000, found '1'$/],
    [{ ...NAMES, points: "100001" }, /^points: expected a whole number/],
    [{ ...NAMES, job: ["a", "b"] }, /^job: given 2 times; give it once$/],
  ];
  for (const [query, message] of cases) {
    assert.throws(
      () => historyParams(query, NOW),
      (error: Error & { status?: number }) => error.status === 400 && message.test(error.message),
      JSON.stringify(query),
    );
  }
});

test("GET /api/history answers 400 and 404 in the API's shape before reading Kafka", async (t) => {
  const service = new PlantConnectService();
  const app = await serverApp(t, { connect: { service, metrics: new ConnectMetrics() } });
  const get = (query: string) => app.inject({ url: `/api/history?${query}` });
  const bad = await get("connector=line1&source=press&job=status&tag=pressure&points=x");
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json(), { error_code: 400, message: "points: expected a whole number in 2..100000, found 'x'" });
  for (const [query, message] of [
    ["connector=line2&source=press&job=status&tag=pressure", "connector line2 not found"],
    ["connector=line1&source=mixer&job=status&tag=pressure", "source mixer not found in connector line1"],
    ["connector=line1&source=press&job=fast&tag=pressure", "job fast not found of source press"],
    ["connector=line1&source=press&job=status&tag=flow", "tag flow not found in job status of source press"],
  ] as const) {
    const response = await get(query);
    assert.equal(response.statusCode, 404, query);
    assert.deepEqual(response.json(), { error_code: 404, message });
  }
  const without = await serverApp(t);
  const none = await without.inject({ url: "/api/history?connector=a&source=b&job=c&tag=d" });
  assert.equal(none.statusCode, 404);
  assert.match(none.json().message, /No connect worker runs in this server/);
});

test("up to `points` samples come back whole, oldest first, nulls kept", () => {
  const series = new Downsampler(0, 999, 4);
  for (const [ts, value] of [
    [30, 3],
    [10, 1],
    [20, null],
    [40, 4],
  ] as const) {
    series.add(ts, value);
  }
  assert.equal(series.downsampled, false);
  assert.equal(series.count, 4);
  assert.deepEqual(series.points(), [
    [10, 1],
    [20, null],
    [30, 3],
    [40, 4],
  ]);
});

test("past `points`, each of points/2 equal time buckets gives its min and max in time order; spikes survive", () => {
  // 1000 samples over [0, 999], a flat 10 with one spike to 99 at 612 and one dip to -5 at 250; 10 points → 5 buckets.
  const series = new Downsampler(0, 999, 10);
  for (let ts = 999; ts >= 0; ts--) series.add(ts, ts === 612 ? 99 : ts === 250 ? -5 : 10);
  assert.equal(series.downsampled, true);
  assert.equal(series.count, 1000);
  assert.deepEqual(series.points(), [
    [0, 10],
    [200, 10],
    [250, -5],
    [400, 10],
    [600, 10],
    [612, 99],
    [800, 10],
  ]);
});

test("a bucket with only unreadable samples gives one null point; an empty bucket gives none", () => {
  const series = new Downsampler(0, 399, 4);
  for (const ts of [0, 10, 20]) series.add(ts, ts);
  for (const ts of [350, 360]) series.add(ts, null);
  assert.deepEqual(series.points(), [
    [0, 0],
    [20, 20],
    [350, null],
  ]);
});

test("one tag is read out of a job record's text, whatever else it holds", () => {
  const record =
    '{"tags":{"a\\"b":[1,{"x":"}"}],"pressure":181.5,"bad":null,"big":18446744073709551615},"timestamp":5,' +
    '"expires":null,"quality":{"pressure":"GOOD"}}';
  assert.deepEqual(jobRecordTag(record, "pressure"), { found: true, value: 181.5 });
  assert.deepEqual(jobRecordTag(record, 'a"b'), { found: true, value: [1, { x: "}" }] });
  assert.deepEqual(jobRecordTag(record, "bad"), { found: true, value: null });
  assert.deepEqual(jobRecordTag(record, "flow"), { found: false });
  assert.deepEqual(jobRecordTag(' { "timestamp" : 1 , "tags" : { "p" : true } }', "p"), { found: true, value: true });
  for (const broken of ["", "[]", '{"tags":', '{"tags":{"p":', '{"tags":{"p":1', "{'tags':{}}", '{"tags":"x"}']) {
    assert.deepEqual(jobRecordTag(broken, "p"), { found: false }, broken);
  }
  assert.deepEqual(tagRecordValue('{"value":-3.25,"quality":"GOOD","ts":1}'), { found: true, value: -3.25 });
  assert.deepEqual(tagRecordValue('{"quality":"BAD","ts":1}'), { found: false });
});
