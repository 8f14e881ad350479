// Environment node: hall climate with a daily swing, humidity from physics, a compressor cycling in its band.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Environment, saturationDensity } from "../../../src/sim/model/environment.ts";
import { HOUR_TICKS, MINUTE_TICKS, TestRig } from "./test-rig.ts";

function rig(seed = 1) {
  const r = new TestRig({ seed });
  return { r, environment: new Environment(r.deps("ENV1")) };
}

const num = (environment: Environment, name: string) => environment.read(name) as number;

test("saturated vapour density follows the Magnus formula (17.3 g/m³ at 20 °C, 30.4 at 30 °C)", () => {
  assert.ok(Math.abs(saturationDensity(20) - 17.3) < 0.1);
  assert.ok(Math.abs(saturationDensity(30) - 30.4) < 0.2);
});

test("the compressor loads at 6.5 bar and unloads at 7.5: pressure saws between them", () => {
  const { r, environment } = rig();
  r.context.lineAirNlpm = 800;
  const pressures: number[] = [];
  let switches = 0;
  let running = environment.read("compressorRunning");
  r.run([environment], 30 * MINUTE_TICKS, () => {
    pressures.push(num(environment, "airPressure"));
    if (environment.read("compressorRunning") !== running) switches++;
    running = environment.read("compressorRunning");
  });
  assert.ok(switches >= 10, `${switches} compressor switches in 30 minutes`);
  assert.ok(Math.min(...pressures) > 6.4 && Math.max(...pressures) < 7.6);
  assert.equal(r.eventsOf("ENV1.AIR_PRESSURE_LOW").length, 0);
});

test("a burst hose drops air pressure below 5.5 bar within minutes and raises AIR_PRESSURE_LOW; a repair clears it", () => {
  const { r, environment } = rig();
  r.context.lineAirNlpm = 800;
  environment.setFault("environment.air-leak", true);
  r.run([environment], 5 * MINUTE_TICKS);
  const raised = r.eventsOf("ENV1.AIR_PRESSURE_LOW");
  assert.equal(raised[0]?.type, "RAISE");
  environment.setFault("environment.air-leak", false);
  r.run([environment], 5 * MINUTE_TICKS);
  assert.equal(r.eventsOf("ENV1.AIR_PRESSURE_LOW")[1]?.type, "CLEAR");
  assert.ok(num(environment, "airPressure") > 6);
});

test("hall temperature swings with the day and with the line's waste heat; humidity falls as it warms", () => {
  const { r, environment } = rig();
  const byHour: { temperature: number; humidity: number }[] = [];
  r.run([environment], 24 * HOUR_TICKS, () => {
    if (r.context.now % 3_600_000 === 0) {
      byHour.push({ temperature: num(environment, "hallTemperature"), humidity: num(environment, "humidity") });
    }
  });
  const temperatures = byHour.map((h) => h.temperature);
  const spread = Math.max(...temperatures) - Math.min(...temperatures);
  assert.ok(spread > 1 && spread < 6, `daily spread ${spread} K`);
  for (const h of byHour) assert.ok(h.temperature > 15 && h.temperature < 25 && h.humidity > 20 && h.humidity < 90);
  const before = num(environment, "hallTemperature");
  r.context.lineActiveKw = 60;
  r.run([environment], 3 * HOUR_TICKS);
  assert.ok(num(environment, "hallTemperature") > before + 1.5, "60 kW of machines warm the hall");
  assert.equal(environment.state, "RUNNING");
});
