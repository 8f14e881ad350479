// Conveyor C1: bearing wear raises vibration until a trip; jams stop the belt for 30–120 s; the drive ramps.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Conveyor } from "../../../src/sim/model/conveyor.ts";
import { HOUR_TICKS, MINUTE_TICKS, TestRig } from "./test-rig.ts";

function rig(seed = 1) {
  const r = new TestRig({ seed });
  return { r, conveyor: new Conveyor(r.deps("C1")) };
}

const num = (conveyor: Conveyor, name: string) => conveyor.read(name) as number;

/** Mean vibration over the next `ticks` ticks in which the belt runs at its setpoint. */
function meanVibration(r: TestRig, conveyor: Conveyor, ticks: number): number {
  let sum = 0;
  let n = 0;
  r.run([conveyor], ticks, () => {
    if (conveyor.state === "RUNNING" && num(conveyor, "beltSpeed") === 24) {
      sum += num(conveyor, "vibration");
      n++;
    }
  });
  return sum / n;
}

test("a healthy bearing wears slowly: vibration RMS grows over hours", () => {
  const { r, conveyor } = rig();
  const first = meanVibration(r, conveyor, 10 * MINUTE_TICKS);
  r.run([conveyor], 6 * HOUR_TICKS);
  const later = meanVibration(r, conveyor, 10 * MINUTE_TICKS);
  assert.ok(first > 1 && first < 4.5, `starts at ${first} mm/s`);
  assert.ok(later > first + 0.5, `${first} → ${later} mm/s over six hours`);
});

test("with the bearing fault, vibration rises through its alarm and trips the belt within minutes", () => {
  const { r, conveyor } = rig();
  conveyor.setFault("conveyor.bearing", true);
  const start = r.context.now;
  const before = num(conveyor, "vibration");
  let tripAt = 0;
  r.run([conveyor], 20 * MINUTE_TICKS, () => {
    if (tripAt === 0 && conveyor.operating.reason === "BEARING_TRIP") tripAt = r.context.now;
  });
  const alarm = r.eventsOf("C1.VIBRATION_HIGH")[0];
  const trip = r.eventsOf("C1.BEARING_TRIP")[0];
  assert.ok(before < 4.5);
  assert.equal(alarm?.type, "RAISE");
  assert.equal(trip?.type, "RAISE");
  assert.ok(trip!.value! >= 7.1);
  assert.ok(alarm!.time < trip!.time, "the alarm warns before the trip");
  assert.ok(trip!.time - start < 15 * 60_000, `tripped after ${(trip!.time - start) / 60_000} min`);
  assert.equal(tripAt, trip!.time);
  assert.equal(conveyor.state, "FAULT");
});

test("a bearing trip stops the belt for a 45–90 minute repair, after which vibration is low again", () => {
  const { r, conveyor } = rig(2);
  conveyor.setFault("conveyor.bearing", true);
  r.run([conveyor], 15 * MINUTE_TICKS);
  conveyor.setFault("conveyor.bearing", false);
  const trip = r.eventsOf("C1.BEARING_TRIP")[0]!;
  r.run([conveyor], 100 * MINUTE_TICKS);
  const cleared = r.eventsOf("C1.BEARING_TRIP")[1]!;
  assert.equal(cleared.type, "CLEAR");
  const repair = cleared.time - trip.time;
  assert.ok(repair >= 45 * 60_000 && repair <= 90 * 60_000 + 100, `repair took ${repair / 60_000} min`);
  assert.ok(meanVibration(r, conveyor, 5 * MINUTE_TICKS) < 2, "new bearing");
});

test("jams stop the belt within a second and last 30 to 120 s, with the jam sensor on throughout", () => {
  const { r, conveyor } = rig();
  conveyor.setFault("conveyor.jam", true);
  const jams: { from: number; to: number }[] = [];
  let jamStart = 0;
  r.run([conveyor], 2 * HOUR_TICKS, () => {
    const now = r.context.now;
    const jammed = conveyor.read("jam") === true;
    assert.equal(jammed, conveyor.operating.reason === "JAM");
    if (jammed && jamStart === 0) jamStart = now;
    if (jammed && now - jamStart >= 1000) assert.equal(num(conveyor, "beltSpeed"), 0);
    if (!jammed && jamStart !== 0) {
      jams.push({ from: jamStart, to: now });
      jamStart = 0;
    }
  });
  assert.ok(jams.length >= 20, `${jams.length} jams in two hours`);
  for (const jam of jams) {
    const seconds = (jam.to - jam.from) / 1000;
    assert.ok(seconds >= 30 && seconds <= 120.1, `jam of ${seconds} s`);
  }
  const raises = r.eventsOf("C1.JAM").filter((e) => e.type === "RAISE");
  assert.deepEqual(
    raises.map((e) => e.time),
    jams.map((j) => j.from).concat(jamStart === 0 ? [] : [jamStart]),
  );
});

test("without the fault, jams are rare: about one per running hour or less", () => {
  const { r, conveyor } = rig();
  r.run([conveyor], 6 * HOUR_TICKS);
  const count = r.eventsOf("C1.JAM").filter((e) => e.type === "RAISE").length;
  assert.ok(count >= 2 && count <= 14, `${count} jams in six hours`);
});

test("the drive ramps to a new speed setpoint at 12 m/min per second; current rises with speed", () => {
  const { r, conveyor } = rig();
  r.run([conveyor], 10);
  const slowCurrent = num(conveyor, "motorCurrent");
  conveyor.write("beltSpeedSetpoint", 36);
  r.run([conveyor], 5);
  assert.ok(Math.abs(num(conveyor, "beltSpeed") - 30) < 1e-4, "half a second: 6 m/min further");
  r.run([conveyor], 10);
  assert.equal(num(conveyor, "beltSpeed"), 36);
  assert.ok(num(conveyor, "motorCurrent") > slowCurrent + 0.2);
  assert.throws(() => conveyor.write("beltSpeedSetpoint", 4), { code: "SIM_OUT_OF_RANGE" });
  assert.throws(() => conveyor.write("beltSpeedSetpoint", true), { code: "SIM_TYPE_MISMATCH" });
  assert.throws(() => conveyor.write("jam", true), { code: "SIM_READ_ONLY" });
  assert.throws(() => conveyor.write("vibration", 1), { code: "SIM_READ_ONLY" });
});
