// Tests how the s7 driver survives PLCs that misbehave: refusals, bad items, silence, garbage, oversized PDUs, hang-ups.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { PlcConnection } from "../../../src/plc/driver.ts";
import { ConnectionFailedError } from "../../../src/plc/errors.ts";
import type { HealthState } from "../../../src/plc/health.ts";
import { connect, drivers } from "../../../src/plc/index.ts";
import { ConnectionManager } from "../../../src/plc/manager.ts";
import type { TagReading } from "../../../src/plc/response.ts";
import { encodeCotpDisconnect } from "../../../src/plc/s7/messages/cotp-disconnect.ts";
import { DATA_TRANSPORT } from "../../../src/plc/s7/messages/data-item.ts";
import { encodeReadVarResponse } from "../../../src/plc/s7/messages/read-var.ts";
import { RETURN_CODE } from "../../../src/plc/s7/messages/return-codes.ts";
import { encodeTpkt } from "../../../src/plc/s7/messages/tpkt.ts";
import { encodeWriteVarResponse } from "../../../src/plc/s7/messages/write-var.ts";
import { SeededRandom } from "../../../src/plc/simulated/random.ts";
import { okValue } from "../readings.ts";
import { type Reply, ScriptedServer } from "./scripted-server.ts";

const clock = () => 1_700_000_000_000;

interface Opened {
  readonly connection: PlcConnection;
  readonly lost: Promise<Error>;
  readonly lostCalls: Error[];
}

function failure(reading: TagReading | undefined): { code: string; message: string } {
  assert.ok(
    reading !== undefined && reading.code !== "OK",
    `expected a failed reading, got ${JSON.stringify(reading)}`,
  );
  assert.equal(reading.quality, "BAD");
  return { code: reading.code, message: reading.message };
}

describe("s7 with misbehaving PLCs", () => {
  let server: ScriptedServer;
  const opened: PlcConnection[] = [];

  before(async () => {
    server = await ScriptedServer.start({ pduLength: 480 });
  });
  after(async () => {
    await Promise.all(opened.map((connection) => connection.close()));
    await server.close();
  });
  beforeEach(() => {
    server.script = () => ({ kind: "answer" });
    server.received.length = 0;
    server.memory.dbs.set(1, Uint8Array.of(0, 11, 0, 22, 0, 33, 0, 44));
    server.memory.dbs.set(3, new Uint8Array(6));
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

  /** A connection whose next read the server answers with `reply`. */
  async function readWith(reply: Reply) {
    const opened = await open();
    server.script = () => reply;
    const readings = await opened.connection.read({ a: "%DB1:0:INT", b: "%DB1:6:INT" });
    return { ...opened, readings };
  }

  it("maps a refused request's error class to every tag, and stays usable", async () => {
    const cases: [number, number, string, RegExp][] = [
      [
        0x81,
        0x04,
        "UNSUPPORTED",
        /S7 error 0x8104 \(application relationship: function not supported in this context\)/,
      ],
      [0x85, 0x00, "REMOTE_ERROR", /S7 error 0x8500 \(error on supplies: request longer than the negotiated PDU\)/],
      [0x87, 0x01, "ACCESS_DENIED", /S7 error 0x8701 \(access error\)/],
      [0x83, 0x00, "REMOTE_BUSY", /no resources available/],
      [0x99, 0x07, "REMOTE_ERROR", /S7 error 0x9907 \(unknown error class 0x99\)/],
    ];
    for (const [errorClass, errorCode, code, message] of cases) {
      const { connection, readings, lostCalls } = await readWith({ kind: "refuse", errorClass, errorCode });
      for (const alias of ["a", "b"]) {
        const { code: got, message: text } = failure(readings[alias]);
        assert.equal(got, code);
        assert.match(text, message);
      }
      server.script = () => ({ kind: "answer" });
      assert.equal(okValue((await connection.read({ a: "%DB1:0:INT" })).a), 11);
      assert.equal(lostCalls.length, 0);
    }
  });

  it("retries an item refused for its range tag by tag, and reads the bad tag apart from then on", async () => {
    const { connection } = await open();
    server.memory.dbs.get(3)!.set([0, 5, 0, 6], 0);
    // DB3 has 6 bytes: c ends beyond it, and reading a..c as one item is refused with 0x05.
    const tags = { a: "%DB3:0:INT", b: "%DB3:2:INT", c: "%DB3:8:INT" };
    const first = await connection.read(tags);
    assert.deepEqual([okValue(first.a), okValue(first.b), failure(first.c).code], [5, 6, "INVALID_ADDRESS"]);
    const itemsOf = () => server.received.map((request) => request.items.length);
    assert.deepEqual(itemsOf(), [1, 3], "the merged item, then its three tags apart");
    server.received.length = 0;
    const second = await connection.read(tags);
    assert.deepEqual([okValue(second.a), okValue(second.b), failure(second.c).code], [5, 6, "INVALID_ADDRESS"]);
    assert.deepEqual(itemsOf(), [2], "one request: a..b merged, c alone");
  });

  it("gives each tag its item's return code", async () => {
    const { connection } = await open();
    const readings = await connection.read({ gone: "%DB77:0:INT", beyond: "%DB1:100:INT", fine: "%DB1:2:INT" });
    assert.deepEqual(failure(readings.gone), {
      code: "NOT_FOUND",
      message: "the PLC answered 0x0A (object does not exist)",
    });
    assert.equal(failure(readings.beyond).code, "INVALID_ADDRESS");
    assert.equal(okValue(readings.fine), 22);
    const written = await connection.write({
      gone: { address: "%DB77:0:INT", value: 1 },
      fine: { address: "%DB1:2:INT", value: 9 },
    });
    assert.deepEqual(written.gone, { code: "NOT_FOUND", message: "the PLC answered 0x0A (object does not exist)" });
    assert.deepEqual(written.fine, { code: "OK" });
  });

  it("times out a job the PLC does not answer, alone: the connection goes on", async () => {
    const { connection, readings, lostCalls } = await readWith({ kind: "silence" });
    assert.deepEqual(failure(readings.a), { code: "TIMEOUT", message: "no answer within 500 ms" });
    server.script = () => ({ kind: "answer" });
    assert.equal(okValue((await connection.read({ b: "%DB1:6:INT" })).b), 44);
    assert.equal(lostCalls.length, 0);
  });

  it("drops a link whose PLC stops in the middle of a frame (a truncated TPKT), and reports it lost", async () => {
    const { connection, readings, lost } = await readWith({
      kind: "bytes",
      bytes: Uint8Array.of(3, 0, 0, 40, 2, 0xf0),
    });
    assert.equal(failure(readings.a).code, "TIMEOUT");
    assert.match((await lost).message, /stopped sending in the middle of a frame \(6 bytes of it arrived\)/);
    await assert.rejects(connection.read({ a: "%DB1:0:INT" }), ConnectionFailedError);
  });

  it("drops a link whose PLC sends a PDU larger than negotiated", async () => {
    const items = [
      { returnCode: RETURN_CODE.SUCCESS, transportSize: DATA_TRANSPORT.BYTE_WORD_DWORD, data: new Uint8Array(600) },
    ];
    const { readings, lost } = await readWith({ kind: "pdu", pdu: encodeReadVarResponse({ pduReference: 1, items }) });
    const { code, message } = failure(readings.a);
    assert.equal(code, "REMOTE_ERROR");
    assert.match(message, /connection ended: .*COTP: a PDU of 618\+ bytes exceeds the 480 agreed/);
    assert.ok((await lost) instanceof ConnectionFailedError);
  });

  it("drops a link whose PLC closes it in the middle of a request: every tag REMOTE_ERROR, never a hang", async () => {
    const { connection, readings, lost } = await readWith({ kind: "close" });
    assert.deepEqual([failure(readings.a).code, failure(readings.b).code], ["REMOTE_ERROR", "REMOTE_ERROR"]);
    assert.match(failure(readings.a).message, /connection ended: .*(closed|ECONNRESET)/);
    await lost;
    await assert.rejects(connection.write({ a: { address: "%DB1:0:INT", value: 1 } }), ConnectionFailedError);
  });

  it("drops a link whose byte stream is not ISO-on-TCP", async () => {
    const { readings, lost } = await readWith({
      kind: "bytes",
      bytes: new TextEncoder().encode("HTTP/1.1 400 Bad\r\n\r\n"),
    });
    assert.equal(failure(readings.a).code, "REMOTE_ERROR");
    assert.match((await lost).message, /TPKT: version 72 is not 3: not an ISO-on-TCP stream/);
  });

  it("drops a link that answers a job nobody sent, or with another function", async () => {
    const stranger = encodeWriteVarResponse({ pduReference: 999, returnCodes: [0xff] });
    const first = await readWith({ kind: "pdu", pdu: stranger });
    assert.match((await first.lost).message, /PDU reference 999, which no job in flight has/);
    const opened = await open();
    server.script = (request) => ({
      kind: "pdu",
      pdu: encodeWriteVarResponse({ pduReference: request.pduReference, returnCodes: [0xff] }),
    });
    const readings = await opened.connection.read({ a: "%DB1:0:INT" });
    assert.match(failure(readings.a).message, /the answer to a read job \(reference \d+\) is a write response/);
    await opened.lost;
  });

  it("drops a link the PLC disconnects with a COTP DR", async () => {
    const dr = encodeTpkt(encodeCotpDisconnect({ destinationReference: 1, sourceReference: 7, reason: 0x80 }));
    const { readings, lost } = await readWith({ kind: "bytes", bytes: dr });
    assert.equal(failure(readings.a).code, "REMOTE_ERROR");
    assert.match((await lost).message, /the PLC sent a disconnect: normal disconnect \(0x80\)/);
  });

  it("refuses an answer with more items than asked, per tag, and goes on", async () => {
    const { connection, lostCalls } = await open();
    server.script = (request) => {
      const item = {
        returnCode: RETURN_CODE.SUCCESS,
        transportSize: DATA_TRANSPORT.BYTE_WORD_DWORD,
        data: Uint8Array.of(0, 1),
      };
      return {
        kind: "pdu",
        pdu: encodeReadVarResponse({ pduReference: request.pduReference, items: [item, item, item] }),
      };
    };
    const readings = await connection.read({ a: "%DB1:0:INT" });
    assert.match(failure(readings.a).message, /the PLC answered 3 items to a request of 1/);
    assert.equal(lostCalls.length, 0);
  });
});

describe("s7 keep-alive", () => {
  it("reads one bit while idle with ping=true, and drops a link whose PLC stops answering it", async () => {
    const server = await ScriptedServer.start();
    try {
      let report: (error: Error) => void = () => {};
      const lost = new Promise<Error>((resolve) => {
        report = resolve;
      });
      const url = `s7://127.0.0.1:${server.port}?remote-slot=1&ping=true&ping-time=50ms&read-timeout=150ms`;
      const connection = await connect(url, {
        onLost: (error) => report(error),
      });
      while (server.received.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      const probe = server.received[0]!;
      assert.deepEqual(probe.kind === "read" ? probe.items.map((item) => [item.area, item.transportSize]) : [], [
        [0x83, 1],
      ]);
      server.script = () => ({ kind: "silence" });
      assert.match((await lost).message, /no answer to a keep-alive within 150 ms/);
      await connection.close();
    } finally {
      await server.close();
    }
  });
});

describe("s7 with small TPDUs and short answers", () => {
  it("cuts PDUs into TPDUs of the size the PLC confirmed, and puts its answers back together", async () => {
    const server = await ScriptedServer.start({ tpduSize: 128, pduLength: 480 });
    try {
      const db = new Uint8Array(800);
      new DataView(db.buffer).setFloat32(396, 1.25);
      server.memory.dbs.set(1, db);
      const connection = await connect(server.url());
      const values = Array.from({ length: 100 }, (_, i) => i * 2);
      const written = await connection.write({ many: { address: "%DB1:400:INT[100]", value: values } });
      assert.deepEqual(written.many, { code: "OK" });
      const read = await connection.read({ real: "%DB1:396:REAL", many: "%DB1:400:INT[100]" });
      assert.equal(okValue(read.real), 1.25);
      assert.deepEqual(okValue(read.many), values);
      await connection.close();
    } finally {
      await server.close();
    }
  });

  it("writes the items a PLC left unanswered again, as few at a time as it answered", async () => {
    const server = await ScriptedServer.start();
    try {
      server.memory.dbs.set(1, new Uint8Array(100));
      server.script = (request) => (request.items.length > 3 ? { kind: "fewer", items: 3 } : { kind: "answer" });
      const connection = await connect(server.url());
      const writes = Object.fromEntries(
        Array.from({ length: 8 }, (_, i) => [`t${i}`, { address: `%DB1:${i * 10}:INT`, value: i + 1 }]),
      );
      const results = await connection.write(writes);
      for (const result of Object.values(results)) assert.deepEqual(result, { code: "OK" });
      const db = server.memory.dbs.get(1)!;
      assert.deepEqual(
        Array.from({ length: 8 }, (_, i) => db[i * 10 + 1]),
        [1, 2, 3, 4, 5, 6, 7, 8],
      );
      await connection.close();
    } finally {
      await server.close();
    }
  });
});

describe("s7 through the connection manager", () => {
  it("reconnects after the PLC dropped the connection, and reads again", async () => {
    const server = await ScriptedServer.start();
    server.memory.dbs.set(1, Uint8Array.of(0x12, 0x34));
    const random = new SeededRandom(5);
    const manager = new ConnectionManager({
      registry: drivers,
      random: () => random.float(),
      backoff: { baseMs: 5, factor: 2, capMs: 40 },
    });
    try {
      const handle = await manager.acquire(server.url());
      const tags = { word: "%DB1.DBW0:WORD" };
      assert.equal(okValue((await handle.read(tags)).word), 0x1234);
      const states: HealthState[] = [];
      const stop = handle.onHealth((event) => states.push(event.to));
      server.dropClients();
      for (let attempt = 0; attempt < 200; attempt++) {
        const reading = (await handle.read(tags)).word;
        if (reading?.code === "OK" && states.includes("connected")) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      stop();
      assert.ok(states.includes("disconnected"), states.join(" → "));
      assert.equal(states.at(-1), "connected");
      assert.equal(okValue((await handle.read(tags)).word), 0x1234);
      await handle.release();
    } finally {
      await manager.close();
      await server.close();
    }
  });
});
