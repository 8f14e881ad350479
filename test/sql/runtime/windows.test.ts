// Windowed aggregation: tumbling, hopping and session windows; late records, grace, retention, EMIT FINAL.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { WindowPlan } from "../../../src/sql/plan/plan.ts";
import { createPipeline, decodeWindowedKey } from "../../../src/sql/runtime/index.ts";
import type { OutputRecord, PipelineOptions } from "../../../src/sql/runtime/pipeline.ts";
import { describeSource, Harness, hopping, PlanBuilder, parseJson, planSource, session, tumbling } from "./fixture.ts";

const options: PipelineOptions = { queryId: "CTAS_W_1", internalTopicPrefix: "_q_", coalesce: false };
const clicks = describeSource("CLICKS", "STREAM", "USER_ID STRING KEY, PAGE STRING", { partitions: 2 });

function counting(window: WindowPlan, emit: "CHANGES" | "FINAL" = "CHANGES", having?: string) {
  const kind = window.kind;
  const sink = describeSource("COUNTS", "TABLE", "USER_ID STRING PRIMARY KEY, N BIGINT, WS BIGINT, WE BIGINT", {
    window: { kind, sizeMs: window.sizeMs },
  });
  return new PlanBuilder(planSource(clicks))
    .aggregate({ groupBy: [["USER_ID", "USER_ID"]], aggregates: [["N", "COUNT(*)"]], window, having })
    .build(
      [["USER_ID", "USER_ID"]],
      [
        ["N", "N"],
        ["WS", "WINDOWSTART"],
        ["WE", "WINDOWEND"],
      ],
      { sink, emit },
    );
}

/** [key, start, end, count or null] per sink record, the window read back from the key bytes. */
function windowed(records: readonly OutputRecord[], kind: WindowPlan["kind"], sizeMs?: number) {
  return records.map((r) => {
    const split = decodeWindowedKey(r.key!, kind, sizeMs)!;
    const value = parseJson(r.value) as { N: number; WS: number; WE: number } | null;
    if (value !== null) assert.deepEqual([value.WS, value.WE], [split.window.start, split.window.end]);
    return [parseJson(split.key), split.window.start, split.window.end, value?.N ?? null];
  });
}

test("TUMBLING: one window per record; a record past end + grace is logged as late, one within grace counts", () => {
  const h = new Harness(createPipeline(counting(tumbling(1000, 200)), options), [0, 1]);
  const out = h.run([
    h.record("clicks", "u", { PAGE: "a" }, 100),
    h.record("clicks", "u", { PAGE: "b" }, 900),
    h.record("clicks", "u", { PAGE: "c" }, 1100),
    h.record("clicks", "u", { PAGE: "d" }, 999), // stream time 1100 < 1000 + 200: still open
    h.record("clicks", "u", { PAGE: "e" }, 1250),
    h.record("clicks", "u", { PAGE: "f" }, 998), // 1250 ≥ 1200: closed
    h.record("clicks", "u", { PAGE: "g" }, 5, 1), // partition 1 has its own stream time
  ]);
  assert.deepEqual(windowed(out.sink, "TUMBLING", 1000), [
    ["u", 0, 1000, 1],
    ["u", 0, 1000, 2],
    ["u", 1000, 2000, 1],
    ["u", 0, 1000, 3],
    ["u", 1000, 2000, 2],
    ["u", 0, 1000, 1],
  ]);
  assert.deepEqual(
    out.errors.map((e) => [e.code, e.partition, e.offset]),
    [["SQL_LATE_RECORD", 0, 5n]],
  );
  assert.match(out.errors[0]!.message, /1970-01-01T00:00:00\.998Z is too late/);
});

test("HOPPING: a record counts in every window holding it; one late for some windows counts in the open ones", () => {
  const h = new Harness(createPipeline(counting(hopping(1000, 500)), options));
  const out = h.run([
    h.record("clicks", "u", {}, 700),
    h.record("clicks", "u", {}, 1400),
    h.record("clicks", "u", {}, 900), // [0,1000) closed at 1400, [500,1500) open
    h.record("clicks", "u", {}, 400), // [0,1000) is its only window: late
  ]);
  assert.deepEqual(windowed(out.sink, "HOPPING", 1000), [
    ["u", 0, 1000, 1],
    ["u", 500, 1500, 1],
    ["u", 500, 1500, 2],
    ["u", 1000, 2000, 1],
    ["u", 500, 1500, 3],
  ]);
  assert.deepEqual(
    out.errors.map((e) => [e.code, e.offset]),
    [["SQL_LATE_RECORD", 3n]],
  );
});

test("SESSION: records within the gap extend a session; a bridging record merges two, tombstoning both", () => {
  const h = new Harness(createPipeline(counting(session(100, 50)), options));
  const out = h.run([
    h.record("clicks", "u", {}, 1000),
    h.record("clicks", "u", {}, 1050), // extends [1000,1000] to [1000,1050]
    h.record("clicks", "u", {}, 1200), // 150 after: a new session
    h.record("clicks", "u", {}, 1125), // within 100 of both: bridges [1000,1050] and [1200,1200]
    h.record("clicks", "v", {}, 1200),
    h.record("clicks", "u", {}, 1150), // inside [1000,1200]: no new window
  ]);
  assert.deepEqual(windowed(out.sink, "SESSION"), [
    ["u", 1000, 1000, 1],
    ["u", 1000, 1000, null],
    ["u", 1000, 1050, 2],
    ["u", 1200, 1200, 1],
    ["u", 1000, 1050, null],
    ["u", 1200, 1200, null],
    ["u", 1000, 1200, 4],
    ["v", 1200, 1200, 1],
    ["u", 1000, 1200, 5],
  ]);
  assert.deepEqual(out.errors, []);
});

test("SESSION: a record whose session closed (end + gap + grace passed) is late", () => {
  const h = new Harness(createPipeline(counting(session(100, 50)), options));
  const out = h.run([
    h.record("clicks", "u", {}, 1000),
    h.record("clicks", "v", {}, 1150), // u's session closes when stream time passes 1000 + 100 + 50
    h.record("clicks", "u", {}, 1090), // would extend it to 1090: 1090 + 150 ≥ 1150, accepted
    h.record("clicks", "v", {}, 1300),
    h.record("clicks", "u", {}, 1095), // session [1000,1095]: 1095 + 150 < 1300
  ]);
  assert.deepEqual(
    out.errors.map((e) => [e.code, e.offset]),
    [["SQL_LATE_RECORD", 4n]],
  );
  assert.deepEqual(windowed(out.sink, "SESSION").at(-2), ["u", 1000, 1090, 2]);
});

test("EMIT FINAL: each window goes out once, when stream time passes end + grace, if it passes HAVING", () => {
  const plan = counting(tumbling(1000, 100), "FINAL", "N >= 2");
  const h = new Harness(createPipeline(plan, options));
  const first = h.run([
    h.record("clicks", "u", {}, 10),
    h.record("clicks", "u", {}, 20),
    h.record("clicks", "v", {}, 30),
    h.record("clicks", "u", {}, 1050), // stream time 1050 < 1100: nothing closed yet
  ]);
  assert.deepEqual(first.sink, []);
  const second = h.run([h.record("clicks", "v", {}, 1100), h.record("clicks", "v", {}, 1500)]);
  assert.deepEqual(windowed(second.sink, "TUMBLING", 1000), [["u", 0, 1000, 2]], "v's window has one row: HAVING");
  const third = h.run([h.record("clicks", "w", {}, 2100)]);
  assert.deepEqual(windowed(third.sink, "TUMBLING", 1000), [["v", 1000, 2000, 2]]);
  assert.equal(third.sink.length, 1, "u's second window has one row");
});

test("EMIT FINAL on sessions closes a session once stream time passes end + gap + grace", () => {
  const h = new Harness(createPipeline(counting(session(100, 0), "FINAL"), options));
  const early = h.run([
    h.record("clicks", "u", {}, 1000),
    h.record("clicks", "u", {}, 1080),
    h.record("clicks", "v", {}, 1180),
  ]);
  assert.deepEqual(early.sink, [], "1180 = 1080 + 100: u's session could still grow");
  const late = h.run([h.record("clicks", "v", {}, 1181)]);
  assert.deepEqual(windowed(late.sink, "SESSION"), [["u", 1000, 1080, 2]]);
});

test("retention: a window's state goes once stream time reaches start + retention; the sink keeps its last row", () => {
  const pipeline = createPipeline(counting(tumbling(1000, 0, 3000)), options);
  const h = new Harness(pipeline);
  const out = h.run([h.record("clicks", "u", {}, 100), h.record("clicks", "v", {}, 2999)]);
  assert.deepEqual(
    pipeline.materialized!.get(["u"]).map((r) => [r.window, r.value]),
    [[{ start: 0, end: 1000 }, [1n, 0n, 1000n]]],
  );
  assert.equal(out.changelog.length, 2);
  const expired = h.run([h.record("clicks", "v", {}, 3000)]);
  assert.deepEqual(pipeline.materialized!.get(["u"]), []);
  assert.deepEqual(
    expired.changelog.map((r) => [r.key!.toString(), r.value]),
    [
      ['[["v"],3000,4000]', expired.changelog[0]!.value],
      ['[["u"],0,1000]', null],
    ],
  );
  assert.deepEqual(windowed(expired.sink, "TUMBLING", 1000), [["v", 3000, 4000, 1]]);
});

test("pull queries on a windowed table: one key's windows, narrowed by window start", () => {
  const pipeline = createPipeline(counting(hopping(1000, 250, 0, 5000)), { ...options, coalesce: true });
  const h = new Harness(pipeline);
  h.run([h.record("clicks", "u", {}, 900), h.record("clicks", "u", {}, 1000)]);
  const all = pipeline.materialized!.get(["u"]).map((r) => [r.window!.start, r.value![0]]);
  assert.deepEqual(all, [
    [0, 1n],
    [250, 2n],
    [500, 2n],
    [750, 2n],
    [1000, 1n],
  ]);
  const some = pipeline.materialized!.get(["u"], { from: 300, to: 750 }).map((r) => r.window!.start);
  assert.deepEqual(some, [500, 750]);
  assert.deepEqual(pipeline.materialized!.get(["nobody"]), []);
  assert.equal([...pipeline.materialized!.scan()].length, 5);
});
