// The shift calendar: three shifts with breaks on weekdays, the weekend off, periods with exact ends.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ROUND_THE_CLOCK, ShiftCalendar, THREE_SHIFTS } from "../../../src/sim/model/calendar.ts";

const at = (day: number, hour: number, minute = 0) => Date.UTC(2024, 0, day, hour, minute);
// January 2024: the 8th is a Monday, the 12th a Friday, the 13th a Saturday, the 14th a Sunday.

test("a weekday runs EARLY, LATE and NIGHT shifts, each with a 30-minute break after four hours", () => {
  const calendar = new ShiftCalendar(THREE_SHIFTS);
  const early = calendar.periodAt(at(9, 6));
  assert.deepEqual(early, { kind: "SHIFT", shift: "EARLY", shiftStart: at(9, 6), from: at(9, 6), until: at(9, 10) });
  assert.deepEqual(calendar.periodAt(at(9, 10, 15)), {
    kind: "BREAK",
    shift: "EARLY",
    shiftStart: at(9, 6),
    from: at(9, 10),
    until: at(9, 10, 30),
  });
  assert.equal(calendar.periodAt(at(9, 10, 30)).kind, "SHIFT");
  const late = calendar.periodAt(at(9, 14));
  assert.equal(late.kind === "SHIFT" && late.shift, "LATE");
  const night = calendar.periodAt(at(10, 3));
  assert.deepEqual(night, {
    kind: "SHIFT",
    shift: "NIGHT",
    shiftStart: at(9, 22),
    from: at(10, 2, 30),
    until: at(10, 6),
  });
});

test("the weekend runs from Saturday 06:00, after Friday's night shift, to Monday 06:00", () => {
  const calendar = new ShiftCalendar(THREE_SHIFTS);
  const fridayNight = calendar.periodAt(at(13, 5, 59));
  assert.equal(fridayNight.kind === "SHIFT" && fridayNight.shiftStart, at(12, 22));
  const weekend = calendar.periodAt(at(13, 6));
  // One period across the week boundary (the calendar's week starts on Sunday).
  assert.deepEqual(weekend, { kind: "OFF", from: at(13, 6), until: at(15, 6) });
  assert.deepEqual(calendar.periodAt(at(14, 23)), weekend);
  assert.equal(calendar.periodAt(at(8, 5, 59)).kind, "OFF");
  assert.equal(calendar.periodAt(at(8, 6)).kind, "SHIFT");
});

test("round the clock works Sundays too, including Saturday's night shift into Sunday", () => {
  const calendar = new ShiftCalendar(ROUND_THE_CLOCK);
  const saturdayNight = calendar.periodAt(at(14, 1));
  assert.deepEqual(saturdayNight, {
    kind: "SHIFT",
    shift: "NIGHT",
    shiftStart: at(13, 22),
    from: at(13, 22),
    until: at(14, 2),
  });
  assert.equal(calendar.periodAt(at(14, 12)).kind, "SHIFT");
});

test("a UTC offset moves the shifts to plant local time", () => {
  const calendar = new ShiftCalendar({ ...THREE_SHIFTS, utcOffsetMinutes: 60 });
  // 06:00 local is 05:00 UTC.
  assert.equal(calendar.periodAt(at(8, 4, 59)).kind, "OFF");
  const early = calendar.periodAt(at(8, 5));
  assert.equal(early.kind === "SHIFT" && early.shiftStart, at(8, 5));
});

test("overlapping shifts, breaks outside their shift and bad workdays are refused", () => {
  const shift = { name: "A", startMinute: 0, minutes: 600, breaks: [] };
  const code = (action: () => void) => {
    try {
      action();
    } catch (error) {
      return (error as { code?: string }).code;
    }
    return undefined;
  };
  const overlap = () =>
    new ShiftCalendar({
      shifts: [shift, { ...shift, name: "B", startMinute: 300 }],
      workdays: [1],
      utcOffsetMinutes: 0,
    });
  assert.equal(code(overlap), "SIM_INVALID_CALENDAR");
  const badBreak = () =>
    new ShiftCalendar({
      shifts: [{ ...shift, breaks: [{ afterMinutes: 590, minutes: 30 }] }],
      workdays: [1],
      utcOffsetMinutes: 0,
    });
  assert.equal(code(badBreak), "SIM_INVALID_CALENDAR");
  assert.equal(
    code(() => new ShiftCalendar({ shifts: [shift], workdays: [7], utcOffsetMinutes: 0 })),
    "SIM_INVALID_CALENDAR",
  );
});
