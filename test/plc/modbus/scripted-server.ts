// A Modbus TCP server for driver tests, on Fabrik's codec: answers from memory, or misbehaves as a test's script says.
import { createServer, type Server, type Socket } from "node:net";
import type { ModbusArea } from "../../../src/plc/modbus/address.ts";
import { ModbusPduError } from "../../../src/plc/modbus/errors.ts";
import { type Adu, encodeAdu, MbapFrameSplitter } from "../../../src/plc/modbus/mbap.ts";
import { EXCEPTION, exceptionResponseFor } from "../../../src/plc/modbus/messages/exception.ts";
import { decodeRequest, encodeResponse, type ModbusRequest, type ModbusResponse } from "../../../src/plc/modbus/pdu.ts";

/** A request as the server received it. */
export interface Received {
  readonly transactionId: number;
  readonly unitId: number;
  readonly request: ModbusRequest;
}

/** What the server does with a request. */
export type Reply =
  /** The normal answer from memory; ILLEGAL DATA ADDRESS when the request touches a hole. */
  | { readonly kind: "answer" }
  | { readonly kind: "exception"; readonly exceptionCode: number }
  /** A frame around `pdu`, with the header fields given here instead of the request's. */
  | { readonly kind: "frame"; readonly pdu: Uint8Array; readonly transactionId?: number; readonly unitId?: number }
  /** Exactly these bytes, frame or not. */
  | { readonly kind: "bytes"; readonly bytes: Uint8Array }
  | { readonly kind: "silence" }
  | { readonly kind: "close" };

export type Script = (received: Received, server: ScriptedServer) => Reply | Promise<Reply>;

/** The four data tables of one unit, all 65536 entries, plus addresses that do not exist. */
export class UnitMemory {
  readonly coils = new Uint8Array(0x10000);
  readonly discreteInputs = new Uint8Array(0x10000);
  readonly inputRegisters = new Uint16Array(0x10000);
  readonly holdingRegisters = new Uint16Array(0x10000);
  readonly #holes = new Set<string>();

  /** Makes addresses [from, to) of `area` answer ILLEGAL DATA ADDRESS. */
  hole(area: ModbusArea, from: number, to = from + 1): void {
    for (let address = from; address < to; address++) this.#holes.add(`${area}:${address}`);
  }

  touchesHole(area: ModbusArea, address: number, quantity: number): boolean {
    for (let index = 0; index < quantity; index++) if (this.#holes.has(`${area}:${address + index}`)) return true;
    return false;
  }
}

const AREA_OF: Readonly<Record<number, ModbusArea>> = {
  1: "coil",
  2: "discrete-input",
  3: "holding-register",
  4: "input-register",
  5: "coil",
  6: "holding-register",
  15: "coil",
  16: "holding-register",
};

export class ScriptedServer {
  readonly received: Received[] = [];
  script: Script = () => ({ kind: "answer" });
  /** The most requests received and not yet replied to at any moment. */
  maxOutstanding = 0;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #units = new Map<number, UnitMemory>();
  readonly #waiters: { count: number; resolve: () => void }[] = [];
  #outstanding = 0;
  #connections = 0;

  private constructor(server: Server) {
    this.#server = server;
    server.on("connection", (socket) => this.#accept(socket));
  }

  static async start(): Promise<ScriptedServer> {
    const server = createServer();
    const scripted = new ScriptedServer(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return scripted;
  }

  get port(): number {
    const address = this.#server.address();
    if (address === null || typeof address === "string") throw new Error("server is not listening");
    return address.port;
  }

  /** `modbus-tcp://127.0.0.1:PORT` with `query` appended after `?` when given. */
  url(query = ""): string {
    return `modbus-tcp://127.0.0.1:${this.port}${query === "" ? "" : `?${query}`}`;
  }

  /** Connections accepted so far. */
  get connections(): number {
    return this.#connections;
  }

  /** Sockets still open. */
  get openSockets(): number {
    return this.#sockets.size;
  }

  unit(unitId: number): UnitMemory {
    let memory = this.#units.get(unitId);
    if (memory === undefined) {
      memory = new UnitMemory();
      this.#units.set(unitId, memory);
    }
    return memory;
  }

  /** Resolves once `count` requests have arrived in all. */
  whenReceived(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Resolves once every client socket has closed. */
  async whenAllClosed(): Promise<void> {
    await Promise.all([...this.#sockets].map((socket) => new Promise((resolve) => socket.once("close", resolve))));
  }

  /** The normal answer to a request from memory, as a PDU. */
  answer(received: Received): Uint8Array {
    const { request } = received;
    const memory = this.unit(received.unitId);
    const area = AREA_OF[request.functionCode]!;
    const quantity = "quantity" in request ? request.quantity : "values" in request ? request.values.length : 1;
    if (memory.touchesHole(area, request.address, quantity)) {
      return encodeResponse({ functionCode: request.functionCode, exceptionCode: EXCEPTION.ILLEGAL_DATA_ADDRESS });
    }
    return encodeResponse(respond(memory, request));
  }

  /** A whole frame answering `received` with `pdu`. */
  frame(received: Received, pdu: Uint8Array): Uint8Array {
    return encodeAdu({ transactionId: received.transactionId, unitId: received.unitId, pdu });
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    this.#connections++;
    this.#sockets.add(socket);
    // Answers go out at once, as a device's would; Nagle would hold back every answer after the first.
    socket.setNoDelay(true);
    socket.on("close", () => this.#sockets.delete(socket));
    socket.on("error", () => {});
    const splitter = new MbapFrameSplitter();
    socket.on("data", (chunk: Buffer) => {
      let frames: Adu[];
      try {
        frames = splitter.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const frame of frames) void this.#handle(socket, frame);
    });
  }

  async #handle(socket: Socket, frame: Adu): Promise<void> {
    let request: ModbusRequest;
    try {
      request = decodeRequest(Uint8Array.from(frame.pdu));
    } catch (error) {
      if (!(error instanceof ModbusPduError)) throw error;
      const pdu = encodeResponse(exceptionResponseFor(error));
      socket.write(encodeAdu({ transactionId: frame.transactionId, unitId: frame.unitId, pdu }));
      return;
    }
    const received: Received = { transactionId: frame.transactionId, unitId: frame.unitId, request };
    this.received.push(received);
    this.#outstanding++;
    this.maxOutstanding = Math.max(this.maxOutstanding, this.#outstanding);
    for (const waiter of this.#waiters.filter((w) => this.received.length >= w.count)) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    const reply = await this.script(received, this);
    this.#outstanding--;
    if (socket.destroyed) return;
    switch (reply.kind) {
      case "answer":
        socket.write(this.frame(received, this.answer(received)));
        break;
      case "exception":
        socket.write(
          this.frame(
            received,
            encodeResponse({ functionCode: request.functionCode, exceptionCode: reply.exceptionCode }),
          ),
        );
        break;
      case "frame":
        socket.write(
          encodeAdu({
            transactionId: reply.transactionId ?? received.transactionId,
            unitId: reply.unitId ?? received.unitId,
            pdu: reply.pdu,
          }),
        );
        break;
      case "bytes":
        socket.write(reply.bytes);
        break;
      case "silence":
        break;
      case "close":
        socket.destroy();
        break;
    }
  }
}

function respond(memory: UnitMemory, request: ModbusRequest): ModbusResponse {
  const { address } = request;
  const range = (quantity: number) => Array.from({ length: quantity }, (_, index) => address + index);
  switch (request.functionCode) {
    case 1:
      return { functionCode: 1, values: range(request.quantity).map((a) => memory.coils[a] === 1) };
    case 2:
      return { functionCode: 2, values: range(request.quantity).map((a) => memory.discreteInputs[a] === 1) };
    case 3:
      return { functionCode: 3, values: range(request.quantity).map((a) => memory.holdingRegisters[a]!) };
    case 4:
      return { functionCode: 4, values: range(request.quantity).map((a) => memory.inputRegisters[a]!) };
    case 5:
      memory.coils[address] = request.value ? 1 : 0;
      return request;
    case 6:
      memory.holdingRegisters[address] = request.value;
      return request;
    case 15:
      request.values.forEach((value, index) => {
        memory.coils[address + index] = value ? 1 : 0;
      });
      return { functionCode: 15, address, quantity: request.values.length };
    case 16:
      memory.holdingRegisters.set(request.values, address);
      return { functionCode: 16, address, quantity: request.values.length };
  }
}
