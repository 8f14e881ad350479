// Tests that subscriptions made through the manager survive reconnects, say BAD while the device is away, and stop.
import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import type { ReadResponse } from "../../src/plc/driver.ts";
import { setUp } from "./manager-fixture.ts";
import { settle } from "./manager-time.ts";

/** Each event as `alias=value` or `alias=CODE` strings, so a test reads like the log it checks. */
function recorder() {
  const events: string[][] = [];
  const messages: string[] = [];
  const handler = (readings: ReadResponse) => {
    events.push(
      Object.entries(readings).map(([alias, reading]) => {
        if (reading.code !== "OK") messages.push(reading.message);
        return reading.code === "OK"
          ? `${alias}=${String(reading.value)}`
          : `${alias}=${reading.code}/${reading.quality}`;
      }),
    );
  };
  return { events, messages, handler, take: () => events.splice(0) };
}

describe("a subscription through the manager", () => {
  it("tells the handler every alias is BAD when the device goes away, and flows again after the reconnect", async () => {
    const { device, manager, time } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    const log = recorder();
    const subscription = await handle.subscribe({ speed: "R1", bad: "X1" }, log.handler, { mode: "event" });
    assert.deepEqual(subscription.aliases, ["speed"]);
    assert.equal(subscription.rejected.bad?.code, "INVALID_ADDRESS");
    device.emit(7);
    assert.deepEqual(log.take(), [["speed=7"]]);

    device.goAway();
    assert.deepEqual(log.take(), [["speed=REMOTE_ERROR/BAD"]]);
    assert.match(
      log.messages[0] ?? "",
      /^fake:\/\/plc-1 is disconnected since 2024-01-01T00:00:00.000Z \(connection lost/,
    );
    assert.equal(device.subscribes, 1);

    device.comeBack();
    await time.runNext();
    assert.equal(handle.health.state, "connected");
    assert.equal(device.subscribes, 2, "subscribed again on the new connection");
    assert.equal(device.activeSubscriptions, 1);
    device.emit(8);
    assert.deepEqual(log.take(), [["speed=8"]]);

    await subscription.unsubscribe();
    assert.equal(device.activeSubscriptions, 0);
    device.emit(9);
    assert.deepEqual(log.take(), []);
  });

  it("waits for a device that is away, judging addresses by the driver's grammar meanwhile", async () => {
    const { device, manager, time } = setUp();
    device.connect = "refuse";
    const handle = await manager.acquire("fake://plc-1");
    const log = recorder();
    const subscription = await handle.subscribe({ a: "R1", b: "R2", nope: "Q" }, log.handler, {
      mode: "cyclic",
      intervalMs: 100,
    });
    assert.deepEqual(subscription.aliases, ["a", "b"]);
    assert.deepEqual(Object.keys(subscription.rejected), ["nope"]);
    await settle();
    assert.deepEqual(log.take(), [["a=REMOTE_ERROR/BAD", "b=REMOTE_ERROR/BAD"]]);
    assert.equal(device.subscribes, 0);

    device.comeBack();
    await time.runNext();
    assert.equal(device.subscribes, 1);
    device.emit(3);
    assert.deepEqual(log.take(), [["a=3", "b=3"]]);
  });

  it("is not restored once unsubscribed while the device was away", async () => {
    const { device, manager, time } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    const subscription = await handle.subscribe({ a: "R1" }, () => {}, { mode: "event" });
    device.goAway();
    await subscription.unsubscribe();
    await subscription.unsubscribe();
    device.comeBack();
    await time.runNext();
    assert.equal(device.subscribes, 1);
    assert.equal(device.activeSubscriptions, 0);
  });

  it("stops with its handle's release while other users' subscriptions go on", async () => {
    const { device, manager } = setUp();
    const mine = await manager.acquire("fake://plc-1");
    const theirs = await manager.acquire("fake://plc-1");
    const myLog = recorder();
    const theirLog = recorder();
    await mine.subscribe({ a: "R1" }, myLog.handler, { mode: "event" });
    await theirs.subscribe({ b: "R2" }, theirLog.handler, { mode: "event" });
    await mine.release();
    assert.equal(device.activeSubscriptions, 1);
    device.emit(1);
    assert.deepEqual(myLog.take(), []);
    assert.deepEqual(theirLog.take(), [["b=1"]]);
  });

  it("tells the handler once when the device refuses it after a reconnect, and does not try again", async () => {
    const { device, manager, time } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    const log = recorder();
    await handle.subscribe({ a: "R1" }, log.handler, { mode: "event" });
    device.goAway();
    device.subscriptionModes = ["cyclic"];
    device.comeBack();
    await time.runNext();
    assert.deepEqual(log.take(), [["a=REMOTE_ERROR/BAD"], ["a=UNSUPPORTED/BAD"]]);
    assert.match(log.messages[1] ?? "", /could not be restored after a reconnect: fake connections do not support/);
    device.goAway();
    device.comeBack();
    await time.runNext();
    assert.equal(device.subscribes, 1, "the refused subscription rests");
  });

  it("counts failed events towards the device's health", async () => {
    const { device, manager, transitions } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    await handle.subscribe({ a: "R1" }, () => {}, { mode: "event" });
    transitions();
    for (let i = 0; i < 4; i++) device.emitFailure("TIMEOUT");
    assert.deepEqual(transitions(), ["connected>degraded"]);
    assert.equal(handle.health.reason, "4 of the last 4 requests failed (last: TIMEOUT on 'a': device says TIMEOUT)");
  });

  it("is stopped when released while it was being set up", async () => {
    const { device, manager } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    const other = await manager.acquire("fake://plc-1");
    const subscribing = handle.subscribe({ a: "R1" }, () => {}, { mode: "event" });
    const releasing = handle.release();
    await assert.rejects(subscribing, { code: "CONNECTION_CLOSED" });
    await releasing;
    assert.equal(device.activeSubscriptions, 0);
    assert.equal(other.released, false);
  });

  it("keeps a handler's exception from breaking delivery to others", async () => {
    const { device, manager } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    const log = recorder();
    await handle.subscribe(
      { a: "R1" },
      () => {
        throw new Error("application bug");
      },
      { mode: "event" },
    );
    await handle.subscribe({ b: "R2" }, log.handler, { mode: "event" });
    // The handler's error is rethrown in a microtask, outside the manager; catch the microtask instead of the crash.
    const deferred: Array<() => void> = [];
    const queue = mock.method(globalThis, "queueMicrotask", (callback: () => void) => {
      deferred.push(callback);
    });
    try {
      device.emit(5);
    } finally {
      queue.mock.restore();
    }
    assert.deepEqual(log.take(), [["b=5"]]);
    assert.equal(deferred.length, 1);
    assert.throws(() => deferred[0]?.(), { message: "application bug" });
  });
});
