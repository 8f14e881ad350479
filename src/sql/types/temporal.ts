// DATE, TIME and TIMESTAMP values to and from their ISO-8601 text, as CAST and JSON use them.

import type { TimeUnit } from "../language/ast.ts";
import { SqlFunctionError } from "./errors.ts";

export const MS_PER_DAY = 86_400_000;

/** The length of each time unit KSQL names, for window durations and the TIMESTAMPADD family alike. */
export const MS_PER_TIME_UNIT: Readonly<Record<TimeUnit, number>> = {
  MILLISECOND: 1,
  SECOND: 1_000,
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: MS_PER_DAY,
};

/** DATE (days since epoch) → `yyyy-MM-dd`. */
export function formatIsoDate(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** TIME (ms of day) → Java LocalTime's text: `HH:mm`, `HH:mm:ss` when seconds are set, `.SSS` when millis are. */
export function formatIsoTime(msOfDay: number): string {
  const text = new Date(msOfDay).toISOString().slice(11, 23);
  if (text.endsWith(":00.000")) return text.slice(0, 5);
  if (text.endsWith(".000")) return text.slice(0, 8);
  return text;
}

/** TIMESTAMP (ms since epoch) → `yyyy-MM-ddTHH:mm:ss.SSS` in UTC, ksqlDB's serialised form. */
export function formatIsoTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, -1);
}

const ISO_DATE = /^([+-]?\d{4,6})-(\d{2})-(\d{2})$/;
const ISO_TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const ISO_ZONE = /(Z|[+-]\d{2}(?::?\d{2})?)$/;

export function parseIsoDate(text: string): number {
  const match = ISO_DATE.exec(text.trim());
  if (!match) throw castError(text, "DATE", "yyyy-MM-dd");
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const days = civilToDays(year, month, day);
  if (month < 1 || month > 12 || day < 1 || formatIsoDate(days).slice(-5) !== `${match[2]}-${match[3]}`) {
    throw castError(text, "DATE", "a valid calendar date");
  }
  return days;
}

export function parseIsoTime(text: string): number {
  const match = ISO_TIME.exec(text.trim());
  if (!match) throw castError(text, "TIME", "HH:mm:ss");
  const [h, m, s] = [Number(match[1]), Number(match[2]), Number(match[3] ?? "0")];
  if (h > 23 || m > 59 || s > 59) throw castError(text, "TIME", "a valid time of day");
  return ((h * 60 + m) * 60 + s) * 1000 + Math.floor(Number(`0.${match[4] ?? "0"}`) * 1000);
}

/** ISO-8601 date-time with an optional zone offset; without one, UTC (ksqlDB's default time zone). */
export function parseIsoTimestamp(text: string): number {
  const trimmed = text.trim();
  const zone = ISO_ZONE.exec(trimmed.slice(10));
  const local = zone ? trimmed.slice(0, trimmed.length - zone[0].length) : trimmed;
  const [datePart, timePart] = local.split("T");
  if (datePart === undefined) throw castError(text, "TIMESTAMP", "yyyy-MM-ddTHH:mm:ss.SSS");
  let ms: number;
  try {
    ms = parseIsoDate(datePart) * MS_PER_DAY + (timePart === undefined ? 0 : parseIsoTime(timePart));
  } catch {
    throw castError(text, "TIMESTAMP", "ISO-8601, e.g. 2024-05-01T12:30:00.000");
  }
  return zone ? ms - zoneOffsetMs(zone[0]) : ms;
}

function zoneOffsetMs(zone: string): number {
  if (zone === "Z") return 0;
  const digits = zone.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
  return (zone.startsWith("-") ? -minutes : minutes) * 60_000;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1..12); out-of-range fields roll over like Date.UTC. */
export function civilToDays(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.floor(date.getTime() / MS_PER_DAY);
}

function castError(text: string, type: string, expected: string): SqlFunctionError {
  return new SqlFunctionError("SQL_CAST", `cannot cast ${JSON.stringify(text)} to ${type}: expected ${expected}`);
}
