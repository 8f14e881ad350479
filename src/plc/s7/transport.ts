// An S7 connection's link after set-up: jobs in flight by PDU reference, their timeouts, and losing a link gone bad.
import type { Socket } from "node:net";
import { ConnectionFailedError } from "../errors.ts";
import { errorMessage } from "../unanswered.ts";
import { type CotpTpdu, DataReassembler, decodeCotp, describeTpdu } from "./messages/cotp.ts";
import { COTP_DATA, COTP_DATA_HEADER_LENGTH, splitIntoDataTpdus } from "./messages/cotp-data.ts";
import { decodeS7Response, type RefusedRequest, type S7Function, type S7Response } from "./messages/s7-pdu.ts";
import { encodeTpkt, TPKT_HEADER_LENGTH, TPKT_VERSION, type TpktFrameSplitter } from "./messages/tpkt.ts";

/** A job that got no usable answer; its tags get `code`. */
export interface ExchangeFailure {
  readonly kind: "failed";
  readonly code: "TIMEOUT" | "REMOTE_ERROR";
  readonly message: string;
}

/** How one job went: the answer of the function asked for, the PLC's refusal of it, or no usable answer. */
export type Exchange<F extends S7Function> =
  | { readonly kind: "response"; readonly response: Extract<S7Response, { kind: F }> }
  | { readonly kind: "refused"; readonly refusal: RefusedRequest }
  | ExchangeFailure;

/** Why a link ended: `close()` was called, or it was lost (PLC gone, or a byte stream that stopped making sense). */
export type LinkEnd =
  | { readonly cause: "closed" }
  | { readonly cause: "lost"; readonly reason: string; readonly error: ConnectionFailedError };

/** What Setup Communication and the COTP connection agreed. */
export interface Negotiated {
  readonly pduLength: number;
  readonly maxAmqCaller: number;
  readonly maxAmqCallee: number;
  /** Largest TPDU either side sends, header included. */
  readonly tpduSize: number;
}

export interface S7TransportSettings {
  readonly host: string;
  readonly port: number;
  /** Names the device in errors: the URL with secrets redacted. */
  readonly target: string;
  readonly localTsap: number;
  readonly remoteTsap: number;
  readonly pduSize: number;
  readonly maxAmqCaller: number;
  readonly maxAmqCallee: number;
  /** Bounds the set-up (TCP, COTP, Setup Communication) and each job's wait for its answer. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** References of timed-out jobs kept so that their late answers are dropped rather than taken for garbage. */
const EXPIRED_LIMIT = 1024;

interface Job {
  readonly fn: S7Function;
  readonly encode: (pduReference: number) => Uint8Array;
  readonly settle: (exchange: Exchange<S7Function>) => void;
  reference: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The TPKT frames carrying `pdu` in DT TPDUs of at most `tpduSize` bytes. The usual PDU fits one TPDU: its frame is
 * built in one buffer rather than wrapped twice, as it is on every poll.
 */
function dataFrames(pdu: Uint8Array, tpduSize: number): Uint8Array[] {
  if (pdu.length + COTP_DATA_HEADER_LENGTH > tpduSize) return splitIntoDataTpdus(pdu, tpduSize).map(encodeTpkt);
  const length = TPKT_HEADER_LENGTH + COTP_DATA_HEADER_LENGTH + pdu.length;
  const frame = new Uint8Array(length);
  frame.set([TPKT_VERSION, 0, length >>> 8, length & 0xff, 2, COTP_DATA, 0x80]);
  frame.set(pdu, TPKT_HEADER_LENGTH + COTP_DATA_HEADER_LENGTH);
  return [frame];
}

/**
 * One S7 link after Setup Communication. Jobs are matched to answers by PDU reference, so up to the negotiated number
 * are on the wire at once and may be answered in any order; more wait their turn. A job without an answer in time
 * fails alone with TIMEOUT (its late answer is dropped). Anything that shows the stream can no longer be trusted (a
 * frame or PDU that does not parse, a PDU larger than negotiated, an answer nobody asked for or of another function,
 * a disconnect, the socket closing) ends the link: every job fails with REMOTE_ERROR and `ended` resolves.
 */
export class S7Transport {
  readonly negotiated: Negotiated;
  /** Resolves once, when the link ends for whatever reason; never rejects. */
  readonly ended: Promise<LinkEnd>;
  readonly #socket: Socket;
  readonly #settings: S7TransportSettings;
  readonly #splitter: TpktFrameSplitter;
  readonly #reassembler: DataReassembler;
  readonly #inFlight = new Map<number, Job>();
  readonly #queue: Job[] = [];
  readonly #expired = new Set<number>();
  readonly #socketClosed: Promise<void>;
  #resolveEnded: (end: LinkEnd) => void = () => {};
  #end: LinkEnd | undefined;
  #nextReference = 1;
  #corked = false;
  #lastSent = 0;
  #keepAlive: NodeJS.Timeout | undefined;

  constructor(socket: Socket, splitter: TpktFrameSplitter, settings: S7TransportSettings, negotiated: Negotiated) {
    this.#socket = socket;
    this.#settings = settings;
    this.#splitter = splitter;
    this.negotiated = negotiated;
    splitter.limitFrameLength(TPKT_HEADER_LENGTH + negotiated.tpduSize);
    this.#reassembler = new DataReassembler(negotiated.pduLength);
    this.ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
    this.#socketClosed = new Promise((resolve) => {
      if (socket.destroyed) resolve();
      else socket.once("close", () => resolve());
    });
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    socket.on("error", (error: Error) => this.#lose(error.message, error));
    socket.on("end", () => this.#lose("the PLC closed the connection"));
    socket.on("close", () => this.#lose("the connection closed"));
  }

  /** How the link ended, or undefined while it is up. */
  get end(): LinkEnd | undefined {
    return this.#end;
  }

  /** Jobs sent and not yet answered. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Sends the job `encode` builds for a PDU reference, once fewer than the negotiated number are in flight. Never
   * rejects for the PLC's sake: after the link ended it resolves REMOTE_ERROR at once.
   */
  send<F extends S7Function>(fn: F, encode: (pduReference: number) => Uint8Array): Promise<Exchange<F>> {
    if (this.#end !== undefined) return Promise.resolve(this.#notSent());
    return new Promise((resolve) => {
      // Exchange<S7Function> holds every answer; the one matched to this job's function is an Exchange<F>.
      const settle = resolve as (exchange: Exchange<S7Function>) => void;
      const job: Job = { fn, encode, settle, reference: -1, timer: undefined };
      if (this.#inFlight.size < this.negotiated.maxAmqCaller) this.#dispatch(job);
      else this.#queue.push(job);
    });
  }

  /**
   * Every `intervalMs` without a job sent, `probe` runs (a one-bit read); a probe that times out ends the link, so a
   * half-open connection is noticed before the next poll needs it.
   */
  keepAlive(intervalMs: number, probe: () => Promise<ExchangeFailure | undefined>): void {
    clearInterval(this.#keepAlive);
    this.#keepAlive = setInterval(() => {
      if (this.#end !== undefined || performance.now() - this.#lastSent < intervalMs) return;
      void probe().then((failure) => {
        if (failure?.code === "TIMEOUT") this.#lose(`no answer to a keep-alive within ${this.#settings.timeoutMs} ms`);
      });
    }, intervalMs);
    this.#keepAlive.unref();
  }

  /** Ends the link; jobs still open fail with REMOTE_ERROR. Resolves once the socket is closed. Safe to call twice. */
  close(): Promise<void> {
    this.#finish({ cause: "closed" }, "the connection was closed");
    return this.#socketClosed;
  }

  #dispatch(job: Job): void {
    job.reference = this.#allocateReference();
    const pdu = job.encode(job.reference);
    if (pdu.length > this.negotiated.pduLength) {
      const message = `a request of ${pdu.length} bytes exceeds the negotiated PDU of ${this.negotiated.pduLength}`;
      job.settle({ kind: "failed", code: "REMOTE_ERROR", message });
      return;
    }
    this.#inFlight.set(job.reference, job);
    job.timer = setTimeout(() => this.#onTimeout(job), this.#settings.timeoutMs);
    this.#lastSent = performance.now();
    // Jobs dispatched in the same tick (a read's PDUs) leave in one TCP write, their latency paid in parallel.
    if (!this.#corked) {
      this.#corked = true;
      this.#socket.cork();
      process.nextTick(() => {
        this.#corked = false;
        this.#socket.uncork();
      });
    }
    for (const frame of dataFrames(pdu, this.negotiated.tpduSize)) this.#socket.write(frame);
  }

  #allocateReference(): number {
    // At most maxAmqCaller + EXPIRED_LIMIT of the 65535 references are taken, so this finds a free one quickly.
    for (;;) {
      const reference = this.#nextReference;
      this.#nextReference = reference === 0xffff ? 1 : reference + 1;
      if (!this.#inFlight.has(reference) && !this.#expired.has(reference)) return reference;
    }
  }

  #pump(): void {
    while (this.#end === undefined && this.#queue.length > 0 && this.#inFlight.size < this.negotiated.maxAmqCaller) {
      this.#dispatch(this.#queue.shift()!);
    }
  }

  #onData(chunk: Buffer): void {
    if (this.#end !== undefined) return;
    try {
      for (const tpdu of this.#splitter.push(chunk)) {
        this.#onTpdu(decodeCotp(tpdu));
        if (this.#end !== undefined) return;
      }
    } catch (error) {
      // Whatever a frame does to the codec, it must not escape a socket callback and take the process down.
      this.#lose(`unreadable answer from the PLC: ${errorMessage(error)}`, error);
      return;
    }
    this.#pump();
  }

  #onTpdu(tpdu: CotpTpdu): void {
    if (tpdu.kind !== "DT") {
      this.#lose(`the PLC sent ${describeTpdu(tpdu)}`);
      return;
    }
    const pdu = this.#reassembler.push(tpdu);
    if (pdu !== undefined) this.#onPdu(pdu);
  }

  #onPdu(pdu: Uint8Array): void {
    const answer = decodeS7Response(pdu);
    const job = this.#inFlight.get(answer.pduReference);
    if (job === undefined) {
      if (this.#expired.delete(answer.pduReference)) return;
      this.#lose(`an answer with PDU reference ${answer.pduReference}, which no job in flight has`);
      return;
    }
    this.#complete(job);
    if (answer.kind === "refused") {
      job.settle({ kind: "refused", refusal: answer });
      return;
    }
    if (answer.kind !== job.fn) {
      const message = `the answer to a ${job.fn} job (reference ${job.reference}) is a ${answer.kind} response`;
      job.settle({ kind: "failed", code: "REMOTE_ERROR", message });
      this.#lose(message);
      return;
    }
    job.settle({ kind: "response", response: answer } as Exchange<S7Function>);
  }

  #onTimeout(job: Job): void {
    this.#complete(job);
    this.#expired.add(job.reference);
    if (this.#expired.size > EXPIRED_LIMIT) this.#expired.delete(this.#expired.values().next().value!);
    job.settle({ kind: "failed", code: "TIMEOUT", message: `no answer within ${this.#settings.timeoutMs} ms` });
    const partial = this.#splitter.bufferedBytes + this.#reassembler.bufferedBytes;
    // Seconds after a frame began, the rest of it is not coming: the next bytes would be read as its tail.
    if (partial > 0) this.#lose(`the PLC stopped sending in the middle of a frame (${partial} bytes of it arrived)`);
    else this.#pump();
  }

  #complete(job: Job): void {
    clearTimeout(job.timer);
    this.#inFlight.delete(job.reference);
  }

  #lose(reason: string, cause?: unknown): void {
    if (this.#end !== undefined) return;
    const error = new ConnectionFailedError(this.#settings.target, reason, cause === undefined ? undefined : { cause });
    this.#finish({ cause: "lost", reason, error }, reason);
  }

  #finish(end: LinkEnd, reason: string): void {
    if (this.#end !== undefined) return;
    this.#end = end;
    clearInterval(this.#keepAlive);
    const failed: ExchangeFailure = { kind: "failed", code: "REMOTE_ERROR", message: `connection ended: ${reason}` };
    for (const job of this.#inFlight.values()) {
      clearTimeout(job.timer);
      job.settle(failed);
    }
    this.#inFlight.clear();
    for (const job of this.#queue.splice(0)) job.settle(this.#notSent());
    this.#socket.destroy();
    this.#resolveEnded(end);
  }

  #notSent(): ExchangeFailure {
    const end = this.#end;
    const reason = end?.cause === "lost" ? end.reason : "the connection was closed";
    return { kind: "failed", code: "REMOTE_ERROR", message: `not sent: ${reason}` };
  }
}
