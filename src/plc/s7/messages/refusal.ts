// A PLC's refusal of a whole request: an acknowledgement whose header carries an error class and code instead of a result.
import { encodeS7Pdu, ROSCTR, type S7Pdu } from "./s7-header.ts";

export interface RefusedRequest {
  readonly kind: "refused";
  readonly pduReference: number;
  readonly errorClass: number;
  readonly errorCode: number;
  /** The function the refusal names in its parameter, when it has one. */
  readonly functionCode: number | undefined;
}

/** Server: an acknowledgement without data refusing the job `pduReference` (error class must not be 0). */
export function encodeRefusal(refusal: Omit<RefusedRequest, "kind">): Uint8Array {
  const { pduReference, errorClass, errorCode, functionCode } = refusal;
  const header = { rosctr: ROSCTR.ACK, pduReference, errorClass, errorCode };
  const parameter = functionCode === undefined ? new Uint8Array(0) : Uint8Array.of(functionCode, 0);
  return encodeS7Pdu(header, parameter, new Uint8Array(0));
}

/** Client: the refusal in an acknowledgement's header; the caller checks the header carries an error first. */
export function decodeRefusal(pdu: S7Pdu): RefusedRequest {
  const { pduReference, errorClass, errorCode } = pdu.header;
  return { kind: "refused", pduReference, errorClass, errorCode, functionCode: pdu.parameter[0] };
}
