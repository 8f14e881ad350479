// The whole plant: deterministic from its seed, one sequence step per tick, the API a protocol face builds on.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DATA_TYPES } from "../../../src/plc/values.ts";
import type { AlarmEvent } from "../../../src/sim/model/alarms.ts";
import { BEARING_REPAIR, CONVEYOR_POLICY, JAM_DURATION } from "../../../src/sim/model/conveyor.ts";
import { PACKER_POLICY, REEL_CHANGE } from "../../../src/sim/model/packer.ts";
import { PALLETIZER_POLICY } from "../../../src/sim/model/palletizer.ts";
import { Plant } from "../../../src/sim/model/plant.ts";
import { PRESS_POLICY } from "../../../src/sim/model/press.ts";
import { ROBOT_POLICY } from "../../../src/sim/model/robot.ts";
import type { DurationRange, StatePolicy, StopReason } from "../../../src/sim/model/state.ts";
import { MINUTE_TICKS } from "./test-rig.ts";

const MONDAY_0630 = Date.UTC(2024, 0, 8, 6, 30);

/** Every signal of every machine, as a face would read them. */
function snapshot(plant: Plant): Record<string, unknown> {
  const values: Record<string, unknown> = { now: new Date(plant.now).toISOString() };
  for (const machine of plant.machines) {
    for (const signal of machine.signals) values[`${machine.id}.${signal.name}`] = signal.read();
  }
  return values;
}

function record(seed: number): { snapshots: Record<string, unknown>[]; events: AlarmEvent[] } {
  const plant = new Plant({ seed, startTime: MONDAY_0630, faults: ["conveyor.jam"] });
  const events: AlarmEvent[] = [];
  plant.onAlarm((e) => events.push(e));
  const snapshots = [];
  for (let minute = 0; minute < 15; minute++) {
    plant.step(MINUTE_TICKS);
    snapshots.push(snapshot(plant));
  }
  return { snapshots, events };
}

test("two plants with one seed agree exactly on every signal and event; another seed differs", () => {
  const a = record(42);
  const b = record(42);
  assert.deepEqual(a, b);
  assert.ok(a.events.length > 0, "the jams happened");
  const c = record(43);
  assert.notDeepEqual(c.snapshots, a.snapshots);
  assert.notDeepEqual(
    c.events.map((e) => e.time),
    a.events.map((e) => e.time),
  );
});

test("seed 42 gives the recorded values on every computer (update with --test-update-snapshots)", (t) => {
  const plant = new Plant({ seed: 42, startTime: MONDAY_0630 });
  plant.step(10 * MINUTE_TICKS);
  t.assert.snapshot(snapshot(plant));
});

test("every machine's sequence number increases by exactly one per tick", () => {
  const plant = new Plant({ seed: 1, startTime: MONDAY_0630 });
  const sequence = () => plant.machines.map((m) => m.read("sequence") as number);
  let previous = sequence();
  assert.deepEqual(previous, [0, 0, 0, 0, 0, 0, 0]);
  for (let i = 0; i < 2000; i++) {
    plant.step();
    const next = sequence();
    next.forEach((n, m) => {
      assert.equal(n, previous[m]! + 1);
    });
    previous = next;
  }
  assert.equal(plant.ticks, 2000);
  assert.equal(plant.now, MONDAY_0630 + 2000 * 100);
  const coarse = new Plant({ seed: 1, startTime: MONDAY_0630, tickMs: 1000 });
  coarse.step(60);
  assert.equal(coarse.now, MONDAY_0630 + 60_000);
  assert.equal(coarse.read("R1", "sequence"), 60);
});

interface Span {
  readonly state: string;
  readonly reason: StopReason;
  readonly from: number;
  to: number;
}

/** How long each kind of timed stop may last on each machine of the line. */
function bounds(policy: StatePolicy, extra: Partial<Record<StopReason, DurationRange>>) {
  return {
    CHANGEOVER: policy.changeover,
    BREAKDOWN: policy.breakdown?.duration,
    MINOR_STOP: policy.minorStop?.duration,
    ...extra,
  } as Partial<Record<StopReason, DurationRange>>;
}

test("over a working Friday into the weekend, states follow the shift calendar and stops last as long as they may", () => {
  const start = Date.UTC(2024, 0, 12, 5, 0);
  const end = Date.UTC(2024, 0, 13, 9, 0);
  const plant = new Plant({ seed: 8, startTime: start });
  const line = [plant.press, plant.conveyor, plant.robot, plant.packer, plant.palletizer];
  const limits = [
    bounds(PRESS_POLICY, {}),
    bounds(CONVEYOR_POLICY, { JAM: JAM_DURATION, BEARING_TRIP: BEARING_REPAIR }),
    bounds(ROBOT_POLICY, {}),
    bounds(PACKER_POLICY, { MATERIAL: REEL_CHANGE }),
    bounds(PALLETIZER_POLICY, {}),
  ];
  const spans: Span[][] = line.map((m) => [{ state: m.state, reason: m.operating.reason, from: start, to: start }]);
  let strokes = plant.press.strokes;
  const startStrokes = strokes;
  while (plant.now < end) {
    plant.step();
    line.forEach((machine, i) => {
      const list = spans[i]!;
      const last = list[list.length - 1]!;
      if (machine.state !== last.state || machine.operating.reason !== last.reason) {
        last.to = plant.now;
        list.push({ state: machine.state, reason: machine.operating.reason, from: plant.now, to: plant.now });
      }
    });
    assert.equal(plant.energyMeter.state, "RUNNING");
    assert.equal(plant.environment.state, "RUNNING");
  }
  for (const list of spans) list[list.length - 1]!.to = end;
  strokes = plant.press.strokes - startStrokes;
  const shiftStarts = [6, 14, 22].map((h) => Date.UTC(2024, 0, 12, h));
  const breaks = [10, 18, 26].map((h) => Date.UTC(2024, 0, 12, h));
  const weekend = Date.UTC(2024, 0, 13, 6);

  line.forEach((machine, i) => {
    const list = spans[i]!;
    const finished = list.filter((s) => s.to < end);
    for (const span of finished) {
      const limit = limits[i]![span.reason];
      if (limit !== undefined && span.state !== "RUNNING") {
        const took = span.to - span.from;
        assert.ok(
          took >= limit.minMs && took <= limit.maxMs + 100,
          `${machine.id} ${span.reason} took ${took / 1000} s`,
        );
      }
      if (span.reason === "PLANNED") {
        const period = plant.calendar.periodAt(span.from);
        assert.notEqual(period.kind, "SHIFT", `${machine.id} planned stop at ${new Date(span.from).toISOString()}`);
        assert.ok(span.to <= period.until, `${machine.id} idles past the end of a break`);
      }
    }
    // Each shift opens with a changeover, at once unless a stop that began earlier is still under way.
    for (const shiftStart of shiftStarts) {
      const setup = list.find((s) => s.reason === "CHANGEOVER" && s.from >= shiftStart);
      assert.ok(setup, `${machine.id} changes over for the shift at ${new Date(shiftStart).toISOString()}`);
      const before = list.filter((s) => s.from < shiftStart).at(-1)!;
      assert.ok(setup.from === shiftStart || before.to === setup.from, `${machine.id} changeover starts late`);
    }
    // Breaks and the weekend are planned: idle from their start, or from the end of a stop already under way.
    for (const pause of [...breaks, weekend]) {
      const during = list.filter((s) => s.to > pause && s.from < pause + 30 * 60_000);
      const coveredByStop = during.length === 1 && during[0]!.state !== "RUNNING";
      assert.ok(coveredByStop || during.some((s) => s.reason === "PLANNED"), `${machine.id} never pauses`);
      assert.ok(
        during.every((s) => s.state !== "RUNNING" || s.from < pause),
        `${machine.id} runs during the pause at ${new Date(pause).toISOString()}`,
      );
    }
    assert.equal(list.at(-1)?.reason, "PLANNED", `${machine.id} is off for the weekend`);
  });

  // OEE of the press from its own counters: plausible, and computable downstream from the published signals.
  const pressSpans = spans[0]!;
  const running = pressSpans.filter((s) => s.state === "RUNNING").reduce((t, s) => t + s.to - s.from, 0) / 1000;
  const plannedTime = (weekend - start) / 1000 - 3 * 30 * 60;
  const availability = running / plannedTime;
  const performance = (strokes * 3) / running;
  const quality = plant.press.goodCount / (plant.press.goodCount + plant.press.rejectCount);
  assert.ok(availability > 0.6 && availability < 0.99, `availability ${availability}`);
  assert.ok(performance > 0.9 && performance <= 1.001, `performance ${performance}`);
  assert.ok(quality > 0.95 && quality < 1, `quality ${quality}`);
});

test("setpoints take writes within range through the plant; measurements and bad values are refused", () => {
  const plant = new Plant({ seed: 1, startTime: MONDAY_0630 });
  plant.write("P1", "pressureSetpoint", 150);
  plant.write("C1", "beltSpeedSetpoint", 30);
  plant.write("R1", "programName", "PICK_PLACE_C");
  plant.write("K1", "sealingSetpoint", 170);
  plant.write("L1", "packsPerLayer", 10);
  plant.step(MINUTE_TICKS);
  assert.equal(plant.read("P1", "pressureSetpoint"), 150);
  assert.equal(plant.read("C1", "beltSpeed"), 30);
  assert.equal(plant.read("R1", "programName"), "PICK_PLACE_C");
  assert.equal(plant.read("L1", "packsPerLayer"), 10);
  assert.throws(() => plant.write("P1", "pressureSetpoint", 10), {
    code: "SIM_OUT_OF_RANGE",
    message: "P1.pressureSetpoint must be within 50..220 bar, got 10",
  });
  assert.throws(() => plant.write("C1", "vibration", 0), {
    code: "SIM_READ_ONLY",
    message: "C1.vibration is a measurement and cannot be written",
  });
  assert.throws(() => plant.write("K1", "sealingSetpoint", "hot"), { code: "SIM_TYPE_MISMATCH" });
  assert.throws(() => plant.read("X9", "state"), { code: "SIM_UNKNOWN_MACHINE" });
  assert.throws(() => plant.read("P1", "colour"), { code: "SIM_UNKNOWN_SIGNAL", message: 'P1 has no signal "colour"' });
});

test("describe lists every machine of the demo plant with typed, documented signals, alarms and faults", () => {
  const plant = new Plant({ seed: 1, startTime: MONDAY_0630 });
  const info = plant.describe();
  assert.deepEqual(JSON.parse(JSON.stringify(info)), info, "plain data");
  assert.deepEqual(
    info.machines.map((m) => m.id),
    ["P1", "C1", "E1", "R1", "K1", "L1", "ENV1"],
  );
  const type = (machine: string, signal: string) => {
    const s = info.machines.find((m) => m.id === machine)?.signals.find((x) => x.name === signal);
    assert.ok(s, `${machine}.${signal}`);
    return `${s.dataType}${s.arrayLength ? `[${s.arrayLength}]` : ""}${s.writable ? " w" : ""} ${s.unit}`.trim();
  };
  for (const machine of info.machines) {
    assert.equal(type(machine.id, "sequence"), "UDINT");
    assert.equal(type(machine.id, "state"), "INT");
    for (const s of machine.signals) {
      assert.ok(DATA_TYPES.includes(s.dataType) && s.description.length > 5, `${machine.id}.${s.name}`);
      if (s.writable) assert.ok(s.range !== undefined || s.choices !== undefined, `${machine.id}.${s.name} has limits`);
    }
  }
  const expected: [string, string, string][] = [
    ["P1", "strokes", "UDINT"],
    ["P1", "pressure", "REAL bar"],
    ["P1", "oilTemperature", "REAL °C"],
    ["P1", "motorCurrent", "REAL A"],
    ["P1", "ramPosition", "REAL mm"],
    ["P1", "pressureSetpoint", "REAL w bar"],
    ["C1", "beltSpeed", "REAL m/min"],
    ["C1", "beltSpeedSetpoint", "REAL w m/min"],
    ["C1", "vibration", "REAL mm/s"],
    ["C1", "jam", "BOOL"],
    ["E1", "voltageL3", "REAL V"],
    ["E1", "currentL1", "REAL A"],
    ["E1", "activePower", "REAL kW"],
    ["E1", "energy", "REAL kWh"],
    ["E1", "powerFactor", "REAL"],
    ["R1", "cycleTime", "REAL s"],
    ["R1", "programName", "STRING w"],
    ["R1", "jointTemperatures", "REAL[6] °C"],
    ["R1", "gripperClosed", "BOOL"],
    ["K1", "packsMade", "UDINT"],
    ["K1", "rejectCount", "UDINT"],
    ["K1", "filmTension", "REAL N"],
    ["K1", "sealingTemperature", "REAL °C"],
    ["L1", "layerCount", "DINT"],
    ["L1", "palletsComplete", "DINT"],
    ["ENV1", "hallTemperature", "REAL °C"],
    ["ENV1", "humidity", "REAL %"],
    ["ENV1", "airPressure", "REAL bar"],
  ];
  for (const [machine, signal, described] of expected) assert.equal(type(machine, signal), described);
  assert.deepEqual(info.machines[0]?.signals.find((s) => s.name === "state")?.enumeration, [
    "IDLE",
    "RUNNING",
    "SETUP",
    "FAULT",
  ]);
  assert.deepEqual(
    info.faults.map((f) => f.name),
    [
      "press.cooler",
      "press.leak",
      "conveyor.bearing",
      "conveyor.jam",
      "robot.joint",
      "packer.heater",
      "environment.air-leak",
    ],
  );
  const alarms = info.machines.flatMap((m) => m.alarms.map((a) => a.id));
  for (const id of ["P1.OIL_TEMPERATURE_HIGH", "C1.BEARING_TRIP", "C1.JAM", "R1.JOINT3_TEMPERATURE_HIGH"]) {
    assert.ok(alarms.includes(id), id);
  }
});

test("fault switches turn on from the options or later; the bearing fault trips the belt within minutes", () => {
  const plant = new Plant({ seed: 5, startTime: MONDAY_0630, faults: ["conveyor.bearing"] });
  assert.deepEqual(plant.activeFaults(), ["conveyor.bearing"]);
  const heard: AlarmEvent[] = [];
  const unsubscribe = plant.onAlarm((e) => heard.push(e));
  plant.step(15 * MINUTE_TICKS);
  const trip = heard.find((e) => e.alarm.id === "C1.BEARING_TRIP");
  assert.equal(trip?.type, "RAISE");
  assert.ok(plant.activeAlarms().some((e) => e.alarm.id === "C1.BEARING_TRIP"));
  assert.equal(plant.read("C1", "state"), 3);
  plant.setFault("conveyor.bearing", false);
  plant.setFault("robot.joint", true);
  assert.deepEqual(plant.activeFaults(), ["robot.joint"]);
  unsubscribe();
  const count = heard.length;
  plant.step(20 * MINUTE_TICKS);
  assert.equal(heard.length, count, "no events after unsubscribing");
  assert.throws(() => plant.setFault("conveyor.gearbox", true), { code: "SIM_UNKNOWN_FAULT" });
  assert.throws(() => new Plant({ seed: 1, startTime: 0, faults: ["x.y"] }), { code: "SIM_UNKNOWN_FAULT" });
});

test("options the model cannot run with are refused", () => {
  assert.throws(() => new Plant({ seed: 1.5, startTime: 0 }), { code: "SIM_INVALID_OPTION" });
  assert.throws(() => new Plant({ seed: 1, startTime: Number.NaN }), { code: "SIM_INVALID_OPTION" });
  assert.throws(() => new Plant({ seed: 1, startTime: 0, tickMs: 7 }), { code: "SIM_INVALID_OPTION" });
  assert.throws(() => new Plant({ seed: 1, startTime: 0, tickMs: 2000 }), { code: "SIM_INVALID_OPTION" });
});

test("a simulated day costs well under a few seconds of CPU", () => {
  const plant = new Plant({ seed: 3, startTime: MONDAY_0630 });
  const before = process.cpuUsage();
  plant.step(24 * 60 * MINUTE_TICKS);
  const used = process.cpuUsage(before);
  const seconds = (used.user + used.system) / 1e6;
  assert.equal(plant.ticks, 864_000);
  // About 1.5 s on a 2024 laptop core; the bound leaves room for slow CI machines.
  assert.ok(seconds < 10, `${seconds.toFixed(2)} s of CPU for a day`);
});
