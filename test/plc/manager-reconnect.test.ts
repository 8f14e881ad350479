// Tests losing a device and getting it back: events on each path, backoff delays, fail-fast calls, no leaked timers.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Backoff } from "../../src/plc/backoff.ts";
import { ConnectionFailedError } from "../../src/plc/errors.ts";
import type { ManagedConnection } from "../../src/plc/manager.ts";
import { SeededRandom } from "../../src/plc/simulated/random.ts";
import { setUp, TEST_BACKOFF, TEST_SEED } from "./manager-fixture.ts";
import { type ManualTime, settle } from "./manager-time.ts";

/** The delays the manager must use: the same policy and seed, drawn in the same order. */
function expectedDelays(count: number): number[] {
  const random = new SeededRandom(TEST_SEED);
  const backoff = new Backoff(TEST_BACKOFF, () => random.float());
  return Array.from({ length: count }, () => backoff.next());
}

const T0 = Date.UTC(2024, 0, 1);

/** The message of a failed tag result, empty for a good one. */
function messageOf(result: { readonly code: string; readonly message?: string } | undefined): string {
  return result?.message ?? "";
}

/** How long the device waits before its next connect attempt, as its health snapshot tells. */
function waitingFor(handle: ManagedConnection, time: ManualTime): number {
  const next = handle.health.nextAttemptAt;
  assert.ok(next !== undefined, "a reconnect is scheduled");
  return next - time.now;
}

describe("a device that is off when first acquired", () => {
  it("gives a handle anyway, fails reads fast, retries on backoff and connects when the device comes back", async () => {
    const { device, manager, time, transitions } = setUp();
    device.connect = "refuse";
    const handle = await manager.acquire("fake://plc-1");
    assert.deepEqual(transitions(), ["connecting>disconnected"]);
    assert.equal(handle.metadata?.protocol, undefined, "no connection has told what it can do yet");

    const [first] = expectedDelays(1);
    const read = await handle.read({ speed: "R1", bad: "X" });
    assert.deepEqual(read, {
      speed: {
        code: "REMOTE_ERROR",
        quality: "BAD",
        sampledAt: T0,
        message:
          "fake://plc-1 is disconnected since 2024-01-01T00:00:00.000Z (cannot connect to fake://plc-1: connection " +
          `refused); next attempt at ${new Date(T0 + (first ?? 0)).toISOString()}`,
      },
      bad: {
        code: "INVALID_ADDRESS",
        quality: "BAD",
        sampledAt: T0,
        message: "X: 'X' at column 1; expected R and a number",
      },
    });
    assert.equal(device.reads, 0, "nothing reached the driver");

    const delays = [waitingFor(handle, time)];
    for (let attempt = 1; attempt <= 5; attempt++) {
      await time.runNext();
      assert.equal(device.connectAttempts, attempt + 1);
      assert.deepEqual(transitions(), ["disconnected>connecting", "connecting>disconnected"]);
      delays.push(waitingFor(handle, time));
    }
    assert.deepEqual(delays, expectedDelays(6));
    assert.equal(handle.health.attempt, 6);
    assert.equal(handle.health.downSince, T0, "since the first failure, not the latest attempt");

    device.comeBack();
    await time.runNext();
    assert.deepEqual(transitions(), ["disconnected>connecting", "connecting>connected"]);
    assert.equal(handle.health.reason, "connected after 6 failures");
    assert.equal(handle.health.downSince, undefined);
    assert.deepEqual((await handle.read({ speed: "R1" })).speed?.code, "OK");
    assert.equal(handle.metadata?.protocol, "fake");
    assert.equal(time.pending, 0, "nothing left to retry");
  });

  it("reports the attempt in progress while reconnecting", async () => {
    const { device, manager, time } = setUp();
    device.connect = "refuse";
    const handle = await manager.acquire("fake://plc-1");
    device.connect = "hang";
    await time.runNext();
    assert.equal(handle.health.state, "connecting");
    const read = await handle.read({ a: "R1" });
    assert.match(messageOf(read.a), /is disconnected since .*; reconnecting now$/);
  });
});

describe("losing an open connection", () => {
  it("goes disconnected at once when the driver signals the loss, and reconnects on backoff", async () => {
    const { device, manager, time, transitions } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    transitions();
    time.now += 5000;
    device.goAway("cable unplugged");
    assert.deepEqual(transitions(), ["connected>disconnected"]);
    assert.equal(handle.health.reason, "connection lost: cannot connect to fake://plc-1: cable unplugged");
    assert.equal(handle.health.downSince, T0 + 5000);
    assert.equal(device.links[0]?.closed, true, "the dead connection is closed");

    const write = await handle.write({ a: { address: "R1", value: 1 } });
    assert.equal(write.a?.code, "REMOTE_ERROR");
    assert.match(messageOf(write.a), /^not written: fake:\/\/plc-1 is disconnected since/);
    assert.equal(device.writes, 0);
    await assert.rejects(handle.browse(), ConnectionFailedError);
    await assert.rejects(handle.ping(), /is disconnected since 2024-01-01T00:00:05.000Z/);

    await time.runNext();
    assert.deepEqual(transitions(), ["disconnected>connecting", "connecting>disconnected"]);
    device.comeBack();
    await time.runNext();
    assert.deepEqual(transitions(), ["disconnected>connecting", "connecting>connected"]);
    assert.equal(handle.health.reason, "reconnected after 2 failures");
    assert.equal((await handle.read({ a: "R1" })).a?.code, "OK");
    assert.equal(device.openLinks.length, 1);
  });

  it("notices a loss the driver does not signal from the call that fails, and answers that call per tag", async () => {
    const { device, manager, transitions } = setUp();
    device.signalsLoss = false;
    const handle = await manager.acquire("fake://plc-1");
    transitions();
    device.goAway();
    assert.deepEqual(transitions(), [], "the manager cannot know yet");
    const read = await handle.read({ a: "R1" });
    assert.equal(read.a?.code, "REMOTE_ERROR");
    assert.equal(read.a?.quality, "BAD");
    assert.match(messageOf(read.a), /disconnected since .*connection lost during read/);
    assert.deepEqual(transitions(), ["connected>disconnected"]);
  });

  it("passes on errors that are the caller's, without counting the device as lost", async () => {
    const { device, manager, transitions } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    transitions();
    device.read = { kind: "reject", error: new TypeError("driver bug") };
    await assert.rejects(handle.read({ a: "R1" }), TypeError);
    await assert.rejects(
      handle.subscribe({ a: "R1" }, () => {}, { mode: "change-of-state", intervalMs: 5 }),
      { code: "UNSUPPORTED_OPERATION" },
    );
    assert.deepEqual(transitions(), []);
    assert.equal(handle.health.failures, 1, "a driver bug counts against health; a refused mode does not");
  });

  it("keeps growing the backoff for a connection that drops right after opening, and resets it once stable", async () => {
    const { device, manager, time } = setUp({ stableAfterMs: 10_000 });
    const handle = await manager.acquire("fake://plc-1");
    const flap = async () => {
      device.goAway();
      device.comeBack();
      await time.runNext();
    };
    await flap();
    await flap();
    await flap();
    assert.equal(handle.health.attempt, 3, "each short-lived connection counted as a failure");
    assert.equal(handle.health.state, "connected");
    time.now += 10_000;
    await flap();
    assert.equal(handle.health.attempt, 1, "a stable connection started the count again");
  });

  it("caps the delays during a long outage", async () => {
    const { device, manager, time } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    device.goAway();
    const delays = [waitingFor(handle, time)];
    for (let i = 0; i < 12; i++) {
      await time.runNext();
      delays.push(waitingFor(handle, time));
    }
    assert.deepEqual(delays, expectedDelays(13));
    assert.ok(delays.slice(4).every((delay) => delay <= TEST_BACKOFF.capMs));
    assert.ok(Math.max(...delays.slice(4)) > TEST_BACKOFF.capMs / 2, "jitter still spreads up to the cap");
  });
});

describe("closing while the device is down", () => {
  it("leaves no timer when the last user releases during the backoff", async () => {
    const { device, manager, time, transitions } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    device.goAway();
    await settle();
    assert.equal(time.pending, 1, "the reconnect is scheduled");
    await handle.release();
    assert.equal(time.pending, 0);
    assert.deepEqual(transitions(), ["connecting>connected", "connected>disconnected", "disconnected>closed"]);
    await time.advance(60_000);
    assert.equal(device.connectAttempts, 1, "no attempt after close");
  });

  it("leaves no timer when the manager closes during a connect that never answers", async () => {
    const { device, manager, time } = setUp();
    device.connect = "refuse";
    await manager.acquire("fake://plc-1");
    device.connect = "hang";
    await time.runNext();
    assert.equal(time.pending, 1, "the connect attempt's deadline");
    await manager.close();
    assert.equal(time.pending, 0);
  });

  it("closes a connection that opens after its attempt timed out", async () => {
    const { device, manager, time, transitions } = setUp();
    const gate = Promise.withResolvers<void>();
    const connect = device.driver.connect.bind(device.driver);
    device.driver.connect = async (url, context) => {
      await gate.promise;
      return connect(url, context);
    };
    const acquiring = manager.acquire("fake://plc-1");
    await time.advance(1000);
    const handle = await acquiring;
    assert.equal(handle.health.state, "disconnected");
    assert.match(handle.health.reason, /no connection within 1000 ms/);
    gate.resolve();
    await time.advance(0);
    assert.equal(device.links[0]?.closed, true, "the late connection was closed, not leaked");
    assert.deepEqual(transitions(), ["connecting>disconnected"]);
  });
});
