// Tests how the modbus-tcp driver survives devices that misbehave: holes, exceptions, silence, garbage, hang-ups.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { PlcConnection } from "../../../src/plc/driver.ts";
import { ConnectionFailedError } from "../../../src/plc/errors.ts";
import { connect } from "../../../src/plc/index.ts";
import { encodeAdu } from "../../../src/plc/modbus/mbap.ts";
import { EXCEPTION } from "../../../src/plc/modbus/messages/exception.ts";
import { encodeResponse } from "../../../src/plc/modbus/pdu.ts";
import type { TagReading } from "../../../src/plc/response.ts";
import { type Received, ScriptedServer } from "./scripted-server.ts";

const clock = () => 1_700_000_000_000;

interface Opened {
  readonly connection: PlcConnection;
  /** Resolves with the error the driver reported through `onLost`. */
  readonly lost: Promise<Error>;
  readonly lostCalls: Error[];
}

/** [function, address, quantity] of every request the server received, in order. */
function requests(server: ScriptedServer): [number, number, number][] {
  return server.received.map(({ request }) => [
    request.functionCode,
    request.address,
    "quantity" in request ? request.quantity : "values" in request ? request.values.length : 1,
  ]);
}

function failure(reading: TagReading | undefined): { code: string; message: string } {
  assert.ok(
    reading !== undefined && reading.code !== "OK",
    `expected a failed reading, got ${JSON.stringify(reading)}`,
  );
  assert.equal(reading.quality, "BAD");
  return { code: reading.code, message: reading.message };
}

describe("modbus-tcp with misbehaving devices", () => {
  let server: ScriptedServer;
  const opened: PlcConnection[] = [];

  before(async () => {
    server = await ScriptedServer.start();
  });
  after(async () => {
    await Promise.all(opened.map((connection) => connection.close()));
    await server.close();
  });
  beforeEach(() => {
    server.script = () => ({ kind: "answer" });
    server.received.length = 0;
  });

  async function open(query = ""): Promise<Opened> {
    const lostCalls: Error[] = [];
    let report: (error: Error) => void = () => {};
    const lost = new Promise<Error>((resolve) => {
      report = resolve;
    });
    const onLost = (error: Error) => {
      lostCalls.push(error);
      report(error);
    };
    const connection = await connect(server.url(query), { clock, onLost });
    opened.push(connection);
    return { connection, lost, lostCalls };
  }

  /** A connection whose one read the server answers with `reply`; returns the reading and what was lost. */
  async function readOnce(reply: (received: Received, s: ScriptedServer) => Uint8Array, query = "") {
    const { connection, lost, lostCalls } = await open(query);
    server.script = (received, s) => ({ kind: "bytes", bytes: reply(received, s) });
    const readings = await connection.read({ a: "holding-register:1", b: "holding-register:3" });
    return { connection, readings, lost, lostCalls };
  }

  it("retries a merged block split when a gap register does not exist, and remembers the hole", async () => {
    const { connection } = await open();
    server.unit(1).hole("holding-register", 5);
    server.unit(1).holdingRegisters.set([11, 0, 0, 0, 0, 0, 0, 0, 0, 99], 0);
    const tags = { a: "holding-register:1", b: "holding-register:10" };
    const first = await connection.read(tags);
    assert.deepEqual([first.a?.code, first.b?.code], ["OK", "OK"]);
    assert.deepEqual(requests(server), [
      [3, 0, 10],
      [3, 0, 1],
      [3, 9, 1],
    ]);
    server.received.length = 0;
    const second = await connection.read(tags);
    assert.deepEqual([second.a?.code === "OK" && second.a.value, second.b?.code === "OK" && second.b.value], [11, 99]);
    assert.deepEqual(requests(server), [
      [3, 0, 1],
      [3, 9, 1],
    ]);
  });

  it("replans the read of each poller sharing the connection that a hole learned by another concerns", async () => {
    const { connection } = await open();
    // Registers 100-109: the server is shared with the other tests, which leave holes further down.
    server.unit(1).holdingRegisters.set([11, 22, 0, 0, 0, 0, 0, 0, 88, 99], 100);
    const first = Object.freeze({ a: "holding-register:101", b: "holding-register:110" });
    const second = Object.freeze({ c: "holding-register:102", d: "holding-register:109" });
    await connection.read(first);
    await connection.read(second);
    assert.deepEqual(requests(server), [
      [3, 100, 10],
      [3, 101, 8],
    ]);
    server.received.length = 0;
    server.unit(1).hole("holding-register", 105);
    await connection.read(first);
    const afterHole = await connection.read(second);
    assert.deepEqual(
      [afterHole.c?.code === "OK" && afterHole.c.value, afterHole.d?.code === "OK" && afterHole.d.value],
      [22, 88],
    );
    assert.deepEqual(requests(server), [
      [3, 100, 10],
      [3, 100, 1],
      [3, 109, 1],
      [3, 101, 1],
      [3, 108, 1],
    ]);
    server.received.length = 0;
    for (let cycle = 0; cycle < 2; cycle++) {
      const one = await connection.read(first);
      const two = await connection.read(second);
      assert.deepEqual(
        [one, two].flatMap((response) => Object.values(response).map((r) => (r.code === "OK" ? r.value : r.code))),
        [11, 99, 22, 88],
      );
    }
    assert.deepEqual(requests(server), [
      [3, 100, 1],
      [3, 109, 1],
      [3, 101, 1],
      [3, 108, 1],
      [3, 100, 1],
      [3, 109, 1],
      [3, 101, 1],
      [3, 108, 1],
    ]);
  });

  it("fails only the tag on a missing address, never its neighbours", async () => {
    const { connection } = await open();
    server.unit(1).hole("input-register", 3);
    const tags = { a: "input-register:1:DINT", bad: "input-register:4", c: "input-register:5" };
    const first = await connection.read(tags);
    assert.deepEqual(failure(first.bad), {
      code: "INVALID_ADDRESS",
      message: "Modbus exception 0x02 ILLEGAL DATA ADDRESS in answer to function 0x04",
    });
    assert.deepEqual([first.a?.code, first.c?.code], ["OK", "OK"]);
    assert.deepEqual(requests(server), [
      [4, 0, 5],
      [4, 0, 2],
      [4, 3, 2],
      [4, 3, 1],
      [4, 4, 1],
    ]);
    server.received.length = 0;
    await connection.read(tags);
    assert.deepEqual(requests(server), [
      [4, 0, 2],
      [4, 3, 1],
      [4, 4, 1],
    ]);
  });

  it("does not split for exceptions about the device rather than an address", async () => {
    const { connection } = await open();
    server.script = () => ({ kind: "exception", exceptionCode: EXCEPTION.SERVER_DEVICE_FAILURE });
    const readings = await connection.read({ a: "holding-register:1", b: "holding-register:20" });
    assert.equal(failure(readings.a).code, "REMOTE_ERROR");
    assert.equal(failure(readings.b).code, "REMOTE_ERROR");
    assert.equal(server.received.length, 1);
  });

  it("answers TIMEOUT for a request without an answer, and stays usable", async () => {
    // Long enough that the answered request never times out on a busy machine.
    const { connection, lostCalls } = await open("request-timeout=250");
    server.script = (received) => (received.request.functionCode === 1 ? { kind: "silence" } : { kind: "answer" });
    const readings = await connection.read({ coil: "coil:1", register: "holding-register:1" });
    assert.deepEqual(failure(readings.coil), { code: "TIMEOUT", message: "no answer within 250 ms" });
    assert.equal(readings.register?.code, "OK");
    server.script = () => ({ kind: "answer" });
    const again = await connection.read({ coil: "coil:1" });
    assert.equal(again.coil?.code, "OK");
    assert.equal(lostCalls.length, 0);
  });

  const broken: readonly [string, (received: Received, s: ScriptedServer) => Uint8Array, RegExp][] = [
    ["garbage (protocol id 1)", () => Uint8Array.of(0, 1, 0, 1, 0, 3, 1, 3, 0), /protocol id 1 is not Modbus/],
    [
      "an oversized frame (length 300)",
      (r) => Uint8Array.of(r.transactionId >> 8, r.transactionId & 0xff, 0, 0, 0x01, 0x2c, 1, 3),
      /length 300 is outside 2\.\.254/,
    ],
    [
      "a wrong transaction id",
      (r, s) => encodeAdu({ transactionId: (r.transactionId + 7) & 0xffff, unitId: 1, pdu: s.answer(r) }),
      /an answer with transaction id \d+, which no request in flight has/,
    ],
    [
      "a wrong unit id",
      (r, s) => encodeAdu({ transactionId: r.transactionId, unitId: 9, pdu: s.answer(r) }),
      /came from unit 9, not 1/,
    ],
    [
      "a wrong function code",
      (r, s) => s.frame(r, encodeResponse({ functionCode: 4, values: [1, 2, 3] })),
      /functionCode is 4, the request needs 3/,
    ],
  ];
  for (const [name, reply, reason] of broken) {
    it(`fails the tags with REMOTE_ERROR and drops the connection on ${name}`, async () => {
      const { connection, readings, lost, lostCalls } = await readOnce(reply);
      for (const alias of ["a", "b"]) {
        const { code, message } = failure(readings[alias]);
        assert.equal(code, "REMOTE_ERROR");
        assert.match(message, reason);
      }
      const error = await lost;
      assert.ok(error instanceof ConnectionFailedError);
      assert.match(error.message, reason);
      await assert.rejects(connection.read({ a: "holding-register:1" }), (rejection: unknown) => {
        assert.ok(rejection instanceof ConnectionFailedError);
        assert.match(rejection.message, /connection lost \(/);
        return true;
      });
      await assert.rejects(connection.ping(), ConnectionFailedError);
      assert.equal(lostCalls.length, 1, "onLost is called once");
    });
  }

  it("answers TIMEOUT and drops the connection when a frame is cut short for good", async () => {
    const { readings, lost } = await readOnce((r, s) => s.frame(r, s.answer(r)).subarray(0, 9), "request-timeout=50");
    assert.equal(failure(readings.a).code, "TIMEOUT");
    assert.match((await lost).message, /stopped sending in the middle of a frame \(9 bytes of it arrived\)/);
  });

  it("fails what is in flight with REMOTE_ERROR when the device hangs up mid-request", async () => {
    const { connection, lost } = await open("max-concurrent-requests=2");
    server.script = async (received, s) => {
      await s.whenReceived(2);
      return received.request.functionCode === 1 ? { kind: "close" } : { kind: "silence" };
    };
    const readings = await connection.read({ coil: "coil:1", register: "holding-register:1" });
    assert.equal(failure(readings.coil).code, "REMOTE_ERROR");
    assert.equal(failure(readings.register).code, "REMOTE_ERROR");
    assert.match((await lost).message, /the device closed the connection|ECONNRESET/);
  });

  it("fails writes in flight the same way", async () => {
    const { connection, lost } = await open();
    server.script = () => ({ kind: "close" });
    const results = await connection.write({ a: { address: "holding-register:1", value: 5 } });
    assert.equal(results.a?.code, "REMOTE_ERROR");
    await lost;
    await assert.rejects(connection.write({ a: { address: "holding-register:1", value: 5 } }), ConnectionFailedError);
  });

  it("rejects a ping the device does not answer", async () => {
    const { connection } = await open("request-timeout=30");
    server.script = () => ({ kind: "silence" });
    await assert.rejects(connection.ping(), {
      name: "ConnectionFailedError",
      message: /no answer to a ping: no answer within 30 ms/,
    });
  });

  it("keeps strictly one request in flight by default", async () => {
    const { connection } = await open();
    server.maxOutstanding = 0;
    // Each answer leaves a few event-loop turns late: a client that did not wait would have sent the next by then.
    server.script = async () => {
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
      return { kind: "answer" };
    };
    const tags = Object.fromEntries([0, 1, 2, 3, 4].map((unit) => [`u${unit}`, `coil:1{unit-id: ${unit}}`]));
    const readings = await connection.read(tags);
    assert.ok(Object.values(readings).every((reading) => reading.code === "OK"));
    assert.equal(server.received.length, 5);
    assert.equal(server.maxOutstanding, 1);
  });

  it("sends every request of a read at once, up to max-concurrent-requests", async () => {
    const { connection } = await open("max-concurrent-requests=3");
    server.maxOutstanding = 0;
    server.script = async (_received, s) => {
      await s.whenReceived(3);
      return { kind: "answer" };
    };
    const tags = Object.fromEntries([0, 1, 2, 3, 4].map((unit) => [`u${unit}`, `coil:1{unit-id: ${unit}}`]));
    const readings = await connection.read(tags);
    assert.ok(Object.values(readings).every((reading) => reading.code === "OK"));
    assert.equal(server.received.length, 5);
    assert.equal(server.maxOutstanding, 3, "three in flight, never more");
  });

  it("leaves no timer running once requests are settled, and closes every socket", async () => {
    // Every earlier test left its connection open or lost: none may still have a request timer running.
    assert.deepEqual(
      process.getActiveResourcesInfo().filter((resource) => resource === "Timeout"),
      [],
    );
    const closed = server.whenAllClosed();
    await Promise.all(opened.splice(0).map((connection) => connection.close()));
    await closed;
    assert.equal(server.openSockets, 0);
  });
});
