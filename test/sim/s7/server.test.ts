// The simulator's S7 server: negotiation, jobs in parallel under latency, refusals, and streams that are not S7.
import assert from "node:assert/strict";
import { once } from "node:events";
import { connect as connectSocket, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { connect } from "../../../src/plc/index.ts";
import { type CotpTpdu, decodeCotp } from "../../../src/plc/s7/messages/cotp.ts";
import { encodeCotpConnection } from "../../../src/plc/s7/messages/cotp-connect.ts";
import { encodeCotpData } from "../../../src/plc/s7/messages/cotp-data.ts";
import { encodeReadVarRequest } from "../../../src/plc/s7/messages/read-var.ts";
import { decodeS7Response, type S7Response } from "../../../src/plc/s7/messages/s7-pdu.ts";
import { encodeSetupCommunicationRequest } from "../../../src/plc/s7/messages/setup-communication.ts";
import { encodeTpkt, TpktFrameSplitter } from "../../../src/plc/s7/messages/tpkt.ts";
import { AREA, TRANSPORT_SIZE } from "../../../src/plc/s7/messages/var-item.ts";
import { Plant } from "../../../src/sim/model/index.ts";
import { Simulator } from "../../../src/sim/runner.ts";
import { createPlantCpu, S7FaceOptionError, S7Server } from "../../../src/sim/s7/index.ts";
import { okValue } from "../../plc/readings.ts";

/** A bare client on Fabrik's codec: sends exactly the PDUs a test gives and hands back what comes. */
class RawClient {
  readonly #socket: Socket;
  readonly #splitter = new TpktFrameSplitter();
  readonly #frames: Uint8Array[] = [];
  #wake: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#frames.push(...this.#splitter.push(chunk));
      this.#wake?.();
    });
  }

  /** A client after the COTP connection request to `calledTsap`, and the TPDU that answered it. */
  static async request(port: number, calledTsap: number): Promise<{ client: RawClient; answer: CotpTpdu }> {
    const socket = connectSocket({ host: "127.0.0.1", port });
    await once(socket, "connect");
    const client = new RawClient(socket);
    const request = { kind: "CR", destinationReference: 0, sourceReference: 1, protocolClass: 0 } as const;
    socket.write(encodeTpkt(encodeCotpConnection({ ...request, tpduSize: 1024, callingTsap: 0x0100, calledTsap })));
    return { client, answer: decodeCotp(await client.next()) };
  }

  /** A client connected to rack 0 slot 1 that has set up a PDU of `pduLength`. */
  static async open(port: number, pduLength = 240): Promise<RawClient> {
    const { client, answer } = await RawClient.request(port, 0x0101);
    assert.equal(answer.kind, "CC");
    await client.job(encodeSetupCommunicationRequest({ pduReference: 0, maxAmqCaller: 1, maxAmqCallee: 1, pduLength }));
    return client;
  }

  async next(): Promise<Uint8Array> {
    while (this.#frames.length === 0) await new Promise<void>((resolve) => (this.#wake = resolve));
    return this.#frames.shift()!;
  }

  async job(pdu: Uint8Array): Promise<S7Response> {
    this.send(pdu);
    const tpdu = decodeCotp(await this.next());
    assert.equal(tpdu.kind, "DT");
    return decodeS7Response(tpdu.kind === "DT" ? tpdu.payload : new Uint8Array(0));
  }

  send(pdu: Uint8Array): void {
    this.#socket.write(encodeTpkt(encodeCotpData({ eot: true, tpduNumber: 0, payload: pdu })));
  }

  get socket(): Socket {
    return this.#socket;
  }

  close(): void {
    this.#socket.destroy();
  }
}

const markerItem = (start: number, count: number) => ({
  transportSize: TRANSPORT_SIZE.BYTE,
  count,
  dbNumber: 0,
  area: AREA.MARKERS,
  byteAddress: start,
  bitAddress: 0,
});

describe("the simulator's S7 server", () => {
  const plant = new Plant({ seed: 4, startTime: Date.UTC(2024, 0, 8, 8) });
  plant.step(100);
  let server: S7Server;

  before(async () => {
    server = await new S7Server(createPlantCpu(plant), { port: 0, latencyMs: 40 }).listen();
  });
  after(() => server.close());

  it("grants at most a PDU of 960 and 8 jobs, and answers the jobs in flight in parallel", async () => {
    const connection = await connect(`s7://127.0.0.1:${server.port}?remote-slot=1&pdu-size=240&max-amq-caller=20`);
    try {
      // Eight 200-byte tags: one PDU of 240 bytes each, all eight in flight at once.
      const tags = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`t${i}`, `%M${i * 300}:BYTE[200]`]));
      const jobs = server.stats.jobs;
      const started = performance.now();
      const readings = await connection.read(tags);
      const elapsed = performance.now() - started;
      for (const reading of Object.values(readings)) assert.equal(reading.code, "OK");
      assert.equal(server.stats.jobs - jobs, 8);
      // One after the other they would take 8 × 40 ms; in parallel about one latency.
      assert.ok(elapsed < 4 * 40, `${elapsed.toFixed(1)} ms for 8 jobs of 40 ms latency`);
      assert.equal(okValue((await connection.read({ s: "%DB1.DBD28:REAL" })).s), plant.read("P1", "pressureSetpoint"));
    } finally {
      await connection.close();
    }
    const big = await RawClient.open(server.port, 2000);
    const setup = await big.job(
      encodeSetupCommunicationRequest({ pduReference: 3, maxAmqCaller: 20, maxAmqCallee: 20, pduLength: 2000 }),
    );
    assert.deepEqual(setup, { kind: "setup", pduReference: 3, maxAmqCaller: 8, maxAmqCallee: 8, pduLength: 960 });
    big.close();
  });

  it("refuses a function the CPU lacks (0x8104), and a job or answer longer than the PDU (0x8500)", async () => {
    const client = await RawClient.open(server.port, 240);
    try {
      const download = Uint8Array.of(0x32, 0x01, 0, 0, 0, 9, 0, 1, 0, 0, 0x1a);
      assert.deepEqual(await client.job(download), {
        kind: "refused",
        pduReference: 9,
        errorClass: 0x81,
        errorCode: 0x04,
        functionCode: undefined,
      });
      const tooMany = encodeReadVarRequest({
        pduReference: 10,
        items: Array.from({ length: 20 }, (_, i) => markerItem(i, 1)),
      });
      assert.ok(tooMany.length > 240);
      assert.deepEqual(await client.job(tooMany), {
        kind: "refused",
        pduReference: 10,
        errorClass: 0x85,
        errorCode: 0,
        functionCode: undefined,
      });
      const tooLong = encodeReadVarRequest({ pduReference: 11, items: [markerItem(0, 300)] });
      assert.equal((await client.job(tooLong)).kind, "refused");
      const fine = await client.job(encodeReadVarRequest({ pduReference: 12, items: [markerItem(0, 2)] }));
      assert.equal(fine.kind, "read");
    } finally {
      client.close();
    }
  });

  it("refuses a rack other than 0 with a disconnect", async () => {
    const { client, answer } = await RawClient.request(server.port, 0x0121);
    client.close();
    assert.deepEqual(answer, { kind: "DR", destinationReference: 1, sourceReference: 1, reason: 0x88 });
    const slot = await RawClient.request(server.port, 0x0103);
    slot.client.close();
    assert.equal(slot.answer.kind, "CC", "any slot of rack 0");
    await assert.rejects(connect(`s7://127.0.0.1:${server.port}?remote-rack=1&remote-slot=1`), /refused TSAP 0x0121/);
  });

  it("closes a stream that is not ISO-on-TCP, and serves the others on", async () => {
    const malformed = server.stats.malformed;
    const socket = connectSocket({ host: "127.0.0.1", port: server.port });
    await once(socket, "connect");
    socket.write("GET / HTTP/1.1\r\n\r\n");
    await once(socket, "close");
    assert.equal(server.stats.malformed, malformed + 1);
    const connection = await connect(`s7://127.0.0.1:${server.port}?remote-slot=1`);
    assert.equal(okValue((await connection.read({ state: "%DB1.DBW4:INT" })).state), plant.read("P1", "state"));
    await connection.close();
  });
});

describe("the simulator runs the S7 face beside Modbus", () => {
  it("listens when asked to, stops, and refuses options out of range", async () => {
    const sim = new Simulator({ seed: 1, startTime: Date.UTC(2024, 0, 8, 8), modbus: false, s7: { port: 0 } });
    await sim.start();
    try {
      assert.ok(sim.s7?.listening);
      const connection = await connect(`s7://127.0.0.1:${sim.s7!.port}?remote-slot=1`);
      assert.equal(okValue((await connection.read({ sp: "%DB1.DBD28:REAL" })).sp), 160);
      await connection.close();
    } finally {
      await sim.stop();
    }
    assert.equal(sim.s7?.listening, false);
    assert.equal(new Simulator({ seed: 1, modbus: false }).s7, undefined, "no S7 face unless asked for");
    assert.throws(() => new Simulator({ seed: 1, modbus: false, s7: { latencyMs: -1 } }), S7FaceOptionError);
    assert.throws(
      () => new Simulator({ seed: 1, modbus: false, s7: { maxPduLength: 100 } }),
      /maxPduLength: 100 is outside 240\.\.1021/,
    );
  });
});
