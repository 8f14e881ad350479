// An S7 server for driver tests, on Fabrik's codec: answers from memory, or misbehaves as a test's script says.
import { createServer, type Server, type Socket } from "node:net";
import { DataReassembler, decodeCotp } from "../../../src/plc/s7/messages/cotp.ts";
import { encodeCotpConnection } from "../../../src/plc/s7/messages/cotp-connect.ts";
import { encodeCotpData, splitIntoDataTpdus } from "../../../src/plc/s7/messages/cotp-data.ts";
import { encodeCotpDisconnect } from "../../../src/plc/s7/messages/cotp-disconnect.ts";
import { DATA_TRANSPORT, type DataItem } from "../../../src/plc/s7/messages/data-item.ts";
import { encodeReadVarResponse } from "../../../src/plc/s7/messages/read-var.ts";
import { encodeRefusal } from "../../../src/plc/s7/messages/refusal.ts";
import { RETURN_CODE } from "../../../src/plc/s7/messages/return-codes.ts";
import { decodeS7Request, type S7Request } from "../../../src/plc/s7/messages/s7-pdu.ts";
import { encodeSetupCommunicationResponse } from "../../../src/plc/s7/messages/setup-communication.ts";
import { encodeTpkt, TpktFrameSplitter } from "../../../src/plc/s7/messages/tpkt.ts";
import { AREA, elementBytes, TRANSPORT_SIZE, type VarItem } from "../../../src/plc/s7/messages/var-item.ts";
import { encodeWriteVarResponse } from "../../../src/plc/s7/messages/write-var.ts";

/** What the server does with a request. */
export type Reply =
  /** The normal answer from memory. */
  | { readonly kind: "answer" }
  /** The normal answer, but only for the first `items` items (as snap7's server does past 20). */
  | { readonly kind: "fewer"; readonly items: number }
  | { readonly kind: "refuse"; readonly errorClass: number; readonly errorCode: number }
  /** This S7 PDU, in one DT, instead of the answer. */
  | { readonly kind: "pdu"; readonly pdu: Uint8Array }
  /** Exactly these bytes, frame or not. */
  | { readonly kind: "bytes"; readonly bytes: Uint8Array }
  | { readonly kind: "silence" }
  | { readonly kind: "close" };

/** A read or write job as the server received it (Setup Communication is answered before any script runs). */
export type Job = Exclude<S7Request, { kind: "setup" }>;

export type Script = (request: Job, server: ScriptedServer) => Reply | Promise<Reply>;

/** The PLC's memory: DBs by number and the I, Q, M areas; items outside them are refused as a PLC refuses them. */
export class PlcMemory {
  readonly dbs = new Map<number, Uint8Array>();
  readonly inputs = new Uint8Array(256);
  readonly outputs = new Uint8Array(256);
  readonly markers = new Uint8Array(1024);

  area(item: VarItem): Uint8Array | undefined {
    switch (item.area) {
      case AREA.DATA_BLOCKS:
        return this.dbs.get(item.dbNumber);
      case AREA.INPUTS:
        return this.inputs;
      case AREA.OUTPUTS:
        return this.outputs;
      case AREA.MARKERS:
        return this.markers;
      default:
        return undefined;
    }
  }

  read(item: VarItem): DataItem {
    const area = this.area(item);
    if (area === undefined) return refused(RETURN_CODE.OBJECT_DOES_NOT_EXIST);
    const size = elementBytes(item.transportSize) ?? 0;
    const length = item.count * size;
    if (size === 0 || item.byteAddress + length > area.length) return refused(RETURN_CODE.ADDRESS_OUT_OF_RANGE);
    if (item.transportSize === TRANSPORT_SIZE.BIT) {
      const on = (area[item.byteAddress]! >> item.bitAddress) & 1;
      return { returnCode: RETURN_CODE.SUCCESS, transportSize: DATA_TRANSPORT.BIT, data: Uint8Array.of(on) };
    }
    const data = area.slice(item.byteAddress, item.byteAddress + length);
    return { returnCode: RETURN_CODE.SUCCESS, transportSize: DATA_TRANSPORT.BYTE_WORD_DWORD, data };
  }

  write(item: VarItem, data: Uint8Array): number {
    const area = this.area(item);
    if (area === undefined) return RETURN_CODE.OBJECT_DOES_NOT_EXIST;
    if (item.byteAddress + data.length > area.length) return RETURN_CODE.ADDRESS_OUT_OF_RANGE;
    if (item.transportSize === TRANSPORT_SIZE.BIT) {
      const mask = 1 << item.bitAddress;
      area[item.byteAddress] = data[0] ? area[item.byteAddress]! | mask : area[item.byteAddress]! & ~mask;
    } else {
      area.set(data, item.byteAddress);
    }
    return RETURN_CODE.SUCCESS;
  }
}

function refused(returnCode: number): DataItem {
  return { returnCode, transportSize: DATA_TRANSPORT.NULL, data: new Uint8Array(0) };
}

export interface ScriptedServerOptions {
  /** What Setup Communication grants. */
  readonly pduLength?: number;
  readonly maxAmq?: number;
  /** The TSAP the PLC answers on; others get a disconnect (connection request refused). */
  readonly tsap?: number;
  /** The TPDU size the PLC confirms. */
  readonly tpduSize?: number;
}

export class ScriptedServer {
  readonly memory = new PlcMemory();
  readonly received: Job[] = [];
  script: Script = () => ({ kind: "answer" });
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #options: ScriptedServerOptions;

  private constructor(server: Server, options: ScriptedServerOptions) {
    this.#server = server;
    this.#options = options;
  }

  static async start(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
    const server = createServer({ noDelay: true });
    const scripted = new ScriptedServer(server, options);
    server.on("connection", (socket) => scripted.#accept(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return scripted;
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === "object" && address !== null ? address.port : 0;
  }

  /** Connections open now. */
  get connections(): number {
    return this.#sockets.size;
  }

  url(query = ""): string {
    return `s7://127.0.0.1:${this.port}?remote-slot=1&read-timeout=500ms${query === "" ? "" : `&${query}`}`;
  }

  /** Drops every client, as a PLC going away does. */
  dropClients(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.dropClients();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on("close", () => this.#sockets.delete(socket));
    socket.on("error", () => {});
    const splitter = new TpktFrameSplitter();
    const reassembler = new DataReassembler(0xffff);
    const tpduSize = this.#options.tpduSize ?? 1024;
    const send = (pdu: Uint8Array) => {
      for (const tpdu of splitIntoDataTpdus(pdu, tpduSize)) socket.write(encodeTpkt(tpdu));
    };
    socket.on("data", (chunk: Buffer) => {
      for (const bytes of splitter.push(chunk)) {
        const tpdu = decodeCotp(bytes);
        if (tpdu.kind === "CR") {
          const tsap = this.#options.tsap ?? 0x0101;
          const reply =
            tpdu.calledTsap === tsap
              ? encodeCotpConnection({
                  ...tpdu,
                  kind: "CC",
                  destinationReference: tpdu.sourceReference,
                  sourceReference: 7,
                  tpduSize,
                })
              : encodeCotpDisconnect({ destinationReference: tpdu.sourceReference, sourceReference: 7, reason: 0x88 });
          socket.write(encodeTpkt(reply));
          continue;
        }
        if (tpdu.kind !== "DT") continue;
        const pdu = reassembler.push(tpdu);
        if (pdu !== undefined) void this.#onRequest(decodeS7Request(pdu), socket, send);
      }
    });
  }

  async #onRequest(request: S7Request, socket: Socket, send: (pdu: Uint8Array) => void): Promise<void> {
    if (request.kind === "setup") {
      const pduLength = Math.min(request.pduLength, this.#options.pduLength ?? 480);
      const jobs = Math.min(request.maxAmqCaller, this.#options.maxAmq ?? 8);
      send(encodeSetupCommunicationResponse({ ...request, pduLength, maxAmqCaller: jobs, maxAmqCallee: jobs }));
      return;
    }
    this.received.push(request);
    const reply = await this.script(request, this);
    const { pduReference } = request;
    switch (reply.kind) {
      case "answer":
      case "fewer": {
        const count = reply.kind === "fewer" ? reply.items : request.items.length;
        if (request.kind === "read") {
          const items = request.items.slice(0, count).map((item) => this.memory.read(item));
          send(encodeReadVarResponse({ pduReference, items }));
        } else {
          const returnCodes = request.items.slice(0, count).map(({ item, data }) => this.memory.write(item, data.data));
          send(encodeWriteVarResponse({ pduReference, returnCodes }));
        }
        return;
      }
      case "refuse":
        send(
          encodeRefusal({
            pduReference,
            errorClass: reply.errorClass,
            errorCode: reply.errorCode,
            functionCode: undefined,
          }),
        );
        return;
      case "pdu":
        socket.write(encodeTpkt(encodeCotpData({ eot: true, tpduNumber: 0, payload: reply.pdu })));
        return;
      case "bytes":
        socket.write(reply.bytes);
        return;
      case "silence":
        return;
      case "close":
        socket.destroy();
        return;
    }
  }
}
