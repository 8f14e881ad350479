// S7's time and date encodings: S5TIME's base and BCD digits, DATE's days since 1990, BCD DATE_AND_TIME, DTL, LDT.
import { S7ValueError } from "./errors.ts";

const MS_PER_DAY = 86_400_000;
const NS_PER_MS = 1_000_000n;
/** DATE counts days from 1990-01-01. */
const SIEMENS_EPOCH_MS = Date.UTC(1990, 0, 1);
/** S5TIME's time bases, selected by bits 12-13. */
const S5_BASES_MS = [10, 100, 1000, 10_000] as const;
const MAX_S5TIME_MS = 999 * 10_000;
/** DATE_AND_TIME's two-digit year covers 1990..2089; DTL and LDT run until the int64 nanoseconds end, in 2262. */
const DT_MIN_MS = Date.UTC(1990, 0, 1);
const DT_MAX_MS = Date.UTC(2090, 0, 1) - 1;
const LONG_MAX_MS = Date.UTC(2262, 3, 11, 23, 47, 16, 854);

/** DATE: days since 1990-01-01 as a Date at midnight UTC. */
export function dateOfDays(days: number): Date {
  return new Date(SIEMENS_EPOCH_MS + days * MS_PER_DAY);
}

/** DATE_AND_LTIME (LDT): the Date of nanoseconds since 1970 (milliseconds kept). */
export function dateOfNanoseconds(ns: bigint): Date {
  return new Date(Number(ns / NS_PER_MS));
}

/** LDT's nanoseconds since 1970 for a Date within 1970..2262. */
export function nanosecondsOf(type: string, time: number): bigint {
  return BigInt(inRange(type, time, 0, LONG_MAX_MS)) * NS_PER_MS;
}

/** A DTL's time, checked against its range (LDT's: 1970..2262). */
export function dtlTime(time: number): number {
  return inRange("DTL", time, 0, LONG_MAX_MS);
}

function bcdDigit(nibble: number, type: string): number {
  if (nibble > 9) throw new S7ValueError(type, "BAD_ENCODING", `BCD digit ${nibble.toString(16).toUpperCase()}`);
  return nibble;
}

function bcdByte(byte: number, type: string): number {
  return bcdDigit(byte >>> 4, type) * 10 + bcdDigit(byte & 0x0f, type);
}

function toBcd(value: number): number {
  return ((Math.floor(value / 10) % 10) << 4) | (value % 10);
}

/** S5TIME: bits 12-13 pick the base (10 ms .. 10 s), bits 0-11 hold three BCD digits. */
export function decodeS5Time(word: number): number {
  const digits = word & 0x0fff;
  const value =
    bcdDigit(digits >>> 8, "S5TIME") * 100 +
    bcdDigit((digits >>> 4) & 0xf, "S5TIME") * 10 +
    bcdDigit(digits & 0xf, "S5TIME");
  return value * S5_BASES_MS[(word >>> 12) & 3]!;
}

export function encodeS5Time(ms: number): number {
  if (ms < 0 || ms > MAX_S5TIME_MS) {
    throw new S7ValueError("S5TIME", "OUT_OF_RANGE", `${ms} ms is outside 0..${MAX_S5TIME_MS} ms`);
  }
  const base = S5_BASES_MS.findIndex((step) => ms % step === 0 && ms / step <= 999);
  if (base < 0) {
    throw new S7ValueError("S5TIME", "OUT_OF_RANGE", `${ms} ms has no exact S5TIME (10 ms steps up to 9.99 s, ...)`);
  }
  const value = ms / S5_BASES_MS[base]!;
  return (base << 12) | (Math.floor(value / 100) << 8) | ((Math.floor(value / 10) % 10) << 4) | (value % 10);
}

/** A date from its parts, refused when they name no real day (2023-02-30) or time. */
function utcDate(type: string, parts: readonly [number, number, number, number, number, number, number]): Date {
  const [year, month, day, hour, minute, second, ms] = parts;
  const time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const date = new Date(time);
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new S7ValueError(type, "BAD_ENCODING", `${parts.slice(0, 6).join("-")} is no valid date and time`);
  }
  return date;
}

/** DATE_AND_TIME: eight BCD bytes, year (90..99 → 19xx), month, day, hour, minute, second, ms in 3 digits, weekday. */
export function decodeDateAndTime(view: DataView, at: number): Date {
  const type = "DATE_AND_TIME";
  const byte = (index: number) => view.getUint8(at + index);
  const yy = bcdByte(byte(0), type);
  const ms = bcdByte(byte(6), type) * 10 + bcdDigit(byte(7) >>> 4, type);
  return utcDate(type, [
    yy >= 90 ? 1900 + yy : 2000 + yy,
    bcdByte(byte(1), type),
    bcdByte(byte(2), type),
    bcdByte(byte(3), type),
    bcdByte(byte(4), type),
    bcdByte(byte(5), type),
    ms,
  ]);
}

/** DTL: year (2 bytes), month, day, weekday, hour, minute, second, nanoseconds (4 bytes); Dates keep milliseconds. */
export function decodeDtl(view: DataView, at: number): Date {
  const nanoseconds = view.getUint32(at + 8);
  if (nanoseconds > 999_999_999) throw new S7ValueError("DTL", "BAD_ENCODING", `${nanoseconds} ns is over a second`);
  return utcDate("DTL", [
    view.getUint16(at),
    view.getUint8(at + 2),
    view.getUint8(at + 3),
    view.getUint8(at + 5),
    view.getUint8(at + 6),
    view.getUint8(at + 7),
    Math.floor(nanoseconds / 1_000_000),
  ]);
}

function inRange(type: string, time: number, min: number, max: number): number {
  if (time < min || time > max) {
    const span = `${new Date(min).toISOString()}..${new Date(max).toISOString()}`;
    throw new S7ValueError(type, "OUT_OF_RANGE", `${new Date(time).toISOString()} is outside ${span}`);
  }
  return time;
}

export function daysSinceSiemensEpoch(time: number): number {
  const days = (time - SIEMENS_EPOCH_MS) / MS_PER_DAY;
  if (!Number.isInteger(days) || days < 0 || days > 0xffff) {
    throw new S7ValueError(
      "DATE",
      "OUT_OF_RANGE",
      `${new Date(time).toISOString()} is no day in 1990-01-01..2169-06-06`,
    );
  }
  return days;
}

export function encodeDateAndTime(view: DataView, at: number, time: number): void {
  const date = new Date(inRange("DATE_AND_TIME", time, DT_MIN_MS, DT_MAX_MS));
  const ms = date.getUTCMilliseconds();
  const bytes = [
    toBcd(date.getUTCFullYear() % 100),
    toBcd(date.getUTCMonth() + 1),
    toBcd(date.getUTCDate()),
    toBcd(date.getUTCHours()),
    toBcd(date.getUTCMinutes()),
    toBcd(date.getUTCSeconds()),
    toBcd(Math.floor(ms / 10)),
    ((ms % 10) << 4) | (date.getUTCDay() + 1),
  ];
  bytes.forEach((byte, index) => {
    view.setUint8(at + index, byte);
  });
}

export function encodeDtl(view: DataView, at: number, time: number): void {
  const date = new Date(time);
  view.setUint16(at, date.getUTCFullYear());
  view.setUint8(at + 2, date.getUTCMonth() + 1);
  view.setUint8(at + 3, date.getUTCDate());
  view.setUint8(at + 4, date.getUTCDay() + 1);
  view.setUint8(at + 5, date.getUTCHours());
  view.setUint8(at + 6, date.getUTCMinutes());
  view.setUint8(at + 7, date.getUTCSeconds());
  view.setUint32(at + 8, date.getUTCMilliseconds() * 1_000_000);
}
