// Tests the Modbus TCP transport alone: transaction ids, the in-flight limit, timeouts, late answers, and links gone bad.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { ConnectionFailedError } from "../../../src/plc/errors.ts";
import {
  READ_HOLDING_REGISTERS,
  type ReadHoldingRegistersRequest,
} from "../../../src/plc/modbus/messages/read-holding-registers.ts";
import { encodeResponse } from "../../../src/plc/modbus/pdu.ts";
import { type ModbusTcpTransport, openTransport, type TransportSettings } from "../../../src/plc/modbus/transport.ts";
import { ScriptedServer } from "./scripted-server.ts";

/** Lets the event loop go round `count` times: answers scheduled this way leave in a known order. */
async function turns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
}

const read = (address: number, quantity = 1): ReadHoldingRegistersRequest => ({
  functionCode: READ_HOLDING_REGISTERS,
  address,
  quantity,
});

describe("Modbus TCP transport", () => {
  let server: ScriptedServer;
  const open: ModbusTcpTransport[] = [];

  before(async () => {
    server = await ScriptedServer.start();
  });
  after(async () => {
    await Promise.all(open.map((transport) => transport.close()));
    await server.close();
  });

  async function connect(overrides: Partial<TransportSettings> = {}): Promise<ModbusTcpTransport> {
    server.script = () => ({ kind: "answer" });
    server.received.length = 0;
    server.maxOutstanding = 0;
    const transport = await openTransport({
      host: "127.0.0.1",
      port: server.port,
      target: "modbus-tcp://test",
      requestTimeoutMs: 2000,
      maxInFlight: 1,
      ...overrides,
    });
    open.push(transport);
    return transport;
  }

  it("matches answers to requests by transaction id, whatever their order", async () => {
    const transport = await connect({ maxInFlight: 3 });
    server.unit(1).holdingRegisters.set([10, 11, 12], 0);
    // Hold all three until they are in, then answer them last first.
    server.script = async (received, s) => {
      await s.whenReceived(3);
      await turns(2 - received.request.address);
      return { kind: "answer" };
    };
    const answers = await Promise.all([0, 1, 2].map((address) => transport.send(1, read(address))));
    assert.deepEqual(
      answers.map((a) => (a.kind === "response" ? a.response.values : a)),
      [[10], [11], [12]],
    );
    const ids = server.received.map((r) => r.transactionId);
    assert.equal(new Set(ids).size, 3, "each request in flight has its own id");
    assert.equal(server.maxOutstanding, 3);
    assert.equal(transport.inFlight, 0);
  });

  it("keeps at most maxInFlight requests on the wire and queues the rest", async () => {
    const transport = await connect({ maxInFlight: 2 });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    server.script = async () => {
      await gate;
      return { kind: "answer" };
    };
    const pending = [0, 1, 2, 3, 4].map((address) => transport.send(1, read(address)));
    await server.whenReceived(2);
    assert.equal(transport.inFlight, 2);
    release();
    const answers = await Promise.all(pending);
    assert.ok(answers.every((a) => a.kind === "response"));
    assert.equal(server.received.length, 5);
    assert.equal(server.maxOutstanding, 2);
  });

  it("fails a request without an answer with TIMEOUT, keeps the link, and drops the late answer", async () => {
    // Long enough that the second request, which is answered, never times out on a busy machine.
    const transport = await connect({ requestTimeoutMs: 250 });
    server.script = () => ({ kind: "silence" });
    const first = await transport.send(1, read(0));
    assert.deepEqual(first, { kind: "failed", code: "TIMEOUT", message: "no answer within 250 ms" });
    assert.equal(transport.end, undefined);
    // The late answer arrives just before the next one; it must be dropped, not taken for the next answer or garbage.
    server.script = (received, s) => ({
      kind: "bytes",
      bytes: Buffer.concat([
        s.frame(server.received[0]!, s.answer(server.received[0]!)),
        s.frame(received, s.answer(received)),
      ]),
    });
    server.unit(1).holdingRegisters[5] = 55;
    const second = await transport.send(1, read(5));
    assert.deepEqual(second.kind === "response" ? second.response.values : second, [55]);
    assert.equal(transport.end, undefined);
    assert.deepEqual(
      server.received.map((r) => r.request.address),
      [0, 5],
    );
  });

  it("ends the link on an answer nobody asked for, failing everything in flight and queued", async () => {
    const transport = await connect({ maxInFlight: 1 });
    server.script = (received, s) => ({
      kind: "frame",
      transactionId: (received.transactionId + 100) & 0xffff,
      pdu: s.answer(received),
    });
    const [first, queued] = await Promise.all([transport.send(1, read(0)), transport.send(1, read(1))]);
    assert.equal(first.kind, "failed");
    assert.match(first.kind === "failed" ? first.message : "", /connection ended: an answer with transaction id \d+/);
    assert.deepEqual(queued.kind === "failed" && [queued.code, queued.message.startsWith("not sent: ")], [
      "REMOTE_ERROR",
      true,
    ]);
    const end = await transport.ended;
    assert.equal(end.cause, "lost");
    assert.ok(end.cause === "lost" && end.error instanceof ConnectionFailedError);
    assert.equal(server.received.length, 1, "the queued request was never sent");
    const after = await transport.send(1, read(0));
    assert.equal(after.kind === "failed" && after.code, "REMOTE_ERROR");
  });

  it("ends the link on an answer that does not fit its request", async () => {
    const transport = await connect();
    server.script = () => ({
      kind: "frame",
      pdu: encodeResponse({ functionCode: 3, values: [1, 2] }),
    });
    const answer = await transport.send(1, read(0));
    assert.equal(answer.kind, "failed");
    assert.match(answer.kind === "failed" ? answer.message : "", /byteCount is 4, the request needs 2/);
    assert.equal((await transport.ended).cause, "lost");
  });

  it("ends cleanly on close(): open requests fail, the socket closes, close() twice is fine", async () => {
    const transport = await connect();
    server.script = () => ({ kind: "silence" });
    const pending = transport.send(1, read(0));
    await server.whenReceived(1);
    await Promise.all([transport.close(), transport.close()]);
    const answer = await pending;
    assert.deepEqual(answer, {
      kind: "failed",
      code: "REMOTE_ERROR",
      message: "connection ended: the connection was closed",
    });
    assert.deepEqual(await transport.ended, { cause: "closed" });
    assert.equal(transport.inFlight, 0);
  });

  it("refuses a request the codec cannot encode, as the caller's bug", async () => {
    const transport = await connect();
    assert.throws(() => transport.send(1, read(0, 126)), { name: "ModbusPduError" });
  });

  it("rejects with ConnectionFailedError when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const address = closed.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    await new Promise((resolve) => closed.close(resolve));
    const settings = { host: "127.0.0.1", port, target: "modbus-tcp://x", requestTimeoutMs: 2000, maxInFlight: 1 };
    await assert.rejects(openTransport(settings), (error: unknown) => {
      assert.ok(error instanceof ConnectionFailedError);
      assert.match(error.message, /^cannot connect to modbus-tcp:\/\/x: connect ECONNREFUSED/);
      return true;
    });
  });

  it("rejects with ConnectionFailedError when aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const settings = {
      host: "127.0.0.1",
      port: server.port,
      target: "modbus-tcp://x",
      requestTimeoutMs: 2000,
      maxInFlight: 1,
      signal: controller.signal,
    };
    await assert.rejects(openTransport(settings), { name: "ConnectionFailedError", message: /connect aborted/ });
  });
});
