// Tests the modbus-tcp driver against jsmodbus' TCP server, a peer written by others: values both ways, in every order.
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import Modbus from "jsmodbus";
import type { PlcConnection } from "../../../src/plc/driver.ts";
import { connect } from "../../../src/plc/index.ts";
import { BYTE_ORDERS, type ByteOrder } from "../../../src/plc/modbus/register-layout.ts";
import { okValue } from "../readings.ts";

/** How Node's own Buffer writes and reads one type, big- and little-endian: the reference the driver is checked against. */
interface NodeCodec {
  readonly bytes: number;
  readonly value: number | bigint;
  write(buffer: Buffer, value: number | bigint, offset: number, little: boolean): void;
  read(buffer: Buffer, offset: number, little: boolean): number | bigint;
}

const num = (bytes: number, value: number, name: "Int16" | "UInt16" | "Int32" | "UInt32" | "Float" | "Double") => ({
  bytes,
  value,
  write: (b: Buffer, v: number | bigint, o: number, little: boolean) =>
    b[`write${name}${little ? "LE" : "BE"}`](Number(v), o),
  read: (b: Buffer, o: number, little: boolean) => b[`read${name}${little ? "LE" : "BE"}`](o),
});

const big = (value: bigint, name: "BigInt64" | "BigUInt64") => ({
  bytes: 8,
  value,
  write: (b: Buffer, v: number | bigint, o: number, little: boolean) =>
    b[`write${name}${little ? "LE" : "BE"}`](BigInt(v), o),
  read: (b: Buffer, o: number, little: boolean) => b[`read${name}${little ? "LE" : "BE"}`](o),
});

const TYPES: Readonly<Record<string, NodeCodec>> = {
  INT: num(2, -12345, "Int16"),
  UINT: num(2, 54321, "UInt16"),
  WORD: num(2, 0xbeef, "UInt16"),
  DINT: num(4, -123456789, "Int32"),
  UDINT: num(4, 0xdeadbeef, "UInt32"),
  REAL: num(4, Math.fround(-273.15), "Float"),
  LREAL: num(8, 6.02214076e23, "Double"),
  LINT: big(-1234567890123456789n, "BigInt64"),
  ULINT: big(0xfedcba9876543210n, "BigUInt64"),
};

/** The bytes of `value` in `order`: Node's BE or LE writer, then every register's two bytes swapped for *_BYTE_SWAP. */
function place(codec: NodeCodec, value: number | bigint, order: ByteOrder): Buffer {
  const bytes = Buffer.alloc(codec.bytes);
  codec.write(bytes, value, 0, order.startsWith("LITTLE"));
  return order.endsWith("_BYTE_SWAP") ? bytes.swap16() : bytes;
}

function takeBack(codec: NodeCodec, bytes: Buffer, order: ByteOrder): number | bigint {
  const copy = Buffer.from(bytes);
  return codec.read(order.endsWith("_BYTE_SWAP") ? copy.swap16() : copy, 0, order.startsWith("LITTLE"));
}

const REGISTERS = 1000;
const setBit = (buffer: Buffer, index: number, on: boolean) => {
  buffer[index >> 3] = on ? buffer[index >> 3]! | (1 << (index & 7)) : buffer[index >> 3]! & ~(1 << (index & 7));
};
const bitOf = (buffer: Buffer, index: number) => (buffer[index >> 3]! & (1 << (index & 7))) !== 0;

describe("modbus-tcp against jsmodbus' server", () => {
  const holding = Buffer.alloc(2 * REGISTERS);
  const input = Buffer.alloc(2 * REGISTERS);
  const coils = Buffer.alloc(256);
  const discrete = Buffer.alloc(256);
  const sockets = new Set<Socket>();
  let net: Server;
  let url: string;
  let connection: PlcConnection;

  before(async () => {
    net = createServer();
    net.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    new Modbus.server.TCP(net, { holding, input, coils, discrete });
    await new Promise<void>((resolve) => net.listen(0, "127.0.0.1", resolve));
    const address = net.address();
    url = `modbus-tcp://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
    connection = await connect(url);
  });
  after(async () => {
    await connection.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => net.close(resolve));
  });

  it("reads holding and input registers of every type in every byte order", async () => {
    const tags: Record<string, string> = {};
    const expected: Record<string, number | bigint> = {};
    let register = 0;
    for (const order of BYTE_ORDERS) {
      for (const [type, codec] of Object.entries(TYPES)) {
        const area = register % 3 === 0 ? "input-register" : "holding-register";
        place(codec, codec.value, order).copy(area === "input-register" ? input : holding, 2 * register);
        const alias = `${type}-${order}-${area}`;
        tags[alias] = `${area}:${register + 1}:${type}{byte-order: '${order}'}`;
        expected[alias] = codec.value;
        register += codec.bytes / 2;
      }
    }
    const readings = await connection.read(tags);
    for (const [alias, value] of Object.entries(expected)) assert.equal(okValue(readings[alias]), value, alias);
  });

  it("writes holding registers of every type in every byte order where jsmodbus keeps them", async () => {
    const tags: Record<string, { address: string; value: unknown }> = {};
    const placed: [string, NodeCodec, ByteOrder, number][] = [];
    let register = 200;
    for (const order of BYTE_ORDERS) {
      for (const [type, codec] of Object.entries(TYPES)) {
        tags[`${type}-${order}`] = {
          address: `holding-register:${register + 1}:${type}{byte-order: ${order}}`,
          value: codec.value,
        };
        placed.push([type, codec, order, register]);
        register += codec.bytes / 2;
      }
    }
    const results = await connection.write(tags);
    assert.ok(
      Object.values(results).every((result) => result.code === "OK"),
      JSON.stringify(results),
    );
    for (const [type, codec, order, at] of placed) {
      const bytes = holding.subarray(2 * at, 2 * at + codec.bytes);
      assert.equal(takeBack(codec, bytes, order), codec.value, `${type} ${order}`);
    }
  });

  it("writes a single register with function 6 and reads it back", async () => {
    const results = await connection.write({ one: { address: "holding-register:500:INT", value: -7 } });
    assert.deepEqual(results.one, { code: "OK" });
    assert.equal(holding.readInt16BE(2 * 499), -7);
    assert.equal(okValue((await connection.read({ one: "holding-register:500:INT" })).one), -7);
  });

  it("reads and writes text: STRING one byte per character, WSTRING one register per UTF-16 unit", async () => {
    holding.write("Fabrik\0\0", 2 * 600, "latin1");
    Buffer.from("Ωmega", "utf16le")
      .swap16()
      .copy(holding, 2 * 610);
    const readings = await connection.read({
      s: "holding-register:601:STRING(8)",
      w: "holding-register:611:WSTRING(5)",
    });
    assert.equal(okValue(readings.s), "Fabrik");
    assert.equal(okValue(readings.w), "Ωmega");
    await connection.write({ s: { address: "holding-register:621:STRING(6)", value: "Kafka" } });
    assert.equal(holding.toString("latin1", 2 * 620, 2 * 620 + 6), "Kafka\0");
  });

  it("reads BOOL arrays packed 16 to a register", async () => {
    holding.writeUInt16BE(0b1000_0000_0000_0101, 2 * 700);
    holding.writeUInt16BE(0b0000_0000_0000_0010, 2 * 701);
    const bits = okValue((await connection.read({ b: "holding-register:701:BOOL[18]" })).b) as boolean[];
    assert.deepEqual(
      bits.flatMap((on, index) => (on ? [index] : [])),
      [0, 2, 15, 17],
    );
  });

  it("reads coils and discrete inputs, singly and as arrays", async () => {
    const pattern = [true, false, true, true, false, false, true, false, true, true];
    pattern.forEach((on, index) => {
      setBit(coils, 100 + index, on);
      setBit(discrete, 300 + index, !on);
    });
    const readings = await connection.read({
      coils: "coil:101[10]",
      one: "0x00103",
      inputs: "discrete-input:301[10]",
      input: "1x00302",
    });
    assert.deepEqual(okValue(readings.coils), pattern);
    assert.equal(okValue(readings.one), true);
    assert.deepEqual(
      okValue(readings.inputs),
      pattern.map((on) => !on),
    );
    assert.equal(okValue(readings.input), true);
  });

  it("writes coils with function 5 and 15 into jsmodbus' coil buffer", async () => {
    const pattern = [false, true, true, false, true, false, false, true, true, false, true];
    const results = await connection.write({
      many: { address: "coil:501[11]", value: pattern },
      one: { address: "coil:600", value: true },
    });
    assert.deepEqual(results, { many: { code: "OK" }, one: { code: "OK" } });
    assert.deepEqual(
      pattern.map((_, index) => bitOf(coils, 500 + index)),
      pattern,
    );
    assert.equal(bitOf(coils, 599), true);
    await connection.write({ one: { address: "coil:600", value: false } });
    assert.equal(bitOf(coils, 599), false);
  });

  it("matches answers jsmodbus sends out of order when requests arrive together", async () => {
    const concurrent = await connect(`${url}?max-concurrent-requests=4&max-registers-per-request=2`);
    try {
      for (let index = 0; index < 8; index++) holding.writeUInt16BE(1000 + index, 2 * (800 + index));
      const readings = await concurrent.read({ block: "holding-register:801:UINT[8]", other: "input-register:1:INT" });
      assert.deepEqual(
        okValue(readings.block),
        Array.from({ length: 8 }, (_, index) => 1000 + index),
      );
      assert.equal(readings.other?.code, "OK");
    } finally {
      await concurrent.close();
    }
  });

  it("gets jsmodbus' ILLEGAL DATA ADDRESS for a register it does not have, as that tag's code", async () => {
    const results = await connection.write({
      outside: { address: `holding-register:${REGISTERS + 2}`, value: 1 },
      inside: { address: "holding-register:900", value: 1 },
    });
    assert.equal(results.outside?.code, "INVALID_ADDRESS");
    assert.deepEqual(results.inside, { code: "OK" });
  });
});
