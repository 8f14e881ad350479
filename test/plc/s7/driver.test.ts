// Tests the s7 driver end to end against a scripted PLC: every type read and written, packing, jobs in flight, limits.
import assert from "node:assert/strict";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import type { PlcConnection } from "../../../src/plc/driver.ts";
import { connect } from "../../../src/plc/index.ts";
import { parseS7Address } from "../../../src/plc/s7/address.ts";
import type { PlcValue } from "../../../src/plc/values.ts";
import { okValue } from "../readings.ts";
import { ScriptedServer } from "./scripted-server.ts";
import { hexBytes, loadVectorFiles, toHex } from "./vectors.ts";

interface ValueCase {
  readonly name?: string;
  readonly address: string;
  readonly hex: string;
  readonly value: PlcValue;
  readonly decodeOnly?: boolean;
}

const [values] = loadVectorFiles<{ cases: readonly ValueCase[] }>("values").map(({ content }) => content);
const clock = () => 1_700_000_000_000;

/** Each value vector moved to its own DB offset, so one read can carry them all. */
const placed = values!.cases.map((c, index) => {
  const offset = index * 32;
  const address = c.address.replace(
    /^%DB1([.:])(DB[XBWD]?)?(\d+)/,
    (_, sep: string, code: string | undefined, byte: string) =>
      sep === "." ? `%DB1.${code ?? "DB"}${offset + Number(byte)}` : `%DB1:${offset + Number(byte)}`,
  );
  return { ...c, address, offset, alias: `v${index}` };
});

describe("s7 driver against a scripted PLC", () => {
  let server: ScriptedServer;
  const opened: PlcConnection[] = [];

  before(async () => {
    server = await ScriptedServer.start({ pduLength: 480, maxAmq: 3 });
  });
  after(async () => {
    await Promise.all(opened.map((connection) => connection.close()));
    await server.close();
  });
  beforeEach(() => {
    server.script = () => ({ kind: "answer" });
    server.received.length = 0;
    server.memory.dbs.set(1, new Uint8Array(32 * placed.length));
  });

  async function open(query = ""): Promise<PlcConnection> {
    const connection = await connect(server.url(query), { clock });
    opened.push(connection);
    return connection;
  }

  it("reads every type from the bytes a PLC holds, all in as few requests as the PDU allows", async () => {
    const db = server.memory.dbs.get(1)!;
    for (const c of placed) db.set(hexBytes(c.hex), c.offset);
    const connection = await open();
    const readings = await connection.read(Object.fromEntries(placed.map((c) => [c.alias, c.address])));
    for (const c of placed) assert.deepEqual(okValue(readings[c.alias], clock()), c.value, c.name ?? c.address);
    // 39 tags of a few bytes each with gaps wider than an item costs: the item limit (20) binds, 2 requests.
    assert.equal(server.received.length, 2);
    assert.ok(server.received.every((request) => request.items.length <= 20));
  });

  it("writes every type as the PLC's bytes, and reads back what it wrote", async () => {
    const connection = await open();
    const writable = placed.filter((c) => !c.decodeOnly);
    const results = await connection.write(
      Object.fromEntries(writable.map((c) => [c.alias, { address: c.address, value: c.value }])),
    );
    for (const c of writable) assert.deepEqual(results[c.alias], { code: "OK" }, c.address);
    const db = server.memory.dbs.get(1)!;
    for (const c of writable) {
      const bytes = hexBytes(c.hex);
      assert.equal(toHex(db.subarray(c.offset, c.offset + bytes.length)), toHex(bytes), c.address);
    }
  });

  it("writes neighbours without a gap between them as one item, and never writes across a gap", async () => {
    const connection = await open();
    await connection.write({
      a: { address: "%DB1:0:INT", value: 1 },
      b: { address: "%DB1:2:REAL", value: 2 },
      c: { address: "%DB1:6:BYTE", value: 3 },
      d: { address: "%DB1:8:INT", value: 4 },
    });
    const items = server.received.flatMap((request) => (request.kind === "write" ? request.items : []));
    assert.deepEqual(
      items.map(({ item, data }) => [item.byteAddress, toHex(data.data)]),
      // INT 1, REAL 2.0, BYTE 3 in one item of 7 bytes (sent last: the odd one needs no padding there), INT 4 apart.
      [
        [8, "0004"],
        [0, "00014000000003"],
      ],
    );
  });

  it("writes a BOOL as its bit alone, leaving its neighbours as they were", async () => {
    const db = server.memory.dbs.get(1)!;
    db[4] = 0b1010_0101;
    const connection = await open();
    const results = await connection.write({
      on: { address: "%DB1.DBX4.1:BOOL", value: true },
      off: { address: "%DB1.DBX4.0:BOOL", value: false },
      row: { address: "%DB1.DBX4.6:BOOL[3]", value: [true, true, true] },
    });
    assert.deepEqual(results, { on: { code: "OK" }, off: { code: "OK" }, row: { code: "OK" } });
    assert.equal(db[4], 0b1110_0110);
    assert.equal(db[5]! & 1, 1);
  });

  it("answers per tag: a value that does not fit, a type the controller lacks, a DB that does not exist", async () => {
    const connection = await open("controller-type=S7_300");
    const written = await connection.write({
      big: { address: "%DB1:0:INT", value: 40000 },
      s5: { address: "%DB1:2:S5TIME", value: { ms: 12340 } },
      lreal: { address: "%DB1:8:LREAL", value: 1.5 },
      fine: { address: "%DB1:16:INT", value: 7 },
    });
    assert.equal(written.big?.code, "INVALID_DATA");
    const s5 = written.s5;
    assert.ok(s5 !== undefined && s5.code === "INVALID_DATA");
    assert.match(s5.message, /12340 ms has no exact S5TIME/);
    assert.deepEqual(written.lreal, { code: "INVALID_DATATYPE", message: "LREAL does not exist on S7_300" });
    assert.deepEqual(written.fine, { code: "OK" });
    const read = await connection.read({
      lreal: "%DB1:8:LREAL",
      missing: "%DB9:0:INT",
      fine: "%DB1:16:INT",
      bad: "%DB1:x",
    });
    assert.equal(read.lreal?.code, "INVALID_DATATYPE");
    assert.deepEqual([read.missing?.code, read.missing?.quality], ["NOT_FOUND", "BAD"]);
    assert.equal(okValue(read.fine), 7);
    assert.equal(read.bad?.code, "INVALID_ADDRESS");
  });

  it("keeps up to the negotiated number of jobs in flight, and no more", async () => {
    server.memory.dbs.set(1, new Uint8Array(2200));
    const connection = await open("pdu-size=240&max-amq-caller=8");
    let inFlight = 0;
    let most = 0;
    const release: (() => void)[] = [];
    server.script = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => release.push(resolve));
      inFlight--;
      return { kind: "answer" };
    };
    // 10 × 200 bytes far apart: 10 items of which 1 fits a 240-byte PDU each.
    const tags = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`t${i}`, `%DB1:${i * 220}:BYTE[200]`]));
    const reading = connection.read(tags);
    while (release.length < 3) await new Promise((resolve) => setImmediate(resolve));
    // The server granted 3 jobs: the other 7 requests wait for an answer before they are sent.
    assert.equal(server.received.length, 3);
    while (server.received.length < 10 || release.length > 0) {
      release.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const readings = await reading;
    assert.equal(most, 3);
    for (const reading of Object.values(readings)) assert.equal(reading.code, "OK");
  });

  it("learns a lower item limit from a PLC that answers only the first items, and reads everything", async () => {
    const connection = await open("max-items-per-request=30&pdu-size=960");
    server.script = (request) => (request.items.length > 4 ? { kind: "fewer", items: 4 } : { kind: "answer" });
    server.memory.dbs.get(1)!.set([0, 2], 100);
    const tags = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`t${i}`, `%DB1:${i * 100}:INT`]));
    const first = await connection.read(tags);
    for (const reading of Object.values(first)) assert.equal(reading.code, "OK");
    assert.equal(okValue(first.t1), 2);
    server.received.length = 0;
    await connection.read(tags);
    assert.ok(
      server.received.every((request) => request.items.length <= 4),
      "every later request keeps the limit",
    );
    assert.equal(server.received.length, 3);
  });

  it("negotiates PDU size and jobs, and ping gets an answer", async () => {
    const connection = await open("pdu-size=960&max-amq-caller=2");
    await connection.ping();
    const read = server.received.at(-1);
    assert.equal(read?.kind, "read");
    // One bit of M0: what every S7 has.
    assert.deepEqual(read?.kind === "read" ? read.items : undefined, [
      { transportSize: 1, count: 1, dbNumber: 0, area: 0x83, byteAddress: 0, bitAddress: 0 },
    ]);
  });

  it("sends a large array across PDUs at element boundaries and puts it back together", async () => {
    const db = new Uint8Array(4000);
    const view = new DataView(db.buffer);
    for (let i = 0; i < 1000; i++) view.setFloat32(i * 4, i + 0.5);
    server.memory.dbs.set(2, db);
    const connection = await open();
    const reading = await connection.read({ big: "%DB2:0:REAL[1000]" });
    assert.deepEqual(
      okValue(reading.big),
      Array.from({ length: 1000 }, (_, i) => i + 0.5),
    );
    for (const request of server.received) {
      for (const item of request.kind === "read" ? request.items : []) assert.equal(item.count % 4, 0, "whole REALs");
    }
    assert.equal(server.received.length, Math.ceil(4000 / 460));
    assert.equal(parseS7Address("%DB2:0:REAL[1000]").byteLength, 4000);
  });
});

describe("s7 connection set-up", () => {
  it("names the refused TSAP when the PLC disconnects a wrong rack/slot", async () => {
    const server = await ScriptedServer.start({ tsap: 0x0102 });
    try {
      await assert.rejects(connect(server.url()), (error: Error) => {
        assert.match(
          error.message,
          /COTP connect: the PLC refused TSAP 0x0101: connection request refused \(0x88\); check rack and slot/,
        );
        return true;
      });
      const connection = await connect(server.url().replace("remote-slot=1", "remote-slot=2"));
      await connection.close();
    } finally {
      await server.close();
    }
  });

  it("fails within read-timeout when nothing answers the connection request", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      socket.on("error", () => {});
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = performance.now();
      await assert.rejects(connect(`s7://127.0.0.1:${port}?read-timeout=300ms`), (error: Error) => {
        assert.match(error.message, /COTP connect: no answer within 300 ms/);
        return true;
      });
      assert.ok(performance.now() - started < 2000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
