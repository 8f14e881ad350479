// Press P1: oil heats with load and cools when idle, pressure lags its setpoint, strokes count while running.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Press } from "../../../src/sim/model/press.ts";
import { ALWAYS_OFF, HOUR_TICKS, MINUTE_TICKS, TestRig } from "./test-rig.ts";

function rig(seed = 1) {
  const r = new TestRig({ seed });
  const outfeed = { beltMoving: true };
  const press = new Press(r.deps("P1"), outfeed);
  return { r, press, outfeed };
}

const num = (press: Press, name: string) => press.read(name) as number;

test("oil heats with load while the press runs, more at higher pressure, and cools to the hall when idle", () => {
  const low = rig();
  const high = rig();
  low.press.write("pressureSetpoint", 100);
  high.press.write("pressureSetpoint", 200);
  const start = num(high.press, "oilTemperature");
  high.r.run([high.press], HOUR_TICKS);
  const afterOneHour = num(high.press, "oilTemperature");
  high.r.run([high.press], 2 * HOUR_TICKS);
  low.r.run([low.press], 3 * HOUR_TICKS);
  const hot = num(high.press, "oilTemperature");
  assert.ok(afterOneHour > start + 10, `${start} → ${afterOneHour} °C`);
  assert.ok(hot > afterOneHour && hot > 50, `${hot} °C after 3 h at 200 bar`);
  assert.ok(num(low.press, "oilTemperature") < hot - 5, "less pressure, less heat");

  high.r.useCalendar(ALWAYS_OFF);
  high.r.run([high.press], HOUR_TICKS);
  const cooling = num(high.press, "oilTemperature");
  high.r.run([high.press], 7 * HOUR_TICKS);
  assert.equal(high.press.state, "IDLE");
  assert.ok(cooling < hot - 10, `${hot} → ${cooling} °C after an hour idle`);
  assert.ok(Math.abs(num(high.press, "oilTemperature") - 20) < 0.5, "back at the hall's 20 °C after 8 h");
});

test("pressure follows a setpoint change as a first-order lag with a 1.5 s time constant", () => {
  const { r, press } = rig();
  r.run([press], MINUTE_TICKS);
  assert.equal(press.state, "RUNNING");
  assert.ok(Math.abs(num(press, "pressure") - 160) < 2);
  press.write("pressureSetpoint", 200);
  const seen: number[] = [];
  r.run([press], 100, () => seen.push(num(press, "pressure")));
  assert.equal(press.state, "RUNNING");
  const expected = (s: number) => 200 - 40 * Math.exp(-s / 1.5);
  // Sensor noise is 0.4 bar (σ): allow four of them.
  for (const s of [0.5, 1.5, 3, 10]) {
    const got = seen[s * 10 - 1]!;
    assert.ok(Math.abs(got - expected(s)) < 1.6, `after ${s} s: ${got} bar, expected ${expected(s)}`);
  }
  assert.ok(seen[4]! < 190, "no jump to the new setpoint");
});

test("strokes count 20 a minute while running, each one a good or a rejected part, and none while idle", () => {
  const { r, press } = rig(3);
  const strokes0 = num(press, "strokes");
  let runningTicks = 0;
  let stops = 0;
  let wasRunning = true;
  const ram: number[] = [];
  r.run([press], 30 * MINUTE_TICKS, () => {
    if (press.state === "RUNNING") runningTicks++;
    else if (wasRunning) stops++;
    wasRunning = press.state === "RUNNING";
    ram.push(num(press, "ramPosition"));
  });
  const strokes = num(press, "strokes") - strokes0;
  const ideal = (runningTicks * 0.1) / 3;
  assert.ok(strokes <= ideal + 1 && strokes >= ideal - stops - 1, `${strokes} strokes, ${ideal} ideal, ${stops} stops`);
  assert.ok(strokes > 400, "mostly running");
  assert.equal(num(press, "goodCount") + num(press, "rejectCount"), strokes);
  assert.ok(Math.max(...ram) > 240 && Math.min(...ram) < 5, "the ram travels its full stroke");

  r.useCalendar(ALWAYS_OFF);
  r.run([press], 5 * MINUTE_TICKS);
  const resting = num(press, "strokes");
  r.run([press], 10 * MINUTE_TICKS);
  assert.equal(num(press, "strokes"), resting);
  assert.equal(num(press, "ramPosition"), 0);
  assert.ok(num(press, "pressure") < 2, "the pump is off");
  assert.equal(num(press, "motorCurrent"), 0);
});

test("a failed cooler heats the oil past its alarm, trips the press, and lets it restart once cooled to 50 °C", () => {
  const { r, press } = rig();
  r.run([press], 10 * MINUTE_TICKS);
  press.setFault("press.cooler", true);
  let last = press.operating.reason;
  let releasedAt = 0;
  r.run([press], 90 * MINUTE_TICKS, () => {
    if (last === "OVERTEMPERATURE" && press.operating.reason !== "OVERTEMPERATURE" && releasedAt === 0) {
      releasedAt = r.context.now;
    }
    last = press.operating.reason;
  });
  const high = r.eventsOf("P1.OIL_TEMPERATURE_HIGH");
  const trip = r.eventsOf("P1.OIL_TEMPERATURE_TRIP");
  assert.equal(high[0]?.type, "RAISE");
  assert.ok(high[0]!.time - r.context.now + 90 * 60_000 < 40 * 60_000, "alarm within 40 minutes of the failure");
  assert.deepEqual(
    trip.slice(0, 2).map((e) => e.type),
    ["RAISE", "CLEAR"],
  );
  assert.ok(trip[0]!.value! >= 70 && trip[1]!.value! <= 50);
  assert.ok(trip[1]!.time - trip[0]!.time > 10 * 60_000, "cooling takes a while");
  assert.equal(releasedAt - trip[1]!.time, 100, "the press leaves FAULT on the tick after the release");
});

test("while tripped the press stays in FAULT with the pump off", () => {
  const { r, press } = rig();
  press.setFault("press.cooler", true);
  let sawTrip = false;
  r.run([press], 60 * MINUTE_TICKS, () => {
    if (press.operating.reason !== "OVERTEMPERATURE") return;
    sawTrip = true;
    assert.equal(press.state, "FAULT");
    assert.equal(num(press, "motorCurrent"), 0);
  });
  assert.ok(sawTrip);
});

test("an internal leak holds pressure at 80 % of its setpoint and raises PRESSURE_DEVIATION after 5 s", () => {
  const { r, press } = rig();
  r.run([press], MINUTE_TICKS);
  press.setFault("press.leak", true);
  r.run([press], 200);
  assert.ok(Math.abs(num(press, "pressure") - 128) < 2);
  const raised = r.eventsOf("P1.PRESSURE_DEVIATION");
  assert.equal(raised[0]?.type, "RAISE");
  press.setFault("press.leak", false);
  r.run([press], 200);
  assert.equal(r.eventsOf("P1.PRESSURE_DEVIATION")[1]?.type, "CLEAR");
});

test("the press stops BLOCKED when the conveyor has stood for 30 s", () => {
  const { r, press, outfeed } = rig();
  r.run([press], 10);
  outfeed.beltMoving = false;
  r.run([press], 299);
  assert.notEqual(press.operating.reason, "BLOCKED");
  r.run([press], 1);
  assert.deepEqual([press.state, press.operating.reason], ["IDLE", "BLOCKED"]);
  outfeed.beltMoving = true;
  r.run([press], 1);
  assert.equal(press.state, "RUNNING");
});

test("the pressure setpoint takes REALs within 50..220 bar; measurements refuse writes", () => {
  const { press } = rig();
  press.write("pressureSetpoint", 180.5);
  assert.equal(press.read("pressureSetpoint"), 180.5);
  assert.throws(() => press.write("pressureSetpoint", 230), { code: "SIM_OUT_OF_RANGE" });
  assert.throws(() => press.write("pressureSetpoint", "high"), { code: "SIM_TYPE_MISMATCH" });
  for (const name of ["oilTemperature", "pressure", "strokes", "state", "sequence"]) {
    assert.throws(() => press.write(name, 1), { code: "SIM_READ_ONLY" }, name);
  }
  assert.throws(() => press.setFault("press.nothing", true), { code: "SIM_UNKNOWN_FAULT" });
});
