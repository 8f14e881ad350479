// The overview's filter: words match the machine or the tag, a machine's name keeps all its tags.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PlantSource } from "../../../../ui/src/api/live-types.ts";
import { filterPlant } from "../../../../ui/src/pages/overview/filter.ts";

const job = (tags: [string, string, string?][]) => ({
  name: "status",
  topic: "t",
  format: "job" as const,
  intervalMs: 1000,
  tags: tags.map(([alias, address, unit]) => (unit === undefined ? { alias, address } : { alias, address, unit })),
});

const PLANT: PlantSource[] = [
  {
    connector: "demo",
    source: "press",
    protocol: "s7",
    url: "s7://10.0.0.1",
    jobs: [
      job([
        ["pressure", "DB1.DBD0:REAL", "bar"],
        ["oilTemperature", "DB1.DBD4:REAL", "°C"],
      ]),
    ],
  },
  {
    connector: "demo",
    source: "conveyor",
    protocol: "modbus-tcp",
    url: "modbus-tcp://10.0.0.2",
    jobs: [
      job([
        ["vibration", "input-register:21:REAL", "mm/s"],
        ["beltSpeed", "input-register:11:REAL", "m/min"],
      ]),
    ],
  },
];

const shown = (text: string) =>
  filterPlant(PLANT, text).map((entry) => `${entry.source.source}: ${entry.tags.map((t) => t.tag.alias).join(",")}`);

test("no words: everything", () => {
  assert.deepEqual(shown("  "), ["press: pressure,oilTemperature", "conveyor: vibration,beltSpeed"]);
});

test("a machine word keeps all its tags; tag words narrow them; every word must match", () => {
  assert.deepEqual(shown("PRESS"), ["press: pressure,oilTemperature"]);
  assert.deepEqual(shown("bar"), ["press: pressure"]);
  assert.deepEqual(shown("modbus tcp speed"), ["conveyor: beltSpeed"], "the protocol's name matches too");
  assert.deepEqual(shown("press vibration"), []);
  const [conveyor] = filterPlant(PLANT, "vibration");
  assert.equal(conveyor?.total, 2);
});
