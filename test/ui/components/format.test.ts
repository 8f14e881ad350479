// The UI's number, value, duration and time formats: locale-independent, stable in width, exact for 64-bit integers.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  decimalsFor,
  formatAge,
  formatBytes,
  formatCount,
  formatDuration,
  formatFixed,
  formatNumber,
  formatTimestamp,
  formatValue,
  isFloatAddress,
  NO_VALUE,
} from "../../../ui/src/components/format.ts";

const NNBSP = "\u202f";
const MINUS = "\u2212";

test("fixed decimals with SI digit groups and a true minus sign", () => {
  assert.equal(formatFixed(1234567.891, 2), `1${NNBSP}234${NNBSP}567.89`);
  assert.equal(formatFixed(-1234.5, 1), `${MINUS}1${NNBSP}234.5`);
  assert.equal(formatFixed(999, 0), "999");
  assert.equal(formatFixed(-0.001, 2), "0.00", "no sign on a zero");
  assert.equal(formatFixed(Number.NaN, 2), "NaN");
  assert.equal(formatFixed(Number.NEGATIVE_INFINITY, 2), `${MINUS}∞`);
});

test("measured values keep their decimals while they stay in one order of magnitude", () => {
  assert.equal(decimalsFor(0.5), 2);
  assert.equal(decimalsFor(181.2), 2);
  assert.equal(decimalsFor(-999.99), 2);
  assert.equal(decimalsFor(85_345.4), 1);
  assert.equal(decimalsFor(2_025_661), 0);
  assert.equal(formatNumber(160), "160", "integers stay whole");
  assert.equal(formatNumber(159.4827), "159.48");
  assert.equal(formatNumber(3, 2), "3.00");
  assert.equal(formatCount(12_345.6), `12${NNBSP}346`);
});

test("tag values: floats always with decimals, 64-bit integers in strings grouped, arrays, booleans, nothing", () => {
  assert.equal(formatValue(3, true), "3.00");
  assert.equal(formatValue(3), "3");
  assert.equal(formatValue(true), "true");
  assert.equal(formatValue(null), NO_VALUE);
  assert.equal(
    formatValue("18446744073709551615"),
    `18${NNBSP}446${NNBSP}744${NNBSP}073${NNBSP}709${NNBSP}551${NNBSP}615`,
  );
  assert.equal(formatValue("-9007199254740993"), `${MINUS}9${NNBSP}007${NNBSP}199${NNBSP}254${NNBSP}740${NNBSP}993`);
  assert.equal(formatValue("P-12"), "P-12", "text stays text");
  assert.equal(formatValue([40.1, 41], true), "40.10, 41.00");
  assert.equal(formatValue({ a: 1 }), '{"a":1}');
});

test("float addresses are told from integer ones", () => {
  assert.ok(isFloatAddress("input-register:21:REAL"));
  assert.ok(isFloatAddress("input-register:31:REAL[6]"));
  assert.ok(isFloatAddress("%DB1.DBD0:LREAL"));
  assert.ok(!isFloatAddress("input-register:1:UDINT"));
  assert.ok(!isFloatAddress("holding-register:21:STRING(32)"));
  assert.ok(!isFloatAddress("coil:1"));
});

test("durations and ages", () => {
  assert.equal(formatDuration(850), "850 ms");
  assert.equal(formatDuration(4200), "4.2 s");
  assert.equal(formatDuration(42_000), "42 s");
  assert.equal(formatDuration(185_000), "3 min 05 s");
  assert.equal(formatDuration(2 * 3_600_000 + 14 * 60_000), "2 h 14 min");
  assert.equal(formatDuration(3 * 86_400_000 + 4 * 3_600_000), "3 d 4 h");
  assert.equal(formatDuration(-1500), `${MINUS}1.5 s`);
  assert.equal(formatAge(900), "now");
  assert.equal(formatAge(12_400), "12 s");
  assert.equal(formatAge(3 * 60_000 + 59_000), "3 min");
  assert.equal(formatAge(5 * 86_400_000), "5 d");
  assert.equal(formatAge(Number.NaN), NO_VALUE);
});

test("timestamps in local time, sortable as text", () => {
  const ts = new Date(2026, 10, 25, 14, 3, 22, 125).getTime();
  assert.equal(formatTimestamp(ts), "2026-11-25 14:03:22");
  assert.equal(formatTimestamp(ts, true), "2026-11-25 14:03:22.125");
  assert.equal(formatTimestamp(Number.NaN), NO_VALUE);
});

test("bytes in binary units", () => {
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(20 * 1024 * 1024), "20.0 MiB");
});
