// The allow-list finds each tag's data type in its driver's parsed address, whichever form the driver keeps it in.
import assert from "node:assert/strict";
import { test } from "node:test";
import { AllowList, dataTypeSpecOf } from "../../../src/connect/sink/allow-list.ts";
import { drivers, InvalidAddressError } from "../../../src/plc/index.ts";

test("Modbus addresses carry their type in the address, simulated ones in a spec", () => {
  const modbus = AllowList.of(
    [
      { alias: "speed", address: "holding-register:11:REAL" },
      { alias: "recipe", address: "holding-register:41:STRING(8)[2]" },
      { alias: "plain", address: "holding-register:5" },
    ],
    drivers.driver("modbus-tcp"),
  );
  assert.deepEqual(modbus.get("speed"), {
    alias: "speed",
    address: "holding-register:11:REAL",
    spec: { type: "REAL", count: 1 },
  });
  assert.deepEqual(modbus.get("recipe")?.spec, { type: "STRING", count: 2, stringLength: 8 });
  assert.deepEqual(modbus.get("plain")?.spec, { type: "INT", count: 1 }, "Modbus registers default to INT");
  assert.equal(modbus.get("other"), undefined);
  assert.deepEqual(modbus.aliases, ["speed", "recipe", "plain"]);

  const simulated = AllowList.of([{ alias: "temp", address: "STATE/Temp:LREAL" }], drivers.driver("simulated"));
  assert.deepEqual(simulated.get("temp")?.spec, { type: "LREAL", count: 1 });
});

test("an address its driver refuses keeps the allow-list from being made", () => {
  assert.throws(
    () => AllowList.of([{ alias: "speed", address: "holding-register:11:FLOAT" }], drivers.driver("modbus-tcp")),
    InvalidAddressError,
  );
});

test("an address of a form not known leaves the type to the driver", () => {
  assert.equal(dataTypeSpecOf("ns=2;s=Speed"), undefined);
  assert.equal(dataTypeSpecOf({ nodeId: "ns=2;s=Speed" }), undefined);
  assert.equal(dataTypeSpecOf({ type: "FLOAT", count: 1 }), undefined, "not an IEC type");
  assert.equal(dataTypeSpecOf({ type: "INT", count: 0 }), undefined, "no elements");
  assert.equal(dataTypeSpecOf({ type: "STRING", count: 1, stringLength: "8" }), undefined);
  assert.deepEqual(dataTypeSpecOf({ symbol: "MAIN.x", spec: { type: "DINT", count: 4 } }), { type: "DINT", count: 4 });
});
