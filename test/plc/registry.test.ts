// Tests the driver registry: protocol lookup, duplicate and unknown protocols, transports, and what connect() passes on.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DuplicateProtocolError,
  InvalidOptionError,
  InvalidUrlError,
  UnknownOptionError,
  UnknownProtocolError,
} from "../../src/plc/errors.ts";
import { createModbusTcpDriver } from "../../src/plc/modbus/driver.ts";
import { DriverRegistry } from "../../src/plc/registry.ts";
import { createSimulatedDriver } from "../../src/plc/simulated/driver.ts";
import { createFakeDriver } from "./fake-driver.ts";

describe("DriverRegistry", () => {
  it("finds drivers by any of their protocols, case-insensitively", () => {
    const { driver } = createFakeDriver({ protocols: ["modbus-tcp", "modbus"] });
    const registry = new DriverRegistry([driver]);
    assert.equal(registry.driver("MODBUS"), driver);
    assert.deepEqual(registry.protocols(), ["modbus", "modbus-tcp"]);
  });

  it("refuses a second driver for a taken protocol and registers none of its names", () => {
    const registry = new DriverRegistry([createFakeDriver({ protocols: ["s7"] }).driver]);
    assert.throws(
      () => registry.register(createFakeDriver({ protocols: ["s7plus", "s7"] }).driver),
      DuplicateProtocolError,
    );
    assert.deepEqual(registry.protocols(), ["s7"]);
  });

  it("names the registered protocols when one is unknown", async () => {
    const registry = new DriverRegistry([createFakeDriver({ protocols: ["simulated", "ads"] }).driver]);
    await assert.rejects(registry.connect("modbus-tcp://h"), (error: unknown) => {
      assert.ok(error instanceof UnknownProtocolError);
      assert.equal(error.message, "unknown protocol 'modbus-tcp'; known protocols: ads, simulated");
      assert.deepEqual(error.known, ["ads", "simulated"]);
      return true;
    });
  });

  it("rejects a transport the driver does not speak, at its column", async () => {
    const registry = new DriverRegistry([
      createFakeDriver({ protocols: ["opcua"], transports: ["tcp"] }).driver,
      createFakeDriver({ protocols: ["modbus-tcp"], transports: [] }).driver,
    ]);
    await assert.rejects(registry.connect("opcua:udp://h"), {
      message: "opcua:udp://h: transport 'udp' at column 7; expected one of tcp",
    });
    await assert.rejects(registry.connect("modbus-tcp:tcp://h"), (error: unknown) => {
      assert.ok(error instanceof InvalidUrlError);
      assert.equal(error.column, 12);
      assert.equal(error.expected, "no transport for modbus-tcp (write modbus-tcp://...)");
      return true;
    });
  });

  it("checks a URL whole, the real drivers' options included, without contacting any device", () => {
    const registry = new DriverRegistry([createModbusTcpDriver(), createSimulatedDriver()]);
    assert.equal(registry.check("modbus-tcp://127.0.0.1:5020?unit-identifier=3").driver.name, "Modbus TCP");
    assert.throws(() => registry.check("modbus-tcp://127.0.0.1?unit-identifer=3"), UnknownOptionError);
    assert.throws(() => registry.check("modbus-tcp://127.0.0.1?request-timeout=-1"), InvalidOptionError);
    assert.throws(() => registry.check("simulated://"), { message: /no device name at column 13/ });
    assert.throws(() => registry.check("simulated:udp://x"), InvalidUrlError);
    assert.throws(() => registry.check("s7://x"), UnknownProtocolError);
  });

  it("passes the parsed URL and the clock to the driver", async () => {
    const { driver, log } = createFakeDriver();
    const clock = () => 42;
    const connection = await new DriverRegistry([driver]).connect("fake:tcp://device:99?x=1", { clock });
    assert.equal(log.urls[0]?.port, 99);
    assert.equal(log.contexts[0]?.clock, clock);
    assert.equal(connection.url.text, "fake:tcp://device:99?x=1");
  });

  it("does not connect when the signal is already aborted", async () => {
    const { driver, log } = createFakeDriver();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(new DriverRegistry([driver]).connect("fake://d", { signal: controller.signal }), {
      name: "AbortError",
    });
    assert.equal(log.urls.length, 0);
  });
});
