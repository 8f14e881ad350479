// Every COTP TPDU an S7 connection meets, dispatched by TPDU code: what arrives inside a TPKT frame.
import { hexByte, S7FrameError } from "../errors.ts";
import {
  COTP_CONNECTION_CONFIRM,
  COTP_CONNECTION_REQUEST,
  type CotpConnection,
  decodeCotpConnection,
} from "./cotp-connect.ts";
import { COTP_DATA, type CotpData, decodeCotpData } from "./cotp-data.ts";
import {
  COTP_DISCONNECT_REQUEST,
  type CotpDisconnect,
  decodeCotpDisconnect,
  describeDisconnectReason,
} from "./cotp-disconnect.ts";
import { COTP_TPDU_ERROR, type CotpTpduError, decodeCotpTpduError, describeRejectCause } from "./cotp-error.ts";

export type CotpTpdu =
  | CotpConnection
  | ({ readonly kind: "DT" } & CotpData)
  | ({ readonly kind: "DR" } & CotpDisconnect)
  | ({ readonly kind: "ER" } & CotpTpduError);

/** One TPDU (the payload of one TPKT frame) into its structure; throws S7FrameError for any other TPDU code. */
export function decodeCotp(tpdu: Uint8Array): CotpTpdu {
  if (tpdu.length < 2) throw new S7FrameError("COTP", "length", tpdu.length, `a ${tpdu.length}-byte TPDU has no code`);
  const code = tpdu[1]!;
  switch (code) {
    case COTP_DATA:
      return { kind: "DT", ...decodeCotpData(tpdu) };
    case COTP_CONNECTION_REQUEST:
    case COTP_CONNECTION_CONFIRM:
      return decodeCotpConnection(tpdu);
    case COTP_DISCONNECT_REQUEST:
      return { kind: "DR", ...decodeCotpDisconnect(tpdu) };
    case COTP_TPDU_ERROR:
      return { kind: "ER", ...decodeCotpTpduError(tpdu) };
    default:
      throw new S7FrameError("COTP", "tpduCode", code, `TPDU code ${hexByte(code)} is not one S7 uses`);
  }
}

/**
 * Gathers the DT pieces of S7 PDUs: push each DT in arrival order, get the whole PDU when its EOT piece arrives. A PDU
 * that grows past `maxPduLength` throws S7FrameError: the peer sends more than was negotiated.
 */
export class DataReassembler {
  #pieces: Uint8Array[] = [];
  #length = 0;
  #maxPduLength: number;

  constructor(maxPduLength: number) {
    this.#maxPduLength = maxPduLength;
  }

  /** Bytes of a PDU whose last piece has not arrived. */
  get bufferedBytes(): number {
    return this.#length;
  }

  limitPduLength(length: number): void {
    this.#maxPduLength = length;
  }

  /** The whole PDU once `data` completes it, else undefined. */
  push(data: CotpData): Uint8Array | undefined {
    const length = this.#length + data.payload.length;
    if (length > this.#maxPduLength) {
      throw new S7FrameError(
        "COTP",
        "length",
        length,
        `a PDU of ${length}+ bytes exceeds the ${this.#maxPduLength} agreed`,
      );
    }
    if (data.eot && this.#pieces.length === 0) return data.payload;
    // A copy: the piece is a view into a socket chunk.
    this.#pieces.push(data.payload.slice());
    this.#length = length;
    if (!data.eot) return undefined;
    const pdu = new Uint8Array(length);
    let offset = 0;
    for (const piece of this.#pieces) {
      pdu.set(piece, offset);
      offset += piece.length;
    }
    this.#pieces = [];
    this.#length = 0;
    return pdu;
  }
}

/** A TPDU in words for messages: "a disconnect: normal disconnect (0x80)". */
export function describeTpdu(tpdu: CotpTpdu): string {
  switch (tpdu.kind) {
    case "DR":
      return `a disconnect: ${describeDisconnectReason(tpdu.reason)}`;
    case "ER":
      return `a TPDU error: ${describeRejectCause(tpdu.rejectCause)}`;
    default:
      return `a ${tpdu.kind} TPDU`;
  }
}
