// Tests modbus-tcp writes: function codes, batching of contiguous tags, values and byte orders, refusals and retries.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { PlcConnection } from "../../../src/plc/driver.ts";
import { connect } from "../../../src/plc/index.ts";
import { ScriptedServer } from "./scripted-server.ts";

describe("modbus-tcp writes", () => {
  let server: ScriptedServer;
  let connection: PlcConnection;

  before(async () => {
    server = await ScriptedServer.start();
    connection = await connect(server.url("default-unit-identifier=2"));
  });
  after(async () => {
    await connection.close();
    await server.close();
  });
  beforeEach(() => {
    server.script = () => ({ kind: "answer" });
    server.received.length = 0;
  });

  /** [unit, function, address, values] of every request received. */
  function sent(): unknown[] {
    return server.received.map(({ unitId, request }) => [
      unitId,
      request.functionCode,
      request.address,
      "values" in request ? request.values : "value" in request ? request.value : request.quantity,
    ]);
  }

  it("writes one register with function 6 and one coil with function 5", async () => {
    const results = await connection.write({
      r: { address: "holding-register:10:INT", value: -2 },
      c: { address: "coil:3", value: true },
    });
    assert.deepEqual(results, { r: { code: "OK" }, c: { code: "OK" } });
    assert.deepEqual(sent(), [
      [2, 5, 2, true],
      [2, 6, 9, 0xfffe],
    ]);
    assert.equal(server.unit(2).holdingRegisters[9], 0xfffe);
    assert.equal(server.unit(2).coils[2], 1);
  });

  it("writes several registers with function 16 and several coils with function 15", async () => {
    await connection.write({
      r: { address: "holding-register:20:REAL", value: 3.14 },
      c: { address: "coil:10[3]", value: [true, false, true] },
    });
    assert.deepEqual(sent(), [
      [2, 15, 9, [true, false, true]],
      [2, 16, 19, [0x4048, 0xf5c3]],
    ]);
    assert.deepEqual([...server.unit(2).coils.subarray(9, 12)], [1, 0, 1]);
  });

  it("batches tags that follow each other into one request, and nothing across a gap", async () => {
    const results = await connection.write({
      a: { address: "holding-register:31:UINT", value: 1 },
      b: { address: "holding-register:32:DINT", value: 0x00020003 },
      c: { address: "holding-register:34:WORD", value: 4 },
      far: { address: "holding-register:40:WORD", value: 9 },
    });
    assert.deepEqual(Object.keys(results), ["a", "b", "c", "far"], "answered in the caller's order");
    assert.ok(Object.values(results).every((result) => result.code === "OK"));
    assert.deepEqual(sent(), [
      [2, 16, 30, [1, 2, 3, 4]],
      [2, 6, 39, 9],
    ]);
  });

  it("encodes in the tag's byte order over the URL's, to the tag's unit over the URL's", async () => {
    const swapped = await connect(server.url("default-payload-byte-order=LITTLE_ENDIAN"));
    try {
      await swapped.write({
        url: { address: "holding-register:50:DINT", value: 0x01020304 },
        own: { address: "holding-register:60:DINT{byte-order: 'BIG_ENDIAN_BYTE_SWAP', unit-id: 5}", value: 0x01020304 },
      });
      assert.deepEqual([...server.unit(1).holdingRegisters.subarray(49, 51)], [0x0403, 0x0201]);
      assert.deepEqual([...server.unit(5).holdingRegisters.subarray(59, 61)], [0x0201, 0x0403]);
    } finally {
      await swapped.close();
    }
  });

  it("accepts values as JSON carries them", async () => {
    const results = await connection.write({
      big: { address: "holding-register:70:LINT", value: "-9007199254740993" },
      flag: { address: "coil:20", value: 1 },
      text: { address: "holding-register:80:STRING(4)", value: "Hi" },
    });
    assert.ok(Object.values(results).every((result) => result.code === "OK"));
    assert.deepEqual([...server.unit(2).holdingRegisters.subarray(69, 73)], [0xffdf, 0xffff, 0xffff, 0xffff]);
    assert.equal(server.unit(2).coils[19], 1);
    assert.deepEqual([...server.unit(2).holdingRegisters.subarray(79, 81)], [0x4869, 0x0000]);
  });

  it("refuses read-only areas, 6x registers and values that do not fit, without sending anything", async () => {
    const results = await connection.write({
      input: { address: "input-register:1", value: 1 },
      discrete: { address: "discrete-input:1", value: true },
      extended: { address: "extended-register:1", value: 1 },
      range: { address: "holding-register:1:SINT", value: 200 },
      type: { address: "coil:1", value: "yes" },
      long: { address: "holding-register:1:STRING(2)", value: "too long" },
      count: { address: "holding-register:1:INT[2]", value: [1] },
    });
    assert.deepEqual(Object.fromEntries(Object.entries(results).map(([alias, result]) => [alias, result.code])), {
      input: "ACCESS_DENIED",
      discrete: "ACCESS_DENIED",
      extended: "UNSUPPORTED",
      range: "INVALID_DATA",
      type: "INVALID_DATA",
      long: "INVALID_DATA",
      count: "INVALID_DATA",
    });
    assert.equal(server.received.length, 0);
  });

  it("writes a tag longer than one function 16 request in two", async () => {
    const values = Array.from({ length: 125 }, (_, index) => index);
    const results = await connection.write({ a: { address: "holding-register:1000:UINT[125]", value: values } });
    assert.deepEqual(results.a, { code: "OK" });
    assert.deepEqual(
      server.received.map((r) => [r.request.address, "values" in r.request && r.request.values.length]),
      [
        [999, 123],
        [1122, 2],
      ],
    );
    assert.deepEqual([...server.unit(2).holdingRegisters.subarray(999, 1124)], values);
  });

  it("writes overlapping tags one after another, so the later alias wins", async () => {
    await connection.write({
      first: { address: "holding-register:90:DINT", value: 0x00010002 },
      second: { address: "holding-register:91:INT", value: 7 },
    });
    assert.deepEqual([...server.unit(2).holdingRegisters.subarray(89, 91)], [1, 7]);
    assert.equal(server.received.length, 2);
  });

  it("retries a refused batch tag by tag, fails only the bad tag, and writes it alone next time", async () => {
    server.unit(2).hole("holding-register", 101);
    const tags = {
      a: { address: "holding-register:101", value: 1 },
      bad: { address: "holding-register:102", value: 2 },
      c: { address: "holding-register:103", value: 3 },
    };
    const results = await connection.write(tags);
    assert.deepEqual(results, {
      a: { code: "OK" },
      bad: {
        code: "INVALID_ADDRESS",
        message: "Modbus exception 0x02 ILLEGAL DATA ADDRESS in answer to function 0x06",
      },
      c: { code: "OK" },
    });
    assert.deepEqual(sent(), [
      [2, 16, 100, [1, 2, 3]],
      [2, 6, 100, 1],
      [2, 6, 101, 2],
      [2, 6, 102, 3],
    ]);
    server.received.length = 0;
    await connection.write(tags);
    assert.deepEqual(
      server.received.map((r) => r.request.address),
      [100, 101, 102],
    );
  });
});
