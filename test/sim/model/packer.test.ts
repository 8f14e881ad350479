// Packer K1: the sealing jaw holds its band under PI control; out of band, rejects climb; film reels run out.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Packer, REEL_CHANGE, SEALING_BAND, sealRejectProbability } from "../../../src/sim/model/packer.ts";
import { HOUR_TICKS, MINUTE_TICKS, TestRig } from "./test-rig.ts";

function rig(seed = 1) {
  const r = new TestRig({ seed });
  const neighbours = { feeder: { running: true }, outfeed: { full: false } };
  return { r, neighbours, packer: new Packer(r.deps("K1"), neighbours) };
}

/** Packs made and rejected over the next `ticks` ticks. */
function production(r: TestRig, packer: Packer, ticks: number): { made: number; rejected: number } {
  const made = packer.packsMade;
  const rejected = packer.rejectCount;
  r.run([packer], ticks);
  return { made: packer.packsMade - made, rejected: packer.rejectCount - rejected };
}

test("reject probability is low within the sealing band and climbs with the distance outside it", () => {
  assert.ok(sealRejectProbability(168) < 0.01);
  assert.equal(sealRejectProbability(SEALING_BAND.low), sealRejectProbability(SEALING_BAND.high));
  assert.ok(sealRejectProbability(158) > 0.1);
  assert.ok(sealRejectProbability(150) > sealRejectProbability(158));
  assert.ok(sealRejectProbability(185) > 0.5);
});

test("in band the packer rejects under 2 %; with its setpoint below the band, rejects rise past 20 %", () => {
  const { r, packer } = rig();
  const sealing: number[] = [];
  r.run([packer], 10 * MINUTE_TICKS, () => sealing.push(packer.read("sealingTemperature") as number));
  for (const t of sealing) assert.ok(t > SEALING_BAND.low && t < SEALING_BAND.high, `${t} °C`);
  const good = production(r, packer, HOUR_TICKS);
  assert.ok(good.made > 1500 && good.rejected / good.made < 0.02, JSON.stringify(good));

  packer.write("sealingSetpoint", 150);
  r.run([packer], 5 * MINUTE_TICKS);
  assert.ok(Math.abs((packer.read("sealingTemperature") as number) - 150) < 2, "the jaw follows its setpoint");
  const bad = production(r, packer, HOUR_TICKS);
  assert.ok(bad.rejected / bad.made > 0.2, JSON.stringify(bad));
  assert.equal(r.eventsOf("K1.SEALING_OUT_OF_BAND")[0]?.type, "RAISE");
  assert.equal(packer.goodCount + packer.rejectCount, packer.packsMade);
});

test("a weak heater lets the jaw fall out of its band within minutes, and rejects follow", () => {
  const { r, packer } = rig(4);
  r.run([packer], MINUTE_TICKS);
  packer.setFault("packer.heater", true);
  const start = r.context.now;
  r.run([packer], 10 * MINUTE_TICKS);
  const raised = r.eventsOf("K1.SEALING_OUT_OF_BAND")[0];
  assert.equal(raised?.type, "RAISE");
  assert.ok(raised!.time - start < 5 * 60_000);
  assert.ok((raised!.value ?? 999) < SEALING_BAND.low);
  const bad = production(r, packer, 30 * MINUTE_TICKS);
  assert.ok(bad.rejected / bad.made > 0.5, JSON.stringify(bad));
});

test("an empty film reel stops the packer in SETUP (MATERIAL) for 1.5–4 minutes, then a full reel runs", () => {
  const { r, packer } = rig();
  const changes: { from: number; to: number }[] = [];
  let from = 0;
  r.run([packer], 6 * HOUR_TICKS, () => {
    const material = packer.operating.reason === "MATERIAL";
    if (material && from === 0) from = r.context.now;
    if (!material && from !== 0) {
      changes.push({ from, to: r.context.now });
      from = 0;
    }
  });
  assert.ok(changes.length >= 2, `${changes.length} reel changes`);
  for (const c of changes) {
    assert.ok(c.to - c.from >= REEL_CHANGE.minMs && c.to - c.from <= REEL_CHANGE.maxMs + 100);
  }
  assert.ok((packer.read("filmRemaining") as number) <= 1500);
});

test("the packer starves 45 s after the robot stops and is blocked at once by a full palletizer infeed", () => {
  const { r, packer, neighbours } = rig();
  r.run([packer], 10);
  neighbours.feeder.running = false;
  r.run([packer], 449);
  assert.equal(packer.state, "RUNNING");
  r.run([packer], 1);
  assert.equal(packer.operating.reason, "STARVED");
  neighbours.feeder.running = true;
  neighbours.outfeed.full = true;
  r.run([packer], 1);
  assert.equal(packer.operating.reason, "BLOCKED");
  neighbours.outfeed.full = false;
  r.run([packer], 1);
  assert.equal(packer.state, "RUNNING");
});

test("film tension holds its setpoint while running; setpoints check their ranges", () => {
  const { r, packer } = rig();
  packer.write("filmTensionSetpoint", 60);
  const tension: number[] = [];
  r.run([packer], MINUTE_TICKS, () => tension.push(packer.read("filmTension") as number));
  const late = tension.slice(100);
  const mean = late.reduce((a, b) => a + b, 0) / late.length;
  assert.ok(Math.abs(mean - 60) < 1.5, `${mean} N`);
  assert.throws(() => packer.write("sealingSetpoint", 250), { code: "SIM_OUT_OF_RANGE" });
  assert.throws(() => packer.write("speedSetpoint", 55), { code: "SIM_OUT_OF_RANGE" });
  assert.throws(() => packer.write("sealingBandLow", 100), { code: "SIM_READ_ONLY" });
  assert.throws(() => packer.write("packsMade", 0), { code: "SIM_READ_ONLY" });
});
