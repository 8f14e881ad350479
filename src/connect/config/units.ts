// Durations (`100ms`, `2s`, `1m`) and sizes (`512MiB`, `1GB`) as configurations write them, checked against a range.
import { redactUrl } from "../../plc/url.ts";

/** A parsed value, or why it is not one (for a problem message). */
export type UnitResult =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly message: string };

export interface Range {
  readonly min: number;
  readonly max: number;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|d)?$/;

/**
 * Milliseconds from a number (taken as milliseconds, as PLC4X writes intervals) or a string: digits with an optional
 * unit ms, s, m, h or d (`1.5s` is fine; the result must come out a whole number of milliseconds).
 */
export function parseDuration(value: unknown, range: Range): UnitResult {
  let ms: number;
  if (typeof value === "number") {
    ms = value;
  } else if (typeof value === "string") {
    const match = DURATION.exec(value.trim());
    if (match === null) {
      return fail(
        `${describeValue(value)} is not a duration; write milliseconds or a number with ms, s, m, h or d (e.g. 500ms, 2s)`,
      );
    }
    ms = Number(match[1]) * (DURATION_UNITS[match[2] ?? "ms"] ?? 1);
    // 1.1s is 1100.0000000000002 in floating point; a duration is meant to the millisecond.
    if (Math.abs(ms - Math.round(ms)) < 1e-6) ms = Math.round(ms);
  } else {
    return fail(`expected a duration (e.g. 500ms, 2s), found ${describeValue(value)}`);
  }
  if (!Number.isInteger(ms)) return fail(`${formatDuration(ms)} is not a whole number of milliseconds`);
  if (ms < range.min || ms > range.max) {
    return fail(
      `${formatDuration(ms)} is out of range; expected ${formatDuration(range.min)}..${formatDuration(range.max)}`,
    );
  }
  return { ok: true, value: ms };
}

/** `1500` → `1500ms`, `60000` → `1m`: the largest unit that divides the value, so messages read like the input. */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0ms";
  for (const unit of ["d", "h", "m", "s"] as const) {
    const size = DURATION_UNITS[unit] ?? 1;
    if (Number.isInteger(ms) && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};
const SIZE = /^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)$/;

/** Bytes from a number or a string with a unit: B, KB/MB/GB/TB (powers of 1000) or KiB/MiB/GiB/TiB (powers of 1024). */
export function parseSize(value: unknown, range: Range): UnitResult {
  let bytes: number;
  if (typeof value === "number") {
    bytes = value;
  } else if (typeof value === "string") {
    const match = SIZE.exec(value.trim());
    const unit = SIZE_UNITS[(match?.[2] || "b").toLowerCase()];
    if (match === null || unit === undefined) {
      return fail(
        `${describeValue(value)} is not a size; write bytes or a number with KB, MB, GB, KiB, MiB or GiB (e.g. 512MiB)`,
      );
    }
    bytes = Math.round(Number(match[1]) * unit);
  } else {
    return fail(`expected a size (e.g. 512MiB, 1GB), found ${describeValue(value)}`);
  }
  if (!Number.isInteger(bytes)) return fail(`${bytes} is not a whole number of bytes`);
  if (bytes < range.min || bytes > range.max) {
    return fail(`${formatSize(bytes)} is out of range; expected ${formatSize(range.min)}..${formatSize(range.max)}`);
  }
  return { ok: true, value: bytes };
}

/** `1073741824` → `1GiB`; sizes that are no whole binary unit stay in bytes. */
export function formatSize(bytes: number): string {
  for (const unit of ["TiB", "GiB", "MiB", "KiB"] as const) {
    const size = SIZE_UNITS[unit.toLowerCase()] ?? 1;
    if (bytes !== 0 && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}

/** A whole number in `range`, given as a number or as digits (PLC4X's properties are all strings). */
export function parseInteger(value: unknown, range: Range): UnitResult {
  const number = typeof value === "string" && /^\s*-?[0-9]+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number)) {
    return fail(`expected a whole number, found ${describeValue(value)}`);
  }
  if (number < range.min || number > range.max)
    return fail(`${number} is out of range; expected ${range.min}..${range.max}`);
  return { ok: true, value: number };
}

/** What a value is, for "expected X, found Y" messages; strings are quoted, long ones cut. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    // A URL put in the wrong place still must not show its password.
    const text = redactUrl(value);
    return text.length > 40 ? `'${text.slice(0, 37)}...'` : `'${text}'`;
  }
  return String(value);
}

function fail(message: string): UnitResult {
  return { ok: false, message };
}
