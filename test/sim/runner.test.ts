// The simulator runner: wall-clock stepping at any speed, skipping stalls, and its Modbus face opening and closing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ModbusFaceOptionError } from "../../src/sim/modbus/errors.ts";
import { SimModelError } from "../../src/sim/model/index.ts";
import { MAX_SPEED, MIN_SPEED, Simulator } from "../../src/sim/runner.ts";
import { closeModbusSerial, modbusSerial } from "./modbus/peers.ts";

const START = Date.UTC(2024, 0, 8, 8);

test("the first advance sets the origin; later ones step the ticks the wall clock has passed", () => {
  const sim = new Simulator({ seed: 1, startTime: START, modbus: false });
  assert.equal(sim.advance(5_000), 0);
  assert.equal(sim.advance(5_050), 0, "half a tick is not a tick");
  assert.equal(sim.advance(6_000), 10);
  assert.equal(sim.advance(6_000), 0);
  assert.equal(sim.advance(6_250), 2);
  assert.equal(sim.plant.ticks, 12);
  assert.equal(sim.plant.now, START + 1_200);
});

test("at speed 60 a wall-clock second is a simulated minute", () => {
  const sim = new Simulator({ seed: 1, startTime: START, speed: 60, modbus: false });
  sim.advance(0);
  assert.equal(sim.advance(1_000), 600);
  assert.equal(sim.plant.now, START + 60_000);
});

test("after a stall the missed time is skipped beyond one big step, then time runs on from there", () => {
  const sim = new Simulator({ seed: 1, startTime: START, speed: 10, modbus: false });
  sim.advance(0);
  const stalled = 24 * 3_600_000; // a day of wall time: 8.64 million ticks at speed 10
  const first = sim.advance(stalled);
  assert.equal(first, 50_000);
  assert.equal(sim.advance(stalled), 0, "what was skipped is not made up later");
  assert.equal(sim.advance(stalled + 1_000), 100);
});

test("a speed out of range and an unknown fault are refused with the model's typed errors", () => {
  for (const speed of [0, MIN_SPEED / 2, MAX_SPEED * 2, Number.NaN]) {
    assert.throws(
      () => new Simulator({ seed: 1, speed, modbus: false }),
      (error) => error instanceof SimModelError && error.code === "SIM_INVALID_OPTION",
    );
  }
  assert.throws(
    () => new Simulator({ seed: 1, faults: ["conveyor.gearbox"], modbus: false }),
    (error) => error instanceof SimModelError && error.code === "SIM_UNKNOWN_FAULT",
  );
  assert.throws(() => new Simulator({ seed: 1, modbus: { latencyMs: -5 } }), ModbusFaceOptionError);
});

test("faults given at the start are on in the plant", () => {
  const sim = new Simulator({ seed: 1, faults: ["conveyor.bearing", "press.leak"], modbus: false });
  assert.deepEqual(sim.plant.activeFaults().sort(), ["conveyor.bearing", "press.leak"]);
});

test("start opens the Modbus face on the running plant; stop closes it", async () => {
  const sim = new Simulator({ seed: 1, startTime: START, modbus: { port: 0 } });
  await sim.start();
  const port = sim.modbus!.port;
  assert.ok(port > 0);
  const client = await modbusSerial(port, 1);
  try {
    const sequence = (await client.readInputRegisters(0, 2)).buffer.readUInt32BE(0);
    // The clock may tick between the answer and this line.
    assert.ok(sim.plant.conveyor.sequence - sequence <= 1, `read ${sequence}, plant at ${sim.plant.conveyor.sequence}`);
  } finally {
    await closeModbusSerial(client);
  }
  await sim.stop();
  assert.equal(sim.modbus!.listening, false);
  assert.equal(sim.modbus!.stats.connections, 0);
});
