// The simulator's S7 server: ISO-on-TCP connections, Setup Communication, Read Var and Write Var, jobs answered in parallel.
import { createServer, type Server, type Socket } from "node:net";
import { S7CodecError, S7PduError } from "../../plc/s7/errors.ts";
import { type CotpTpdu, DataReassembler, decodeCotp } from "../../plc/s7/messages/cotp.ts";
import { encodeCotpConnection } from "../../plc/s7/messages/cotp-connect.ts";
import { splitIntoDataTpdus } from "../../plc/s7/messages/cotp-data.ts";
import { encodeCotpDisconnect } from "../../plc/s7/messages/cotp-disconnect.ts";
import { ERROR_CLASS } from "../../plc/s7/messages/error-classes.ts";
import { encodeReadVarResponse, readResponseLength } from "../../plc/s7/messages/read-var.ts";
import { encodeRefusal } from "../../plc/s7/messages/refusal.ts";
import { decodeS7Request, type S7Request } from "../../plc/s7/messages/s7-pdu.ts";
import { encodeSetupCommunicationResponse } from "../../plc/s7/messages/setup-communication.ts";
import { encodeTpkt, TpktFrameSplitter } from "../../plc/s7/messages/tpkt.ts";
import { encodeWriteVarResponse } from "../../plc/s7/messages/write-var.ts";
import { DeviceClock } from "../device-clock.ts";
import type { SimulatedCpu } from "./cpu.ts";
import { S7FaceOptionError } from "./errors.ts";

export const DEFAULT_S7_HOST = "127.0.0.1";
/** Not 102: that port needs root on most systems. */
export const DEFAULT_S7_PORT = 1102;
export const MAX_S7_LATENCY_MS = 60_000;
/** What an S7-1500 grants: PDUs of 960 bytes. */
export const DEFAULT_S7_PDU = 960;
/** Jobs in parallel the simulated CPU grants, at most. */
export const DEFAULT_S7_JOBS = 8;
const TPDU_SIZE = 1024;
/** A DR reason: the called TSAP names no CPU here. */
const REFUSED = 0x88;

export interface S7ServerOptions {
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** TCP port (default 1102); 0 lets the system choose, `port` then tells which. */
  readonly port?: number;
  /** Time from a job's arrival to its answer (ms, default 0); jobs in flight wait for it in parallel. */
  readonly latencyMs?: number;
  /** The largest PDU Setup Communication grants (default 960, as an S7-1500). */
  readonly maxPduLength?: number;
  /** The most jobs in parallel Setup Communication grants (default 8). */
  readonly maxJobs?: number;
}

export interface S7ServerStats {
  /** Connections open now. */
  readonly connections: number;
  /** Connections accepted since the start. */
  readonly accepted: number;
  /** Connections closed because their byte stream was not ISO-on-TCP or S7comm. */
  readonly malformed: number;
  /** Read Var and Write Var jobs answered. */
  readonly jobs: number;
}

/** What one connection agreed to. */
interface Session {
  pduLength: number;
}

/**
 * Listens for S7 clients and answers them from `cpu`, as an S7-1500 at rack 0 (any slot) does. Each job is answered
 * from the plant as it is when the job arrives, after the latency; jobs in flight are worked on together. A stream
 * that is not ISO-on-TCP or S7comm is closed; a job of a function the CPU lacks is refused (0x8104), one longer than the
 * agreed PDU or whose answer would be is refused with 0x8500.
 */
export class S7Server {
  readonly host: string;
  readonly #cpu: SimulatedCpu;
  readonly #requestedPort: number;
  readonly #latencyMs: number;
  readonly #maxPduLength: number;
  readonly #maxJobs: number;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #clock = new DeviceClock();
  #accepted = 0;
  #malformed = 0;
  #jobs = 0;

  constructor(cpu: SimulatedCpu, options: S7ServerOptions = {}) {
    this.#cpu = cpu;
    this.host = options.host ?? DEFAULT_S7_HOST;
    this.#requestedPort = checkInteger("port", options.port ?? DEFAULT_S7_PORT, 0, 65535, "0 for any free one");
    this.#latencyMs = checkLatency(options.latencyMs ?? 0);
    this.#maxPduLength = checkInteger("maxPduLength", options.maxPduLength ?? DEFAULT_S7_PDU, 240, TPDU_SIZE - 3);
    this.#maxJobs = checkInteger("maxJobs", options.maxJobs ?? DEFAULT_S7_JOBS, 1, 255);
    this.#server = createServer({ noDelay: true }, (socket) => this.#accept(socket));
  }

  /** The port listened on (the system's choice when 0 was asked for); 0 before `listen` resolves. */
  get port(): number {
    const address = this.#server.address();
    return typeof address === "object" && address !== null ? address.port : 0;
  }

  get listening(): boolean {
    return this.#server.listening;
  }

  get stats(): S7ServerStats {
    return { connections: this.#sockets.size, accepted: this.#accepted, malformed: this.#malformed, jobs: this.#jobs };
  }

  /** Starts listening; rejects with the system's error (EADDRINUSE, EACCES) when it cannot. */
  listen(): Promise<this> {
    return new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(this.#requestedPort, this.host, () => {
        this.#server.off("error", reject);
        resolve(this);
      });
    });
  }

  /** Stops listening, drops every connection and pending answer; resolves when the port is free again. */
  close(): Promise<void> {
    this.#clock.cancelAll();
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => {
      if (!this.#server.listening) return resolve();
      this.#server.close(() => resolve());
    });
  }

  #accept(socket: Socket): void {
    this.#accepted++;
    this.#sockets.add(socket);
    const splitter = new TpktFrameSplitter(4 + TPDU_SIZE);
    const reassembler = new DataReassembler(this.#maxPduLength);
    const session: Session = { pduLength: this.#maxPduLength };
    // Resets and aborts are the client's business; the socket closes after them anyway.
    socket.on("error", () => {});
    socket.on("close", () => this.#sockets.delete(socket));
    socket.on("data", (chunk: Buffer) => {
      const arrivedAt = performance.now();
      try {
        for (const tpdu of splitter.push(chunk)) {
          const pdu = this.#onTpdu(decodeCotp(tpdu), socket, reassembler);
          if (pdu !== undefined) this.#onPdu(pdu, socket, session, arrivedAt);
        }
      } catch (error) {
        if (!(error instanceof S7CodecError)) throw error;
        this.#malformed++;
        socket.destroy();
      }
    });
  }

  /** Answers a connection request; returns a whole S7 PDU once its last DT has come. */
  #onTpdu(tpdu: CotpTpdu, socket: Socket, reassembler: DataReassembler): Uint8Array | undefined {
    switch (tpdu.kind) {
      case "CR": {
        const rack = ((tpdu.calledTsap ?? 0x0100) & 0xff) >> 5;
        const reply =
          rack === 0
            ? encodeCotpConnection({
                kind: "CC",
                destinationReference: tpdu.sourceReference,
                sourceReference: 0x0001,
                protocolClass: 0,
                tpduSize: Math.min(tpdu.tpduSize ?? TPDU_SIZE, TPDU_SIZE),
                ...(tpdu.callingTsap === undefined ? {} : { callingTsap: tpdu.callingTsap }),
                ...(tpdu.calledTsap === undefined ? {} : { calledTsap: tpdu.calledTsap }),
              })
            : encodeCotpDisconnect({ destinationReference: tpdu.sourceReference, sourceReference: 1, reason: REFUSED });
        socket.write(encodeTpkt(reply));
        if (rack !== 0) socket.end();
        return undefined;
      }
      case "DT":
        return reassembler.push(tpdu);
      case "DR":
        socket.end();
        return undefined;
      default:
        throw new S7PduError("request", "tpdu", 0, `a ${tpdu.kind} TPDU is no request`);
    }
  }

  #onPdu(pdu: Uint8Array, socket: Socket, session: Session, arrivedAt: number): void {
    let request: S7Request;
    try {
      request = decodeS7Request(pdu);
    } catch (error) {
      // A function the CPU lacks (or user data: SZL, clock) is refused; anything else means the stream is not S7comm.
      if (!(error instanceof S7PduError) || error.field !== "function" || pdu.length < 10) throw error;
      const pduReference = (pdu[4]! << 8) | pdu[5]!;
      const refusal = { pduReference, errorClass: ERROR_CLASS.APPLICATION_RELATIONSHIP, errorCode: 0x04 };
      this.#send(socket, encodeRefusal({ ...refusal, functionCode: undefined }), arrivedAt);
      return;
    }
    if (request.kind === "setup") {
      session.pduLength = Math.min(request.pduLength, this.#maxPduLength);
      const jobs = Math.min(request.maxAmqCaller, this.#maxJobs);
      const answer = { ...request, pduLength: session.pduLength, maxAmqCaller: jobs, maxAmqCallee: jobs };
      this.#send(socket, encodeSetupCommunicationResponse(answer), arrivedAt);
      return;
    }
    this.#jobs++;
    this.#send(socket, this.#answer(request, pdu.length, session.pduLength), arrivedAt);
  }

  /** The answer to a read or write job, computed now: the plant as it is when the job arrives. */
  #answer(request: Exclude<S7Request, { kind: "setup" }>, length: number, pduLength: number): Uint8Array {
    const { pduReference } = request;
    const tooLong = () =>
      encodeRefusal({ pduReference, errorClass: ERROR_CLASS.SUPPLIES, errorCode: 0x00, functionCode: undefined });
    if (length > pduLength) return tooLong();
    if (request.kind === "write") {
      const returnCodes = request.items.map(({ item, data }) => this.#cpu.write(item, data.data));
      return encodeWriteVarResponse({ pduReference, returnCodes });
    }
    const items = request.items.map((item) => this.#cpu.read(item));
    if (readResponseLength(items.map((item) => item.data.length)) > pduLength) return tooLong();
    return encodeReadVarResponse({ pduReference, items });
  }

  #send(socket: Socket, pdu: Uint8Array, arrivedAt: number): void {
    const write = () => {
      if (socket.destroyed) return;
      for (const tpdu of splitIntoDataTpdus(pdu, TPDU_SIZE)) socket.write(encodeTpkt(tpdu));
    };
    if (this.#latencyMs === 0) write();
    else this.#clock.after(arrivedAt, this.#latencyMs, write);
  }
}

function checkInteger(option: string, value: number, min: number, max: number, note = ""): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new S7FaceOptionError(option, `${value} is outside ${min}..${max}${note === "" ? "" : ` (${note})`}`);
  }
  return value;
}

function checkLatency(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_S7_LATENCY_MS) {
    throw new S7FaceOptionError("latencyMs", `${ms} is outside 0..${MAX_S7_LATENCY_MS} ms`);
  }
  return ms;
}
