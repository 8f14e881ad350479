// The operating state machine: shifts and breaks, changeovers, breakdowns and minor stops, starving and blocking.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type CalendarConfig, ShiftCalendar, THREE_SHIFTS } from "../../../src/sim/model/calendar.ts";
import { Random } from "../../../src/sim/model/random.ts";
import { type Flow, OperatingState, type StatePolicy } from "../../../src/sim/model/state.ts";
import { ALWAYS_ON, MONDAY_0030 } from "./test-rig.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Span {
  state: string;
  reason: string;
  from: number;
  to: number;
}

/** Runs a state machine from `start` for `durationMs`, returning the spans it spent in each state. */
function run(
  policy: StatePolicy,
  calendarConfig: CalendarConfig,
  start: number,
  durationMs: number,
  tickMs = 100,
  flow: (now: number) => Flow = () => "OK",
): { spans: Span[]; machine: OperatingState } {
  const calendar = new ShiftCalendar(calendarConfig);
  const machine = new OperatingState(policy, new Random(9, "state"), calendar.periodAt(start), start);
  const spans: Span[] = [{ state: machine.state, reason: machine.reason, from: start, to: start }];
  for (let now = start + tickMs; now <= start + durationMs; now += tickMs) {
    machine.update(now, tickMs, calendar.periodAt(now), flow(now));
    const last = spans[spans.length - 1]!;
    if (machine.state !== last.state || machine.reason !== last.reason) {
      last.to = now;
      spans.push({ state: machine.state, reason: machine.reason, from: now, to: now });
    }
  }
  spans[spans.length - 1]!.to = start + durationMs;
  return { spans, machine };
}

const at = (day: number, hour: number, minute = 0) => Date.UTC(2024, 0, day, hour, minute);
const changeoverOnly: StatePolicy = { followsCalendar: true, changeover: { minMs: 10 * MINUTE, maxMs: 20 * MINUTE } };

test("a machine started inside a shift runs at once; started outside it, it is IDLE for PLANNED time", () => {
  const calendar = new ShiftCalendar(THREE_SHIFTS);
  const inShift = new OperatingState(changeoverOnly, new Random(1, "a"), calendar.periodAt(at(8, 7)), at(8, 7));
  assert.deepEqual([inShift.state, inShift.reason], ["RUNNING", "NONE"]);
  const weekend = new OperatingState(changeoverOnly, new Random(1, "a"), calendar.periodAt(at(13, 7)), at(13, 7));
  assert.deepEqual([weekend.state, weekend.reason], ["IDLE", "PLANNED"]);
});

test("each shift starts with a changeover within its bounds; breaks and the weekend are planned idle time", () => {
  // From Friday 05:00 (the end of Thursday's night shift) to Saturday 08:00: three more shifts, then the weekend.
  const { spans } = run(changeoverOnly, THREE_SHIFTS, at(12, 5), 27 * HOUR);
  const shape = spans.map((s) => `${new Date(s.from).toISOString().slice(11, 16)} ${s.state} ${s.reason}`);
  const setups = spans.filter((s) => s.state === "SETUP");
  assert.deepEqual(
    setups.map((s) => s.from),
    [at(12, 6), at(12, 14), at(12, 22)],
  );
  for (const setup of setups) {
    assert.equal(setup.reason, "CHANGEOVER");
    assert.ok(setup.to - setup.from >= 10 * MINUTE && setup.to - setup.from <= 20 * MINUTE + 100, shape.join("\n"));
  }
  const planned = spans.filter((s) => s.reason === "PLANNED").map((s) => [s.from, s.to]);
  assert.equal(spans[0]?.state, "RUNNING");
  assert.deepEqual(planned, [
    [at(12, 10), at(12, 10, 30)],
    [at(12, 18), at(12, 18, 30)],
    [at(13, 2), at(13, 2, 30)],
    [at(13, 6), at(13, 8)],
  ]);
  // After a break the machine runs again without a changeover.
  const afterBreak = spans.find((s) => s.from === at(12, 10, 30));
  assert.equal(afterBreak?.state, "RUNNING");
});

test("breakdowns come at their mean running time and repairs stay within their bounds", () => {
  const policy: StatePolicy = {
    followsCalendar: true,
    breakdown: { meanRunMs: 2 * HOUR, duration: { minMs: 5 * MINUTE, maxMs: 30 * MINUTE } },
    minorStop: { meanRunMs: 20 * MINUTE, duration: { minMs: 30_000, maxMs: 3 * MINUTE } },
  };
  const { spans } = run(policy, ALWAYS_ON, MONDAY_0030, 400 * HOUR, 1000);
  const running = spans.filter((s) => s.state === "RUNNING").reduce((sum, s) => sum + s.to - s.from, 0);
  const breakdowns = spans.filter((s) => s.reason === "BREAKDOWN");
  const minors = spans.filter((s) => s.reason === "MINOR_STOP");
  assert.ok(
    breakdowns.every((s) => s.state === "FAULT" && s.to - s.from >= 5 * MINUTE && s.to - s.from <= 30 * MINUTE),
  );
  assert.ok(minors.every((s) => s.state === "IDLE" && s.to - s.from >= 30_000 && s.to - s.from <= 3 * MINUTE + 1000));
  const mtbf = running / breakdowns.length;
  assert.ok(Math.abs(mtbf - 2 * HOUR) < 0.25 * 2 * HOUR, `mean time between breakdowns ${mtbf / HOUR} h`);
  const mtbs = running / minors.length;
  assert.ok(Math.abs(mtbs - 20 * MINUTE) < 0.15 * 20 * MINUTE, `mean time between minor stops ${mtbs / MINUTE} min`);
});

test("a machine starves only after its patience and runs again as soon as material comes", () => {
  const policy: StatePolicy = { followsCalendar: true, starveAfterMs: 20_000, blockAfterMs: 0 };
  const t0 = MONDAY_0030;
  // Material stops from minute 1 to minute 2; the outfeed is full from minute 3 to 3:30.
  const flow = (now: number): Flow =>
    now > t0 + MINUTE && now <= t0 + 2 * MINUTE
      ? "STARVED"
      : now > t0 + 3 * MINUTE && now <= t0 + 3.5 * MINUTE
        ? "BLOCKED"
        : "OK";
  const { spans } = run(policy, ALWAYS_ON, t0, 5 * MINUTE, 100, flow);
  assert.deepEqual(
    spans.map((s) => [s.state, s.reason, (s.from - t0) / 1000]),
    [
      ["RUNNING", "NONE", 0],
      ["IDLE", "STARVED", 80],
      ["RUNNING", "NONE", 120.1],
      ["IDLE", "BLOCKED", 180.1],
      ["RUNNING", "NONE", 210.1],
    ],
  );
});

test("a timed stop ends on the first tick at or after its end; a held stop lasts until it is released", () => {
  const calendar = new ShiftCalendar(ALWAYS_ON);
  const t0 = MONDAY_0030;
  const machine = new OperatingState({ followsCalendar: true }, new Random(1, "s"), calendar.periodAt(t0), t0);
  machine.stop(t0, "FAULT", "JAM", 30_050);
  let now = t0;
  while (machine.state === "FAULT") {
    now += 100;
    machine.update(now, 100, calendar.periodAt(now), "OK");
  }
  assert.equal(now - t0, 30_100);
  machine.hold(now, "FAULT", "OVERTEMPERATURE");
  for (let i = 0; i < 10_000; i++) {
    now += 100;
    machine.update(now, 100, calendar.periodAt(now), "OK");
  }
  assert.deepEqual([machine.state, machine.reason], ["FAULT", "OVERTEMPERATURE"]);
  machine.release(now);
  now += 100;
  machine.update(now, 100, calendar.periodAt(now), "OK");
  assert.deepEqual([machine.state, machine.reason, machine.since], ["RUNNING", "NONE", now]);
});

test("instruments run through breaks and weekends", () => {
  const { spans } = run({ followsCalendar: false }, THREE_SHIFTS, at(12, 5), 30 * HOUR, 1000);
  assert.deepEqual(
    spans.map((s) => s.state),
    ["RUNNING"],
  );
});
