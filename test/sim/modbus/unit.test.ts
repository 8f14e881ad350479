// One unit on a small made-up machine: reads across signals and gaps, coil and register writes, all-or-nothing writes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { EXCEPTION } from "../../../src/plc/modbus/messages/exception.ts";
import { READ_COILS } from "../../../src/plc/modbus/messages/read-coils.ts";
import { READ_DISCRETE_INPUTS } from "../../../src/plc/modbus/messages/read-discrete-inputs.ts";
import { READ_HOLDING_REGISTERS } from "../../../src/plc/modbus/messages/read-holding-registers.ts";
import { READ_INPUT_REGISTERS } from "../../../src/plc/modbus/messages/read-input-registers.ts";
import { WRITE_MULTIPLE_COILS } from "../../../src/plc/modbus/messages/write-multiple-coils.ts";
import { WRITE_MULTIPLE_REGISTERS } from "../../../src/plc/modbus/messages/write-multiple-registers.ts";
import { WRITE_SINGLE_COIL } from "../../../src/plc/modbus/messages/write-single-coil.ts";
import { WRITE_SINGLE_REGISTER } from "../../../src/plc/modbus/messages/write-single-register.ts";
import type { ModbusRequest } from "../../../src/plc/modbus/pdu.ts";
import { buildUnitMap } from "../../../src/sim/modbus/register-map.ts";
import { ModbusUnit, type UnitOptions } from "../../../src/sim/modbus/unit.ts";
import { SignalTable } from "../../../src/sim/model/signal.ts";

/** The machine's state, which its signals read and write. */
interface State {
  enable: boolean;
  lamp: boolean;
  speed: number;
  limit: number;
  mode: number;
  count: number;
}

function rig(options: UnitOptions = {}, count = 70_000) {
  const state: State = { enable: false, lamp: false, speed: 12.5, limit: 100, mode: 1, count };
  const temps = Float64Array.of(20.5, 21.5, 22.5);
  const t = new SignalTable("X1");
  const info = { unit: "", description: "" };
  t.bool(
    { name: "enable", dataType: "BOOL", ...info },
    () => state.enable,
    (v) => (state.enable = v),
  );
  t.bool(
    { name: "lamp", dataType: "BOOL", ...info },
    () => state.lamp,
    (v) => (state.lamp = v),
  );
  t.bool({ name: "running", dataType: "BOOL", ...info }, () => true);
  const ranged = (min: number, max: number) => ({ ...info, range: { min, max } });
  t.number(
    { name: "speed", dataType: "REAL", ...ranged(0, 100) },
    () => state.speed,
    (v) => (state.speed = v),
  );
  t.number(
    { name: "limit", dataType: "DINT", ...ranged(0, 1000) },
    () => state.limit,
    (v) => (state.limit = v),
  );
  t.number(
    { name: "mode", dataType: "INT", ...ranged(0, 3) },
    () => state.mode,
    (v) => (state.mode = v),
  );
  t.number({ name: "count", dataType: "UDINT", ...info }, () => state.count);
  t.realArray({ name: "temps", dataType: "REAL", ...info, arrayLength: 3 }, temps);
  const addresses = {
    enable: "coil:1",
    lamp: "coil:2",
    running: "discrete-input:5",
    speed: "holding-register:1:REAL",
    limit: "holding-register:3:DINT",
    mode: "holding-register:10:INT",
    count: "input-register:1:UDINT",
    temps: "input-register:11:REAL[3]",
  };
  const unit = new ModbusUnit(buildUnitMap({ unitId: 9, machine: "X1", addresses }, t.list), options);
  return { unit, state };
}

const exception = (functionCode: number, exceptionCode: number) => ({ functionCode, exceptionCode });
const readInput = (address: number, quantity: number): ModbusRequest => ({
  functionCode: READ_INPUT_REGISTERS,
  address,
  quantity,
});

test("register reads encode the signals big-endian, and may start or end inside a value", () => {
  const { unit } = rig();
  // 70000 = 0x00011170; 20.5 = 0x41A40000, 21.5 = 0x41AC0000, 22.5 = 0x41B40000.
  assert.deepEqual(unit.handle(readInput(0, 2)), { functionCode: READ_INPUT_REGISTERS, values: [0x0001, 0x1170] });
  assert.deepEqual(unit.handle(readInput(11, 4)), {
    functionCode: READ_INPUT_REGISTERS,
    values: [0x0000, 0x41ac, 0x0000, 0x41b4],
  });
  assert.deepEqual(unit.handle({ functionCode: READ_HOLDING_REGISTERS, address: 0, quantity: 4 }), {
    functionCode: READ_HOLDING_REGISTERS,
    values: [0x4148, 0x0000, 0x0000, 0x0064],
  });
});

test("reads over unmapped addresses are ILLEGAL DATA ADDRESS, or zeros with fillGaps", () => {
  const strict = rig().unit;
  assert.deepEqual(strict.handle(readInput(0, 12)), exception(READ_INPUT_REGISTERS, EXCEPTION.ILLEGAL_DATA_ADDRESS));
  assert.deepEqual(strict.handle(readInput(16, 1)), exception(READ_INPUT_REGISTERS, EXCEPTION.ILLEGAL_DATA_ADDRESS));
  const filled = rig({ fillGaps: true }).unit;
  assert.deepEqual(filled.handle(readInput(0, 12)), {
    functionCode: READ_INPUT_REGISTERS,
    values: [0x0001, 0x1170, 0, 0, 0, 0, 0, 0, 0, 0, 0x41a4, 0x0000],
  });
  assert.deepEqual(filled.handle({ functionCode: READ_DISCRETE_INPUTS, address: 2, quantity: 4 }), {
    functionCode: READ_DISCRETE_INPUTS,
    values: [false, false, true, false],
  });
});

test("coils: single and multiple writes set the model, reads see them", () => {
  const { unit, state } = rig();
  const on = { functionCode: WRITE_SINGLE_COIL, address: 1, value: true } as const;
  assert.deepEqual(unit.handle(on), on);
  assert.equal(state.lamp, true);
  const both = { functionCode: WRITE_MULTIPLE_COILS, address: 0, values: [true, false] } as const;
  assert.deepEqual(unit.handle(both), { functionCode: WRITE_MULTIPLE_COILS, address: 0, quantity: 2 });
  assert.deepEqual([state.enable, state.lamp], [true, false]);
  assert.deepEqual(unit.handle({ functionCode: READ_COILS, address: 0, quantity: 2 }), {
    functionCode: READ_COILS,
    values: [true, false],
  });
  const beyond = { functionCode: WRITE_MULTIPLE_COILS, address: 1, values: [true, true] } as const;
  assert.deepEqual(unit.handle(beyond), exception(WRITE_MULTIPLE_COILS, EXCEPTION.ILLEGAL_DATA_ADDRESS));
  assert.equal(state.lamp, false, "a refused write changes nothing");
});

test("a one-register setpoint takes Write Single Register; out of range is ILLEGAL DATA VALUE", () => {
  const { unit, state } = rig();
  const three = { functionCode: WRITE_SINGLE_REGISTER, address: 9, value: 3 } as const;
  assert.deepEqual(unit.handle(three), three);
  assert.equal(state.mode, 3);
  const big = { functionCode: WRITE_SINGLE_REGISTER, address: 9, value: 4 } as const;
  assert.deepEqual(unit.handle(big), exception(WRITE_SINGLE_REGISTER, EXCEPTION.ILLEGAL_DATA_VALUE));
  // 0xFFFF is INT -1: in the type, below the range.
  const negative = { functionCode: WRITE_SINGLE_REGISTER, address: 9, value: 0xffff } as const;
  assert.deepEqual(unit.handle(negative), exception(WRITE_SINGLE_REGISTER, EXCEPTION.ILLEGAL_DATA_VALUE));
  assert.equal(state.mode, 3);
});

test("one request may set several setpoints, all or nothing", () => {
  const { unit, state } = rig();
  // speed 50.0 = 0x42480000, limit 500 = 0x000001F4.
  const both = { functionCode: WRITE_MULTIPLE_REGISTERS, address: 0, values: [0x4248, 0, 0, 500] } as const;
  assert.deepEqual(unit.handle(both), { functionCode: WRITE_MULTIPLE_REGISTERS, address: 0, quantity: 4 });
  assert.deepEqual([state.speed, state.limit], [50, 500]);
  // speed 60.0 = 0x42700000 is fine, limit 2000 is not: the speed must stay 50.
  const bad = { functionCode: WRITE_MULTIPLE_REGISTERS, address: 0, values: [0x4270, 0, 0, 2000] } as const;
  assert.deepEqual(unit.handle(bad), exception(WRITE_MULTIPLE_REGISTERS, EXCEPTION.ILLEGAL_DATA_VALUE));
  assert.deepEqual([state.speed, state.limit], [50, 500]);
});

test("writes that cover part of a value or run into a gap are ILLEGAL DATA ADDRESS", () => {
  const { unit, state } = rig();
  const cases: ModbusRequest[] = [
    { functionCode: WRITE_MULTIPLE_REGISTERS, address: 1, values: [0, 0] },
    { functionCode: WRITE_MULTIPLE_REGISTERS, address: 0, values: [0x4248, 0, 0] },
    { functionCode: WRITE_MULTIPLE_REGISTERS, address: 2, values: [0, 5, 0] },
    { functionCode: WRITE_SINGLE_REGISTER, address: 0, value: 0x4248 },
    { functionCode: WRITE_SINGLE_REGISTER, address: 20, value: 1 },
  ];
  for (const request of cases) {
    assert.deepEqual(
      unit.handle(request),
      exception(request.functionCode, EXCEPTION.ILLEGAL_DATA_ADDRESS),
      JSON.stringify(request),
    );
  }
  assert.deepEqual([state.speed, state.limit], [12.5, 100]);
});

test("a value the registers cannot carry is the device's failure, not the request's", () => {
  const { unit } = rig({}, -1);
  assert.deepEqual(unit.handle(readInput(0, 2)), exception(READ_INPUT_REGISTERS, EXCEPTION.SERVER_DEVICE_FAILURE));
});
