// Date and time functions: FORMAT_/PARSE_TIMESTAMP, DATE and TIME, UNIX_*, CONVERT_TZ, TIMESTAMPADD and friends.

import { timeUnitOf } from "../language/keywords.ts";
import { evalError } from "../types/errors.ts";
import { MS_PER_DAY, MS_PER_TIME_UNIT } from "../types/temporal.ts";
import { BIGINT, DATE, INTEGER, STRING, TIME, TIMESTAMP } from "../types/types.ts";
import { compilePattern, fieldsToLocalMs, formatFields, localMsToFields, parseFields } from "./datetime-format.ts";
import type { FunctionDescription, ScalarSignature } from "./signature.ts";
import { localToInstant, offsetMinutesAt } from "./time-zone.ts";

type Num = number | null;
type Str = string | null;

function scalar(name: string, description: string, signatures: ScalarSignature[]): FunctionDescription {
  return { name, kind: "scalar", category: "date/time", description, signatures };
}

/** An instant as text in a zone (UTC by default). */
export function formatInstant(fn: string, ms: number, pattern: string, zoneId = "UTC"): string {
  const compiled = compilePattern(fn, pattern);
  const offset = offsetMinutesAt(fn, zoneId, ms);
  const { fields, dayOfWeek, dayOfYear } = localMsToFields(ms + offset * 60_000);
  return formatFields(compiled, { ...fields, offsetMinutes: offset, zoneId }, dayOfWeek, dayOfYear);
}

/** Text to an instant: an offset or zone in the text wins over the zone argument, which defaults to UTC. */
export function parseInstant(fn: string, text: string, pattern: string, zoneId = "UTC"): number {
  const fields = parseFields(fn, compilePattern(fn, pattern), text);
  const local = fieldsToLocalMs(fields);
  if (fields.offsetMinutes !== undefined) return local - fields.offsetMinutes * 60_000;
  return localToInstant(fn, fields.zoneId ?? zoneId, local);
}

function formatDate(fn: string, days: number, pattern: string): string {
  const compiled = compilePattern(fn, pattern);
  if (compiled.usesTime) throw evalError(fn, `a DATE has no time of day for pattern ${JSON.stringify(pattern)}`);
  const { fields, dayOfWeek, dayOfYear } = localMsToFields(days * MS_PER_DAY);
  return formatFields(compiled, fields, dayOfWeek, dayOfYear);
}

function parseDate(fn: string, text: string, pattern: string): number {
  const compiled = compilePattern(fn, pattern);
  if (compiled.usesTime) throw evalError(fn, `a DATE pattern cannot hold time fields: ${JSON.stringify(pattern)}`);
  return Math.floor(fieldsToLocalMs(parseFields(fn, compiled, text)) / MS_PER_DAY);
}

function formatTime(fn: string, ms: number, pattern: string): string {
  const compiled = compilePattern(fn, pattern);
  if (compiled.usesDate) throw evalError(fn, `a TIME has no date for pattern ${JSON.stringify(pattern)}`);
  const { fields, dayOfWeek, dayOfYear } = localMsToFields(ms);
  return formatFields(compiled, fields, dayOfWeek, dayOfYear);
}

function parseTime(fn: string, text: string, pattern: string): number {
  const compiled = compilePattern(fn, pattern);
  if (compiled.usesDate) throw evalError(fn, `a TIME pattern cannot hold date fields: ${JSON.stringify(pattern)}`);
  return fieldsToLocalMs(parseFields(fn, compiled, text)) % MS_PER_DAY;
}

/** Milliseconds of `interval` units; the unit is DAYS, HOURS, MINUTES, SECONDS or MILLISECONDS (or singular). */
function unitMillis(fn: string, unit: string, interval: number): number {
  const known = timeUnitOf(unit.toUpperCase());
  if (known === undefined)
    throw evalError(fn, `unknown time unit ${JSON.stringify(unit)}; use DAYS, HOURS, MINUTES, SECONDS or MILLISECONDS`);
  return interval * MS_PER_TIME_UNIT[known];
}

/** TIMESTAMPADD/SUB, DATEADD/SUB, TIMEADD/SUB share one shape: (unit, interval, value). */
function shift(fn: string, sign: 1 | -1, apply: (value: number, ms: number) => number): ScalarSignature["impl"] {
  return ((unit: Str, interval: bigint | null, value: Num) =>
    unit === null || interval === null || value === null
      ? null
      : apply(value, sign * unitMillis(fn, unit, Number(interval)))) as ScalarSignature["impl"];
}

const addToTimestamp = (ts: number, ms: number) => ts + ms;
/** Sub-day units are truncated to whole days, as Java's TimeUnit.toDays does. */
const addToDate = (days: number, ms: number) => days + Math.trunc(ms / MS_PER_DAY);
/** TIME wraps around midnight, as LocalTime.plus does. */
const addToTime = (t: number, ms: number) => (((t + ms) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;

function shifters(
  name: string,
  what: string,
  valueType: typeof TIMESTAMP,
  sign: 1 | -1,
  apply: (v: number, ms: number) => number,
) {
  return scalar(
    name,
    `${sign > 0 ? "Adds" : "Subtracts"} an interval of a unit (e.g. 'HOURS') ${sign > 0 ? "to" : "from"} a ${what}.`,
    [
      {
        params: [STRING, BIGINT, valueType],
        names: ["unit", "interval", what.toLowerCase()],
        returns: valueType,
        impl: shift(name, sign, apply),
      },
    ],
  );
}

export const dateTimeFunctions: readonly FunctionDescription[] = [
  scalar("FORMAT_TIMESTAMP", "A TIMESTAMP as text in a DateTimeFormatter pattern, in a time zone (default UTC).", [
    {
      params: [TIMESTAMP, STRING],
      returns: STRING,
      impl: (ts: Num, p: Str) => (ts === null || p === null ? null : formatInstant("FORMAT_TIMESTAMP", ts, p)),
    },
    {
      params: [TIMESTAMP, STRING, STRING],
      names: ["timestamp", "format", "timezone"],
      returns: STRING,
      impl: (ts: Num, p: Str, z: Str) =>
        ts === null || p === null || z === null ? null : formatInstant("FORMAT_TIMESTAMP", ts, p, z),
    },
  ]),
  scalar("PARSE_TIMESTAMP", "Text in a DateTimeFormatter pattern to a TIMESTAMP, in a time zone (default UTC).", [
    {
      params: [STRING, STRING],
      returns: TIMESTAMP,
      impl: (s: Str, p: Str) => (s === null || p === null ? null : parseInstant("PARSE_TIMESTAMP", s, p)),
    },
    {
      params: [STRING, STRING, STRING],
      names: ["text", "format", "timezone"],
      returns: TIMESTAMP,
      impl: (s: Str, p: Str, z: Str) =>
        s === null || p === null || z === null ? null : parseInstant("PARSE_TIMESTAMP", s, p, z),
    },
  ]),
  scalar("TIMESTAMPTOSTRING", "Deprecated: BIGINT epoch millis as text in a pattern (use FORMAT_TIMESTAMP).", [
    {
      params: [BIGINT, STRING],
      returns: STRING,
      impl: (ms: bigint | null, p: Str) =>
        ms === null || p === null ? null : formatInstant("TIMESTAMPTOSTRING", Number(ms), p),
    },
    {
      params: [BIGINT, STRING, STRING],
      returns: STRING,
      impl: (ms: bigint | null, p: Str, z: Str) =>
        ms === null || p === null || z === null ? null : formatInstant("TIMESTAMPTOSTRING", Number(ms), p, z),
    },
  ]),
  scalar("STRINGTOTIMESTAMP", "Deprecated: text in a pattern to BIGINT epoch millis (use PARSE_TIMESTAMP).", [
    {
      params: [STRING, STRING],
      returns: BIGINT,
      impl: (s: Str, p: Str) => (s === null || p === null ? null : BigInt(parseInstant("STRINGTOTIMESTAMP", s, p))),
    },
    {
      params: [STRING, STRING, STRING],
      returns: BIGINT,
      impl: (s: Str, p: Str, z: Str) =>
        s === null || p === null || z === null ? null : BigInt(parseInstant("STRINGTOTIMESTAMP", s, p, z)),
    },
  ]),
  scalar("FORMAT_DATE", "A DATE as text in a pattern.", [
    {
      params: [DATE, STRING],
      returns: STRING,
      impl: (d: Num, p: Str) => (d === null || p === null ? null : formatDate("FORMAT_DATE", d, p)),
    },
  ]),
  scalar("PARSE_DATE", "Text in a pattern to a DATE.", [
    {
      params: [STRING, STRING],
      returns: DATE,
      impl: (s: Str, p: Str) => (s === null || p === null ? null : parseDate("PARSE_DATE", s, p)),
    },
  ]),
  scalar("DATETOSTRING", "Deprecated: INTEGER days since epoch as text in a pattern (use FORMAT_DATE).", [
    {
      params: [INTEGER, STRING],
      returns: STRING,
      impl: (d: Num, p: Str) => (d === null || p === null ? null : formatDate("DATETOSTRING", d, p)),
    },
  ]),
  scalar("STRINGTODATE", "Deprecated: text in a pattern to INTEGER days since epoch (use PARSE_DATE).", [
    {
      params: [STRING, STRING],
      returns: INTEGER,
      impl: (s: Str, p: Str) => (s === null || p === null ? null : parseDate("STRINGTODATE", s, p)),
    },
  ]),
  scalar("FORMAT_TIME", "A TIME as text in a pattern.", [
    {
      params: [TIME, STRING],
      returns: STRING,
      impl: (t: Num, p: Str) => (t === null || p === null ? null : formatTime("FORMAT_TIME", t, p)),
    },
  ]),
  scalar("PARSE_TIME", "Text in a pattern to a TIME.", [
    {
      params: [STRING, STRING],
      returns: TIME,
      impl: (s: Str, p: Str) => (s === null || p === null ? null : parseTime("PARSE_TIME", s, p)),
    },
  ]),
  scalar("FROM_UNIXTIME", "BIGINT epoch milliseconds to a TIMESTAMP.", [
    { params: [BIGINT], returns: TIMESTAMP, impl: (ms: bigint | null) => (ms === null ? null : Number(ms)) },
  ]),
  scalar("FROM_DAYS", "INTEGER days since epoch to a DATE.", [
    { params: [INTEGER], returns: DATE, impl: (d: Num) => d },
  ]),
  scalar("UNIX_TIMESTAMP", "Epoch milliseconds of a TIMESTAMP, or of now.", [
    { params: [], returns: BIGINT, impl: () => BigInt(Date.now()) },
    { params: [TIMESTAMP], returns: BIGINT, impl: (ts: Num) => (ts === null ? null : BigInt(ts)) },
  ]),
  scalar("UNIX_DATE", "Days since epoch of a DATE, or of today (UTC).", [
    { params: [], returns: INTEGER, impl: () => Math.floor(Date.now() / MS_PER_DAY) },
    { params: [DATE], returns: INTEGER, impl: (d: Num) => d },
  ]),
  scalar(
    "CONVERT_TZ",
    "Reads a TIMESTAMP as wall-clock time in from_timezone and gives that instant's wall-clock time in to_timezone.",
    [
      {
        params: [TIMESTAMP, STRING, STRING],
        names: ["timestamp", "from_timezone", "to_timezone"],
        returns: TIMESTAMP,
        impl: (ts: Num, from: Str, to: Str) => {
          if (ts === null || from === null || to === null) return null;
          const instant = localToInstant("CONVERT_TZ", from, ts);
          return instant + offsetMinutesAt("CONVERT_TZ", to, instant) * 60_000;
        },
      },
    ],
  ),
  shifters("TIMESTAMPADD", "TIMESTAMP", TIMESTAMP, 1, addToTimestamp),
  shifters("TIMESTAMPSUB", "TIMESTAMP", TIMESTAMP, -1, addToTimestamp),
  shifters("DATEADD", "DATE", DATE, 1, addToDate),
  shifters("DATESUB", "DATE", DATE, -1, addToDate),
  shifters("TIMEADD", "TIME", TIME, 1, addToTime),
  shifters("TIMESUB", "TIME", TIME, -1, addToTime),
];
