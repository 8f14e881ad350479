// Tests durations and sizes with units: what they accept, their ranges, and messages that read like the input.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  describeValue,
  formatDuration,
  formatSize,
  parseDuration,
  parseInteger,
  parseSize,
  type UnitResult,
} from "../../../src/connect/config/units.ts";

const ANY = { min: 0, max: Number.MAX_SAFE_INTEGER };

function value(result: UnitResult): number {
  assert.ok(result.ok, result.ok ? "" : result.message);
  return result.value;
}

function message(result: UnitResult): string {
  assert.ok(!result.ok);
  return result.message;
}

describe("parseDuration", () => {
  it("reads numbers and unit-less digits as milliseconds (PLC4X's intervals)", () => {
    assert.equal(value(parseDuration(250, ANY)), 250);
    assert.equal(value(parseDuration("1000", ANY)), 1000);
  });

  it("reads ms, s, m, h and d, with decimals and blanks", () => {
    assert.equal(value(parseDuration("100ms", ANY)), 100);
    assert.equal(value(parseDuration("2s", ANY)), 2000);
    assert.equal(value(parseDuration("1.1s", ANY)), 1100);
    assert.equal(value(parseDuration("1m", ANY)), 60_000);
    assert.equal(value(parseDuration(" 1.5 h ", ANY)), 5_400_000);
    assert.equal(value(parseDuration("7d", ANY)), 604_800_000);
  });

  it("refuses other words, negative numbers, fractions of a millisecond and non-strings", () => {
    assert.match(message(parseDuration("5 parsecs", ANY)), /^'5 parsecs' is not a duration/);
    assert.match(message(parseDuration("-5s", ANY)), /is not a duration/);
    assert.match(message(parseDuration("2S", ANY)), /is not a duration/);
    assert.equal(message(parseDuration("0.5ms", ANY)), "0.5ms is not a whole number of milliseconds");
    assert.equal(message(parseDuration(1.5, ANY)), "1.5ms is not a whole number of milliseconds");
    assert.match(message(parseDuration(true, ANY)), /expected a duration \(e\.g\. 500ms, 2s\), found true/);
    assert.match(message(parseDuration([1], ANY)), /found a list/);
  });

  it("checks the range and says it in the units people write", () => {
    const range = { min: 1, max: 86_400_000 };
    assert.equal(message(parseDuration("0ms", range)), "0ms is out of range; expected 1ms..1d");
    assert.equal(message(parseDuration("25h", range)), "25h is out of range; expected 1ms..1d");
    assert.equal(value(parseDuration("24h", range)), 86_400_000);
  });
});

describe("parseSize", () => {
  it("reads bytes, decimal and binary units, in any case", () => {
    assert.equal(value(parseSize(4096, ANY)), 4096);
    assert.equal(value(parseSize("1GiB", ANY)), 2 ** 30);
    assert.equal(value(parseSize("512 MiB", ANY)), 512 * 2 ** 20);
    assert.equal(value(parseSize("1GB", ANY)), 1e9);
    assert.equal(value(parseSize("1.5kb", ANY)), 1500);
    assert.equal(value(parseSize("10B", ANY)), 10);
  });

  it("refuses unknown units and checks the range", () => {
    assert.match(message(parseSize("1 TB of disk", ANY)), /^'1 TB of disk' is not a size/);
    assert.match(message(parseSize("3 PB", ANY)), /is not a size/);
    assert.equal(
      message(parseSize("1KiB", { min: 2 ** 20, max: 2 ** 30 })),
      "1KiB is out of range; expected 1MiB..1GiB",
    );
  });
});

describe("parseInteger", () => {
  it("reads numbers and digit strings, and refuses the rest", () => {
    assert.equal(value(parseInteger(" 42 ", ANY)), 42);
    assert.equal(value(parseInteger(7, ANY)), 7);
    assert.equal(message(parseInteger("many", ANY)), "expected a whole number, found 'many'");
    assert.equal(message(parseInteger(2.5, ANY)), "expected a whole number, found 2.5");
    assert.equal(message(parseInteger(101, { min: 0, max: 100 })), "101 is out of range; expected 0..100");
  });
});

describe("formatting", () => {
  it("uses the largest unit that divides the value", () => {
    assert.equal(formatDuration(0), "0ms");
    assert.equal(formatDuration(1500), "1500ms");
    assert.equal(formatDuration(90_000), "90s");
    assert.equal(formatDuration(3_600_000), "1h");
    assert.equal(formatSize(2 ** 30), "1GiB");
    assert.equal(formatSize(1000), "1000B");
  });

  it("describes values without showing a URL's password", () => {
    assert.equal(describeValue("opcua://user:s3cret@plc:4840"), "'opcua://user:****@plc:4840'");
    assert.equal(describeValue(null), "nothing");
    assert.equal(describeValue({ a: 1 }), "a mapping");
    assert.equal(describeValue("x".repeat(50)), `'${"x".repeat(37)}...'`);
  });
});
