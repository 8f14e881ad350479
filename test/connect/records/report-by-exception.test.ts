// Tests report-by-exception: deadband cases from a data file, heartbeats, quality and code changes, and the job format.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { Deadband } from "../../../src/connect/config/model.ts";
import {
  ChangeFilter,
  decodeJson,
  ReportByExceptionError,
  readingChanged,
} from "../../../src/connect/records/index.ts";
import type { ErrorCode, PlcValue, Quality, TagReading } from "../../../src/plc/index.ts";
import { goldenPath } from "./sample-fixture.ts";

function good(value: PlcValue, quality: Exclude<Quality, "BAD"> = "GOOD"): TagReading {
  return { code: "OK", value, quality, sampledAt: 0 };
}

function bad(code: ErrorCode, message = "lost"): TagReading {
  return { code, quality: "BAD", sampledAt: 0, message };
}

interface DeadbandCase {
  readonly name: string;
  readonly deadband?: Deadband;
  readonly bigint?: boolean;
  readonly last: number | bigint;
  readonly current: number | bigint;
  readonly emit: boolean;
}

describe("readingChanged", () => {
  // decodeJson keeps the file's integers beyond 2^53 exact, as bigints.
  const cases = decodeJson(readFileSync(goldenPath("deadband-cases.json"), "utf8")) as DeadbandCase[];
  for (const c of cases) {
    it(c.name, () => {
      const last = c.bigint ? BigInt(c.last) : c.last;
      const current = c.bigint ? BigInt(c.current) : c.current;
      assert.equal(readingChanged(good(last), good(current), c.deadband), c.emit);
      const filter = new ChangeFilter(c.deadband === undefined ? {} : { deadband: c.deadband });
      assert.equal(filter.accept("x", good(last), 0), true, "the first reading is always emitted");
      assert.equal(filter.accept("x", good(current), 1), c.emit);
    });
  }

  it("treats NaN after NaN as no change, and steps to or from NaN or Infinity as changes", () => {
    const band: Deadband = { kind: "absolute", value: 1e9 };
    assert.equal(readingChanged(good(Number.NaN), good(Number.NaN), band), false);
    assert.equal(readingChanged(good(Number.NaN), good(5), band), true);
    assert.equal(readingChanged(good(5), good(Number.NaN), band), true);
    assert.equal(readingChanged(good(Number.POSITIVE_INFINITY), good(Number.POSITIVE_INFINITY), band), false);
    assert.equal(readingChanged(good(Number.POSITIVE_INFINITY), good(5), band), true);
    assert.equal(readingChanged(good(0), good(-0)), false);
  });

  it("emits any change of BOOL, strings, durations, dates and arrays, whatever the deadband", () => {
    const band: Deadband = { kind: "absolute", value: 100 };
    const pairs: [PlcValue, PlcValue, PlcValue][] = [
      [true, true, false],
      ["a", "a", "b"],
      [{ ms: 5 }, { ms: 5 }, { ms: 6 }],
      [{ ns: 5n }, { ns: 5n }, { ns: 6n }],
      [new Date(1000), new Date(1000), new Date(1001)],
      [new Date(Number.NaN), new Date(Number.NaN), new Date(0)],
      [
        [1, 2],
        [1, 2],
        [1, 3],
      ],
      [
        [1, 2],
        [1, 2],
        [1, 2, 3],
      ],
      [[new Date(5)], [new Date(5)], [new Date(6)]],
      [[Number.NaN], [Number.NaN], [0]],
    ];
    for (const [last, same, other] of pairs) {
      assert.equal(readingChanged(good(last), good(same), band), false, `${String(last)} = ${String(same)}`);
      assert.equal(readingChanged(good(last), good(other), band), true, `${String(last)} → ${String(other)}`);
    }
  });

  it("sees a change of type as a change", () => {
    assert.equal(readingChanged(good(5), good(5n)), true);
    assert.equal(readingChanged(good({ ms: 5 }), good({ ns: 5n })), true);
    assert.equal(readingChanged(good([1]), good(1)), true);
    assert.equal(readingChanged(good(new Date(5)), good({ ms: 5 })), true);
  });

  it("always emits a change of quality or code, and no change between BADs with the same code", () => {
    const band: Deadband = { kind: "absolute", value: 100 };
    assert.equal(readingChanged(good(1), good(1, "UNCERTAIN"), band), true);
    assert.equal(readingChanged(good(1, "UNCERTAIN"), good(1), band), true);
    assert.equal(readingChanged(bad("TIMEOUT"), good(1), band), true);
    assert.equal(readingChanged(good(1), bad("TIMEOUT"), band), true);
    assert.equal(readingChanged(bad("TIMEOUT"), bad("NOT_FOUND"), band), true);
    assert.equal(readingChanged(bad("TIMEOUT", "after 1 s"), bad("TIMEOUT", "after 2 s"), band), false);
  });
});

describe("ChangeFilter", () => {
  it("compares with the last emitted value, so a slow drift is reported once it adds up", () => {
    const filter = new ChangeFilter({ deadband: { kind: "absolute", value: 0.5 } });
    const emitted = [10, 10.25, 10.5, 10.75, 11, 11.25, 11.5].filter((v, i) => filter.accept("t", good(v), i));
    assert.deepEqual(emitted, [10, 10.75, 11.5]);
  });

  it("keeps tags apart", () => {
    const filter = new ChangeFilter({});
    assert.equal(filter.accept("a", good(1), 0), true);
    assert.equal(filter.accept("b", good(1), 0), true);
    assert.equal(filter.accept("a", good(1), 1), false);
    assert.equal(filter.accept("b", good(2), 1), true);
  });

  it("re-sends an unchanged tag once heartbeatMs has passed since it was last emitted", () => {
    const filter = new ChangeFilter({ heartbeatMs: 1000, deadband: { kind: "absolute", value: 1 } });
    const at = (now: number, value: number) => filter.accept("t", good(value), now);
    assert.equal(at(0, 5), true);
    assert.equal(at(999, 5), false);
    assert.equal(at(1000, 5), true, "due exactly at the heartbeat");
    assert.equal(at(1999, 5.5), false, "the heartbeat restarted at 1000, and 0.5 is inside the band");
    assert.equal(at(2500, 7), true, "a change");
    assert.equal(at(3000, 7), false, "the change restarted the heartbeat");
    assert.equal(at(3500, 7), true);
  });

  it("sends a heartbeat for a tag that stays BAD", () => {
    const filter = new ChangeFilter({ heartbeatMs: 100 });
    assert.equal(filter.accept("t", bad("TIMEOUT"), 0), true);
    assert.equal(filter.accept("t", bad("TIMEOUT"), 50), false);
    assert.equal(filter.accept("t", bad("TIMEOUT"), 100), true);
  });

  it("sees BAD → GOOD with the value from before the outage", () => {
    const filter = new ChangeFilter({ deadband: { kind: "percent", value: 50 } });
    assert.equal(filter.accept("t", good(20), 0), true);
    assert.equal(filter.accept("t", bad("TIMEOUT"), 1), true);
    assert.equal(filter.accept("t", good(20), 2), true);
    assert.equal(filter.accept("t", good(20), 3), false);
  });

  it("acceptTags keeps the readings worth a record, in order", () => {
    const filter = new ChangeFilter({});
    assert.deepEqual(Object.keys(filter.acceptTags({ a: good(1), b: good(2), c: good(3) }, 0)), ["a", "b", "c"]);
    const next = filter.acceptTags({ a: good(1), b: good(5), c: bad("TIMEOUT") }, 1);
    assert.deepEqual(Object.keys(next), ["b", "c"]);
    assert.deepEqual(filter.acceptTags({ a: good(1), b: good(5), c: bad("TIMEOUT") }, 2), {});
  });

  it("acceptJob emits the whole job when any tag is due, and then counts every tag as emitted", () => {
    const filter = new ChangeFilter({ deadband: { kind: "absolute", value: 1 } });
    assert.equal(filter.acceptJob({ a: good(0), b: good(0) }, 0), true);
    assert.equal(filter.acceptJob({ a: good(0.75), b: good(0) }, 1), false, "inside the band");
    assert.equal(filter.acceptJob({ a: good(0.75), b: good(5) }, 2), true, "b changed");
    // a went out with b at 0.75, so 1.5 is within the band of what consumers saw last.
    assert.equal(filter.acceptJob({ a: good(1.5), b: good(5) }, 3), false);
    assert.equal(filter.acceptJob({ a: good(1.5), b: good(5, "UNCERTAIN") }, 4), true);
  });

  it("acceptJob changes nothing when no tag is due, so drift still adds up", () => {
    const filter = new ChangeFilter({ deadband: { kind: "absolute", value: 1 } });
    filter.acceptJob({ a: good(0) }, 0);
    assert.equal(filter.acceptJob({ a: good(0.75) }, 1), false);
    assert.equal(filter.acceptJob({ a: good(1.5) }, 2), true);
  });

  it("acceptJob sends a job heartbeat", () => {
    const filter = new ChangeFilter({ heartbeatMs: 10 });
    assert.equal(filter.acceptJob({ a: good(1), b: good(2) }, 0), true);
    assert.equal(filter.acceptJob({ a: good(1), b: good(2) }, 9), false);
    assert.equal(filter.acceptJob({ a: good(1), b: good(2) }, 10), true);
  });

  it("emits every tag again after reset", () => {
    const filter = new ChangeFilter({});
    filter.accept("t", good(1), 0);
    assert.equal(filter.accept("t", good(1), 1), false);
    filter.reset();
    assert.equal(filter.accept("t", good(1), 2), true);
  });

  it("refuses deadbands and heartbeats it cannot use", () => {
    const cases: [ConstructorParameters<typeof ChangeFilter>[0], string][] = [
      [{ deadband: { kind: "absolute", value: -1 } }, "absolute deadband"],
      [{ deadband: { kind: "percent", value: Number.NaN } }, "percent deadband"],
      [{ deadband: { kind: "absolute", value: Number.POSITIVE_INFINITY } }, "absolute deadband"],
      [{ heartbeatMs: 0 }, "heartbeatMs"],
      [{ heartbeatMs: Number.NaN }, "heartbeatMs"],
    ];
    for (const [options, field] of cases) {
      assert.throws(
        () => new ChangeFilter(options),
        (error: unknown) =>
          error instanceof ReportByExceptionError &&
          error.code === "INVALID_REPORT_BY_EXCEPTION" &&
          error.field === field &&
          error.message.startsWith(`report-by-exception ${field} is `),
      );
    }
  });
});
