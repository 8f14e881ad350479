// Modbus TCP requests over one socket: transaction ids, the in-flight limit, timeouts, and dropping a link gone bad.

import { createConnection, type Socket } from "node:net";
import { ConnectionFailedError } from "../errors.ts";
import { errorMessage } from "../unanswered.ts";
import { type Adu, encodeAdu, MbapFrameSplitter } from "./mbap.ts";
import type { ExceptionResponse } from "./messages/exception.ts";
import { decodeResponse, encodeRequest, type ModbusRequest, type ResponseFor } from "./pdu.ts";

/** A request that got no usable answer; its tags get `code`. */
export interface ExchangeFailure {
  readonly kind: "failed";
  readonly code: "TIMEOUT" | "REMOTE_ERROR";
  readonly message: string;
}

/** How one request went: the answer, the device's exception, or no usable answer. */
export type Exchange<R extends ModbusRequest> =
  | { readonly kind: "response"; readonly response: ResponseFor<R> }
  | { readonly kind: "exception"; readonly exception: ExceptionResponse }
  | ExchangeFailure;

/** Why a link ended: `close()` was called, or it was lost (device gone, or a byte stream that stopped making sense). */
export type LinkEnd =
  | { readonly cause: "closed" }
  | { readonly cause: "lost"; readonly reason: string; readonly error: ConnectionFailedError };

export interface TransportSettings {
  readonly host: string;
  readonly port: number;
  /** Names the device in errors: the URL with secrets redacted. */
  readonly target: string;
  /** How long a request may wait for its answer (and the TCP connect for its handshake). */
  readonly requestTimeoutMs: number;
  /** Requests sent before their answers arrive; more wait their turn. */
  readonly maxInFlight: number;
  readonly signal?: AbortSignal;
}

/** Transaction ids of timed-out requests kept so that their late answers are dropped rather than taken for garbage. */
const EXPIRED_LIMIT = 1024;

interface Transaction {
  readonly unitId: number;
  readonly request: ModbusRequest;
  readonly pdu: Uint8Array;
  readonly settle: (exchange: Exchange<ModbusRequest>) => void;
  id: number;
  timer: NodeJS.Timeout | undefined;
}

/** Opens the TCP connection (TCP_NODELAY on); rejects with ConnectionFailedError when it cannot, or on abort. */
export function openTransport(settings: TransportSettings): Promise<ModbusTcpTransport> {
  const { host, port, target, requestTimeoutMs, signal } = settings;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ConnectionFailedError(target, "connect aborted", { cause: signal.reason }));
      return;
    }
    const socket = createConnection({ host, port, noDelay: true });
    const cleanup = () => {
      clearTimeout(timer);
      socket.off("connect", onConnect);
      socket.off("error", onError);
      signal?.removeEventListener("abort", onAbort);
    };
    const fail = (reason: string, cause?: unknown) => {
      cleanup();
      // Nothing listens to this socket any more; an error it still reports while being destroyed has nowhere to go.
      socket.on("error", () => {});
      socket.destroy();
      reject(new ConnectionFailedError(target, reason, cause === undefined ? undefined : { cause }));
    };
    const onConnect = () => {
      cleanup();
      resolve(new ModbusTcpTransport(socket, settings));
    };
    const onError = (error: Error) => fail(error.message, error);
    const onAbort = () => fail("connect aborted", signal?.reason);
    const timer = setTimeout(() => fail(`no TCP connection within ${requestTimeoutMs} ms`), requestTimeoutMs);
    socket.once("connect", onConnect);
    socket.once("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * One Modbus TCP link. Requests are matched to answers by transaction id, so with `maxInFlight` > 1 several are on the
 * wire at once and may be answered in any order. A request without an answer in time fails with TIMEOUT alone; its
 * late answer is dropped. Anything that shows the byte stream can no longer be trusted (a frame the splitter refuses,
 * an answer nobody asked for, from the wrong unit or not fitting its request, a frame cut off for good, the device
 * closing) ends the link: everything in flight or queued fails with REMOTE_ERROR and `ended` resolves.
 */
export class ModbusTcpTransport {
  /** Resolves once, when the link ends for whatever reason; never rejects. */
  readonly ended: Promise<LinkEnd>;
  readonly #socket: Socket;
  readonly #settings: TransportSettings;
  readonly #splitter = new MbapFrameSplitter();
  readonly #inFlight = new Map<number, Transaction>();
  readonly #queue: Transaction[] = [];
  readonly #expired = new Set<number>();
  readonly #socketClosed: Promise<void>;
  #resolveEnded: (end: LinkEnd) => void = () => {};
  #end: LinkEnd | undefined;
  #nextId = 1;

  constructor(socket: Socket, settings: TransportSettings) {
    this.#socket = socket;
    this.#settings = settings;
    this.ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
    this.#socketClosed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    socket.on("error", (error: Error) => this.#lose(error.message, error));
    socket.on("end", () => this.#lose("the device closed the connection"));
    socket.on("close", () => this.#lose("the connection closed"));
  }

  /** How the link ended, or undefined while it is up. */
  get end(): LinkEnd | undefined {
    return this.#end;
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Sends `request` to `unitId` once fewer than `maxInFlight` requests are in flight. Never rejects for the device's
   * sake: after the link ended it resolves REMOTE_ERROR at once. Throws the codec's error for a request it refuses to
   * encode, which is the caller's bug.
   */
  send<R extends ModbusRequest>(unitId: number, request: R): Promise<Exchange<R>> {
    const pdu = encodeRequest(request);
    if (this.#end !== undefined) return Promise.resolve(this.#notSent());
    return new Promise((resolve) => {
      // Exchange<ModbusRequest> holds every answer; the one decoded for this request is an Exchange<R>.
      const settle = resolve as (exchange: Exchange<ModbusRequest>) => void;
      const transaction: Transaction = { unitId, request, pdu, settle, id: -1, timer: undefined };
      if (this.#inFlight.size < this.#settings.maxInFlight) this.#dispatch(transaction);
      else this.#queue.push(transaction);
    });
  }

  /** Ends the link; requests still open fail with REMOTE_ERROR. Resolves once the socket is closed. Safe to call twice. */
  close(): Promise<void> {
    this.#finish({ cause: "closed" }, "the connection was closed");
    return this.#socketClosed;
  }

  #corked = false;

  #dispatch(transaction: Transaction): void {
    transaction.id = this.#allocateId();
    this.#inFlight.set(transaction.id, transaction);
    transaction.timer = setTimeout(() => this.#onTimeout(transaction), this.#settings.requestTimeoutMs);
    // Requests dispatched in the same tick (a read's blocks) leave in one TCP write: one syscall, and with the device's
    // latency paid in parallel for all of them.
    if (!this.#corked) {
      this.#corked = true;
      this.#socket.cork();
      process.nextTick(() => {
        this.#corked = false;
        this.#socket.uncork();
      });
    }
    this.#socket.write(encodeAdu({ transactionId: transaction.id, unitId: transaction.unitId, pdu: transaction.pdu }));
  }

  #allocateId(): number {
    // At most maxInFlight + EXPIRED_LIMIT of the 65536 ids are taken, so this finds a free one quickly.
    for (;;) {
      const id = this.#nextId;
      this.#nextId = (id + 1) & 0xffff;
      if (!this.#inFlight.has(id) && !this.#expired.has(id)) return id;
    }
  }

  #pump(): void {
    while (this.#end === undefined && this.#queue.length > 0 && this.#inFlight.size < this.#settings.maxInFlight) {
      this.#dispatch(this.#queue.shift()!);
    }
  }

  #onData(chunk: Buffer): void {
    if (this.#end !== undefined) return;
    try {
      for (const frame of this.#splitter.push(chunk)) {
        this.#onFrame(frame);
        if (this.#end !== undefined) return;
      }
    } catch (error) {
      // Whatever a frame does to the codec, it must not escape a socket callback and take the process down.
      this.#lose(`unreadable answer from the device: ${errorMessage(error)}`, error);
      return;
    }
    this.#pump();
  }

  #onFrame(frame: Adu): void {
    const transaction = this.#inFlight.get(frame.transactionId);
    if (transaction === undefined) {
      if (this.#expired.delete(frame.transactionId)) return;
      this.#lose(`an answer with transaction id ${frame.transactionId}, which no request in flight has`);
      return;
    }
    this.#complete(transaction);
    if (frame.unitId !== transaction.unitId) {
      const message = `the answer to transaction ${frame.transactionId} came from unit ${frame.unitId}, not ${transaction.unitId}`;
      transaction.settle({ kind: "failed", code: "REMOTE_ERROR", message });
      this.#lose(message);
      return;
    }
    let answer: ReturnType<typeof decodeResponse>;
    try {
      answer = decodeResponse(frame.pdu, transaction.request);
    } catch (error) {
      // A well-framed answer that does not fit its request means the device and Fabrik disagree on which request it
      // answers; every later answer is suspect too.
      const message = errorMessage(error);
      transaction.settle({ kind: "failed", code: "REMOTE_ERROR", message });
      this.#lose(message, error);
      return;
    }
    transaction.settle(
      "exceptionCode" in answer ? { kind: "exception", exception: answer } : { kind: "response", response: answer },
    );
  }

  #onTimeout(transaction: Transaction): void {
    this.#complete(transaction);
    this.#expired.add(transaction.id);
    if (this.#expired.size > EXPIRED_LIMIT) this.#expired.delete(this.#expired.values().next().value!);
    const { requestTimeoutMs } = this.#settings;
    transaction.settle({ kind: "failed", code: "TIMEOUT", message: `no answer within ${requestTimeoutMs} ms` });
    const partial = this.#splitter.bufferedBytes;
    // Seconds after a frame began, the rest of it is not coming: the device cut it short, and the next bytes would be
    // read as its tail.
    if (partial > 0) this.#lose(`the device stopped sending in the middle of a frame (${partial} bytes of it arrived)`);
    else this.#pump();
  }

  #complete(transaction: Transaction): void {
    clearTimeout(transaction.timer);
    this.#inFlight.delete(transaction.id);
  }

  #lose(reason: string, cause?: unknown): void {
    if (this.#end !== undefined) return;
    const error = new ConnectionFailedError(this.#settings.target, reason, cause === undefined ? undefined : { cause });
    this.#finish({ cause: "lost", reason, error }, reason);
  }

  #finish(end: LinkEnd, reason: string): void {
    if (this.#end !== undefined) return;
    this.#end = end;
    const failed: ExchangeFailure = { kind: "failed", code: "REMOTE_ERROR", message: `connection ended: ${reason}` };
    for (const transaction of this.#inFlight.values()) {
      clearTimeout(transaction.timer);
      transaction.settle(failed);
    }
    this.#inFlight.clear();
    for (const transaction of this.#queue.splice(0)) transaction.settle(this.#notSent());
    this.#socket.destroy();
    this.#resolveEnded(end);
  }

  #notSent(): ExchangeFailure {
    const end = this.#end;
    const reason = end?.cause === "lost" ? end.reason : "the connection was closed";
    return { kind: "failed", code: "REMOTE_ERROR", message: `not sent: ${reason}` };
  }
}
