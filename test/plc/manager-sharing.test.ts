// Tests that the manager opens one connection per device for all its users, and what "the same device" means.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deviceIdentity } from "../../src/plc/device-key.ts";
import {
  ConnectionClosedError,
  InvalidRequestError,
  InvalidUrlError,
  UnknownOptionError,
  UnknownProtocolError,
} from "../../src/plc/errors.ts";
import { ConnectionManager, defaultDeadlineMs } from "../../src/plc/manager.ts";
import { DriverRegistry } from "../../src/plc/registry.ts";
import { parseConnectionUrl } from "../../src/plc/url.ts";
import { FakeDevice } from "./manager-fake-device.ts";
import { setUp } from "./manager-fixture.ts";

describe("sharing a device", () => {
  it("opens one connection for two users and closes it when the last one releases", async () => {
    const { device, manager, transitions } = setUp();
    const first = await manager.acquire("fake://plc-1");
    const second = await manager.acquire("fake://plc-1");
    assert.equal(device.connectAttempts, 1);
    assert.equal(first.device, second.device);
    assert.equal(first.health.users, 2);
    assert.deepEqual(transitions(), ["connecting>connected"]);

    await first.release();
    assert.equal(first.released, true);
    assert.equal(device.openLinks.length, 1, "the other user still holds it");
    assert.deepEqual((await second.read({ a: "R1" })).a?.code, "OK");

    await second.release();
    assert.equal(device.openLinks.length, 0);
    assert.equal(device.links[0]?.closed, true);
    assert.deepEqual(transitions(), ["connected>closed"]);
    assert.deepEqual(manager.devices(), []);
  });

  it("opens one connection for users that acquire at the same moment", async () => {
    const { device, manager } = setUp();
    const handles = await Promise.all([1, 2, 3].map(() => manager.acquire("fake://plc-1")));
    assert.equal(device.connectAttempts, 1);
    assert.equal(handles[2]?.health.users, 3);
  });

  it("opens a new connection for a user that comes after the last release", async () => {
    const { device, manager } = setUp();
    await (await manager.acquire("fake://plc-1")).release();
    const again = await manager.acquire("fake://plc-1");
    assert.equal(device.connectAttempts, 2);
    assert.equal((await again.read({ a: "R2" })).a?.code, "OK");
  });

  it("keeps different devices apart", async () => {
    const { device, manager } = setUp();
    await manager.acquire("fake://plc-1");
    await manager.acquire("fake://plc-1:503");
    await manager.acquire("fake://plc-1?unit=2");
    await manager.acquire("fake://plc-2");
    assert.equal(device.connectAttempts, 4);
    assert.deepEqual(
      manager.devices().map((snapshot) => snapshot.device),
      ["fake://plc-1", "fake://plc-1:503", "fake://plc-1?unit=2", "fake://plc-2"],
    );
  });

  it("stops handing out handles when closed, and closes devices whoever holds them", async () => {
    const { device, manager, transitions } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    await manager.close();
    assert.equal(device.openLinks.length, 0);
    assert.equal(handle.released, true);
    assert.deepEqual(transitions(), ["connecting>connected", "connected>closed"]);
    assert.equal(manager.devices().length, 0);
    await assert.rejects(handle.read({ a: "R1" }), ConnectionClosedError);
    await assert.rejects(manager.acquire("fake://plc-1"), {
      code: "CONNECTION_CLOSED",
      message: "cannot acquire: the connection to fake://plc-1 is closed",
    });
  });
});

describe("a released handle", () => {
  it("refuses every call with ConnectionClosedError, and releasing twice is harmless", async () => {
    const { manager } = setUp();
    const handle = await manager.acquire("fake://plc-1");
    const other = await manager.acquire("fake://plc-1");
    await Promise.all([handle.release(), handle.release()]);
    assert.equal(other.health.users, 1, "the second release did not count twice");
    await assert.rejects(handle.read({ a: "R1" }), {
      code: "CONNECTION_CLOSED",
      message: "cannot read: the connection to fake://plc-1 is closed",
    });
    await assert.rejects(handle.write({ a: { address: "R1", value: 1 } }), ConnectionClosedError);
    await assert.rejects(
      handle.subscribe({ a: "R1" }, () => {}, { mode: "event" }),
      ConnectionClosedError,
    );
    await assert.rejects(handle.browse(), ConnectionClosedError);
    await assert.rejects(handle.ping(), ConnectionClosedError);
    assert.throws(() => handle.onHealth(() => {}), ConnectionClosedError);
  });
});

describe("acquire errors no reconnect would fix", () => {
  it("rejects an unknown protocol or a malformed URL without touching any driver", async () => {
    const { device, manager } = setUp();
    await assert.rejects(manager.acquire("nope://x"), UnknownProtocolError);
    await assert.rejects(manager.acquire("fake://x:99999"), InvalidUrlError);
    assert.equal(device.connectAttempts, 0);
  });

  it("rejects the driver's option errors, keeps no device and schedules no retry", async () => {
    const { device, manager, time, transitions } = setUp();
    const results = await Promise.allSettled([
      manager.acquire("fake://plc-1?colour=red"),
      manager.acquire("fake://plc-1?colour=red"),
    ]);
    for (const result of results) {
      assert.equal(result.status, "rejected");
      assert.ok(result.reason instanceof UnknownOptionError);
    }
    assert.equal(device.connectAttempts, 1);
    assert.deepEqual(manager.devices(), []);
    assert.equal(time.pending, 0);
    assert.deepEqual(transitions(), ["connecting>disconnected", "disconnected>closed"]);
  });

  it("rejects a transport the driver does not speak", async () => {
    const { manager } = setUp();
    await assert.rejects(manager.acquire("fake:udp://plc-1"), { code: "INVALID_URL" });
    assert.deepEqual(manager.devices(), []);
  });

  it("refuses manager options out of range", () => {
    const registry = new DriverRegistry();
    assert.throws(() => new ConnectionManager({ registry, backoff: { factor: 0 } }), InvalidRequestError);
    assert.throws(() => new ConnectionManager({ registry, health: { windowSize: 0 } }), {
      message: "health windowSize must be an integer >= 1, got 0",
    });
    assert.throws(() => new ConnectionManager({ registry, callDeadlineMs: 0 }), {
      message: "callDeadlineMs must be an integer number of milliseconds in 1..2147483647, got 0",
    });
  });
});

describe("the same device", () => {
  const device = new FakeDevice(["fake", "fake-alias"]);
  const identity = (url: string) => deviceIdentity(parseConnectionUrl(url), device.driver);

  it("ignores option order, percent-encoding, host case, the default transport and the protocol alias", () => {
    const key = identity("fake://PLC-1:502/a?unit=1&request-timeout=200").key;
    for (const same of [
      "fake://plc-1:502/a?request-timeout=200&unit=1",
      "fake:tcp://plc-1:502/a?unit=1&request-timeout=200",
      "fake-alias://plc-1:502/a?unit=%31&request-timeout=200",
      "FAKE://plc-1:502/a?unit=1&request%2Dtimeout=200",
    ]) {
      assert.equal(identity(same).key, key, same);
    }
  });

  it("tells apart port, path, user, password and any option value", () => {
    const key = identity("fake://u:pw@plc-1:502/a?unit=1").key;
    for (const other of [
      "fake://u:pw@plc-1/a?unit=1",
      "fake://u:pw@plc-1:502/b?unit=1",
      "fake://v:pw@plc-1:502/a?unit=1",
      "fake://u:other@plc-1:502/a?unit=1",
      "fake://u:pw@plc-1:502/a?unit=2",
      "fake://u:pw@plc-1:502/a",
      "fake://u:pw@plc-1:502/a?unit=1&request-timeout=5",
    ]) {
      assert.notEqual(identity(other).key, key, other);
    }
  });

  it("names the device canonically with secrets hidden", () => {
    assert.equal(
      identity("fake-alias://Admin:s3cret@PLC-1:502/x?unit=1&password=hunter2&a=b%20c").name,
      "fake://Admin:****@plc-1:502/x?a=b%20c&password=****&unit=1",
    );
    assert.equal(identity("fake://[FE80::1%25eth0]:5").name, "fake://[fe80::1%25eth0]:5");
    assert.equal(identity("fake:tcp://h").name, "fake://h");
  });
});

describe("the call deadline", () => {
  it("is twice the URL's request-timeout plus a second, 5 s when absent or malformed", () => {
    assert.equal(defaultDeadlineMs(parseConnectionUrl("fake://h?request-timeout=200")), 1400);
    assert.equal(defaultDeadlineMs(parseConnectionUrl("fake://h?request-timeout=2s")), 5000);
    assert.equal(defaultDeadlineMs(parseConnectionUrl("fake://h")), 11_000);
    assert.equal(defaultDeadlineMs(parseConnectionUrl("fake://h?request-timeout=soon")), 11_000);
  });
});
