// The simulator's description: every signal listed with its address, each address readable as listed, the doc in sync.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { describeSimulator, renderDescriptionText, type TagDescription } from "../../src/sim/describe.ts";
import { createPlantGateway } from "../../src/sim/modbus/gateway.ts";
import { listenModbus } from "../../src/sim/modbus/server.ts";
import { Plant } from "../../src/sim/model/index.ts";
import { DOC_PATH, generatedTables, withTables } from "../../tools/sim-docs.ts";
import { closeModbusSerial, modbusSerial } from "./modbus/peers.ts";

const START = Date.UTC(2024, 0, 8, 8);
const endpoints = { modbus: { host: "127.0.0.1", port: 5020 } };

test("every signal of every machine is listed once, with the model's type, unit, range and access", () => {
  const info = new Plant({ seed: 1, startTime: START }).describe();
  const description = describeSimulator(info, endpoints);
  assert.deepEqual(
    description.machines.map((m) => m.id),
    info.machines.map((m) => m.id),
  );
  for (const machine of info.machines) {
    const [face, ...others] = description.machines.find((m) => m.id === machine.id)!.faces;
    assert.equal(others.length, 0);
    assert.equal(face!.protocol, "modbus-tcp");
    assert.equal(face!.url, `modbus-tcp://127.0.0.1:5020?unit-identifier=${face!.unitId}`);
    assert.deepEqual(face!.tags.map((t) => t.signal).sort(), machine.signals.map((s) => s.name).sort(), machine.id);
    for (const tag of face!.tags) {
      const signal = machine.signals.find((s) => s.name === tag.signal)!;
      assert.equal(tag.dataType, signal.dataType);
      assert.equal(tag.unit, signal.unit);
      assert.equal(tag.description, signal.description);
      assert.deepEqual(tag.range, signal.range);
      assert.equal(tag.access, signal.writable ? "RW" : "R");
    }
  }
  assert.deepEqual(description.faults, info.faults);
});

test("an IPv6 host is bracketed in the connection URL", () => {
  const info = new Plant({ seed: 1, startTime: START }).describe();
  const description = describeSimulator(info, { modbus: { host: "::1", port: 502 } });
  assert.equal(description.machines[1]!.faces[0]!.url, "modbus-tcp://[::1]:502?unit-identifier=1");
});

/** A listed address taken apart by its own grammar, independently of Fabrik's parser. */
function parseListed(address: string) {
  const match =
    /^(coil|discrete-input|input-register|holding-register):(\d+)(?::([A-Z]+)(?:\((\d+)\))?(?:\[(\d+)\])?)?$/.exec(
      address,
    );
  assert.ok(match, `${address} is in PLC4X Modbus syntax`);
  const [, area, number, type, length, count] = match;
  return {
    area: area!,
    offset: Number(number) - 1,
    type: type ?? "BOOL",
    length: Number(length),
    count: Number(count ?? 1),
  };
}

const WORDS: Record<string, number> = { INT: 1, DINT: 2, UDINT: 2, REAL: 2 };

/** Reads one listed address with modbus-serial and decodes it from the bytes on the wire. */
async function readListed(client: Awaited<ReturnType<typeof modbusSerial>>, tag: TagDescription) {
  const { area, offset, type, length, count } = parseListed(tag.address);
  if (area === "discrete-input" || area === "coil") {
    const bits =
      area === "coil" ? await client.readCoils(offset, count) : await client.readDiscreteInputs(offset, count);
    return count === 1 ? bits.data[0] : bits.data.slice(0, count);
  }
  const words = type === "STRING" ? Math.ceil(length / 2) : WORDS[type]! * count;
  const read = area === "input-register" ? client.readInputRegisters : client.readHoldingRegisters;
  const bytes = (await read.call(client, offset, words)).buffer;
  if (type === "STRING") return bytes.toString("latin1").replace(/\0+$/, "");
  const values = Array.from({ length: count }, (_, i) => {
    if (type === "INT") return bytes.readInt16BE(2 * i);
    if (type === "DINT") return bytes.readInt32BE(4 * i);
    if (type === "UDINT") return bytes.readUInt32BE(4 * i);
    return bytes.readFloatBE(4 * i);
  });
  return tag.arrayLength === undefined ? values[0] : values;
}

test("each listed address reads back through modbus-serial as the model's value", async (t) => {
  const plant = new Plant({ seed: 11, startTime: START });
  plant.step(1234);
  const server = await listenModbus(createPlantGateway(plant), { port: 0 });
  t.after(() => server.close());
  const description = describeSimulator(plant.describe(), { modbus: { host: "127.0.0.1", port: server.port } });
  let read = 0;
  for (const machine of description.machines) {
    for (const face of machine.faces) {
      const client = await modbusSerial(face.port, face.unitId);
      try {
        for (const tag of face.tags) {
          const expected = plant.read(machine.id, tag.signal);
          assert.deepEqual(await readListed(client, tag), expected, `${machine.id} ${tag.address}`);
          read++;
        }
      } finally {
        await closeModbusSerial(client);
      }
    }
  }
  assert.equal(read, plant.describe().machines.flatMap((m) => m.signals).length);
});

test("the text listing shows each machine's endpoint and every address, and spells out enumerations", () => {
  const info = new Plant({ seed: 1, startTime: START }).describe();
  const text = renderDescriptionText(describeSimulator(info, endpoints));
  assert.match(text, /^Conveyor C1 \(C1\): Belt conveyor/m);
  assert.match(
    text,
    /^ {2}modbus-tcp 127\.0\.0\.1:5020, unit id 1: modbus-tcp:\/\/127\.0\.0\.1:5020\?unit-identifier=1$/m,
  );
  assert.match(text, /^ {4}holding-register:11:REAL +beltSpeedSetpoint +RW +m\/min +5\.\.45 +Belt speed/m);
  assert.match(text, /stopReason .*: 0 NONE, 1 PLANNED, .*10 OVERTEMPERATURE$/m);
  assert.match(text, /^ {2}conveyor\.bearing +C1 +A bearing wears fast/m);
  for (const machine of describeSimulator(info, endpoints).machines) {
    for (const tag of machine.faces[0]!.tags) assert.ok(text.includes(`    ${tag.address} `), tag.address);
  }
});

test("docs/simulator.md holds exactly the tables the map and the model give (run node tools/sim-docs.ts)", () => {
  const doc = readFileSync(DOC_PATH, "utf8");
  assert.equal(withTables(doc, generatedTables()), doc);
  for (const unit of [1, 2, 3, 4, 5, 6, 7])
    assert.ok(doc.includes(`?unit-identifier=${unit}\``), `unit ${unit} documented`);
});
