// S7 function 0xF0 Setup Communication: the first job on a connection, agreeing the PDU size and the jobs in parallel.
import { hexByte, S7PduError, S7ResponseMismatchError } from "../errors.ts";
import { ByteReader, checkRange, writeU16 } from "./byte-reader.ts";
import { encodeS7Pdu, ROSCTR, type S7Pdu } from "./s7-header.ts";

export const SETUP_COMMUNICATION = 0xf0;
const PARAMETER_LENGTH = 8;

/** The request and its answer carry the same fields; the answer's are what the PLC grants. */
export interface SetupCommunication {
  readonly pduReference: number;
  /** Jobs the client may have unanswered at once. */
  readonly maxAmqCaller: number;
  /** Jobs the PLC may have unanswered at once (it never starts any in S7comm's client role). */
  readonly maxAmqCallee: number;
  /** Largest S7 PDU either side may send, header included. */
  readonly pduLength: number;
}

function encode(message: SetupCommunication, rosctr: 1 | 3, name: string): Uint8Array {
  const fail = (field: string, value: number, detail: string) => new S7PduError(name, field, value, detail);
  checkRange(message.maxAmqCaller, 1, 0xffff, "maxAmqCaller", fail);
  checkRange(message.maxAmqCallee, 1, 0xffff, "maxAmqCallee", fail);
  checkRange(message.pduLength, 1, 0xffff, "pduLength", fail);
  const parameter = new Uint8Array(PARAMETER_LENGTH);
  parameter[0] = SETUP_COMMUNICATION;
  writeU16(parameter, 2, message.maxAmqCaller);
  writeU16(parameter, 4, message.maxAmqCallee);
  writeU16(parameter, 6, message.pduLength);
  const header = { rosctr, pduReference: message.pduReference, errorClass: 0, errorCode: 0 };
  return encodeS7Pdu(header, parameter, new Uint8Array(0));
}

function decode(pdu: S7Pdu, name: string): SetupCommunication {
  const fail = (field: string, value: number, detail: string) => new S7PduError(name, field, value, detail);
  const reader = new ByteReader(pdu.parameter, fail);
  const functionCode = reader.u8("function");
  if (functionCode !== SETUP_COMMUNICATION) {
    throw new S7ResponseMismatchError(name, "function", SETUP_COMMUNICATION, functionCode);
  }
  reader.u8("reserved");
  const maxAmqCaller = reader.u16("maxAmqCaller");
  const maxAmqCallee = reader.u16("maxAmqCallee");
  const pduLength = reader.u16("pduLength");
  reader.end("parameterLength");
  if (pdu.data.length !== 0) throw fail("dataLength", pdu.data.length, `${pdu.data.length} data bytes, expected none`);
  for (const [field, value] of [
    ["maxAmqCaller", maxAmqCaller],
    ["maxAmqCallee", maxAmqCallee],
    ["pduLength", pduLength],
  ] as const) {
    if (value === 0) throw fail(field, value, `${field} 0 allows nothing`);
  }
  return { pduReference: pdu.header.pduReference, maxAmqCaller, maxAmqCallee, pduLength };
}

/** Client: the Setup Communication job. */
export function encodeSetupCommunicationRequest(request: SetupCommunication): Uint8Array {
  return encode(request, ROSCTR.JOB, "Setup Communication request");
}

/** Server: the job back into what the client asks for. */
export function decodeSetupCommunicationRequest(pdu: S7Pdu): SetupCommunication {
  if (pdu.header.rosctr !== ROSCTR.JOB) {
    throw new S7PduError("Setup Communication request", "rosctr", pdu.header.rosctr, "not a job");
  }
  return decode(pdu, "Setup Communication request");
}

/** Server: what it grants, as an ack with data. */
export function encodeSetupCommunicationResponse(response: SetupCommunication): Uint8Array {
  return encode(response, ROSCTR.ACK_DATA, "Setup Communication response");
}

/** Client: what the PLC granted. A refusal (an error class) is the caller's to check before, on the header. */
export function decodeSetupCommunicationResponse(pdu: S7Pdu): SetupCommunication {
  if (pdu.header.rosctr !== ROSCTR.ACK_DATA) {
    const detail = `message type ${hexByte(pdu.header.rosctr)} is not ack-data`;
    throw new S7PduError("Setup Communication response", "rosctr", pdu.header.rosctr, detail);
  }
  return decode(pdu, "Setup Communication response");
}
