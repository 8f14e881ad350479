// Alarms: hysteresis on raise and clear, events delivered after the tick, the active list kept up to date.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Alarm, AlarmBus, type AlarmEvent } from "../../../src/sim/model/alarms.ts";

const info = (name: string) => ({ id: `X1.${name}`, machine: "X1", name, severity: 700, description: name });

test("a high alarm raises at its limit and clears only below its clear point", () => {
  const bus = new AlarmBus();
  const events: AlarmEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const alarm = new Alarm(bus, info("HOT"));
  const values = [70, 79.9, 80, 85, 77, 75.1, 75, 74, 81];
  values.forEach((v, i) => {
    alarm.above(v, 80, 75, i, "Temperature", "°C");
  });
  bus.flush();
  assert.deepEqual(
    events.map((e) => [e.type, e.time, e.value]),
    [
      ["RAISE", 2, 80],
      ["CLEAR", 6, 75],
      ["RAISE", 8, 81],
    ],
  );
  assert.equal(events[0]?.message, "Temperature 80.0 °C at or above 80 °C");
  assert.equal(events[0]?.alarm.id, "X1.HOT");
});

test("a low alarm mirrors it", () => {
  const bus = new AlarmBus();
  const alarm = new Alarm(bus, info("LOW"));
  const seen: string[] = [];
  bus.subscribe((e) => seen.push(`${e.type}@${e.time}`));
  [7, 5.6, 5.5, 5.8, 6, 5.4].forEach((v, i) => {
    alarm.below(v, 5.5, 6, i, "Air", "bar");
  });
  bus.flush();
  assert.deepEqual(seen, ["RAISE@2", "CLEAR@4", "RAISE@5"]);
});

test("listeners hear events only on flush, in order; the active list holds raised alarms; unsubscribe stops delivery", () => {
  const bus = new AlarmBus();
  const a = new Alarm(bus, info("A"));
  const b = new Alarm(bus, info("B"));
  const heard: string[] = [];
  const unsubscribe = bus.subscribe((e) => heard.push(`${e.type} ${e.alarm.name}`));
  a.set(true, 1, "a on");
  b.set(true, 1, "b on");
  a.set(true, 2, "again: no event");
  assert.deepEqual(heard, []);
  assert.deepEqual(
    bus.active().map((e) => e.alarm.name),
    ["A", "B"],
  );
  bus.flush();
  assert.deepEqual(heard, ["RAISE A", "RAISE B"]);
  a.set(false, 3, "a off");
  assert.deepEqual(
    bus.active().map((e) => e.alarm.name),
    ["B"],
  );
  unsubscribe();
  bus.flush();
  assert.deepEqual(heard, ["RAISE A", "RAISE B"]);
});
