// Tests the device health state machine: each transition, the degraded thresholds, and what counts as a failure.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DEFAULT_HEALTH_POLICY,
  HealthMachine,
  type HealthPolicy,
  healthPolicyProblem,
  isFailureCode,
  type Outcome,
  outcomeOf,
} from "../../src/plc/health.ts";

const POLICY: HealthPolicy = { windowSize: 10, minSamples: 4, degradedAbove: 0.25, recoveredAtOrBelow: 0.1 };
const OK: Outcome = { ok: true };
const FAIL: Outcome = { ok: false, reason: "TIMEOUT on 'a': slow" };

function connectedMachine(): HealthMachine {
  const machine = new HealthMachine(POLICY, 0);
  machine.connected(1, "connected");
  return machine;
}

describe("the health state machine", () => {
  it("starts connecting and reports each change once, with reason and time", () => {
    const machine = new HealthMachine(POLICY, 5);
    assert.equal(machine.state, "connecting");
    assert.equal(machine.since, 5);
    assert.equal(machine.reason, "first connection attempt");
    assert.equal(machine.connecting(6, "again"), undefined, "no event without a change");
    assert.deepEqual(machine.connected(7, "connected"), {
      from: "connecting",
      to: "connected",
      reason: "connected",
      at: 7,
    });
    assert.equal(machine.isOpen, true);
    assert.deepEqual(machine.disconnected(9, "connection lost: reset"), {
      from: "connected",
      to: "disconnected",
      reason: "connection lost: reset",
      at: 9,
    });
    assert.equal(machine.since, 9);
    assert.equal(machine.isOpen, false);
  });

  it("remembers when the device went away across failed attempts, and forgets it once connected", () => {
    const machine = connectedMachine();
    assert.equal(machine.downSince, undefined);
    machine.disconnected(10, "lost");
    machine.connecting(20, "reconnect attempt 1");
    machine.disconnected(21, "refused");
    machine.connecting(40, "reconnect attempt 2");
    assert.equal(machine.downSince, 10);
    machine.connected(41, "reconnected");
    assert.equal(machine.downSince, undefined);
  });

  it("counts a failed first attempt as the start of the outage", () => {
    const machine = new HealthMachine(POLICY, 0);
    machine.disconnected(3, "refused");
    assert.equal(machine.downSince, 3);
  });

  it("refuses transitions outside the table, and nothing leaves closed", () => {
    const machine = connectedMachine();
    assert.throws(() => machine.connecting(2, "x"), { message: "health: no transition from connected to connecting" });
    machine.closed(3, "released");
    assert.throws(() => machine.connected(4, "x"), /no transition from closed to connected/);
    assert.throws(() => machine.disconnected(4, "x"), /no transition from closed to disconnected/);
    const fresh = new HealthMachine(POLICY, 0);
    fresh.closed(1, "released before the first attempt ended");
    assert.throws(() => fresh.connecting(2, "x"), /no transition from closed to connecting/);
  });
});

describe("degraded", () => {
  it("needs minSamples before judging", () => {
    const machine = connectedMachine();
    assert.equal(machine.record(FAIL, 2), undefined);
    assert.equal(machine.record(FAIL, 3), undefined);
    assert.equal(machine.record(FAIL, 4), undefined);
    assert.deepEqual(machine.record(OK, 5), {
      from: "connected",
      to: "degraded",
      reason: "3 of the last 4 requests failed",
      at: 5,
    });
  });

  it("is entered above the threshold, naming the last failure", () => {
    const machine = connectedMachine();
    for (let i = 0; i < 7; i++) assert.equal(machine.record(OK, 2), undefined);
    assert.equal(machine.record(FAIL, 3), undefined);
    assert.equal(machine.record(FAIL, 4), undefined, "2 of 9 is not above 0.25");
    const change = machine.record(FAIL, 5);
    assert.equal(change?.to, "degraded");
    assert.equal(change?.reason, "3 of the last 10 requests failed (last: TIMEOUT on 'a': slow)");
    assert.deepEqual(machine.window, { failures: 3, samples: 10 });
  });

  it("is left only at or below the lower threshold, so a device near the line does not flap", () => {
    const machine = connectedMachine();
    for (let i = 0; i < 4; i++) machine.record(FAIL, 2);
    assert.equal(machine.state, "degraded");
    // The window slides: failures drop out as successes come in.
    const states: string[] = [];
    for (let i = 0; i < 10; i++) {
      machine.record(OK, 3 + i);
      states.push(machine.state);
    }
    // The window fills to 10 after 6 successes (4 of 10 failed), then each success pushes a failure out: 3, 2, 1.
    assert.deepEqual(states, [
      "degraded",
      "degraded",
      "degraded",
      "degraded",
      "degraded",
      "degraded",
      "degraded",
      "degraded",
      "connected",
      "connected",
    ]);
    assert.equal(machine.reason, "1 of the last 10 requests failed");
  });

  it("ignores outcomes while no connection is open, and starts a fresh window on reconnect", () => {
    const machine = connectedMachine();
    for (let i = 0; i < 3; i++) machine.record(FAIL, 2);
    machine.disconnected(3, "lost");
    assert.equal(machine.record(FAIL, 4), undefined);
    machine.connecting(5, "attempt");
    machine.connected(6, "reconnected");
    assert.deepEqual(machine.window, { failures: 0, samples: 0 });
    assert.equal(machine.record(FAIL, 7), undefined);
  });

  it("can be lost directly", () => {
    const machine = connectedMachine();
    for (let i = 0; i < 4; i++) machine.record(FAIL, 2);
    assert.equal(machine.disconnected(3, "lost")?.from, "degraded");
  });
});

describe("outcomes", () => {
  it("count time-outs and busy devices as failures, but not a bad address or type", () => {
    assert.deepEqual(
      [
        "TIMEOUT",
        "REMOTE_BUSY",
        "REMOTE_ERROR",
        "INVALID_ADDRESS",
        "INVALID_DATATYPE",
        "INVALID_DATA",
        "NOT_FOUND",
        "ACCESS_DENIED",
        "UNSUPPORTED",
        "OK",
      ].map((code) => isFailureCode(code as Parameters<typeof isFailureCode>[0])),
      [true, true, false, false, false, false, false, false, false, false],
    );
  });

  it("judge a response by its worst tag", () => {
    assert.deepEqual(outcomeOf({ a: { code: "OK" }, b: { code: "INVALID_ADDRESS", message: "bad" } }), { ok: true });
    assert.deepEqual(outcomeOf({ a: { code: "OK" }, b: { code: "TIMEOUT", message: "no answer" } }), {
      ok: false,
      reason: "TIMEOUT on 'b': no answer",
    });
    assert.deepEqual(outcomeOf({}), { ok: true });
  });
});

describe("health policies", () => {
  it("accept the default and name what is wrong in a bad one", () => {
    assert.equal(healthPolicyProblem(DEFAULT_HEALTH_POLICY), undefined);
    assert.equal(healthPolicyProblem({ ...POLICY, windowSize: 0 }), "windowSize must be an integer >= 1, got 0");
    assert.equal(
      healthPolicyProblem({ ...POLICY, minSamples: 11 }),
      "minSamples must be an integer in 1..windowSize, got 11",
    );
    assert.equal(healthPolicyProblem({ ...POLICY, degradedAbove: 1 }), "degradedAbove must be in [0, 1), got 1");
    assert.equal(
      healthPolicyProblem({ ...POLICY, recoveredAtOrBelow: 0.5 }),
      "recoveredAtOrBelow must be in [0, degradedAbove], got 0.5",
    );
  });
});
