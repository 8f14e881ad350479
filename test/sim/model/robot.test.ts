// Robot cell R1: joints heat with work, the cycle slows as the hottest derates, alarms and trips on over-temperature.
import assert from "node:assert/strict";
import { test } from "node:test";
import { derating, Robot } from "../../../src/sim/model/robot.ts";
import { ALWAYS_OFF, ALWAYS_ON, HOUR_TICKS, MINUTE_TICKS, TestRig } from "./test-rig.ts";

function rig(seed = 1) {
  const r = new TestRig({ seed });
  const infeed = { beltMoving: true };
  return { r, infeed, robot: new Robot(r.deps("R1"), infeed) };
}

const joints = (robot: Robot) => robot.read("jointTemperatures") as number[];

/** Cycle times with the hottest joint at their end, as the cell reports them. */
function cycles(r: TestRig, robot: Robot, ticks: number): { hottest: number; cycleTime: number }[] {
  const seen: { hottest: number; cycleTime: number }[] = [];
  let count = robot.goodCount + robot.rejectCount;
  r.run([robot], ticks, () => {
    const now = robot.goodCount + robot.rejectCount;
    if (now !== count) seen.push({ hottest: Math.max(...joints(robot)), cycleTime: robot.read("cycleTime") as number });
    count = now;
  });
  return seen;
}

test("joint temperatures are a REAL[6] that rises with work, hottest on the axes that carry the arm", () => {
  const { r, robot } = rig();
  const start = joints(robot);
  assert.equal(start.length, 6);
  r.run([robot], 2 * HOUR_TICKS);
  const warm = joints(robot);
  warm.forEach((t, j) => {
    assert.ok(t > start[j]!, `axis ${j + 1}`);
  });
  assert.ok(warm[1]! > warm[0]! && warm[1]! > warm[5]!, "axis 2 runs hotter than 1 and 6");
  r.useCalendar(ALWAYS_OFF);
  r.run([robot], 4 * HOUR_TICKS);
  for (const t of joints(robot)) assert.ok(Math.abs(t - 20) < 1, `cooled to ${t} °C`);
});

test("cycle time drifts up as a joint heats: the base cycle when cool, a quarter longer or more when hot", () => {
  const { r, robot } = rig();
  r.useCalendar(ALWAYS_OFF);
  r.run([robot], 3 * HOUR_TICKS);
  // Back to work within the same day's shift, so no changeover: straight to RUNNING with cold joints.
  r.useCalendar(ALWAYS_ON);
  robot.setFault("robot.joint", true);
  const seen = cycles(r, robot, 20 * MINUTE_TICKS);
  const cool = seen.filter((c) => c.hottest < 50);
  const hot = seen.filter((c) => c.hottest > 75);
  assert.ok(cool.length > 10 && hot.length > 10, `${cool.length} cool and ${hot.length} hot cycles`);
  const mean = (xs: { cycleTime: number }[]) => xs.reduce((s, c) => s + c.cycleTime, 0) / xs.length;
  assert.ok(Math.abs(mean(cool) - 5.5) < 0.15, `cool cycles ${mean(cool)} s`);
  assert.ok(mean(hot) > 5.5 * 1.25, `hot cycles ${mean(hot)} s`);
  // Cycle by cycle the drift follows temperature: a hotter joint never gives a much shorter cycle.
  for (const c of hot) assert.ok(c.cycleTime > 5.5 * derating(c.hottest) * 0.93, JSON.stringify(c));
});

test("over-temperature raises the joint's alarm, then trips the robot until every joint has cooled to 65 °C", () => {
  const { r, robot } = rig();
  robot.setFault("robot.joint", true);
  r.run([robot], 40 * MINUTE_TICKS);
  const alarm = r.eventsOf("R1.JOINT3_TEMPERATURE_HIGH");
  const trip = r.eventsOf("R1.OVERTEMPERATURE_TRIP");
  assert.equal(alarm[0]?.type, "RAISE");
  assert.ok(alarm[0]!.value! >= 80);
  assert.ok(alarm[0]!.time - (r.context.now - 40 * 60_000) < 15 * 60_000, "alarm within a quarter of an hour");
  assert.deepEqual(
    trip.slice(0, 2).map((e) => e.type),
    ["RAISE", "CLEAR"],
  );
  assert.ok(trip[0]!.value! >= 90 && trip[1]!.value! <= 65);
  assert.ok(alarm[1]!.type === "CLEAR" && alarm[1]!.time < trip[1]!.time, "alarm clears at 75 °C, before the restart");
  assert.equal(r.eventsOf("R1.JOINT1_TEMPERATURE_HIGH").length, 0, "only the dragging axis overheats");
});

test("the gripper closes and opens once per cycle while running; the robot starves 20 s after the belt stops", () => {
  const { r, robot, infeed } = rig();
  let closings = 0;
  let closed = robot.read("gripperClosed");
  const before = robot.goodCount + robot.rejectCount;
  r.run([robot], 5 * MINUTE_TICKS, () => {
    const now = robot.read("gripperClosed");
    if (now === true && closed === false) closings++;
    closed = now;
  });
  const made = robot.goodCount + robot.rejectCount - before;
  assert.ok(Math.abs(closings - made) <= 1 && made > 40, `${closings} closings, ${made} cycles`);
  infeed.beltMoving = false;
  r.run([robot], 199);
  assert.notEqual(robot.operating.reason, "STARVED");
  r.run([robot], 1);
  assert.deepEqual([robot.state, robot.operating.reason], ["IDLE", "STARVED"]);
});

test("program and override are setpoints: a valid program changes the ideal cycle, half override doubles it", () => {
  const { r, robot } = rig();
  robot.write("programName", "PICK_PLACE_B");
  assert.equal(robot.read("idealCycleTime"), Math.fround(6.8));
  robot.write("speedOverride", 50);
  const seen = cycles(r, robot, 5 * MINUTE_TICKS).slice(2);
  const mean = seen.reduce((s, c) => s + c.cycleTime, 0) / seen.length;
  assert.ok(Math.abs(mean - 13.6) < 0.5, `${mean} s at 50 %`);
  assert.throws(() => robot.write("programName", "DANCE"), { code: "SIM_OUT_OF_RANGE" });
  assert.throws(() => robot.write("speedOverride", 120), { code: "SIM_OUT_OF_RANGE" });
  assert.throws(() => robot.write("jointTemperatures", [1, 2, 3, 4, 5, 6]), { code: "SIM_READ_ONLY" });
  assert.throws(() => robot.write("cycleTime", 3), { code: "SIM_READ_ONLY" });
});
