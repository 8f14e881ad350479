// Modbus exception responses (function | 0x80, one exception code): the codes, their spec names, and Fabrik's per-tag codes.
import type { ErrorCode } from "../../response.ts";
import { hexByte, ModbusPduError, ModbusResponseMismatchError, type PduWhere } from "../errors.ts";

/** The exception codes of the Modbus Application Protocol V1.1b3, section 7. */
export const EXCEPTION = {
  ILLEGAL_FUNCTION: 0x01,
  ILLEGAL_DATA_ADDRESS: 0x02,
  ILLEGAL_DATA_VALUE: 0x03,
  SERVER_DEVICE_FAILURE: 0x04,
  ACKNOWLEDGE: 0x05,
  SERVER_DEVICE_BUSY: 0x06,
  MEMORY_PARITY_ERROR: 0x08,
  GATEWAY_PATH_UNAVAILABLE: 0x0a,
  GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND: 0x0b,
} as const;

export type ExceptionCode = (typeof EXCEPTION)[keyof typeof EXCEPTION];

/** Set on the function code of a response to mark it as an exception. */
export const EXCEPTION_FLAG = 0x80;

/**
 * An exception response. `functionCode` is the function of the request it answers (without the 0x80 flag).
 * `exceptionCode` is kept as received: devices and gateways do send codes the spec does not define.
 */
export interface ExceptionResponse {
  readonly functionCode: number;
  readonly exceptionCode: number;
}

interface ExceptionInfo {
  readonly name: string;
  readonly responseCode: ErrorCode;
}

const INFO: Readonly<Record<ExceptionCode, ExceptionInfo>> = {
  [EXCEPTION.ILLEGAL_FUNCTION]: { name: "ILLEGAL FUNCTION", responseCode: "UNSUPPORTED" },
  [EXCEPTION.ILLEGAL_DATA_ADDRESS]: { name: "ILLEGAL DATA ADDRESS", responseCode: "INVALID_ADDRESS" },
  [EXCEPTION.ILLEGAL_DATA_VALUE]: { name: "ILLEGAL DATA VALUE", responseCode: "INVALID_DATA" },
  [EXCEPTION.SERVER_DEVICE_FAILURE]: { name: "SERVER DEVICE FAILURE", responseCode: "REMOTE_ERROR" },
  // ACKNOWLEDGE means "accepted, still working on it": the value is not there yet, so the device is busy for this tag.
  [EXCEPTION.ACKNOWLEDGE]: { name: "ACKNOWLEDGE", responseCode: "REMOTE_BUSY" },
  [EXCEPTION.SERVER_DEVICE_BUSY]: { name: "SERVER DEVICE BUSY", responseCode: "REMOTE_BUSY" },
  [EXCEPTION.MEMORY_PARITY_ERROR]: { name: "MEMORY PARITY ERROR", responseCode: "REMOTE_ERROR" },
  [EXCEPTION.GATEWAY_PATH_UNAVAILABLE]: { name: "GATEWAY PATH UNAVAILABLE", responseCode: "REMOTE_ERROR" },
  // The gateway answered on behalf of a device behind it that did not: to the tag that is a timeout.
  [EXCEPTION.GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND]: {
    name: "GATEWAY TARGET DEVICE FAILED TO RESPOND",
    responseCode: "TIMEOUT",
  },
};

export function isExceptionCode(code: number): code is ExceptionCode {
  return Object.hasOwn(INFO, code);
}

/** The spec's name of an exception code, e.g. "ILLEGAL DATA ADDRESS"; codes it does not define are named by number. */
export function exceptionName(code: number): string {
  return isExceptionCode(code) ? INFO[code].name : `UNDEFINED EXCEPTION ${hexByte(code)}`;
}

/** The per-tag response code an exception turns into; undefined codes are the device's own errors. */
export function exceptionResponseCode(code: number): ErrorCode {
  return isExceptionCode(code) ? INFO[code].responseCode : "REMOTE_ERROR";
}

/** What a tag read or write reports for an exception response: the response code and a message naming the exception. */
export function describeException(response: ExceptionResponse): { code: ErrorCode; message: string } {
  const { functionCode, exceptionCode } = response;
  return {
    code: exceptionResponseCode(exceptionCode),
    message: `Modbus exception ${hexByte(exceptionCode)} ${exceptionName(exceptionCode)} in answer to function ${hexByte(functionCode)}`,
  };
}

/** Whether a response PDU is an exception response (its function code carries the 0x80 flag). */
export function isExceptionPdu(pdu: Uint8Array): boolean {
  return pdu.length > 0 && (pdu[0]! & EXCEPTION_FLAG) !== 0;
}

/** Server side: the exception response that answers a request which failed to decode. */
export function exceptionResponseFor(error: ModbusPduError): ExceptionResponse {
  return { functionCode: error.functionCode & 0x7f, exceptionCode: error.exceptionCode };
}

const where = (functionCode: number): PduWhere => ({ functionCode, name: "Exception", side: "response" });

/** An exception PDU that breaks the spec; never from a request, so the exception code it carries is moot. */
const invalid = (at: PduWhere, field: string, value: number, detail: string) =>
  new ModbusPduError(at, field, value, detail, EXCEPTION.ILLEGAL_DATA_VALUE);

/** Server side: the two bytes of an exception response. */
export function encodeExceptionResponse(response: ExceptionResponse): Uint8Array {
  const { functionCode, exceptionCode } = response;
  if (!Number.isInteger(functionCode) || functionCode < 0 || functionCode > 0x7f) {
    throw invalid(where(functionCode), "functionCode", functionCode, `function ${functionCode} is outside 0..127`);
  }
  if (!Number.isInteger(exceptionCode) || exceptionCode < 1 || exceptionCode > 0xff) {
    throw invalid(where(functionCode), "exceptionCode", exceptionCode, `exception ${exceptionCode} is outside 1..255`);
  }
  return Uint8Array.of(functionCode | EXCEPTION_FLAG, exceptionCode);
}

/** Client side: decodes an exception response to `request`, checking it answers that request's function. */
export function decodeExceptionResponse(
  pdu: Uint8Array,
  request: { readonly functionCode: number },
): ExceptionResponse {
  const at = where(request.functionCode);
  if (pdu.length !== 2) {
    throw invalid(at, "length", pdu.length, `an exception response is 2 bytes, this one ${pdu.length}`);
  }
  const flagged = pdu[0]!;
  const expected = request.functionCode | EXCEPTION_FLAG;
  if (flagged !== expected) throw new ModbusResponseMismatchError(at, "functionCode", expected, flagged);
  const exceptionCode = pdu[1]!;
  if (exceptionCode === 0) {
    throw invalid(at, "exceptionCode", 0, "exception code 0 is not an exception");
  }
  return { functionCode: flagged & 0x7f, exceptionCode };
}
