// Every S7comm PDU Fabrik exchanges, dispatched by message type and function: what a client reads, what a server reads.
import { hexByte, S7PduError } from "../errors.ts";
import {
  decodeReadVarRequest,
  decodeReadVarResponse,
  READ_VAR,
  type ReadVarRequest,
  type ReadVarResponse,
} from "./read-var.ts";
import { decodeRefusal, type RefusedRequest } from "./refusal.ts";
import { decodeS7Pdu, isAcknowledgement, ROSCTR } from "./s7-header.ts";
import {
  decodeSetupCommunicationRequest,
  decodeSetupCommunicationResponse,
  SETUP_COMMUNICATION,
  type SetupCommunication,
} from "./setup-communication.ts";
import {
  decodeWriteVarRequest,
  decodeWriteVarResponse,
  WRITE_VAR,
  type WriteVarRequest,
  type WriteVarResponse,
} from "./write-var.ts";

export type { RefusedRequest } from "./refusal.ts";

/** The functions a client sends. */
export type S7Function = "setup" | "read" | "write";

export type S7Request =
  | ({ readonly kind: "setup" } & SetupCommunication)
  | ({ readonly kind: "read" } & ReadVarRequest)
  | ({ readonly kind: "write" } & WriteVarRequest);

export type S7Response =
  | ({ readonly kind: "setup" } & SetupCommunication)
  | ({ readonly kind: "read" } & ReadVarResponse)
  | ({ readonly kind: "write" } & WriteVarResponse)
  | RefusedRequest;

/**
 * Server: a job into the request it carries. Throws S7PduError for anything else (user data, an acknowledgement, an
 * unknown function): `field` is "function" for a function the server should refuse with 0x8104 rather than drop.
 */
export function decodeS7Request(bytes: Uint8Array): S7Request {
  const pdu = decodeS7Pdu(bytes);
  if (pdu.header.rosctr !== ROSCTR.JOB) {
    throw new S7PduError(
      "request",
      "rosctr",
      pdu.header.rosctr,
      `message type ${hexByte(pdu.header.rosctr)} is not a job`,
    );
  }
  const functionCode = pdu.parameter[0];
  switch (functionCode) {
    case SETUP_COMMUNICATION:
      return { kind: "setup", ...decodeSetupCommunicationRequest(pdu) };
    case READ_VAR:
      return { kind: "read", ...decodeReadVarRequest(pdu) };
    case WRITE_VAR:
      return { kind: "write", ...decodeWriteVarRequest(pdu) };
    default:
      throw new S7PduError(
        "request",
        "function",
        functionCode ?? -1,
        functionCode === undefined ? "a job without a parameter" : `function ${hexByte(functionCode)} is not supported`,
      );
  }
}

/**
 * Client: an acknowledgement into the answer it carries, or the refusal in its header. Jobs and user data from the PLC
 * throw S7PduError: S7comm's client role never receives them unasked.
 */
export function decodeS7Response(bytes: Uint8Array): S7Response {
  const pdu = decodeS7Pdu(bytes);
  const { rosctr, errorClass, errorCode } = pdu.header;
  if (!isAcknowledgement(rosctr)) {
    throw new S7PduError("response", "rosctr", rosctr, `message type ${hexByte(rosctr)} is not an acknowledgement`);
  }
  if (errorClass !== 0 || errorCode !== 0) {
    return decodeRefusal(pdu);
  }
  const functionCode = pdu.parameter[0];
  switch (functionCode) {
    case SETUP_COMMUNICATION:
      return { kind: "setup", ...decodeSetupCommunicationResponse(pdu) };
    case READ_VAR:
      return { kind: "read", ...decodeReadVarResponse(pdu) };
    case WRITE_VAR:
      return { kind: "write", ...decodeWriteVarResponse(pdu) };
    default:
      throw new S7PduError(
        "response",
        "function",
        functionCode ?? -1,
        functionCode === undefined
          ? "an acknowledgement without a parameter"
          : `function ${hexByte(functionCode)} was never asked for`,
      );
  }
}
