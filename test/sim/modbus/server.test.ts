// The Modbus TCP server on loopback: pipelining, many clients, latency, serial mode, broken streams, clean shutdown.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { ModbusFaceOptionError } from "../../../src/sim/modbus/errors.ts";
import { createPlantGateway } from "../../../src/sim/modbus/gateway.ts";
import { listenModbus, type ModbusServerOptions, ModbusTcpServer } from "../../../src/sim/modbus/server.ts";
import { Plant } from "../../../src/sim/model/index.ts";
import { EXCHANGES, exchangePlant, hexFrame } from "./exchanges.ts";
import { pipelined, RawClient, readInputFrame } from "./raw-client.ts";

const open: ModbusTcpServer[] = [];
after(() => Promise.all(open.map((s) => s.close())));

async function serve(
  options: ModbusServerOptions = {},
  plant = new Plant({ seed: 3, startTime: Date.UTC(2024, 0, 8, 8) }),
) {
  const server = await listenModbus(createPlantGateway(plant), { port: 0, ...options });
  open.push(server);
  return { server, plant };
}

test("the hand-checked exchanges come back in order over TCP, each run between ticks sent as one burst", async () => {
  const plant = exchangePlant();
  const { server } = await serve({}, plant);
  const client = await RawClient.connect(server.port);
  // Runs of exchanges that need no tick in between are pipelined: all their requests leave before any answer arrives.
  const bursts: (typeof EXCHANGES)[number][][] = [];
  for (const exchange of EXCHANGES) {
    if ((exchange.steps ?? 0) > 0 || bursts.length === 0) bursts.push([]);
    bursts.at(-1)!.push(exchange);
  }
  for (const burst of bursts) {
    plant.step(burst[0]!.steps ?? 0);
    client.send(Buffer.concat(burst.map((e) => hexFrame(e.request))));
    const answers = await client.receive(burst.length);
    for (const [i, exchange] of burst.entries()) {
      const expected = hexFrame(exchange.response);
      assert.equal(answers[i]!.transactionId, expected.readUInt16BE(0), exchange.name);
      assert.deepEqual(Buffer.from(answers[i]!.pdu), expected.subarray(7), exchange.name);
    }
  }
  assert.ok(
    bursts.some((b) => b.length > 5),
    "some burst has many requests in flight",
  );
  await client.close();
});

test("a frame cut into single bytes is put back together", async () => {
  const { server, plant } = await serve();
  const client = await RawClient.connect(server.port);
  const frame = readInputFrame(77, 1, 0, 2);
  for (const byte of frame) client.send(Uint8Array.of(byte));
  const [answer] = await client.receive(1);
  assert.equal(answer!.transactionId, 77);
  assert.deepEqual([...answer!.pdu], [0x04, 4, 0, 0, 0, plant.conveyor.sequence]);
  await client.close();
});

test("many clients at once each get their own answers", async () => {
  const { server } = await serve();
  const clients = await Promise.all(Array.from({ length: 25 }, () => RawClient.connect(server.port)));
  const answers = await Promise.all(
    clients.map((client, i) => {
      client.send(readInputFrame(i, (i % 7) + 1, 0, 4));
      return client.receive(1);
    }),
  );
  for (const [i, [answer]] of answers.entries()) {
    assert.equal(answer!.transactionId, i);
    assert.equal(answer!.unitId, (i % 7) + 1);
  }
  assert.equal(server.stats.accepted, 25);
  await Promise.all(clients.map((c) => c.close()));
});

test("with latency, pipelined requests wait in parallel: ten in flight take about one latency", async () => {
  const latencyMs = 150;
  const { server } = await serve({ latencyMs });
  const client = await RawClient.connect(server.port);
  const started = performance.now();
  client.send(pipelined(10));
  const answers = await client.receive(10);
  const elapsed = performance.now() - started;
  assert.deepEqual(
    answers.map((a) => a.transactionId),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  assert.ok(elapsed >= latencyMs - 5, `answered after ${elapsed} ms, before the latency`);
  assert.ok(elapsed < 5 * latencyMs, `${elapsed} ms: the latency was paid per request, not once`);
  await client.close();
});

test("serial mode answers one request at a time: each pays the whole latency", async () => {
  const latencyMs = 40;
  const { server } = await serve({ latencyMs, serial: true });
  const client = await RawClient.connect(server.port);
  const started = performance.now();
  client.send(pipelined(6));
  const answers = await client.receive(6);
  const elapsed = performance.now() - started;
  assert.deepEqual(
    answers.map((a) => a.transactionId),
    [1, 2, 3, 4, 5, 6],
  );
  assert.ok(elapsed >= 6 * latencyMs - 5, `six serial answers in ${elapsed} ms`);
  await client.close();
});

test("serial mode without latency still answers everything in order", async () => {
  const { server } = await serve({ serial: true });
  const client = await RawClient.connect(server.port);
  client.send(pipelined(50, 2));
  const answers = await client.receive(50);
  assert.deepEqual(
    answers.map((a) => a.transactionId),
    Array.from({ length: 50 }, (_, i) => i + 1),
  );
  await client.close();
});

test("a stream that is not Modbus TCP is dropped, and the server goes on serving the others", async () => {
  const { server } = await serve();
  const good = await RawClient.connect(server.port);
  const bad = await RawClient.connect(server.port);
  const notModbus = readInputFrame(1, 1, 0, 2);
  notModbus[3] = 1; // protocol id 1
  bad.send(notModbus);
  await bad.closed();
  const tooLong = await RawClient.connect(server.port);
  tooLong.send(Uint8Array.of(0, 1, 0, 0, 0x01, 0x00, 1)); // length 256 > 254
  await tooLong.closed();
  assert.equal(server.stats.malformed, 2);
  good.send(readInputFrame(5, 1, 0, 2));
  const [answer] = await good.receive(1);
  assert.equal(answer!.transactionId, 5);
  await good.close();
});

test("close drops connections and pending answers, and frees the port", async () => {
  const { server } = await serve({ latencyMs: 10_000 });
  const client = await RawClient.connect(server.port);
  client.send(pipelined(3));
  const port = server.port;
  await server.close();
  await client.closed();
  assert.equal(client.unread, 0, "no answer left after close");
  assert.equal(server.stats.connections, 0);
  const again = await serve({ port });
  assert.equal(again.server.port, port);
});

test("a port that is taken rejects listen with the system's error", async () => {
  const { server } = await serve();
  const second = new ModbusTcpServer(createPlantGateway(new Plant({ seed: 1, startTime: 0 })), { port: server.port });
  await assert.rejects(second.listen(), { code: "EADDRINUSE" });
});

test("options out of range are refused with the option named", () => {
  const gateway = createPlantGateway(new Plant({ seed: 1, startTime: 0 }));
  const cases: [ModbusServerOptions, string][] = [
    [{ port: 70_000 }, "port"],
    [{ port: -1 }, "port"],
    [{ latencyMs: -1 }, "latencyMs"],
    [{ latencyMs: Number.NaN }, "latencyMs"],
    [{ latencyMs: 120_000 }, "latencyMs"],
  ];
  for (const [options, option] of cases) {
    assert.throws(
      () => new ModbusTcpServer(gateway, options),
      (error) => error instanceof ModbusFaceOptionError && error.option === option,
      JSON.stringify(options),
    );
  }
});
