// The physics building blocks: lags, thermal masses, ramps and motor draw behave as their equations say.
import assert from "node:assert/strict";
import { test } from "node:test";
import { clamp, Lag, motorDraw, rampTo, smoothStep, ThermalMass } from "../../../src/sim/model/dynamics.ts";

test("a first-order lag covers 63.2 % of a step in one time constant and 99.3 % in five", () => {
  const lag = new Lag(2, 0.1, 0);
  for (let i = 0; i < 20; i++) lag.update(100);
  assert.ok(Math.abs(lag.value - 100 * (1 - Math.exp(-1))) < 1e-9);
  for (let i = 0; i < 80; i++) lag.update(100);
  assert.ok(Math.abs(lag.value - 100 * (1 - Math.exp(-5))) < 1e-9);
});

test("a thermal mass heats toward ambient + heat/loss and cools back to ambient", () => {
  // 1000 J/K with 10 W/K of loss: a 100 s time constant, 50 K of rise for 500 W.
  const mass = new ThermalMass(1000, 20);
  for (let i = 0; i < 1000; i++) mass.update(500, 10, 20, 0.1);
  assert.ok(Math.abs(mass.temperature - (70 - 50 * Math.exp(-1))) < 1e-9);
  for (let i = 0; i < 10_000; i++) mass.update(500, 10, 20, 0.1);
  assert.ok(Math.abs(mass.temperature - 70) < 1e-3);
  for (let i = 0; i < 20_000; i++) mass.update(0, 10, 20, 0.1);
  assert.ok(Math.abs(mass.temperature - 20) < 1e-3);
  // Less loss (a failed cooler) means a higher steady state for the same heat.
  for (let i = 0; i < 100_000; i++) mass.update(500, 5, 20, 0.1);
  assert.ok(Math.abs(mass.temperature - 120) < 1e-2);
});

test("rampTo moves by at most its step; clamp and smoothStep stay in range", () => {
  assert.equal(rampTo(0, 10, 3), 3);
  assert.equal(rampTo(10, 0, 3), 7);
  assert.equal(rampTo(9, 10, 3), 10);
  assert.equal(clamp(5, 0, 3), 3);
  assert.equal(clamp(-1, 0, 3), 0);
  assert.equal(smoothStep(0), 0);
  assert.equal(smoothStep(1), 1);
  assert.equal(smoothStep(0.5), 0.5);
  assert.equal(smoothStep(2), 1);
});

test("a motor's power factor sags at light load and it draws nothing when off", () => {
  const draw = { activeKw: 0, reactiveKvar: 0, currentA: 0 };
  motorDraw(10, 10, draw);
  const rated = { ...draw };
  motorDraw(10, 1, draw);
  const light = { ...draw };
  const pf = (d: typeof draw) => d.activeKw / Math.hypot(d.activeKw, d.reactiveKvar);
  assert.ok(Math.abs(pf(rated) - 0.85) < 1e-9);
  assert.ok(pf(light) < 0.5);
  assert.ok(rated.activeKw > 10 && rated.activeKw < 11.2, "efficiency about 90 % at rated load");
  // I = P / (√3 · 400 V · pf)
  assert.ok(Math.abs(rated.currentA - (rated.activeKw * 1000) / (Math.sqrt(3) * 400 * 0.85)) < 1e-9);
  motorDraw(10, 0, draw);
  assert.deepEqual(draw, { activeKw: 0, reactiveKvar: 0, currentA: 0 });
});
