// The gateway on hand-checked frames (frames.json): routing by unit id, exceptions, writes reaching the model.
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeAdu } from "../../../src/plc/modbus/mbap.ts";
import { READ_INPUT_REGISTERS } from "../../../src/plc/modbus/messages/read-input-registers.ts";
import { ModbusFaceOptionError } from "../../../src/sim/modbus/errors.ts";
import { createPlantGateway, ModbusGateway } from "../../../src/sim/modbus/gateway.ts";
import { PLANT_MODBUS_MAP } from "../../../src/sim/modbus/plant-map.ts";
import { buildUnitMap } from "../../../src/sim/modbus/register-map.ts";
import { ModbusUnit } from "../../../src/sim/modbus/unit.ts";
import { EXCHANGES, exchangePlant, hexFrame } from "./exchanges.ts";

test("every hand-checked exchange gets its response, and writes land in the model", () => {
  const plant = exchangePlant();
  const gateway = createPlantGateway(plant);
  for (const exchange of EXCHANGES) {
    plant.step(exchange.steps ?? 0);
    const answer = gateway.answer(decodeAdu(hexFrame(exchange.request)));
    assert.equal(Buffer.from(answer).toString("hex"), hexFrame(exchange.response).toString("hex"), exchange.name);
    if (exchange.then !== undefined) {
      const { machine, signal, value } = exchange.then;
      assert.deepEqual(plant.read(machine, signal), value, `${exchange.name}: ${machine}.${signal}`);
    }
  }
  const exceptions = EXCHANGES.filter((e) => hexFrame(e.response)[7]! >= 0x80).length;
  assert.deepEqual(gateway.stats, { requests: EXCHANGES.length, exceptions });
});

test("every machine of the plant is a unit, C1 on 1 and E1 on 2", () => {
  const plant = exchangePlant();
  const gateway = createPlantGateway(plant);
  assert.deepEqual(gateway.unitIds, [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(gateway.unit(1)?.machine, "C1");
  assert.equal(gateway.unit(2)?.machine, "E1");
  assert.deepEqual(
    new Set(gateway.unitIds.map((id) => gateway.unit(id)?.machine)),
    new Set(plant.machines.map((m) => m.id)),
  );
});

test("each unit answers with its own machine's values", () => {
  const plant = exchangePlant();
  plant.step(3);
  const gateway = createPlantGateway(plant);
  for (const id of gateway.unitIds) {
    const unit = gateway.unit(id)!;
    const response = unit.handle({ functionCode: READ_INPUT_REGISTERS, address: 0, quantity: 4 });
    assert.ok("values" in response && !("exceptionCode" in response), `unit ${id}`);
    const machine = plant.machine(unit.machine);
    const [high, low, state, reason] = response.values as number[];
    assert.equal(high! * 65536 + low!, machine.read("sequence"), `unit ${id} sequence`);
    assert.equal(state, machine.read("state"), `unit ${id} state`);
    assert.equal(reason, machine.read("stopReason"), `unit ${id} stop reason`);
  }
});

test("two machines on one unit id are refused", () => {
  const plant = exchangePlant();
  const [conveyor] = PLANT_MODBUS_MAP;
  const unit = () => new ModbusUnit(buildUnitMap(conveyor!, plant.conveyor.signals));
  assert.throws(
    () => new ModbusGateway([unit(), unit()]),
    (error) => error instanceof ModbusFaceOptionError && error.code === "SIM_MODBUS_OPTION_INVALID",
  );
});
