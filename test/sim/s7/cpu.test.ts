// The simulated S7 CPU: DB bytes are the signals' values, setpoints take whole writes, the rest is refused per item.
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { parseS7Address } from "../../../src/plc/s7/address.ts";
import { RETURN_CODE } from "../../../src/plc/s7/messages/return-codes.ts";
import { AREA, TRANSPORT_SIZE, type VarItem } from "../../../src/plc/s7/messages/var-item.ts";
import { decodeS7Value, encodeS7Value } from "../../../src/plc/s7/value-codec.ts";
import { Plant } from "../../../src/sim/model/index.ts";
import { createPlantCpu, type SimulatedCpu } from "../../../src/sim/s7/index.ts";

const bytes = (db: number, start: number, count: number): VarItem => ({
  transportSize: TRANSPORT_SIZE.BYTE,
  count,
  dbNumber: db,
  area: AREA.DATA_BLOCKS,
  byteAddress: start,
  bitAddress: 0,
});

describe("the simulated S7 CPU", () => {
  let plant: Plant;
  let cpu: SimulatedCpu;

  beforeEach(() => {
    plant = new Plant({ seed: 3, startTime: Date.UTC(2024, 0, 8, 8) });
    plant.step(600);
    cpu = createPlantCpu(plant);
  });

  it("serves each DB as the bytes of its signals' current values", () => {
    for (const db of cpu.dbs) {
      const map = cpu.db(db)!;
      const read = cpu.read(bytes(db, 0, map.size));
      assert.equal(read.returnCode, RETURN_CODE.SUCCESS);
      for (const { signal, address } of map.entries) {
        assert.deepEqual(
          decodeS7Value(read.data, address.byteOffset, address),
          plant.read(map.machine, signal.name),
          `${map.machine}.${signal.name}`,
        );
      }
    }
  });

  it("reads a single bit, and the sensors in the inputs", () => {
    plant.machine("R1").write("speedOverride", 100);
    const gripper = plant.read("R1", "gripperClosed");
    const bit = cpu.read({
      transportSize: TRANSPORT_SIZE.BIT,
      count: 1,
      dbNumber: 4,
      area: AREA.DATA_BLOCKS,
      byteAddress: 20,
      bitAddress: 0,
    });
    assert.deepEqual([...bit.data], [gripper ? 1 : 0]);
    const input = cpu.read({
      transportSize: TRANSPORT_SIZE.BYTE,
      count: 1,
      dbNumber: 0,
      area: AREA.INPUTS,
      byteAddress: 0,
      bitAddress: 0,
    });
    const expected =
      (plant.read("C1", "jam") ? 1 : 0) | (gripper ? 2 : 0) | (plant.read("ENV1", "compressorRunning") ? 4 : 0);
    assert.equal(input.data[0], expected);
  });

  it("writes a setpoint covered whole into the model", () => {
    const address = parseS7Address("%DB1.DBD28:REAL");
    assert.equal(cpu.write(bytes(1, 28, 4), encodeS7Value(150, address)), RETURN_CODE.SUCCESS);
    assert.equal(plant.read("P1", "pressureSetpoint"), 150);
  });

  it("refuses per item what an S7-1500 would, and leaves the model as it was", () => {
    const setpoint = plant.read("P1", "pressureSetpoint");
    const real = (value: number) => encodeS7Value(value, parseS7Address("%DB1.DBD28:REAL"));
    const cases: [string, number, number][] = [
      ["a measurement", cpu.write(bytes(1, 24, 4), real(1)), RETURN_CODE.ACCESS_DENIED],
      ["part of a setpoint", cpu.write(bytes(1, 28, 2), Uint8Array.of(0, 0)), RETURN_CODE.DATA_TYPE_INCONSISTENT],
      ["a setpoint out of its range", cpu.write(bytes(1, 28, 4), real(500)), RETURN_CODE.DATA_TYPE_INCONSISTENT],
      [
        "a setpoint and a measurement",
        cpu.write(bytes(1, 28, 8), Uint8Array.of(...real(150), ...real(1))),
        RETURN_CODE.ACCESS_DENIED,
      ],
      ["a DB no machine has", cpu.read(bytes(42, 0, 2)).returnCode, RETURN_CODE.OBJECT_DOES_NOT_EXIST],
      ["bytes beyond a DB", cpu.read(bytes(1, 40, 8)).returnCode, RETURN_CODE.ADDRESS_OUT_OF_RANGE],
      ["bytes beyond a DB (write)", cpu.write(bytes(1, 44, 2), Uint8Array.of(0, 0)), RETURN_CODE.ADDRESS_OUT_OF_RANGE],
      ["the inputs", cpu.write({ ...bytes(0, 0, 1), area: AREA.INPUTS }, Uint8Array.of(1)), RETURN_CODE.ACCESS_DENIED],
      [
        "a bit item of 2 bits",
        cpu.read({ ...bytes(1, 0, 2), transportSize: TRANSPORT_SIZE.BIT }).returnCode,
        RETURN_CODE.ADDRESS_OUT_OF_RANGE,
      ],
      [
        "the counters",
        cpu.read({ ...bytes(0, 0, 1), area: AREA.COUNTERS, transportSize: TRANSPORT_SIZE.COUNTER }).returnCode,
        RETURN_CODE.OBJECT_DOES_NOT_EXIST,
      ],
      [
        "a measurement bit",
        cpu.write({ ...bytes(2, 24, 1), transportSize: TRANSPORT_SIZE.BIT }, Uint8Array.of(1)),
        RETURN_CODE.ACCESS_DENIED,
      ],
    ];
    for (const [what, got, expected] of cases) assert.equal(got, expected, what);
    assert.equal(plant.read("P1", "pressureSetpoint"), setpoint);
  });

  it("keeps outputs and markers as plain memory", () => {
    const markers = { ...bytes(0, 10, 2), area: AREA.MARKERS };
    assert.equal(cpu.write(markers, Uint8Array.of(0xbe, 0xef)), RETURN_CODE.SUCCESS);
    assert.deepEqual([...cpu.read(markers).data], [0xbe, 0xef]);
    const output = {
      transportSize: TRANSPORT_SIZE.BIT,
      count: 1,
      dbNumber: 0,
      area: AREA.OUTPUTS,
      byteAddress: 1,
      bitAddress: 3,
    };
    assert.equal(cpu.write(output, Uint8Array.of(1)), RETURN_CODE.SUCCESS);
    assert.equal(cpu.outputs[1], 0b1000);
  });
});
