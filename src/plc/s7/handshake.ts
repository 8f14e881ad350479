// Opens an S7 link: TCP (TCP_NODELAY), COTP connection request to the PLC's TSAP, then Setup Communication.
import { createConnection } from "node:net";
import { ConnectionFailedError } from "../errors.ts";
import { errorMessage } from "../unanswered.ts";
import { hexWord } from "./errors.ts";
import { type CotpTpdu, DataReassembler, decodeCotp, describeTpdu } from "./messages/cotp.ts";
import { encodeCotpConnection } from "./messages/cotp-connect.ts";
import { splitIntoDataTpdus } from "./messages/cotp-data.ts";
import { describeDisconnectReason } from "./messages/cotp-disconnect.ts";
import { describeErrorClass } from "./messages/error-classes.ts";
import { decodeS7Response } from "./messages/s7-pdu.ts";
import { encodeSetupCommunicationRequest } from "./messages/setup-communication.ts";
import { encodeTpkt, TpktFrameSplitter } from "./messages/tpkt.ts";
import { type Negotiated, S7Transport, type S7TransportSettings } from "./transport.ts";

/** The client's COTP source reference; PLCs echo it and care for nothing else about it. */
const SOURCE_REFERENCE = 0x0001;
const MAX_TPDU_SIZE = 8192;

/** The TPDU size to ask for: the smallest that carries a whole PDU of `pduSize`, as TPDU sizes are powers of two. */
function tpduSizeFor(pduSize: number): number {
  let size = 128;
  while (size < pduSize + 3 && size < MAX_TPDU_SIZE) size *= 2;
  return size;
}

/**
 * Opens the link: TCP (TCP_NODELAY), COTP connection request to the remote TSAP, Setup Communication. Rejects with
 * ConnectionFailedError saying which step failed, e.g. the PLC's disconnect reason for a wrong rack/slot.
 */
export function openS7Transport(settings: S7TransportSettings): Promise<S7Transport> {
  const { host, port, target, timeoutMs, signal } = settings;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ConnectionFailedError(target, "connect aborted", { cause: signal.reason }));
      return;
    }
    const socket = createConnection({ host, port, noDelay: true });
    const splitter = new TpktFrameSplitter();
    let step = "TCP connect";
    let settled = false;
    const waiting: ((tpdu: CotpTpdu) => void)[] = [];
    const cleanup = () => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("error", onError);
      socket.off("close", onClose);
      signal?.removeEventListener("abort", onAbort);
    };
    const fail = (reason: string, cause?: unknown) => {
      if (settled) return;
      settled = true;
      cleanup();
      socket.on("error", () => {});
      socket.destroy();
      reject(new ConnectionFailedError(target, reason, cause === undefined ? undefined : { cause }));
    };
    const onData = (chunk: Buffer) => {
      try {
        for (const tpdu of splitter.push(chunk)) waiting.shift()?.(decodeCotp(tpdu));
      } catch (error) {
        fail(`${step}: unreadable answer: ${errorMessage(error)}`, error);
      }
    };
    const next = () => new Promise<CotpTpdu>((take) => waiting.push(take));
    const onError = (error: Error) => fail(`${step}: ${error.message}`, error);
    const onClose = () => fail(`${step}: the PLC closed the connection`);
    const onAbort = () => fail("connect aborted", signal?.reason);
    const timer = setTimeout(() => fail(`${step}: no answer within ${timeoutMs} ms`), timeoutMs);
    socket.on("data", onData);
    socket.once("error", onError);
    socket.once("close", onClose);
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => {
      void handshake().catch((error: unknown) => fail(`${step}: ${errorMessage(error)}`, error));
    });

    const handshake = async () => {
      step = "COTP connect";
      const requestedTpdu = tpduSizeFor(settings.pduSize);
      socket.write(
        encodeTpkt(
          encodeCotpConnection({
            kind: "CR",
            destinationReference: 0,
            sourceReference: SOURCE_REFERENCE,
            protocolClass: 0,
            tpduSize: requestedTpdu,
            callingTsap: settings.localTsap,
            calledTsap: settings.remoteTsap,
          }),
        ),
      );
      const confirm = await next();
      if (confirm.kind === "DR") {
        const tsap = hexWord(settings.remoteTsap);
        throw new Error(
          `the PLC refused TSAP ${tsap}: ${describeDisconnectReason(confirm.reason)}; check rack and slot`,
        );
      }
      if (confirm.kind !== "CC") throw new Error(`expected a connection confirm, got ${describeTpdu(confirm)}`);
      const tpduSize = Math.min(confirm.tpduSize ?? requestedTpdu, requestedTpdu);
      step = "Setup Communication";
      const setup = encodeSetupCommunicationRequest({
        pduReference: 0,
        maxAmqCaller: settings.maxAmqCaller,
        maxAmqCallee: settings.maxAmqCallee,
        pduLength: settings.pduSize,
      });
      for (const tpdu of splitIntoDataTpdus(setup, tpduSize)) socket.write(encodeTpkt(tpdu));
      const reassembler = new DataReassembler(0xffff);
      let pdu: Uint8Array | undefined;
      while (pdu === undefined) {
        const tpdu = await next();
        if (tpdu.kind !== "DT") throw new Error(`expected data, got ${describeTpdu(tpdu)}`);
        pdu = reassembler.push(tpdu);
      }
      const answer = decodeS7Response(pdu);
      if (answer.kind === "refused") throw new Error(describeErrorClass(answer.errorClass, answer.errorCode).message);
      if (answer.kind !== "setup") throw new Error(`expected its answer, got a ${answer.kind} response`);
      const negotiated: Negotiated = {
        // Never more than asked: a PLC granting more would be taken at its word by no one.
        pduLength: Math.min(answer.pduLength, settings.pduSize),
        maxAmqCaller: Math.max(1, Math.min(answer.maxAmqCaller, settings.maxAmqCaller)),
        maxAmqCallee: Math.max(1, Math.min(answer.maxAmqCallee, settings.maxAmqCallee)),
        tpduSize,
      };
      if (negotiated.pduLength < 64)
        throw new Error(`the PLC granted a PDU of ${negotiated.pduLength} bytes, too small`);
      if (settled) return;
      settled = true;
      cleanup();
      resolve(new S7Transport(socket, splitter, settings, negotiated));
    };
  });
}
