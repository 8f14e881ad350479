// Time-zone offsets by zone id through Intl (IANA names, UTC/GMT, fixed offsets like +02:00), cached per zone.

import { evalError } from "../types/errors.ts";

const FIXED = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/;
const formatters = new Map<string, Intl.DateTimeFormat | number>();

/** A fixed offset in minutes, or an Intl formatter that tells the offset of any instant. */
function zone(fn: string, id: string): Intl.DateTimeFormat | number {
  const cached = formatters.get(id);
  if (cached !== undefined) return cached;
  let resolved: Intl.DateTimeFormat | number;
  const fixed = FIXED.exec(id);
  if (id === "UTC" || id === "GMT" || id === "Z") resolved = 0;
  else if (fixed) resolved = (fixed[1] === "-" ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? "0"));
  else {
    try {
      resolved = new Intl.DateTimeFormat("en-US", {
        timeZone: id,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
        era: "short",
      });
    } catch (error) {
      throw evalError(fn, `unknown time zone ${JSON.stringify(id)}`, error);
    }
  }
  if (formatters.size < 256) formatters.set(id, resolved);
  return resolved;
}

/** The zone's offset from UTC in minutes at the given instant. */
export function offsetMinutesAt(fn: string, id: string, instantMs: number): number {
  const z = zone(fn, id);
  if (typeof z === "number") return z;
  const parts: Record<string, string> = {};
  for (const part of z.formatToParts(new Date(instantMs))) parts[part.type] = part.value;
  const year = parts.era === "BC" || parts.era === "B" ? 1 - Number(parts.year) : Number(parts.year);
  const local = new Date(0);
  local.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  local.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
  const truncated = instantMs - (((instantMs % 1000) + 1000) % 1000);
  return Math.round((local.getTime() - truncated) / 60_000);
}

/** The instant of a local wall-clock time in the zone (in a gap or overlap, the earlier offset wins). */
export function localToInstant(fn: string, id: string, localMs: number): number {
  const first = offsetMinutesAt(fn, id, localMs);
  const guess = localMs - first * 60_000;
  const second = offsetMinutesAt(fn, id, guess);
  return second === first ? guess : localMs - Math.max(first, second) * 60_000;
}
