// The S7 map: the plant's DB tables fit its model, and tables that do not fit are refused naming what is wrong.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Plant } from "../../../src/sim/model/index.ts";
import { type Signal, SignalTable } from "../../../src/sim/model/signal.ts";
import { buildDbMap, type DbTable, PLANT_S7_MAP, plantDbMaps, S7MapError } from "../../../src/sim/s7/index.ts";

const plant = new Plant({ seed: 1, startTime: Date.UTC(2024, 0, 8, 8) });

function signals(): Signal[] {
  const table = new SignalTable("X1");
  const info = { unit: "", description: "" };
  table.number({ name: "count", dataType: "UDINT", ...info }, () => 7);
  table.number(
    { name: "speed", dataType: "REAL", ...info, range: { min: 0, max: 100 } },
    () => 1,
    () => {},
  );
  table.bool({ name: "running", dataType: "BOOL", ...info }, () => true);
  table.bool(
    { name: "enable", dataType: "BOOL", ...info },
    () => false,
    () => {},
  );
  return table.list;
}

const GOOD: DbTable = {
  machine: "X1",
  db: 9,
  addresses: {
    count: "%DB9.DBD0:UDINT",
    speed: "%DB9.DBD4:REAL",
    running: "%DB9.DBX8.0:BOOL",
    enable: "%DB9.DBX8.1:BOOL",
  },
  inputs: { running: "%I3.5" },
};

test("every machine of the plant has its DB, every signal an address in it, the press DB1", () => {
  const maps = plantDbMaps(plant.describe());
  assert.deepEqual(
    maps.map((map) => [map.machine, map.db]),
    [
      ["P1", 1],
      ["C1", 2],
      ["E1", 3],
      ["R1", 4],
      ["K1", 5],
      ["L1", 6],
      ["ENV1", 7],
    ],
  );
  for (const map of maps) {
    const machine = plant.describe().machines.find((m) => m.id === map.machine)!;
    assert.deepEqual(map.entries.map((e) => e.signal.name).sort(), machine.signals.map((s) => s.name).sort());
  }
  assert.deepEqual(
    maps.flatMap((map) => map.inputs.map((entry) => `${entry.tag} ${map.machine}.${entry.signal.name}`)),
    ["%I0.0 C1.jam", "%I0.1 R1.gripperClosed", "%I0.2 ENV1.compressorRunning"],
  );
  assert.equal(PLANT_S7_MAP.length, 7);
});

test("a DB is as long as its last signal, rounded up to a word; BOOLs may share a byte", () => {
  const map = buildDbMap(GOOD, signals());
  assert.equal(map.size, 10);
  assert.deepEqual(
    map.entries.map((e) => e.tag),
    ["%DB9.DBD0:UDINT", "%DB9.DBD4:REAL", "%DB9.DBX8.0:BOOL", "%DB9.DBX8.1:BOOL"],
  );
});

test("tables that do not fit the model are refused, naming the machine, signal and problem", () => {
  const cases: [Partial<DbTable>, RegExp][] = [
    [
      { addresses: { ...GOOD.addresses, speed: "%DB9.DBD4:DINT" } },
      /X1\.speed: %DB9\.DBD4:DINT: the model's type is REAL/,
    ],
    [
      { addresses: { ...GOOD.addresses, count: "%DB8.DBD0:UDINT" } },
      /X1\.count: %DB8\.DBD0:UDINT: the machine's signals live in DB9/,
    ],
    [
      { addresses: { ...GOOD.addresses, speed: "%DB9.DBD2:REAL" } },
      /X1\.speed: %DB9\.DBD2:REAL overlaps count at %DB9\.DBD0:UDINT/,
    ],
    [{ addresses: { ...GOOD.addresses, enable: "%DB9.DBX8.0:BOOL" } }, /overlaps running at %DB9\.DBX8\.0:BOOL/],
    [{ addresses: { count: "%DB9.DBD0:UDINT" } }, /X1\.speed: the signal has no S7 address/],
    [{ addresses: { ...GOOD.addresses, ghost: "%DB9.DBD20:REAL" } }, /X1\.ghost: the machine has no such signal/],
    [{ inputs: { enable: "%I0.0" } }, /X1\.enable: %I0\.0: only BOOL measurements are wired to the inputs/],
    [{ inputs: { count: "%I0.0" } }, /X1\.count: %I0\.0: the model's type is UDINT/],
    [{ addresses: { ...GOOD.addresses, count: "%DB9.DBD0:UDINT[2]" } }, /the signal is no array/],
    [{ addresses: { ...GOOD.addresses, count: "%DB9:0:UDIN" } }, /unknown data type 'UDIN'/],
  ];
  for (const [change, message] of cases) {
    assert.throws(
      () => buildDbMap({ ...GOOD, ...change }, signals()),
      (error: unknown) => {
        assert.ok(error instanceof S7MapError);
        assert.equal(error.code, "SIM_S7_MAP_INVALID");
        assert.match(error.message, message);
        return true;
      },
    );
  }
});
