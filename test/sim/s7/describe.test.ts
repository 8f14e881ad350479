// The S7 face in the simulator's description: every signal listed at its DB address, readable as listed, doc in sync.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { connect } from "../../../src/plc/index.ts";
import { describeSimulator, renderDescriptionText, renderS7Markdown } from "../../../src/sim/describe.ts";
import { Plant } from "../../../src/sim/model/index.ts";
import { createPlantCpu, DEFAULT_S7_HOST, DEFAULT_S7_PORT, S7Server } from "../../../src/sim/s7/index.ts";

const START = Date.UTC(2024, 0, 8, 8);
const endpoints = { modbus: { host: "127.0.0.1", port: 5020 }, s7: { host: "127.0.0.1", port: 1102 } };

test("every machine has its DB on the S7 face, every signal listed there once, sensors also at %I", () => {
  const info = new Plant({ seed: 1, startTime: START }).describe();
  const description = describeSimulator(info, endpoints);
  for (const machine of description.machines) {
    const face = machine.s7;
    assert.ok(face, machine.id);
    assert.equal(face.url, "s7://127.0.0.1:1102?remote-rack=0&remote-slot=1&controller-type=S7_1500");
    const inDb = face.tags.filter((tag) => tag.address.startsWith(`%DB${face.db}.`));
    const signals = info.machines.find((m) => m.id === machine.id)!.signals;
    assert.deepEqual(inDb.map((t) => t.signal).sort(), signals.map((s) => s.name).sort());
    for (const tag of face.tags.filter((t) => !inDb.includes(t))) assert.match(tag.address, /^%I0\.[0-2]$/);
  }
  assert.equal(describeSimulator(info, { modbus: endpoints.modbus }).machines[0]!.s7, undefined);
});

test("each listed S7 address reads through the driver as the model's value", async (t) => {
  const plant = new Plant({ seed: 12, startTime: START });
  plant.step(2345);
  const server = await new S7Server(createPlantCpu(plant), { port: 0 }).listen();
  t.after(() => server.close());
  const description = describeSimulator(plant.describe(), {
    ...endpoints,
    s7: { host: "127.0.0.1", port: server.port },
  });
  const connection = await connect(description.machines[0]!.s7!.url);
  t.after(() => connection.close());
  const tags: Record<string, string> = {};
  const expected: Record<string, unknown> = {};
  for (const machine of description.machines) {
    for (const tag of machine.s7!.tags) {
      const alias = `${machine.id}.${tag.signal}@${tag.address}`;
      tags[alias] = tag.address;
      expected[alias] = plant.read(machine.id, tag.signal);
    }
  }
  const readings = await connection.read(tags);
  for (const [alias, value] of Object.entries(expected)) {
    const reading = readings[alias]!;
    assert.deepEqual(reading.code === "OK" ? reading.value : reading, value, alias);
  }
  assert.ok(Object.keys(expected).length > 70);
});

test("the text listing shows the S7 endpoint and addresses", () => {
  const text = renderDescriptionText(describeSimulator(new Plant({ seed: 1, startTime: START }).describe(), endpoints));
  assert.match(
    text,
    /^ {2}s7 127\.0\.0\.1:1102, DB1: s7:\/\/127\.0\.0\.1:1102\?remote-rack=0&remote-slot=1&controller-type=S7_1500$/m,
  );
  assert.match(text, /^ {4}%DB4\.DBX54:STRING\(32\) +programName +RW /m);
});

test("docs/simulator.md holds exactly the DB tables the map and the model give", () => {
  const doc = readFileSync(new URL("../../../docs/simulator.md", import.meta.url), "utf8");
  const begin = doc.indexOf("<!-- BEGIN S7 TABLES");
  const end = doc.indexOf("<!-- END S7 TABLES -->");
  assert.ok(begin >= 0 && end > begin, "the S7 table markers");
  const inDoc = doc.slice(doc.indexOf("-->", begin) + 3, end).trim();
  const plant = new Plant({ seed: 1, startTime: 0 });
  const s7 = { host: DEFAULT_S7_HOST, port: DEFAULT_S7_PORT };
  assert.equal(inDoc, renderS7Markdown(describeSimulator(plant.describe(), { ...endpoints, s7 })).trim());
});
