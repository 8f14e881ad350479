// Tests the s7 driver against snap7's server (node-snap7, a peer written by others): every type both ways, many tags.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import type { PlcConnection } from "../../../src/plc/driver.ts";
import { connect } from "../../../src/plc/index.ts";
import { freePort } from "../../support/ports.ts";
import { okValue } from "../readings.ts";

/** The part of node-snap7's S7Server these tests use (its API docs: github.com/mathiasrk/node-snap7, doc/server.md). */
interface Snap7Server {
  readonly LocalPort: number;
  readonly srvAreaPE: number;
  readonly srvAreaPA: number;
  readonly srvAreaMK: number;
  readonly srvAreaDB: number;
  SetParam(param: number, value: number): boolean;
  RegisterArea(area: number, index: number, buffer: Buffer): boolean;
  RegisterArea(area: number, buffer: Buffer): boolean;
  SetArea(area: number, index: number, buffer: Buffer): void;
  SetArea(area: number, buffer: Buffer): void;
  GetArea(area: number, index?: number): Buffer;
  StartTo(ip: string): boolean;
  Stop(): boolean;
  LastError(): number;
  ErrorText(code: number): string;
}

const require = createRequire(import.meta.url);
const snap7 = require("node-snap7") as { S7Server: new () => Snap7Server };

/** How Node's own Buffer writes each type big-endian: the reference the driver is checked against. */
const TYPES: readonly { type: string; bytes: number; value: number | bigint; write: (b: Buffer, v: never) => void }[] =
  [
    { type: "SINT", bytes: 1, value: -100, write: (b, v: number) => b.writeInt8(v) },
    { type: "USINT", bytes: 1, value: 250, write: (b, v: number) => b.writeUInt8(v) },
    { type: "INT", bytes: 2, value: -12345, write: (b, v: number) => b.writeInt16BE(v) },
    { type: "UINT", bytes: 2, value: 54321, write: (b, v: number) => b.writeUInt16BE(v) },
    { type: "WORD", bytes: 2, value: 0xbeef, write: (b, v: number) => b.writeUInt16BE(v) },
    { type: "DINT", bytes: 4, value: -123456789, write: (b, v: number) => b.writeInt32BE(v) },
    { type: "UDINT", bytes: 4, value: 0xdeadbeef, write: (b, v: number) => b.writeUInt32BE(v) },
    { type: "DWORD", bytes: 4, value: 0x01020304, write: (b, v: number) => b.writeUInt32BE(v) },
    { type: "REAL", bytes: 4, value: Math.fround(-273.15), write: (b, v: number) => b.writeFloatBE(v) },
    { type: "LREAL", bytes: 8, value: 6.02214076e23, write: (b, v: number) => b.writeDoubleBE(v) },
    { type: "LINT", bytes: 8, value: -1234567890123456789n, write: (b, v: bigint) => b.writeBigInt64BE(v) },
    { type: "ULINT", bytes: 8, value: 0xfedcba9876543210n, write: (b, v: bigint) => b.writeBigUInt64BE(v) },
  ];

describe("s7 against snap7's server", () => {
  const server = new snap7.S7Server();
  const db1 = Buffer.alloc(1024);
  const db2 = Buffer.alloc(8192);
  const markers = Buffer.alloc(256);
  const inputs = Buffer.alloc(64);
  const outputs = Buffer.alloc(64);
  let port: number;
  let connection: PlcConnection;

  before(async () => {
    port = await freePort();
    assert.ok(server.SetParam(server.LocalPort, port));
    server.RegisterArea(server.srvAreaDB, 1, db1);
    server.RegisterArea(server.srvAreaDB, 2, db2);
    server.RegisterArea(server.srvAreaMK, markers);
    server.RegisterArea(server.srvAreaPE, inputs);
    server.RegisterArea(server.srvAreaPA, outputs);
    assert.ok(server.StartTo("127.0.0.1"), server.ErrorText(server.LastError()));
    connection = await connect(
      `s7://127.0.0.1:${port}?remote-rack=0&remote-slot=1&controller-type=S7_1500&read-timeout=3`,
    );
  });
  after(async () => {
    await connection?.close();
    server.Stop();
  });

  it("reads the integers and floats snap7 holds, at every offset parity", async () => {
    const image = Buffer.alloc(1024);
    const tags: Record<string, string> = {};
    TYPES.forEach(({ type, bytes, value, write }, index) => {
      const offset = index * 16 + (index % 2);
      write(image.subarray(offset, offset + bytes), value as never);
      tags[type] = `%DB1:${offset}:${type}`;
    });
    server.SetArea(server.srvAreaDB, 1, image);
    const readings = await connection.read(tags);
    for (const { type, value } of TYPES) assert.deepEqual(okValue(readings[type]), value, type);
  });

  it("writes them as snap7 reads them back", async () => {
    server.SetArea(server.srvAreaDB, 1, Buffer.alloc(1024));
    const writes = Object.fromEntries(
      TYPES.map(({ type, value }, index) => [type, { address: `%DB1.DB${index * 16}:${type}`, value }]),
    );
    const results = await connection.write(writes);
    for (const { type } of TYPES) assert.deepEqual(results[type], { code: "OK" }, type);
    const image = server.GetArea(server.srvAreaDB, 1);
    TYPES.forEach(({ type, bytes, value, write }, index) => {
      const expected = Buffer.alloc(bytes);
      write(expected, value as never);
      assert.deepEqual(image.subarray(index * 16, index * 16 + bytes), expected, type);
    });
  });

  it("writes and reads strings with their Siemens headers, times, dates and BCD DATE_AND_TIME", async () => {
    const when = new Date("2024-03-15T10:20:30.450Z");
    const tags = {
      name: { address: "%DB1:200:STRING(16)", value: "Press P1" },
      wide: { address: "%DB1:220:WSTRING(4)", value: "Ωmeg" },
      time: { address: "%DB1:240:TIME", value: { ms: 90_000 } },
      s5: { address: "%DB1:244:S5TIME", value: { ms: 2500 } },
      date: { address: "%DB1:246:DATE", value: new Date("2024-03-15T00:00:00Z") },
      tod: { address: "%DB1:248:TOD", value: { ms: 37_230_450 } },
      dt: { address: "%DB1:252:DT", value: when },
      dtl: { address: "%DB1:260:DTL", value: when },
    };
    const results = await connection.write(tags);
    for (const [alias, result] of Object.entries(results)) assert.deepEqual(result, { code: "OK" }, alias);
    const image = server.GetArea(server.srvAreaDB, 1);
    assert.deepEqual([...image.subarray(200, 210)], [16, 8, ...Buffer.from("Press P1", "latin1")]);
    assert.equal(image.subarray(252, 260).toString("hex"), "2403151020304506", "BCD with Friday = 6");
    assert.equal(image.readUInt16BE(244), 0x0250, "S5TIME 2.5 s");
    const readings = await connection.read(
      Object.fromEntries(Object.entries(tags).map(([alias, tag]) => [alias, tag.address])),
    );
    for (const [alias, tag] of Object.entries(tags)) assert.deepEqual(okValue(readings[alias]), tag.value, alias);
  });

  it("reads and writes bits of I, Q, M and DBs, touching nothing else", async () => {
    const image = Buffer.alloc(64);
    image.set([0b0000_0010, 0x12, 0x34]);
    server.SetArea(server.srvAreaPE, image);
    server.SetArea(server.srvAreaMK, Buffer.alloc(256, 0b1000_0001));
    const written = await connection.write({
      q: { address: "%Q0.4:BOOL", value: true },
      m: { address: "%M10.0", value: false },
      db: { address: "%DB1.DBX300.7:BOOL", value: true },
    });
    assert.deepEqual(Object.values(written), [{ code: "OK" }, { code: "OK" }, { code: "OK" }]);
    const readings = await connection.read({
      i: "%I0.1",
      iw: "%IW1:WORD",
      q: "%Q0.4:BOOL",
      m: "%M10.0",
      m7: "%M10.7",
      db: "%DB1.DBX300.7:BOOL",
    });
    assert.deepEqual(
      Object.fromEntries(Object.entries(readings).map(([alias, reading]) => [alias, okValue(reading)])),
      { i: true, iw: 0x1234, q: true, m: false, m7: true, db: true },
    );
    assert.equal(server.GetArea(server.srvAreaMK)[10], 0b1000_0000);
    assert.equal(server.GetArea(server.srvAreaPA)[0], 0b0001_0000);
  });

  it("reads 500 tags over two DBs and M, I, Q in requests of at most 20 items, all values right", async () => {
    const image = Buffer.alloc(8192);
    const tags: Record<string, string> = {};
    for (let i = 0; i < 480; i++) {
      image.writeInt32BE(i * 1000 - 7, i * 12);
      tags[`d${i}`] = `%DB2:${i * 12}:DINT`;
    }
    server.SetArea(server.srvAreaDB, 2, image);
    for (let i = 0; i < 20; i++) tags[`m${i}`] = `%M${100 + i}.${i % 8}`;
    const readings = await connection.read(tags);
    for (let i = 0; i < 480; i++) assert.equal(okValue(readings[`d${i}`]), i * 1000 - 7, `d${i}`);
    for (let i = 0; i < 20; i++) assert.equal(typeof okValue(readings[`m${i}`]), "boolean");
  });

  it("learns snap7's 20-item limit when the URL allows more, and still reads everything", async () => {
    const wide = await connect(`s7://127.0.0.1:${port}?remote-slot=1&max-items-per-request=60&read-timeout=3`);
    try {
      const image = Buffer.alloc(1024);
      const tags: Record<string, string> = {};
      for (let i = 0; i < 50; i++) {
        image.writeInt16BE(i - 25, i * 20);
        tags[`t${i}`] = `%DB1:${i * 20}:INT`;
      }
      server.SetArea(server.srvAreaDB, 1, image);
      for (let round = 0; round < 2; round++) {
        const readings = await wide.read(tags);
        for (let i = 0; i < 50; i++) assert.equal(okValue(readings[`t${i}`]), i - 25, `round ${round} t${i}`);
      }
    } finally {
      await wide.close();
    }
  });

  it("reads and writes an array larger than a PDU, cut at element boundaries", async () => {
    const values = Array.from({ length: 1500 }, (_, i) => Math.fround(i / 3));
    const written = await connection.write({ big: { address: "%DB2:0:REAL[1500]", value: values } });
    assert.deepEqual(written.big, { code: "OK" });
    const image = server.GetArea(server.srvAreaDB, 2);
    for (let i = 0; i < 1500; i += 97) assert.equal(image.readFloatBE(i * 4), values[i]);
    assert.deepEqual(okValue((await connection.read({ big: "%DB2:0:REAL[1500]" })).big), values);
  });

  it("reports what snap7 refuses per tag: a DB it lacks, an address beyond a DB", async () => {
    const readings = await connection.read({ gone: "%DB99:0:INT", beyond: "%DB1:1023:INT", fine: "%DB1:0:INT" });
    assert.equal(readings.gone?.code, "NOT_FOUND");
    assert.equal(readings.beyond?.code, "INVALID_ADDRESS");
    assert.equal(readings.fine?.code, "OK");
    await connection.ping();
  });
});
