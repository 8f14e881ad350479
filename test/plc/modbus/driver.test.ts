// Tests the modbus-tcp:// driver through connect(): URL options, values and byte orders, unit ids, ping and close.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { PlcConnection } from "../../../src/plc/driver.ts";
import {
  ConnectionClosedError,
  ConnectionFailedError,
  InvalidOptionError,
  InvalidUrlError,
  UnknownOptionError,
  UnsupportedOperationError,
} from "../../../src/plc/errors.ts";
import { connect, drivers, parseConnectionUrl } from "../../../src/plc/index.ts";
import { MODBUS_TCP_OPTIONS, parseModbusTcpUrl } from "../../../src/plc/modbus/driver.ts";
import { EXCEPTION } from "../../../src/plc/modbus/messages/exception.ts";
import type { TagReading } from "../../../src/plc/response.ts";
import { okValue as sharedOkValue } from "../readings.ts";
import { ScriptedServer } from "./scripted-server.ts";

const clock = () => 1_700_000_000_000;
const okValue = (reading: TagReading | undefined) => sharedOkValue(reading, clock());

describe("modbus-tcp URLs", () => {
  const settings = (url: string) => parseModbusTcpUrl(parseConnectionUrl(url));

  it("applies PLC4X's defaults", () => {
    const s = settings("modbus-tcp://plc.local");
    assert.deepEqual(
      {
        host: s.host,
        port: s.port,
        unit: s.defaultUnitId,
        timeout: s.requestTimeoutMs,
        order: s.byteOrder,
        registers: s.maxRegistersPerRequest,
        coils: s.maxCoilsPerRequest,
        concurrent: s.maxConcurrentRequests,
        ping: [s.pingAddress.area, s.pingAddress.address],
      },
      {
        host: "plc.local",
        port: 502,
        unit: 1,
        timeout: 5000,
        order: "BIG_ENDIAN",
        registers: 125,
        coils: 2000,
        concurrent: 1,
        ping: ["holding-register", 0],
      },
    );
  });

  it("reads every option", () => {
    const s = settings(
      "modbus-tcp://10.0.0.5:1502?unit-identifier=7&request-timeout=2s&default-payload-byte-order=LITTLE_ENDIAN_BYTE_SWAP" +
        "&max-registers-per-request=60&max-coils-per-request=100&max-concurrent-requests=4&ping-address=coil:3",
    );
    assert.deepEqual(
      [s.port, s.defaultUnitId, s.requestTimeoutMs, s.byteOrder, s.maxRegistersPerRequest, s.maxCoilsPerRequest],
      [1502, 7, 2000, "LITTLE_ENDIAN_BYTE_SWAP", 60, 100],
    );
    assert.equal(s.maxConcurrentRequests, 4);
    assert.deepEqual([s.pingAddress.area, s.pingAddress.address], ["coil", 2]);
    assert.equal(settings("modbus-tcp://h?default-unit-identifier=9").defaultUnitId, 9);
  });

  it("rejects unknown options, naming the known ones", () => {
    assert.throws(
      () => settings("modbus-tcp://h?unit-id=2"),
      (error: unknown) => {
        assert.ok(error instanceof UnknownOptionError);
        assert.equal(error.option, "unit-id");
        assert.deepEqual(error.known, MODBUS_TCP_OPTIONS);
        assert.match(error.message, /unknown option 'unit-id' at column 16; expected one of unit-identifier, /);
        return true;
      },
    );
  });

  const invalid: readonly [string, string, RegExp][] = [
    ["modbus-tcp://h?unit-identifier=256", "unit-identifier", /an integer in 0\.\.255/],
    ["modbus-tcp://h?request-timeout=0", "request-timeout", /a duration in 1\.\./],
    ["modbus-tcp://h?default-payload-byte-order=MIDDLE", "default-payload-byte-order", /one of BIG_ENDIAN, /],
    ["modbus-tcp://h?max-registers-per-request=126", "max-registers-per-request", /1\.\.125/],
    ["modbus-tcp://h?max-coils-per-request=0", "max-coils-per-request", /1\.\.2000/],
    ["modbus-tcp://h?max-concurrent-requests=0", "max-concurrent-requests", /1\.\.256/],
    ["modbus-tcp://h?ping-address=register:1", "ping-address", /'register:1' \(unknown area 'register'\)/],
    ["modbus-tcp://h?ping-address=extended-register:0", "ping-address", /a coil, input or register address/],
    ["modbus-tcp://h?unit-identifier=1&default-unit-identifier=2", "default-unit-identifier", /one of the two/],
  ];
  for (const [url, option, message] of invalid) {
    it(`rejects ${url.slice(url.indexOf("?") + 1)}`, () => {
      assert.throws(
        () => settings(url),
        (error: unknown) => {
          assert.ok(error instanceof InvalidOptionError, String(error));
          assert.equal(error.option, option);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it("needs a host and takes no path", () => {
    assert.throws(() => settings("modbus-tcp:///dev/ttyUSB0"), InvalidUrlError);
    assert.throws(() => settings("modbus-tcp://h/1"), { name: "InvalidUrlError", message: /path '\/1'/ });
  });

  it("is registered as modbus-tcp and modbus, over tcp", () => {
    const driver = drivers.driver("modbus-tcp");
    assert.equal(drivers.driver("modbus"), driver);
    assert.deepEqual([driver.name, driver.transports], ["Modbus TCP", ["tcp"]]);
  });
});

describe("modbus-tcp reads", () => {
  let server: ScriptedServer;
  let connection: PlcConnection;

  before(async () => {
    server = await ScriptedServer.start();
    connection = await connect(server.url(), { clock });
  });
  after(async () => {
    await connection.close();
    await server.close();
  });
  beforeEach(() => {
    server.script = () => ({ kind: "answer" });
    server.received.length = 0;
  });

  it("says what it can do", () => {
    assert.deepEqual(connection.metadata, {
      protocol: "modbus-tcp",
      canRead: true,
      canWrite: true,
      subscriptionModes: [],
      canBrowse: false,
    });
  });

  it("reads every area and many types in one request per area", async () => {
    const unit = server.unit(1);
    unit.holdingRegisters.set([0x1234, 0xfffe, 0x4048, 0xf5c3, 0x0001, 0x0002, 0x0003, 0x4142, 0x4300], 0);
    unit.inputRegisters.set([0x8000, 0x0000, 0x0064], 9);
    unit.coils.set([1, 0, 1], 4);
    unit.discreteInputs.set([0, 1], 0);
    const readings = await connection.read({
      word: "holding-register:1:WORD",
      int: "holding-register:2:INT",
      real: "holding-register:3:REAL",
      ints: "holding-register:5:UINT[3]",
      text: "holding-register:8:STRING(3)",
      dint: "input-register:10:DINT",
      udint: "3x00011:UDINT",
      coil: "coil:5",
      coils: "coil:5[3]",
      inputs: "discrete-input:1[2]",
    });
    assert.equal(okValue(readings.word), 0x1234);
    assert.equal(okValue(readings.int), -2);
    assert.equal(okValue(readings.real), Math.fround(3.14));
    assert.deepEqual(okValue(readings.ints), [1, 2, 3]);
    assert.equal(okValue(readings.text), "ABC");
    assert.equal(okValue(readings.dint), -2147483648);
    assert.equal(okValue(readings.udint), 100);
    assert.equal(okValue(readings.coil), true);
    assert.deepEqual(okValue(readings.coils), [true, false, true]);
    assert.deepEqual(okValue(readings.inputs), [false, true]);
    assert.deepEqual(
      server.received.map((r) => [
        r.request.functionCode,
        r.request.address,
        "quantity" in r.request && r.request.quantity,
      ]),
      [
        [1, 4, 3],
        [2, 0, 2],
        [4, 9, 3],
        [3, 0, 9],
      ],
    );
  });

  it("decodes in the URL's byte order unless the tag names its own", async () => {
    const little = await connect(server.url("default-payload-byte-order=LITTLE_ENDIAN_BYTE_SWAP"), { clock });
    try {
      server.unit(1).holdingRegisters.set([0x0304, 0x0102], 100);
      const readings = await little.read({
        url: "holding-register:101:DINT",
        big: "holding-register:101:DINT{byte-order: 'BIG_ENDIAN'}",
        swapped: "holding-register:101:DINT{byte-order: BIG_ENDIAN_BYTE_SWAP}",
        little: "holding-register:101:DINT{byte-order: 'LITTLE_ENDIAN'}",
      });
      assert.equal(okValue(readings.url), 0x01020304);
      assert.equal(okValue(readings.big), 0x03040102);
      assert.equal(okValue(readings.swapped), 0x04030201);
      assert.equal(okValue(readings.little), 0x02010403);
      assert.equal(server.received.length, 1, "one register block serves every byte order");
    } finally {
      await little.close();
    }
  });

  it("sends to the URL's unit unless the tag names its own", async () => {
    const seven = await connect(server.url("unit-identifier=7"), { clock });
    try {
      server.unit(7).holdingRegisters[0] = 70;
      server.unit(3).holdingRegisters[0] = 30;
      const readings = await seven.read({ a: "holding-register:1", b: "holding-register:1{unit-id: 3}" });
      assert.equal(okValue(readings.a), 70);
      assert.equal(okValue(readings.b), 30);
      assert.deepEqual(server.received.map((r) => r.unitId).sort(), [3, 7]);
    } finally {
      await seven.close();
    }
  });

  it("cuts a tag longer than max-registers-per-request into requests and puts it back together", async () => {
    const small = await connect(server.url("max-registers-per-request=4&max-coils-per-request=8"), { clock });
    try {
      const reals = [1.5, -2.25, 1e6, 0.125, 42];
      const view = new DataView(new ArrayBuffer(20));
      for (const [index, value] of reals.entries()) view.setFloat32(4 * index, value);
      for (let index = 0; index < 10; index++) server.unit(1).holdingRegisters[200 + index] = view.getUint16(2 * index);
      server.unit(1).coils.set([1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1], 50);
      const readings = await small.read({ reals: "holding-register:201:REAL[5]", bits: "coil:51[11]" });
      assert.deepEqual(okValue(readings.reals), reals);
      assert.deepEqual(okValue(readings.bits), [true, true, false, false, true, false, true, false, true, true, true]);
      assert.deepEqual(
        server.received.map((r) => ["quantity" in r.request && r.request.quantity, r.request.address]),
        [
          [8, 50],
          [3, 58],
          [4, 200],
          [4, 204],
          [2, 208],
        ],
      );
    } finally {
      await small.close();
    }
  });

  it("answers an invalid stored value with INVALID_DATA for that tag only", async () => {
    server.unit(1).holdingRegisters.set([0x05f5, 0xe100], 300); // 100,000,000 ms: past the end of a day
    const readings = await connection.read({
      tod: "holding-register:301:TIME_OF_DAY",
      n: "holding-register:301:UDINT",
    });
    assert.equal(readings.tod?.code, "INVALID_DATA");
    assert.equal(readings.tod?.quality, "BAD");
    assert.equal(okValue(readings.n), 100_000_000);
  });

  it("fails 6x extended registers alone with UNSUPPORTED", async () => {
    const readings = await connection.read({ x: "extended-register:0", a: "holding-register:1" });
    const { x } = readings;
    assert.ok(x !== undefined && x.code === "UNSUPPORTED");
    assert.match(x.message, /Read File Record/);
    assert.equal(readings.a?.code, "OK");
  });

  it("turns an exception into that tag's code with quality BAD", async () => {
    server.script = (received) =>
      received.request.functionCode === 3
        ? { kind: "exception", exceptionCode: EXCEPTION.SERVER_DEVICE_BUSY }
        : { kind: "answer" };
    const readings = await connection.read({ busy: "holding-register:1", fine: "coil:1" });
    assert.deepEqual(readings.busy, {
      code: "REMOTE_BUSY",
      quality: "BAD",
      sampledAt: clock(),
      message: "Modbus exception 0x06 SERVER DEVICE BUSY in answer to function 0x03",
    });
    assert.equal(okValue(readings.fine), false);
  });

  it("pings by reading ping-address; an exception is an answer too", async () => {
    await connection.ping();
    server.script = () => ({ kind: "exception", exceptionCode: EXCEPTION.ILLEGAL_DATA_ADDRESS });
    await connection.ping();
    assert.deepEqual(
      server.received.map((r) => [r.request.functionCode, r.request.address]),
      [
        [3, 0],
        [3, 0],
      ],
    );
  });

  it("refuses subscriptions and browsing, as PLC4X's Modbus TCP driver does", async () => {
    await assert.rejects(
      connection.subscribe({ a: "holding-register:1" }, () => {}, { mode: "cyclic", intervalMs: 100 }),
      UnsupportedOperationError,
    );
    await assert.rejects(connection.browse(), UnsupportedOperationError);
  });
});

describe("modbus-tcp connections", () => {
  it("fails to connect with ConnectionFailedError when the device does not listen", async () => {
    const server = await ScriptedServer.start();
    const url = server.url();
    await server.close();
    await assert.rejects(connect(url), ConnectionFailedError);
  });

  it("closes its socket on close(), and refuses calls after it", async () => {
    const server = await ScriptedServer.start();
    const connection = await connect(server.url());
    await connection.ping();
    assert.equal(server.connections, 1);
    const closed = server.whenAllClosed();
    await connection.close();
    await closed;
    assert.equal(server.openSockets, 0);
    await connection.close();
    await assert.rejects(connection.read({ a: "coil:1" }), ConnectionClosedError);
    await server.close();
  });
});
