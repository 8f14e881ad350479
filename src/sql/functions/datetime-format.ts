// Java DateTimeFormatter-style patterns (the subset ksqlDB users write) compiled once, to format and parse.

import { evalError } from "../types/errors.ts";
import { civilToDays, MS_PER_DAY } from "../types/temporal.ts";

/** Calendar fields of a local date-time; `offsetMinutes` is set when parsed text carried an offset. */
export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  offsetMinutes?: number;
  zoneId?: string;
}

type Token =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "field"; readonly letter: string; readonly count: number };

export interface CompiledPattern {
  readonly pattern: string;
  readonly tokens: readonly Token[];
  readonly regex: RegExp;
  readonly usesDate: boolean;
  readonly usesTime: boolean;
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const DATE_LETTERS = new Set(["y", "u", "M", "L", "d", "D", "E"]);
const TIME_LETTERS = new Set(["H", "h", "k", "m", "s", "S", "a"]);
const SUPPORTED = new Set([...DATE_LETTERS, ...TIME_LETTERS, "X", "x", "Z", "V"]);

const cache = new Map<string, CompiledPattern>();

/** Compiles (and caches) a pattern; unsupported letters are a SQL_EVAL error naming the function. */
export function compilePattern(fn: string, pattern: string): CompiledPattern {
  const cached = cache.get(pattern);
  if (cached) return cached;
  const tokens = tokenize(fn, pattern);
  const compiled: CompiledPattern = {
    pattern,
    tokens,
    regex: new RegExp(`^${tokens.map(tokenRegex).join("")}$`, "i"),
    usesDate: tokens.some((t) => t.kind === "field" && DATE_LETTERS.has(t.letter)),
    usesTime: tokens.some((t) => t.kind === "field" && TIME_LETTERS.has(t.letter)),
  };
  if (cache.size < 512) cache.set(pattern, compiled);
  return compiled;
}

function tokenize(fn: string, pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === "'") {
      let text = "";
      i++;
      if (pattern[i] === "'") {
        tokens.push({ kind: "literal", text: "'" });
        i++;
        continue;
      }
      while (i < pattern.length) {
        if (pattern[i] === "'" && pattern[i + 1] === "'") {
          text += "'";
          i += 2;
        } else if (pattern[i] === "'") break;
        else text += pattern[i++];
      }
      if (i >= pattern.length) throw evalError(fn, `unterminated quote in pattern ${JSON.stringify(pattern)}`);
      i++;
      tokens.push({ kind: "literal", text });
    } else if (/[a-zA-Z]/.test(ch)) {
      let count = 1;
      while (pattern[i + count] === ch) count++;
      if (!SUPPORTED.has(ch))
        throw evalError(fn, `pattern letter '${ch}' is not supported in ${JSON.stringify(pattern)}`);
      tokens.push({ kind: "field", letter: ch, count });
      i += count;
    } else {
      tokens.push({ kind: "literal", text: ch });
      i++;
    }
  }
  return tokens;
}

function tokenRegex(token: Token): string {
  if (token.kind === "literal") return `(${token.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})`;
  const { letter, count } = token;
  switch (letter) {
    case "M":
    case "L":
      return count >= 4 ? "([a-z]+)" : count === 3 ? "([a-z]{3})" : count === 2 ? "(\\d{2})" : "(\\d{1,2})";
    case "E":
      return "([a-z]+)";
    case "a":
      return "(am|pm)";
    case "y":
    case "u":
      return count === 2 ? "(\\d{2})" : count === 4 ? "([+-]?\\d{4,9})" : `([+-]?\\d{${count},9})`;
    case "S":
      return `(\\d{${count}})`;
    case "X":
    case "x":
    case "Z":
      return "(Z|[+-]\\d{2}(?::?\\d{2})?)";
    case "V":
      return "([A-Za-z_]+(?:/[A-Za-z_+-]+)*|[+-]\\d{2}:\\d{2})";
    default:
      return count === 1 ? "(\\d{1,3})" : `(\\d{${count}})`;
  }
}

const pad = (n: number, width: number) => {
  const text = String(Math.abs(n)).padStart(width, "0");
  return n < 0 ? `-${text}` : text;
};

function formatOffset(minutes: number, letter: string, count: number): string {
  if (minutes === 0 && (letter === "X" || (letter === "Z" && count === 5))) return "Z";
  const sign = minutes < 0 ? "-" : "+";
  const h = pad(Math.floor(Math.abs(minutes) / 60), 2);
  const m = pad(Math.abs(minutes) % 60, 2);
  if (letter === "Z") return count === 4 ? `GMT${sign}${h}:${m}` : count === 5 ? `${sign}${h}:${m}` : `${sign}${h}${m}`;
  if (count === 1) return m === "00" ? `${sign}${h}` : `${sign}${h}${m}`;
  return count === 2 || count === 4 ? `${sign}${h}${m}` : `${sign}${h}:${m}`;
}

/** Formats local fields; `dayOfWeek` is 0 = Sunday. */
export function formatFields(compiled: CompiledPattern, f: LocalFields, dayOfWeek: number, dayOfYear: number): string {
  let out = "";
  for (const token of compiled.tokens) {
    if (token.kind === "literal") {
      out += token.text;
      continue;
    }
    const { letter, count } = token;
    switch (letter) {
      case "y":
      case "u":
        out += count === 2 ? pad(((f.year % 100) + 100) % 100, 2) : pad(f.year, count);
        break;
      case "M":
      case "L":
        out += count >= 4 ? MONTHS[f.month - 1] : count === 3 ? MONTHS[f.month - 1]!.slice(0, 3) : pad(f.month, count);
        break;
      case "d":
        out += pad(f.day, count);
        break;
      case "D":
        out += pad(dayOfYear, count);
        break;
      case "E":
        out += count >= 4 ? DAYS[dayOfWeek] : DAYS[dayOfWeek]!.slice(0, 3);
        break;
      case "H":
        out += pad(f.hour, count);
        break;
      case "k":
        out += pad(f.hour === 0 ? 24 : f.hour, count);
        break;
      case "h":
        out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, count);
        break;
      case "a":
        out += f.hour < 12 ? "AM" : "PM";
        break;
      case "m":
        out += pad(f.minute, count);
        break;
      case "s":
        out += pad(f.second, count);
        break;
      case "S":
        out += pad(f.millis, 3).padEnd(count, "0").slice(0, count);
        break;
      case "V":
        out += f.zoneId ?? "UTC";
        break;
      default:
        out += formatOffset(f.offsetMinutes ?? 0, letter, count);
    }
  }
  return out;
}

/**
 * Parses text into local fields; absent fields default to 1970-01-01T00:00:00.000. A day past the month's end (but
 * at most 31) clamps to the last day, as Java's SMART resolver does; anything else out of range is an error.
 */
export function parseFields(fn: string, compiled: CompiledPattern, text: string): LocalFields {
  const match = compiled.regex.exec(text);
  if (!match)
    throw evalError(fn, `text ${JSON.stringify(text)} does not match pattern ${JSON.stringify(compiled.pattern)}`);
  const f: LocalFields = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millis: 0 };
  let pm: boolean | undefined;
  let twelveHour: number | undefined;
  compiled.tokens.forEach((token, index) => {
    if (token.kind === "literal") return;
    const raw = match[index + 1]!;
    const n = Number(raw);
    switch (token.letter) {
      case "y":
      case "u":
        f.year = token.count === 2 ? 2000 + n : n;
        break;
      case "M":
      case "L":
        f.month = token.count >= 3 ? monthFromName(fn, raw) : n;
        break;
      case "d":
        f.day = n;
        break;
      case "H":
      case "k":
        f.hour = token.letter === "k" && n === 24 ? 0 : n;
        break;
      case "h":
        twelveHour = n;
        break;
      case "a":
        pm = raw.toLowerCase() === "pm";
        break;
      case "m":
        f.minute = n;
        break;
      case "s":
        f.second = n;
        break;
      case "S":
        f.millis = Math.floor(Number(`0.${raw}`) * 1000 + 1e-9);
        break;
      case "V":
        f.zoneId = raw;
        break;
      case "X":
      case "x":
      case "Z":
        f.offsetMinutes = parseOffset(raw);
        break;
    }
  });
  if (twelveHour !== undefined) f.hour = (twelveHour % 12) + (pm ? 12 : 0);
  validate(fn, f, text);
  return f;
}

function monthFromName(fn: string, name: string): number {
  const index = MONTHS.findIndex((m) => m.toLowerCase().startsWith(name.toLowerCase()) && name.length >= 3);
  if (index < 0) throw evalError(fn, `unknown month name ${JSON.stringify(name)}`);
  return index + 1;
}

function parseOffset(raw: string): number {
  if (raw.toUpperCase() === "Z") return 0;
  const digits = raw.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
  return raw.startsWith("-") ? -minutes : minutes;
}

function validate(fn: string, f: LocalFields, text: string): void {
  const bad = (what: string) => evalError(fn, `invalid ${what} in ${JSON.stringify(text)}`);
  if (f.month < 1 || f.month > 12) throw bad("month");
  if (f.day < 1 || f.day > 31) throw bad("day of month");
  const monthLength = civilToDays(f.year, f.month + 1, 1) - civilToDays(f.year, f.month, 1);
  if (f.day > monthLength) f.day = monthLength;
  if (f.hour > 23) throw bad("hour");
  if (f.minute > 59) throw bad("minute");
  if (f.second > 59) throw bad("second");
}

/** Milliseconds since the epoch of local fields read as UTC. */
export function fieldsToLocalMs(f: LocalFields): number {
  return (
    civilToDays(f.year, f.month, f.day) * MS_PER_DAY + ((f.hour * 60 + f.minute) * 60 + f.second) * 1000 + f.millis
  );
}

/** Local fields, day of week (0 = Sunday) and day of year of a UTC-read millisecond count. */
export function localMsToFields(ms: number): { fields: LocalFields; dayOfWeek: number; dayOfYear: number } {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const fields = {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millis: d.getUTCMilliseconds(),
  };
  const days = Math.floor(ms / MS_PER_DAY);
  return { fields, dayOfWeek: d.getUTCDay(), dayOfYear: days - civilToDays(year, 1, 1) + 1 };
}
