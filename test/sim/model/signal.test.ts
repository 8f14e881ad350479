// Signal tables: reads carry the PLC's types, setpoints validate type and range, measurements refuse writes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SignalTable } from "../../../src/sim/model/signal.ts";

function table() {
  const t = new SignalTable("X1");
  const state = { real: 0.1, setpoint: 50, count: 7, flag: false, program: "A" };
  t.number({ name: "temperature", dataType: "REAL", unit: "°C", description: "measured" }, () => state.real);
  t.number(
    { name: "setpoint", dataType: "REAL", unit: "bar", description: "writable", range: { min: 10, max: 100 } },
    () => state.setpoint,
    (v) => {
      state.setpoint = v;
    },
  );
  t.number(
    { name: "count", dataType: "INT", unit: "", description: "recipe" },
    () => state.count,
    (v) => {
      state.count = v;
    },
  );
  t.bool(
    { name: "flag", dataType: "BOOL", unit: "", description: "switch" },
    () => state.flag,
    (v) => {
      state.flag = v;
    },
  );
  t.string(
    { name: "program", dataType: "STRING", unit: "", description: "program", choices: ["A", "B"], maxLength: 8 },
    () => state.program,
    (v) => {
      state.program = v;
    },
  );
  t.realArray(
    { name: "temperatures", dataType: "REAL", arrayLength: 3, unit: "°C", description: "array" },
    new Float64Array([1.1, 2.2, 3.3]),
  );
  return { t, state };
}

function codeOf(action: () => void): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

test("REAL reads are float32 values, as the PLC's register holds them", () => {
  const { t } = table();
  assert.equal(t.get("temperature").read(), Math.fround(0.1));
  assert.notEqual(t.get("temperature").read(), 0.1);
  assert.deepEqual(t.get("temperatures").read(), [Math.fround(1.1), Math.fround(2.2), Math.fround(3.3)]);
});

test("a setpoint takes a value of its type within its range and stores it as the PLC would", () => {
  const { t, state } = table();
  t.get("setpoint").write(42.1);
  assert.equal(state.setpoint, Math.fround(42.1));
  assert.equal(t.get("setpoint").read(), Math.fround(42.1));
  t.get("setpoint").write(100);
  t.get("setpoint").write(10n);
  assert.equal(state.setpoint, 10);
  t.get("count").write(-32768);
  t.get("flag").write(true);
  t.get("program").write("B");
  assert.deepEqual([state.count, state.flag, state.program], [-32768, true, "B"]);
});

test("writes of the wrong type are refused with SIM_TYPE_MISMATCH and change nothing", () => {
  const { t, state } = table();
  assert.equal(
    codeOf(() => t.get("setpoint").write("60")),
    "SIM_TYPE_MISMATCH",
  );
  assert.equal(
    codeOf(() => t.get("setpoint").write(Number.NaN)),
    "SIM_TYPE_MISMATCH",
  );
  assert.equal(
    codeOf(() => t.get("setpoint").write([60])),
    "SIM_TYPE_MISMATCH",
  );
  assert.equal(
    codeOf(() => t.get("count").write(1.5)),
    "SIM_TYPE_MISMATCH",
  );
  assert.equal(
    codeOf(() => t.get("flag").write(1)),
    "SIM_TYPE_MISMATCH",
  );
  assert.equal(
    codeOf(() => t.get("program").write(3)),
    "SIM_TYPE_MISMATCH",
  );
  assert.deepEqual([state.setpoint, state.count, state.flag, state.program], [50, 7, false, "A"]);
});

test("writes outside the range, the type's limits or the choices are refused with SIM_OUT_OF_RANGE", () => {
  const { t, state } = table();
  assert.equal(
    codeOf(() => t.get("setpoint").write(100.5)),
    "SIM_OUT_OF_RANGE",
  );
  assert.equal(
    codeOf(() => t.get("setpoint").write(9.99)),
    "SIM_OUT_OF_RANGE",
  );
  assert.equal(
    codeOf(() => t.get("count").write(32768)),
    "SIM_OUT_OF_RANGE",
  );
  assert.equal(
    codeOf(() => t.get("program").write("C")),
    "SIM_OUT_OF_RANGE",
  );
  assert.equal(
    codeOf(() => t.get("program").write("A".repeat(9))),
    "SIM_OUT_OF_RANGE",
  );
  assert.deepEqual([state.setpoint, state.count, state.program], [50, 7, "A"]);
  assert.throws(() => t.get("setpoint").write(101), /X1\.setpoint must be within 10\.\.100 bar, got 101/);
});

test("measurements refuse writes with SIM_READ_ONLY; unknown names fail with SIM_UNKNOWN_SIGNAL", () => {
  const { t } = table();
  assert.equal(t.get("temperature").writable, false);
  assert.equal(t.get("setpoint").writable, true);
  assert.equal(
    codeOf(() => t.get("temperature").write(1)),
    "SIM_READ_ONLY",
  );
  assert.equal(
    codeOf(() => t.get("temperatures").write([1, 2, 3])),
    "SIM_READ_ONLY",
  );
  assert.throws(() => t.get("temperature").write(1), /X1\.temperature is a measurement and cannot be written/);
  assert.equal(
    codeOf(() => t.get("nope")),
    "SIM_UNKNOWN_SIGNAL",
  );
  assert.deepEqual(
    t.list.map((s) => s.name),
    ["temperature", "setpoint", "count", "flag", "program", "temperatures"],
  );
  assert.equal(t.get("temperatures").arrayLength, 3);
});
