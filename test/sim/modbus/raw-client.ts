// A bare TCP client for server tests: sends bytes as they are and collects whole response frames, no Modbus library.
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { type Adu, encodeAdu, MbapFrameSplitter } from "../../../src/plc/modbus/mbap.ts";
import { READ_INPUT_REGISTERS } from "../../../src/plc/modbus/messages/read-input-registers.ts";
import { encodeRequest } from "../../../src/plc/modbus/pdu.ts";

export class RawClient {
  readonly socket: Socket;
  private readonly splitter = new MbapFrameSplitter();
  private readonly frames: Adu[] = [];
  private waiting: { count: number; resolve: (frames: Adu[]) => void } | undefined;

  private constructor(socket: Socket) {
    this.socket = socket;
    // The server resetting the connection is what some tests expect; they wait for "close".
    socket.on("error", () => {});
    socket.on("data", (chunk: Buffer) => {
      this.frames.push(...this.splitter.push(chunk));
      this.settle();
    });
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = connect({ host: "127.0.0.1", port, noDelay: true });
    await once(socket, "connect");
    return new RawClient(socket);
  }

  /** Frames that arrived and were not taken by `receive` yet. */
  get unread(): number {
    return this.frames.length;
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** The next `count` response frames, in the order they arrived. */
  receive(count: number): Promise<Adu[]> {
    return new Promise((resolve) => {
      this.waiting = { count, resolve };
      this.settle();
    });
  }

  /** Resolves when the server has closed the connection. */
  async closed(): Promise<void> {
    // Not events.once: it would reject on the "error" a reset emits before "close".
    if (!this.socket.closed) await new Promise((resolve) => this.socket.once("close", resolve));
  }

  async close(): Promise<void> {
    this.socket.destroy();
    await this.closed();
  }

  private settle(): void {
    const waiting = this.waiting;
    if (waiting === undefined || this.frames.length < waiting.count) return;
    this.waiting = undefined;
    waiting.resolve(this.frames.splice(0, waiting.count));
  }
}

/** The frame of a Read Input Registers request. */
export function readInputFrame(transactionId: number, unitId: number, address: number, quantity: number): Uint8Array {
  const pdu = encodeRequest({ functionCode: READ_INPUT_REGISTERS, address, quantity });
  return encodeAdu({ transactionId, unitId, pdu });
}

/** `count` read requests with transaction ids 1..count, in one buffer: a client with all of them in flight. */
export function pipelined(count: number, unitId = 1): Uint8Array {
  return Buffer.concat(Array.from({ length: count }, (_, i) => readInputFrame(i + 1, unitId, 0, 4)));
}
