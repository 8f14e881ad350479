// Tests the modbus-tcp:// driver's repeated reads: the kept plan, tags decoded straight from blocks next to the rest.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { PlcConnection, ReadResponse } from "../../../src/plc/driver.ts";
import { connect } from "../../../src/plc/index.ts";
import { ScriptedServer } from "./scripted-server.ts";

let now = 1_700_000_000_000;
const clock = () => now;

function values(response: ReadResponse): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(response).map(([alias, reading]) => [alias, reading.code === "OK" ? reading.value : reading.code]),
  );
}

describe("modbus-tcp repeated reads", () => {
  let server: ScriptedServer;
  let connection: PlcConnection;

  before(async () => {
    server = await ScriptedServer.start();
    // Four registers per request: `long` is cut into two requests, which share them with its neighbours.
    connection = await connect(server.url("max-registers-per-request=4&max-concurrent-requests=4"), { clock });
  });
  after(async () => {
    await connection.close();
    await server.close();
  });

  const tags = {
    dint: "holding-register:1:DINT",
    long: "holding-register:3:INT[5]",
    real: "holding-register:8:REAL",
    tod: "holding-register:10:TIME_OF_DAY",
    coil: "coil:2",
    coils: "coil:1[3]",
    x: "extended-register:1",
    text: "input-register:1:STRING(3)",
  };

  it("answers every tag in the order asked, through both decoding paths", async () => {
    const unit = server.unit(1);
    // Registers 10-11 hold 0xffffffff ms, past the end of a day.
    unit.holdingRegisters.set([0xffff, 0xfffe, 1, 2, 3, 0x8000, 5, 0x3fc0, 0x0000, 0xffff, 0xffff], 0);
    unit.coils.set([1, 0, 1], 0);
    unit.inputRegisters.set([0x4142, 0x4300], 0);
    const response = await connection.read(tags);
    assert.deepEqual(Object.keys(response), Object.keys(tags));
    assert.deepEqual(values(response), {
      dint: -2,
      long: [1, 2, 3, -32768, 5],
      real: 1.5,
      tod: "INVALID_DATA",
      coil: false,
      coils: [true, false, true],
      x: "UNSUPPORTED",
      text: "ABC",
    });
  });

  it("gives every read a fresh response with the new values and time, sharing nothing with the last", async () => {
    const unit = server.unit(1);
    unit.holdingRegisters.set([0, 7], 0);
    unit.coils.set([0, 1, 0], 0);
    now = 1_700_000_000_000;
    const first = await connection.read(tags);
    unit.holdingRegisters.set([0, 8, 9], 0);
    unit.coils.set([1, 0, 0], 0);
    now += 1000;
    const second = await connection.read(tags);
    assert.notEqual(first, second);
    assert.equal(values(first).dint, 7);
    assert.equal(values(second).dint, 8);
    assert.deepEqual(values(first).coils, [false, true, false]);
    assert.deepEqual(values(second).coils, [true, false, false]);
    assert.deepEqual(values(second).long, [9, 2, 3, -32768, 5]);
    assert.equal(first.dint?.sampledAt, 1_700_000_000_000);
    assert.equal(second.dint?.sampledAt, 1_700_000_001_000);
    for (const alias of Object.keys(tags)) assert.notEqual(first[alias], second[alias], alias);
  });

  it("fails only the tags of a block the device refuses, and decodes the rest", async () => {
    server.unit(1).holdingRegisters.set([0, 3], 0);
    server.script = (received) =>
      received.request.functionCode === 1 ? { kind: "exception", exceptionCode: 0x04 } : { kind: "answer" };
    try {
      const response = await connection.read(tags);
      assert.equal(response.coil?.code, "REMOTE_ERROR");
      assert.equal(response.coils?.code, "REMOTE_ERROR");
      assert.equal(response.coils?.quality, "BAD");
      assert.equal(values(response).dint, 3);
      assert.equal(values(response).text, "ABC");
    } finally {
      server.script = () => ({ kind: "answer" });
    }
  });
});
