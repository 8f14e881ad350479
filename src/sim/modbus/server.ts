// The simulator's Modbus TCP server: many clients, pipelined requests answered in order, optional latency and serial mode.
import { createServer, type Server, type Socket } from "node:net";
import { ModbusFrameError } from "../../plc/modbus/errors.ts";
import { type Adu, MbapFrameSplitter } from "../../plc/modbus/mbap.ts";
import { DeviceClock } from "../device-clock.ts";
import { ModbusFaceOptionError } from "./errors.ts";
import type { ModbusGateway } from "./gateway.ts";

export const DEFAULT_MODBUS_HOST = "127.0.0.1";
/** Not 502: that port needs root on most systems. */
export const DEFAULT_MODBUS_PORT = 5020;
export const MAX_LATENCY_MS = 60_000;

export interface ModbusServerOptions {
  /** Address to listen on (default 127.0.0.1: the simulator is not exposed to the network unless asked). */
  readonly host?: string;
  /** TCP port (default 5020); 0 lets the system choose, `port` then tells which. */
  readonly port?: number;
  /**
   * Time from a request's arrival to its response (ms, default 0), the time the device takes to compute the answer
   * included. Each request pays it on its own, concurrently, so a client with many requests in flight waits about one
   * latency for all of them; in serial mode they queue (a request's latency then counts from the start of its turn).
   */
  readonly latencyMs?: number;
  /**
   * Serve one request at a time per connection, as many PLCs do: the next request is read only once the previous one
   * is answered. Off by default: requests in flight are worked on together and answered in arrival order.
   */
  readonly serial?: boolean;
}

/** What the server has seen since it started, for tests and benchmarks. */
export interface ModbusServerStats {
  /** Connections open now. */
  readonly connections: number;
  /** Connections accepted since the start. */
  readonly accepted: number;
  /** Connections closed because their byte stream was not Modbus TCP. */
  readonly malformed: number;
}

/** A connection's request waiting for its latency to pass; the answer is computed on arrival. */
interface Pending {
  readonly frame: Uint8Array;
  ready: boolean;
}

/**
 * Listens for Modbus TCP clients and answers them from `gateway`. Answers reflect the plant when a request arrives
 * (serial mode: when its turn comes), and leave in the order the requests came, as real gateways answer. A stream that
 * is not Modbus TCP (protocol id not 0, impossible length) is closed, as a device drops it; the others go on.
 */
export class ModbusTcpServer {
  readonly host: string;
  private readonly gateway: ModbusGateway;
  private readonly requestedPort: number;
  private readonly latencyMs: number;
  private readonly serial: boolean;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly clock = new DeviceClock();
  private accepted = 0;
  private malformed = 0;

  constructor(gateway: ModbusGateway, options: ModbusServerOptions = {}) {
    this.gateway = gateway;
    this.host = options.host ?? DEFAULT_MODBUS_HOST;
    this.requestedPort = checkPort(options.port ?? DEFAULT_MODBUS_PORT);
    this.latencyMs = checkLatency(options.latencyMs ?? 0);
    this.serial = options.serial ?? false;
    this.server = createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  /** The port listened on (the system's choice when 0 was asked for); 0 before `listen` resolves. */
  get port(): number {
    const address = this.server.address();
    return typeof address === "object" && address !== null ? address.port : 0;
  }

  get listening(): boolean {
    return this.server.listening;
  }

  get stats(): ModbusServerStats {
    return { connections: this.sockets.size, accepted: this.accepted, malformed: this.malformed };
  }

  /** Starts listening; rejects with the system's error (EADDRINUSE, EACCES) when it cannot. */
  listen(): Promise<this> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.requestedPort, this.host, () => {
        this.server.off("error", reject);
        resolve(this);
      });
    });
  }

  /** Stops listening, drops every connection and pending answer; resolves when the port is free again. */
  close(): Promise<void> {
    this.clock.cancelAll();
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
    });
  }

  private accept(socket: Socket): void {
    this.accepted++;
    this.sockets.add(socket);
    const splitter = new MbapFrameSplitter();
    const handle = this.serial ? this.serialHandler(socket) : this.pipelinedHandler(socket);
    // Resets and aborts are the client's business; the socket closes after them anyway.
    socket.on("error", () => {});
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("data", (chunk: Buffer) => {
      let adus: Adu[];
      try {
        adus = splitter.push(chunk);
      } catch (error) {
        if (!(error instanceof ModbusFrameError)) throw error;
        this.malformed++;
        socket.destroy();
        return;
      }
      // Requests that came in one chunk arrived together: each one's latency counts from now.
      const arrivedAt = performance.now();
      socket.cork();
      for (const adu of adus) handle(adu, arrivedAt);
      socket.uncork();
    });
  }

  /** Answers each request as it arrives (after the latency), in arrival order. */
  private pipelinedHandler(socket: Socket): (adu: Adu, arrivedAt: number) => void {
    const queue: Pending[] = [];
    const flush = () => {
      while (queue.length > 0 && queue[0]!.ready) send(socket, queue.shift()!.frame);
    };
    return (adu, arrivedAt) => {
      const frame = this.gateway.answer(adu);
      if (this.latencyMs === 0 && queue.length === 0) return send(socket, frame);
      const pending: Pending = { frame, ready: false };
      queue.push(pending);
      this.after(arrivedAt, () => {
        pending.ready = true;
        flush();
      });
    };
  }

  /** Takes the next request only once the previous one is answered. */
  private serialHandler(socket: Socket): (adu: Adu, arrivedAt: number) => void {
    const waiting: Adu[] = [];
    let busy = false;
    const next = (): void => {
      for (let adu = waiting.shift(); adu !== undefined; adu = waiting.shift()) {
        // A serial device starts on a request when the previous one is answered: its latency counts from then.
        const turnStartedAt = performance.now();
        const frame = this.gateway.answer(adu);
        if (this.latencyMs > 0) {
          busy = true;
          this.after(turnStartedAt, () => {
            busy = false;
            send(socket, frame);
            next();
          });
          return;
        }
        send(socket, frame);
      }
    };
    return (adu) => {
      waiting.push(adu);
      if (!busy) next();
    };
  }

  /** Runs `action` once the latency has passed since `since`: time spent computing the answer counts toward it. */
  private after(since: number, action: () => void): void {
    this.clock.after(since, this.latencyMs, action);
  }
}

function send(socket: Socket, frame: Uint8Array): void {
  if (!socket.destroyed) socket.write(frame);
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ModbusFaceOptionError("port", `${port} is not a TCP port (0..65535, 0 for any free one)`);
  }
  return port;
}

function checkLatency(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_LATENCY_MS) {
    throw new ModbusFaceOptionError("latencyMs", `${ms} is outside 0..${MAX_LATENCY_MS} ms`);
  }
  return ms;
}

/** Builds the server and starts listening. */
export function listenModbus(gateway: ModbusGateway, options: ModbusServerOptions = {}): Promise<ModbusTcpServer> {
  return new ModbusTcpServer(gateway, options).listen();
}
