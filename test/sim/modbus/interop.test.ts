// Clients written by others (modbus-serial, jsmodbus) read the simulator, write setpoints, and get the documented errors.
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import { createPlantGateway } from "../../../src/sim/modbus/gateway.ts";
import { listenModbus } from "../../../src/sim/modbus/server.ts";
import { Plant } from "../../../src/sim/model/index.ts";
import { closeModbusSerial, jsModbus, jsModbusException, modbusSerial, modbusSerialException } from "./peers.ts";

/**
 * A fresh plant at Monday 08:00 (inside the early shift, so the line runs) served on a free port until the test ends.
 * The tests step the plant themselves, so what a client reads can be compared with the model exactly.
 */
async function simulator(t: TestContext) {
  const plant = new Plant({ seed: 3, startTime: Date.UTC(2024, 0, 8, 8) });
  const server = await listenModbus(createPlantGateway(plant), { port: 0 });
  t.after(() => server.close());
  return { plant, server };
}

/** A REAL as the two registers a setpoint write carries (big-endian, ABCD). */
function realWords(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeFloatBE(value);
  return buffer;
}

test("modbus-serial reads the conveyor's values exactly as the model holds them, tick after tick", async (t) => {
  const { plant, server } = await simulator(t);
  const client = await modbusSerial(server.port, 1);
  try {
    for (const ticks of [0, 1, 37, 600]) {
      plant.step(ticks);
      const status = (await client.readInputRegisters(0, 4)).buffer;
      const drive = (await client.readInputRegisters(10, 4)).buffer;
      const vibration = (await client.readInputRegisters(20, 2)).buffer;
      const jam = (await client.readDiscreteInputs(0, 1)).data[0];
      const setpoint = (await client.readHoldingRegisters(10, 2)).buffer;
      const c1 = plant.conveyor;
      assert.equal(status.readUInt32BE(0), c1.read("sequence"));
      assert.equal(status.readInt16BE(4), c1.read("state"));
      assert.equal(status.readInt16BE(6), c1.read("stopReason"));
      assert.equal(drive.readFloatBE(0), c1.read("beltSpeed"));
      assert.equal(drive.readFloatBE(4), c1.read("motorCurrent"));
      assert.equal(vibration.readFloatBE(0), c1.read("vibration"));
      assert.equal(jam, c1.read("jam"));
      assert.equal(setpoint.readFloatBE(0), c1.read("beltSpeedSetpoint"));
    }
    assert.equal(plant.conveyor.read("sequence"), 638);
  } finally {
    await closeModbusSerial(client);
  }
});

test("jsmodbus reads the energy meter, unit 2 on the same port", async (t) => {
  const { plant, server } = await simulator(t);
  const peer = await jsModbus(server.port, 2);
  try {
    plant.step(25);
    const read = async (address: number, count: number) =>
      (await peer.client.readInputRegisters(address, count)).response.body.valuesAsBuffer;
    const voltages = await read(10, 8);
    const currents = await read(20, 6);
    const power = await read(30, 4);
    const energy = await read(40, 2);
    const e1 = plant.energyMeter;
    assert.deepEqual(
      [0, 4, 8, 12].map((offset) => voltages.readFloatBE(offset)),
      ["voltageL1", "voltageL2", "voltageL3", "frequency"].map((s) => e1.read(s)),
    );
    assert.deepEqual(
      [0, 4, 8].map((offset) => currents.readFloatBE(offset)),
      ["currentL1", "currentL2", "currentL3"].map((s) => e1.read(s)),
    );
    assert.equal(power.readFloatBE(0), e1.read("activePower"));
    assert.equal(power.readFloatBE(4), e1.read("powerFactor"));
    assert.equal(energy.readFloatBE(0), e1.read("energy"));
    assert.ok((e1.read("activePower") as number) > 0, "the line draws power");
  } finally {
    await peer.close();
  }
});

test("a belt speed setpoint written with modbus-serial reaches the model and the belt follows it", async (t) => {
  const { plant, server } = await simulator(t);
  const client = await modbusSerial(server.port, 1);
  try {
    assert.equal(plant.conveyor.read("state"), 1, "the conveyor runs");
    await client.writeRegisters(10, realWords(36.5));
    assert.equal(plant.conveyor.read("beltSpeedSetpoint"), 36.5);
    plant.step(30); // 3 s: the drive ramps 12 m/min per second
    const speed = (await client.readInputRegisters(10, 2)).buffer.readFloatBE(0);
    assert.equal(speed, 36.5);
    assert.equal(speed, plant.conveyor.read("beltSpeed"));
  } finally {
    await closeModbusSerial(client);
  }
});

test("setpoints written with jsmodbus: the press pressure follows, the robot takes a new program", async (t) => {
  const { plant, server } = await simulator(t);
  const press = await jsModbus(server.port, 3);
  const robot = await jsModbus(server.port, 4);
  try {
    const before = plant.press.read("pressure") as number;
    await press.client.writeMultipleRegisters(20, realWords(100));
    assert.equal(plant.press.read("pressureSetpoint"), 100);
    plant.step(100);
    const after = (await press.client.readInputRegisters(20, 2)).response.body.valuesAsBuffer.readFloatBE(0);
    assert.equal(after, plant.press.read("pressure"));
    assert.ok(after < before - 20, `pressure ${before} → ${after} bar follows the lower setpoint`);

    const name = Buffer.alloc(32);
    name.write("PICK_PLACE_B", "latin1");
    await robot.client.writeMultipleRegisters(20, name);
    assert.equal(plant.robot.read("programName"), "PICK_PLACE_B");
    const back = (await robot.client.readHoldingRegisters(20, 16)).response.body.valuesAsBuffer;
    assert.equal(back.toString("latin1").replace(/\0+$/, ""), "PICK_PLACE_B");
  } finally {
    await Promise.all([press.close(), robot.close()]);
  }
});

test("modbus-serial gets the documented exceptions", async (t) => {
  const { plant, server } = await simulator(t);
  const client = await modbusSerial(server.port, 1);
  try {
    assert.equal(await modbusSerialException(client.readInputRegisters(4, 8)), 2, "read into a gap");
    assert.equal(await modbusSerialException(client.readCoils(0, 1)), 2, "no coils on C1");
    assert.equal(await modbusSerialException(client.writeRegisters(10, realWords(100))), 3, "100 m/min > 45");
    assert.equal(await modbusSerialException(client.writeRegister(10, 0x4210)), 2, "half a REAL");
    assert.equal(await modbusSerialException(client.writeRegisters(0, [0, 0])), 2, "no setpoint there");
    assert.equal(plant.conveyor.read("beltSpeedSetpoint"), 24, "refused writes change nothing");
    client.setID(42);
    assert.equal(await modbusSerialException(client.readInputRegisters(0, 2)), 11, "no unit 42");
  } finally {
    await closeModbusSerial(client);
  }
});

test("jsmodbus gets the documented exceptions", async (t) => {
  const { plant, server } = await simulator(t);
  const robot = await jsModbus(server.port, 4);
  const nobody = await jsModbus(server.port, 200);
  try {
    const name = Buffer.alloc(32);
    name.write("NOPE", "latin1");
    assert.equal(await jsModbusException(robot.client.writeMultipleRegisters(20, name)), 3, "not a program");
    assert.equal(plant.robot.read("programName"), "PICK_PLACE_A", "the program stays");
    assert.equal(await jsModbusException(robot.client.readInputRegisters(42, 1)), 2, "past the joints");
    assert.equal(await jsModbusException(robot.client.writeSingleCoil(0, true)), 2, "no coils on R1");
    assert.equal(await jsModbusException(nobody.client.readInputRegisters(0, 2)), 11, "no unit 200");
  } finally {
    await Promise.all([robot.close(), nobody.close()]);
  }
});

test("both clients at once, many requests each, all answered correctly", async (t) => {
  const { plant, server } = await simulator(t);
  const serial = await modbusSerial(server.port, 1);
  const js = await jsModbus(server.port, 1);
  try {
    const sequence = plant.conveyor.read("sequence");
    const reads = Array.from({ length: 20 }, async () => {
      const a = (await serial.readInputRegisters(0, 2)).buffer.readUInt32BE(0);
      const b = (await js.client.readInputRegisters(0, 2)).response.body.valuesAsBuffer.readUInt32BE(0);
      return [a, b];
    });
    for (const pair of await Promise.all(reads)) assert.deepEqual(pair, [sequence, sequence]);
  } finally {
    await Promise.all([closeModbusSerial(serial), js.close()]);
  }
});
