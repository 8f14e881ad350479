// Palletizer L1: packs become layers, layers become pallets, one pallet every packsPerLayer × layersPerPallet packs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { INFEED_CAPACITY, Palletizer } from "../../../src/sim/model/palletizer.ts";
import { HOUR_TICKS, MINUTE_TICKS, TestRig } from "./test-rig.ts";

function rig(seed = 1) {
  const r = new TestRig({ seed });
  const source = { goodCount: 0 };
  return { r, source, palletizer: new Palletizer(r.deps("L1"), source) };
}

const num = (palletizer: Palletizer, name: string) => palletizer.read(name) as number;

test("a pallet completes every N packs, N = packs per layer × layers per pallet", () => {
  const { r, source, palletizer } = rig();
  const completedAt: number[] = [];
  let pallets = 0;
  let tick = 0;
  // A pack every 1.4 s, like the packer at 43 a minute.
  r.run([palletizer], 2 * HOUR_TICKS, () => {
    if (++tick % 14 === 0) source.goodCount++;
    if (num(palletizer, "palletsComplete") !== pallets) {
      pallets = num(palletizer, "palletsComplete");
      completedAt.push(num(palletizer, "packsPalletized"));
    }
    assert.ok(num(palletizer, "layerCount") < 5 && num(palletizer, "packsOnLayer") < 8);
  });
  assert.ok(completedAt.length > 80, `${completedAt.length} pallets`);
  completedAt.forEach((packs, i) => {
    assert.equal(packs, 40 * (i + 1));
  });
  const palletized = num(palletizer, "packsPalletized");
  assert.equal(palletized + num(palletizer, "infeedQueue"), source.goodCount);
  assert.equal(num(palletizer, "palletsComplete"), Math.floor(palletized / 40));
  assert.equal(num(palletizer, "layerCount"), Math.floor((palletized % 40) / 8));
  assert.equal(num(palletizer, "packsOnLayer"), palletized % 8);
});

test("a new recipe changes N", () => {
  const { r, source, palletizer } = rig();
  palletizer.write("packsPerLayer", 3);
  palletizer.write("layersPerPallet", 2);
  source.goodCount = 60;
  r.run([palletizer], 3 * MINUTE_TICKS);
  assert.equal(num(palletizer, "palletsComplete"), 10);
  assert.equal(num(palletizer, "infeedQueue"), 0);
  assert.throws(() => palletizer.write("packsPerLayer", 0), { code: "SIM_OUT_OF_RANGE" });
  assert.throws(() => palletizer.write("layersPerPallet", 2.5), { code: "SIM_TYPE_MISMATCH" });
  assert.throws(() => palletizer.write("palletsComplete", 0), { code: "SIM_READ_ONLY" });
});

test("packs queue while the palletizer changes a pallet and drain afterwards; it starves 90 s after the last", () => {
  const { r, source, palletizer } = rig();
  source.goodCount = 45;
  r.run([palletizer], 20);
  // 3 packs a second: the first pallet of 40 is done in about 13 s, then the pallet change holds the rest.
  r.run([palletizer], 130);
  assert.equal(num(palletizer, "palletsComplete"), 1);
  assert.ok(num(palletizer, "infeedQueue") > 0, "the rest waits for the empty pallet");
  r.run([palletizer], 300);
  assert.equal(num(palletizer, "infeedQueue"), 0);
  assert.equal(num(palletizer, "packsPalletized"), 45);
  assert.equal(palletizer.state, "RUNNING");
  r.run([palletizer], 900);
  assert.deepEqual([palletizer.state, palletizer.operating.reason], ["IDLE", "STARVED"]);
  source.goodCount++;
  r.run([palletizer], 1);
  assert.equal(palletizer.state, "RUNNING");
});

test("the infeed reports full at its capacity, and a wrapping source counter still counts one pack", () => {
  const { r, source, palletizer } = rig();
  r.useCalendar({ shifts: [], workdays: [], utcOffsetMinutes: 0 });
  source.goodCount = INFEED_CAPACITY - 1;
  r.run([palletizer], 1);
  assert.equal(palletizer.full, false);
  source.goodCount = INFEED_CAPACITY;
  r.run([palletizer], 1);
  assert.equal(palletizer.full, true);

  const wrap = rig();
  wrap.source.goodCount = 2 ** 32 - 1;
  const wrapped = new Palletizer(wrap.r.deps("L1"), wrap.source);
  wrap.source.goodCount = 0;
  wrap.r.run([wrapped], 1);
  assert.equal(wrapped.infeedQueue + wrapped.packsPalletized, 1);
});
