// The S7comm header every PDU starts with: protocol id 0x32, message type, PDU reference, lengths, and an ack's error.
import { hexByte, S7PduError } from "../errors.ts";
import { ByteReader, checkRange, writeU16 } from "./byte-reader.ts";

export const S7_PROTOCOL_ID = 0x32;

/** Message types (ROSCTR): a request, an acknowledgement without data, one with data, and user data (SZL, alarms). */
export const ROSCTR = { JOB: 0x01, ACK: 0x02, ACK_DATA: 0x03, USERDATA: 0x07 } as const;
export type Rosctr = (typeof ROSCTR)[keyof typeof ROSCTR];

/** Header bytes of a job or user data PDU, and of an acknowledgement (which adds error class and code). */
export const REQUEST_HEADER_LENGTH = 10;
export const RESPONSE_HEADER_LENGTH = 12;

export interface S7Header {
  readonly rosctr: Rosctr;
  /** Pairs a response with its request: the PLC copies it. 0..65535. */
  readonly pduReference: number;
  /** An acknowledgement's error class (0 = none); always 0 for jobs and user data. */
  readonly errorClass: number;
  readonly errorCode: number;
}

/** One S7 PDU split into header, parameter and data; the parts are views into the PDU. */
export interface S7Pdu {
  readonly header: S7Header;
  readonly parameter: Uint8Array;
  readonly data: Uint8Array;
}

const MESSAGE = "header";

function headerError(field: string, value: number, detail: string): S7PduError {
  return new S7PduError(MESSAGE, field, value, detail);
}

export function isAcknowledgement(rosctr: number): boolean {
  return rosctr === ROSCTR.ACK || rosctr === ROSCTR.ACK_DATA;
}

export function headerLength(rosctr: number): number {
  return isAcknowledgement(rosctr) ? RESPONSE_HEADER_LENGTH : REQUEST_HEADER_LENGTH;
}

/** The PDU of `header`, `parameter` and `data`; lengths are computed, never given. */
export function encodeS7Pdu(header: S7Header, parameter: Uint8Array, data: Uint8Array): Uint8Array {
  checkRange(header.pduReference, 0, 0xffff, "pduReference", headerError);
  checkRange(header.errorClass, 0, 0xff, "errorClass", headerError);
  checkRange(header.errorCode, 0, 0xff, "errorCode", headerError);
  checkRange(parameter.length, 0, 0xffff, "parameterLength", headerError);
  checkRange(data.length, 0, 0xffff, "dataLength", headerError);
  const ack = isAcknowledgement(header.rosctr);
  const start = headerLength(header.rosctr);
  const pdu = new Uint8Array(start + parameter.length + data.length);
  pdu[0] = S7_PROTOCOL_ID;
  pdu[1] = header.rosctr;
  writeU16(pdu, 4, header.pduReference);
  writeU16(pdu, 6, parameter.length);
  writeU16(pdu, 8, data.length);
  if (ack) {
    pdu[10] = header.errorClass;
    pdu[11] = header.errorCode;
  } else if (header.errorClass !== 0 || header.errorCode !== 0) {
    throw headerError("errorClass", header.errorClass, "only acknowledgements carry an error");
  }
  pdu.set(parameter, start);
  pdu.set(data, start + parameter.length);
  return pdu;
}

/**
 * A PDU into header, parameter and data. The protocol id must be 0x32, the message type one of 1, 2, 3, 7, and the two
 * lengths must add up to exactly the bytes given.
 */
export function decodeS7Pdu(pdu: Uint8Array): S7Pdu {
  const reader = new ByteReader(pdu, headerError);
  const protocolId = reader.u8("protocolId");
  if (protocolId !== S7_PROTOCOL_ID) {
    throw headerError("protocolId", protocolId, `protocol id ${hexByte(protocolId)} is not S7comm (0x32)`);
  }
  const rosctr = reader.u8("rosctr");
  if (rosctr !== ROSCTR.JOB && rosctr !== ROSCTR.ACK && rosctr !== ROSCTR.ACK_DATA && rosctr !== ROSCTR.USERDATA) {
    throw headerError("rosctr", rosctr, `message type ${hexByte(rosctr)} is not job, ack, ack-data or user data`);
  }
  reader.u16("redundancyId");
  const pduReference = reader.u16("pduReference");
  const parameterLength = reader.u16("parameterLength");
  const dataLength = reader.u16("dataLength");
  const ack = isAcknowledgement(rosctr);
  const errorClass = ack ? reader.u8("errorClass") : 0;
  const errorCode = ack ? reader.u8("errorCode") : 0;
  const parameter = reader.bytes("parameter", parameterLength);
  const data = reader.bytes("data", dataLength);
  reader.end();
  return { header: { rosctr, pduReference, errorClass, errorCode }, parameter, data };
}
