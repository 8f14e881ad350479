// Energy meter E1: power is what the line draws, energy its integral, currents and power factor follow from them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { EnergyMeter } from "../../../src/sim/model/energy-meter.ts";
import { Plant } from "../../../src/sim/model/plant.ts";
import { HOUR_TICKS, MINUTE_TICKS, TestRig } from "./test-rig.ts";

const num = (meter: EnergyMeter, name: string) => meter.read(name) as number;

test("energy is the integral of the active power the meter publishes", () => {
  const r = new TestRig();
  const meter = new EnergyMeter(r.deps("E1"));
  const start = meter.energyKwh;
  let integral = 0;
  let tick = 0;
  r.run([meter], 2 * HOUR_TICKS, () => {
    tick++;
    // A load that steps and ramps, like a line starting and stopping.
    const kw = tick % 6000 < 3000 ? 20 + (tick % 3000) / 100 : 3;
    r.context.lineActiveKw = kw;
    r.context.lineReactiveKvar = kw * 0.6;
    integral += (num(meter, "activePower") * 0.1) / 3600;
  });
  // The published power is a float32 of the true one: the integral agrees to within its rounding.
  assert.ok(Math.abs(meter.energyKwh - start - integral) < 1e-4, `${meter.energyKwh - start} vs ${integral}`);
  assert.ok(integral > 20);
  assert.equal(num(meter, "energy"), Math.fround(meter.energyKwh));
});

test("power factor and phase currents follow from active and reactive power: I = S / (3 · V)", () => {
  const r = new TestRig();
  const meter = new EnergyMeter(r.deps("E1"));
  r.context.lineActiveKw = 30;
  r.context.lineReactiveKvar = 22.5;
  r.run([meter], MINUTE_TICKS);
  assert.ok(Math.abs(num(meter, "powerFactor") - 0.8) < 1e-6);
  let total = 0;
  for (const phase of [1, 2, 3]) {
    const current = num(meter, `currentL${phase}`);
    const voltage = num(meter, `voltageL${phase}`);
    assert.ok(voltage > 220 && voltage < 240, `L${phase} ${voltage} V`);
    total += current;
  }
  // 37.5 kVA over three phases of about 231 V; the phases' imbalance sums to nothing.
  assert.ok(Math.abs(total - 37_500 / 231) < 3, `${total} A`);
  assert.ok(Math.abs(num(meter, "frequency") - 50) < 0.1);
  r.context.lineActiveKw = 0;
  r.context.lineReactiveKvar = 0;
  r.run([meter], 1);
  assert.equal(num(meter, "powerFactor"), 1);
  assert.equal(num(meter, "currentL1"), 0);
});

test("in the plant, the meter's active power is the sum of the line's machines, every tick", () => {
  const plant = new Plant({ seed: 11, startTime: Date.UTC(2024, 0, 8, 9, 0) });
  const line = [plant.press, plant.conveyor, plant.robot, plant.packer, plant.palletizer];
  let seen = 0;
  for (let i = 0; i < 30 * MINUTE_TICKS; i++) {
    plant.step();
    const sum = line.reduce((s, m) => s + m.activeKw, 0);
    assert.equal(plant.read("E1", "activePower"), Math.fround(sum));
    if (sum > 10) seen++;
  }
  assert.ok(seen > 0.5 * 30 * MINUTE_TICKS, "the line draws real power while it runs");
  assert.throws(() => plant.write("E1", "energy", 0), { code: "SIM_READ_ONLY" });
});
