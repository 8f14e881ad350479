// Tests the manager on real timers with the simulated driver: sharing, subscriptions, and no timer left after close.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Driver, ReadResponse } from "../../src/plc/driver.ts";
import { ConnectionManager } from "../../src/plc/manager.ts";
import { DriverRegistry } from "../../src/plc/registry.ts";
import { createSimulatedDriver } from "../../src/plc/simulated/driver.ts";

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
}

describe("the manager with the simulated driver on real timers", () => {
  it("shares one connection, delivers subscriptions, and leaves no timer behind after close", async () => {
    const before = activeTimers();
    const simulated = createSimulatedDriver({ lineSink: () => {} });
    let connects = 0;
    const counting: Driver = {
      ...simulated,
      connect: (url, context) => {
        connects++;
        return simulated.connect(url, context);
      },
    };
    const manager = new ConnectionManager({ registry: new DriverRegistry([counting]) });
    const poller = await manager.acquire("simulated://line?seed=1");
    const viewer = await manager.acquire("SIMULATED://LINE?seed=1");
    assert.equal(connects, 1);

    await poller.write({ speed: { address: "STATE/speed:INT", value: 42 } });
    const read = await viewer.read({ speed: "STATE/speed:INT" });
    assert.equal(read.speed?.code === "OK" ? read.speed.value : undefined, 42, "both users see the same device");

    const first = Promise.withResolvers<ReadResponse>();
    await viewer.subscribe({ speed: "STATE/speed:INT" }, first.resolve, { mode: "cyclic", intervalMs: 5 });
    const event = await first.promise;
    assert.equal(event.speed?.code === "OK" ? event.speed.value : undefined, 42);
    assert.ok(activeTimers() > before, "the subscription runs on a timer");

    await manager.close();
    assert.equal(activeTimers(), before);
    assert.equal(poller.released, true);
  });
});
