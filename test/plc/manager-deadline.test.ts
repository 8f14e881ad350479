// Tests that no call through the manager hangs, and that time-outs and busy answers degrade a device's health.
import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import { ConnectionFailedError } from "../../src/plc/errors.ts";
import type { HealthEvent } from "../../src/plc/health.ts";
import { setUp, TEST_DEADLINE_MS } from "./manager-fixture.ts";
import { settle, watch } from "./manager-time.ts";

describe("the call deadline", () => {
  it("answers TIMEOUT per tag when the driver never answers a read, and counts it against health", async () => {
    const { device, manager, time } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    device.read = { kind: "hang" };
    const reading = watch(handle.read({ a: "R1", bad: "?" }));
    await time.advance(TEST_DEADLINE_MS - 1);
    assert.equal(reading.outcome.state, "pending", "not before the deadline");
    await time.advance(1);
    const read = reading.value();
    assert.deepEqual(read.a, {
      code: "TIMEOUT",
      quality: "BAD",
      sampledAt: time.now,
      message: "no answer from fake://plc-1 to read within 1000 ms",
    });
    assert.equal(read.bad?.code, "INVALID_ADDRESS");
    assert.deepEqual([handle.health.failures, handle.health.samples], [1, 1]);
    assert.equal(time.pending, 0);
  });

  it("says a timed-out write may or may not have taken effect", async () => {
    const { device, manager, time } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    device.writeHangs = true;
    const writing = watch(handle.write({ a: { address: "R1", value: 1 }, bad: { address: "?", value: 1 } }));
    await time.advance(TEST_DEADLINE_MS);
    assert.deepEqual(writing.value(), {
      a: {
        code: "TIMEOUT",
        message: "no answer from fake://plc-1 to write within 1000 ms; the write may or may not have taken effect",
      },
      bad: { code: "INVALID_ADDRESS", message: "?: '?' at column 1; expected R and a number" },
    });
  });

  it("rejects a ping the device never answers with ConnectionFailedError", async () => {
    const { device, manager, time } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    device.read = { kind: "hang" };
    const pinging = watch(handle.ping());
    await time.advance(TEST_DEADLINE_MS);
    assert.throws(
      () => pinging.value(),
      (error: unknown) => {
        assert.ok(error instanceof ConnectionFailedError);
        assert.equal(
          error.message,
          "cannot connect to fake://plc-1: no answer from fake://plc-1 to ping within 1000 ms",
        );
        return true;
      },
    );
  });

  it("takes the deadline from the URL's request-timeout unless the manager sets one", async () => {
    const { device, manager, time } = setUp({ callDeadlineMs: undefined });
    const handle = await manager.acquire("fake://plc-1?request-timeout=200");
    device.read = { kind: "hang" };
    const reading = watch(handle.read({ a: "R1" }));
    await time.advance(1399);
    assert.equal(time.pending, 1);
    await time.advance(1);
    const read = reading.value();
    assert.equal(
      read.a?.code === "OK" ? "" : read.a?.message,
      "no answer from fake://plc-1?request-timeout=200 to read within 1400 ms",
    );
    assert.equal(time.pending, 0);
  });

  it("ends calls still waiting when the last user releases, leaving no timer", async () => {
    const { device, manager, time } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    device.read = { kind: "hang" };
    const reading = watch(handle.read({ a: "R1" }));
    await time.advance(10);
    assert.equal(time.pending, 1);
    await handle.release();
    await settle();
    const read = reading.value();
    assert.deepEqual(read.a?.code === "OK" ? undefined : [read.a?.code, read.a?.message], [
      "REMOTE_ERROR",
      "fake://plc-1 was closed before the device answered",
    ]);
    assert.equal(time.pending, 0);
  });
});

describe("degraded health", () => {
  it("follows the share of failed reads, with an event on each change that handles can subscribe to", async () => {
    const { device, manager, time } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    const seen: HealthEvent[] = [];
    const stop = handle.onHealth((event) => seen.push(event));
    device.read = { kind: "code", code: "TIMEOUT" };
    for (let i = 0; i < 3; i++) await handle.read({ a: "R1" });
    assert.equal(handle.health.state, "connected", "3 samples are too few to judge");
    time.now += 1;
    await handle.read({ a: "R1" });
    assert.deepEqual(seen, [
      {
        device: "fake://plc-1",
        from: "connected",
        to: "degraded",
        reason: "4 of the last 4 requests failed (last: TIMEOUT on 'a': device says TIMEOUT)",
        at: time.now,
      },
    ]);

    device.read = { kind: "values" };
    for (let i = 0; i < 9; i++) await handle.read({ a: "R1" });
    assert.deepEqual(
      seen.map((event) => `${event.from}>${event.to}: ${event.reason}`),
      [
        "connected>degraded: 4 of the last 4 requests failed (last: TIMEOUT on 'a': device says TIMEOUT)",
        "degraded>connected: 1 of the last 10 requests failed",
      ],
    );
    stop();
    device.read = { kind: "code", code: "REMOTE_BUSY" };
    for (let i = 0; i < 5; i++) await handle.read({ a: "R1" });
    assert.equal(handle.health.state, "degraded");
    assert.equal(seen.length, 2, "no events after stop()");
  });

  it("does not count tags that are wrong rather than unanswered", async () => {
    const { device, manager } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    device.read = { kind: "code", code: "INVALID_DATATYPE" };
    for (let i = 0; i < 10; i++) await handle.read({ a: "R1", bad: "?" });
    assert.equal(handle.health.state, "connected");
    assert.deepEqual([handle.health.failures, handle.health.samples], [0, 10]);
  });

  it("is left for disconnected when the connection drops", async () => {
    const { device, manager, transitions } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    device.read = { kind: "code", code: "TIMEOUT" };
    for (let i = 0; i < 4; i++) await handle.read({ a: "R1" });
    device.goAway();
    assert.deepEqual(transitions(), ["connecting>connected", "connected>degraded", "degraded>disconnected"]);
  });

  it("keeps a listener's exception from stopping other listeners", async () => {
    const { device, manager, events } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    handle.onHealth(() => {
      throw new Error("listener bug");
    });
    events.length = 0;
    // The listener's error is rethrown in a microtask, outside the manager; catch the microtask instead of the crash.
    const deferred: Array<() => void> = [];
    const queue = mock.method(globalThis, "queueMicrotask", (callback: () => void) => {
      deferred.push(callback);
    });
    try {
      device.goAway();
    } finally {
      queue.mock.restore();
    }
    assert.deepEqual(
      events.map((event) => event.to),
      ["disconnected"],
      "the manager's own listener still heard it",
    );
    assert.equal(deferred.length, 1);
    assert.throws(() => deferred[0]?.(), { message: "listener bug" });
  });
});
