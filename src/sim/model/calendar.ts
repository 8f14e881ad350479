// The shift calendar: which shifts the plant works, when their breaks are, and which days are weekend.
import { InvalidCalendarError } from "./errors.ts";

export interface BreakDefinition {
  /** Minutes after the shift starts. */
  readonly afterMinutes: number;
  readonly minutes: number;
}

export interface ShiftDefinition {
  readonly name: string;
  /** Minutes after local midnight of the day the shift starts on; a shift may run past midnight. */
  readonly startMinute: number;
  readonly minutes: number;
  readonly breaks: readonly BreakDefinition[];
}

export interface CalendarConfig {
  readonly shifts: readonly ShiftDefinition[];
  /** Days on which shifts start, 0 = Sunday … 6 = Saturday (a night shift started on Friday ends on Saturday). */
  readonly workdays: readonly number[];
  /** Fixed offset of plant local time from UTC; the model has no daylight-saving rules. */
  readonly utcOffsetMinutes: number;
}

/** Where the plant is in its calendar at one instant. `until` is when that period ends (ms since the epoch). */
export type ShiftPeriod =
  | {
      readonly kind: "SHIFT" | "BREAK";
      /** Name of the shift. */
      readonly shift: string;
      /** When this shift started (ms since the epoch): it tells one shift from the next of the same name. */
      readonly shiftStart: number;
      readonly from: number;
      readonly until: number;
    }
  | { readonly kind: "OFF"; readonly from: number; readonly until: number };

const three: readonly ShiftDefinition[] = [
  { name: "EARLY", startMinute: 6 * 60, minutes: 480, breaks: [{ afterMinutes: 240, minutes: 30 }] },
  { name: "LATE", startMinute: 14 * 60, minutes: 480, breaks: [{ afterMinutes: 240, minutes: 30 }] },
  { name: "NIGHT", startMinute: 22 * 60, minutes: 480, breaks: [{ afterMinutes: 240, minutes: 30 }] },
];

/** Three eight-hour shifts from Monday 06:00 to Saturday 06:00, a 30-minute break in the middle of each; weekend off. */
export const THREE_SHIFTS: CalendarConfig = { shifts: three, workdays: [1, 2, 3, 4, 5], utcOffsetMinutes: 0 };

/** The same three shifts on all seven days: a demo started at any hour finds the line working. */
export const ROUND_THE_CLOCK: CalendarConfig = { shifts: three, workdays: [0, 1, 2, 3, 4, 5, 6], utcOffsetMinutes: 0 };

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const WEEK = 7 * DAY;
/** 1970-01-01 was a Thursday: this shifts epoch time so that week time 0 is Sunday 00:00. */
const EPOCH_TO_SUNDAY = 4 * DAY;

interface Segment {
  readonly start: number;
  readonly end: number;
  readonly kind: "SHIFT" | "BREAK" | "OFF";
  readonly shift: string;
  /** Week time the shift began at; -1 for OFF. */
  readonly shiftStart: number;
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}

/** Answers "which period is it?" for any instant; the answer is cached until the period ends, so a tick costs a compare. */
export class ShiftCalendar {
  readonly config: CalendarConfig;
  private readonly segments: Segment[];
  private readonly offsetMs: number;
  private cached: ShiftPeriod | undefined;

  constructor(config: CalendarConfig) {
    this.config = config;
    this.offsetMs = config.utcOffsetMinutes * MINUTE;
    this.segments = buildWeek(config);
  }

  periodAt(time: number): ShiftPeriod {
    const cached = this.cached;
    if (cached !== undefined && time >= cached.from && time < cached.until) return cached;
    const period = this.compute(time);
    this.cached = period;
    return period;
  }

  private compute(time: number): ShiftPeriod {
    const weekTime = mod(time + this.offsetMs + EPOCH_TO_SUNDAY, WEEK);
    const index = this.segments.findIndex((s) => weekTime >= s.start && weekTime < s.end);
    const segment = this.segments[index]!;
    // A period can span the week boundary (a weekend from Saturday into Monday): walk on while nothing changes.
    let length = segment.end - weekTime;
    let backwards = weekTime - segment.start;
    for (let i = 1; i < this.segments.length; i++) {
      const next = this.segments[(index + i) % this.segments.length]!;
      if (!sameRun(segment, next)) break;
      length += next.end - next.start;
    }
    for (let i = 1; i < this.segments.length; i++) {
      const previous = this.segments[mod(index - i, this.segments.length)]!;
      if (!sameRun(segment, previous)) break;
      backwards += previous.end - previous.start;
    }
    const from = time - backwards;
    const until = time + length;
    if (segment.kind === "OFF") return { kind: "OFF", from, until };
    const shiftStart = time - mod(weekTime - segment.shiftStart, WEEK);
    return { kind: segment.kind, shift: segment.shift, shiftStart, from, until };
  }
}

function sameRun(a: Segment, b: Segment): boolean {
  return a.kind === b.kind && a.shift === b.shift && a.shiftStart === b.shiftStart;
}

/** Lays one week out as sorted, gapless segments: shifts cut by their breaks, OFF in between. */
function buildWeek(config: CalendarConfig): Segment[] {
  const worked: Segment[] = [];
  const push = (start: number, end: number, kind: "SHIFT" | "BREAK", shift: string, shiftStart: number) => {
    if (end <= start) return;
    // Saturday's night shift runs into Sunday of the next week: wrap the part past the week's end to its start.
    if (end > WEEK) {
      if (start < WEEK) worked.push({ start, end: WEEK, kind, shift, shiftStart });
      worked.push({ start: Math.max(start - WEEK, 0), end: end - WEEK, kind, shift, shiftStart });
    } else {
      worked.push({ start, end, kind, shift, shiftStart });
    }
  };
  for (const day of config.workdays) {
    if (!Number.isInteger(day) || day < 0 || day > 6) throw new InvalidCalendarError(`workday ${day} is not 0..6`);
    for (const shift of config.shifts) {
      if (shift.minutes <= 0 || shift.minutes > 1440 || shift.startMinute < 0 || shift.startMinute >= 1440) {
        throw new InvalidCalendarError(`shift ${shift.name} must start within its day and last 1..1440 minutes`);
      }
      const start = day * DAY + shift.startMinute * MINUTE;
      let cursor = start;
      const breaks = [...shift.breaks].sort((a, b) => a.afterMinutes - b.afterMinutes);
      for (const pause of breaks) {
        const from = start + pause.afterMinutes * MINUTE;
        const to = from + pause.minutes * MINUTE;
        if (from < cursor || to > start + shift.minutes * MINUTE || pause.minutes <= 0) {
          throw new InvalidCalendarError(`a break of shift ${shift.name} overlaps another or leaves the shift`);
        }
        push(cursor, from, "SHIFT", shift.name, start);
        push(from, to, "BREAK", shift.name, start);
        cursor = to;
      }
      push(cursor, start + shift.minutes * MINUTE, "SHIFT", shift.name, start);
    }
  }
  worked.sort((a, b) => a.start - b.start);
  const segments: Segment[] = [];
  let cursor = 0;
  for (const segment of worked) {
    if (segment.start < cursor) {
      throw new InvalidCalendarError(`shift ${segment.shift} overlaps the shift before it`);
    }
    if (segment.start > cursor) segments.push(offBetween(cursor, segment.start));
    segments.push(segment);
    cursor = segment.end;
  }
  if (cursor < WEEK) segments.push(offBetween(cursor, WEEK));
  return segments;
}

function offBetween(start: number, end: number): Segment {
  return { start, end, kind: "OFF", shift: "", shiftStart: -1 };
}
