// The register map: the plant's tables fit its model, and tables that do not fit are refused naming what is wrong.
import assert from "node:assert/strict";
import { test } from "node:test";
import { RegisterMapError } from "../../../src/sim/modbus/errors.ts";
import { plantUnitMaps } from "../../../src/sim/modbus/gateway.ts";
import { PLANT_MODBUS_MAP } from "../../../src/sim/modbus/plant-map.ts";
import { buildUnitMap, MAPPED_AREAS, piecesOf, type UnitTable } from "../../../src/sim/modbus/register-map.ts";
import { Plant } from "../../../src/sim/model/index.ts";
import { type Signal, SignalTable } from "../../../src/sim/model/signal.ts";

const plant = new Plant({ seed: 1, startTime: Date.UTC(2024, 0, 8, 8) });

/** A machine "X1" with one signal of each kind the map rules tell apart. */
function signals(): Signal[] {
  const table = new SignalTable("X1");
  const status = { unit: "", description: "" };
  table.number({ name: "count", dataType: "UDINT", ...status }, () => 7);
  table.number(
    { name: "speed", dataType: "REAL", ...status, range: { min: 0, max: 100 } },
    () => 1,
    () => {},
  );
  table.bool({ name: "running", dataType: "BOOL", ...status }, () => true);
  table.bool(
    { name: "enable", dataType: "BOOL", ...status },
    () => false,
    () => {},
  );
  table.string(
    { name: "recipe", dataType: "STRING", ...status, maxLength: 8 },
    () => "A",
    () => {},
  );
  table.realArray({ name: "temps", dataType: "REAL", ...status, arrayLength: 3 }, new Float64Array(3));
  return table.list;
}

const GOOD: Record<string, string> = {
  count: "input-register:1:UDINT",
  speed: "holding-register:1:REAL",
  running: "discrete-input:1",
  enable: "coil:1",
  recipe: "holding-register:11:STRING(8)",
  temps: "input-register:11:REAL[3]",
};

function table(changes: Record<string, string | undefined>, unitId = 9): UnitTable {
  const addresses = Object.fromEntries(
    Object.entries({ ...GOOD, ...changes }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return { unitId, machine: "X1", addresses };
}

test("the plant's map gives every signal of every machine exactly one address", () => {
  const info = plant.describe();
  const maps = plantUnitMaps(info);
  assert.deepEqual(maps.map((m) => m.machine).sort(), info.machines.map((m) => m.id).sort());
  for (const map of maps) {
    const machine = info.machines.find((m) => m.id === map.machine)!;
    const mapped = MAPPED_AREAS.flatMap((area) => map.areas[area].map((entry) => entry.signal.name));
    assert.deepEqual(mapped.sort(), machine.signals.map((s) => s.name).sort(), map.machine);
  }
});

test("every unit starts with the same status block, then leaves a gap before its first group", () => {
  for (const map of plantUnitMaps(plant.describe())) {
    const registers = map.areas["input-register"];
    assert.deepEqual(
      registers.slice(0, 3).map((e) => [e.signal.name, e.start, e.end]),
      [
        ["sequence", 0, 2],
        ["state", 2, 3],
        ["stopReason", 3, 4],
      ],
      map.machine,
    );
    assert.ok(registers[3]!.start >= 10, `${map.machine}: registers 5..10 stay free`);
  }
});

test("unit ids are distinct, and C1 and E1 are units 1 and 2 as in the demo plant", () => {
  const ids = PLANT_MODBUS_MAP.map((t) => t.unitId);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(PLANT_MODBUS_MAP.find((t) => t.machine === "C1")?.unitId, 1);
  assert.equal(PLANT_MODBUS_MAP.find((t) => t.machine === "E1")?.unitId, 2);
});

test("a good table gives wire addresses (1-based tags, 0-based wire) and layouts", () => {
  const map = buildUnitMap(table({}), signals());
  const temps = map.areas["input-register"][1]!;
  assert.deepEqual([temps.signal.name, temps.start, temps.end], ["temps", 10, 16]);
  assert.deepEqual(temps.layout, { dataType: "REAL", arrayLength: 3 });
  const recipe = map.areas["holding-register"][1]!;
  assert.deepEqual([recipe.start, recipe.end, recipe.layout], [10, 14, { dataType: "STRING", stringLength: 8 }]);
  assert.deepEqual(
    map.areas.coil.map((e) => [e.signal.name, e.start, e.end]),
    [["enable", 0, 1]],
  );
});

test("tables that do not fit the model are refused, naming machine, signal and problem", () => {
  const cases: [Record<string, string | undefined>, string | undefined, RegExp][] = [
    [{ count: undefined }, "count", /has no Modbus address/],
    [{ ghost: "input-register:30:INT" }, "ghost", /no such signal/],
    [{ count: "input-register:1:DINT" }, "count", /model's type is UDINT/],
    [{ speed: "input-register:3:REAL" }, "speed", /setpoint must be a holding register or coil/],
    [{ count: "holding-register:5:UDINT" }, "count", /measurement cannot be a holding-register/],
    [{ running: "input-register:5:BOOL" }, "running", /BOOL signals go to coils or discrete inputs/],
    [{ count: "discrete-input:2:UDINT" }, "count", /expected BOOL/],
    [{ temps: "input-register:11:REAL[4]" }, "temps", /array of 3/],
    [{ count: "input-register:1:UDINT[2]" }, "count", /no array/],
    [{ recipe: "holding-register:11:STRING(10)" }, "recipe", /string length is 8/],
    [{ count: "input-register:1:UDINT{unit-id: 3}" }, "count", /drop the \{…\} part/],
    [{ count: "600001:UDINT" }, "count", /no extended registers/],
    [{ count: "input-register:x" }, "count", /expected an address number/],
    [{ count: "input-register:12:UDINT" }, "count", /overlaps temps at input-register:11:REAL\[3\]/],
  ];
  for (const [changes, signal, message] of cases) {
    assert.throws(
      () => buildUnitMap(table(changes), signals()),
      (error) =>
        error instanceof RegisterMapError &&
        error.code === "SIM_MODBUS_MAP_INVALID" &&
        error.machine === "X1" &&
        error.signal === signal &&
        message.test(error.message),
      JSON.stringify(changes),
    );
  }
});

test("unit ids outside 1..247 are refused", () => {
  for (const unitId of [0, 248, 255, 1.5]) {
    assert.throws(() => buildUnitMap(table({}, unitId), signals()), /unit id .* is outside 1\.\.247/);
  }
});

test("piecesOf cuts a span into signals and gaps, partial signals included", () => {
  const entries = buildUnitMap(table({}), signals()).areas["input-register"];
  const pieces = piecesOf(entries, 1, 13).map((p) => [p.entry?.signal.name ?? "gap", p.from, p.to]);
  assert.deepEqual(pieces, [
    ["count", 1, 2],
    ["gap", 2, 10],
    ["temps", 10, 13],
  ]);
  assert.deepEqual(
    piecesOf(entries, 16, 20).map((p) => [p.entry?.signal.name ?? "gap", p.from, p.to]),
    [["gap", 16, 20]],
  );
  assert.deepEqual(
    piecesOf(entries, 12, 14).map((p) => [p.entry?.signal.name, p.from, p.to]),
    [["temps", 12, 14]],
  );
});
