// The typed errors of the Modbus codec: each names what was wrong, where, and the offending value, under a stable code.
import type { ExceptionCode } from "./messages/exception.ts";

export type ModbusCodecErrorCode =
  | "MODBUS_FRAME_INVALID"
  | "MODBUS_PDU_INVALID"
  | "MODBUS_RESPONSE_MISMATCH"
  | "MODBUS_VALUE_INVALID";

/** Every error the Modbus codec throws; anything else escaping it is a bug in the codec. */
export abstract class ModbusCodecError extends Error {
  abstract readonly code: ModbusCodecErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The MBAP header field a frame error is about; "pdu" when the frame's body is missing or too long. */
export type FrameField = "transactionId" | "protocolId" | "length" | "unitId" | "pdu";

/**
 * A Modbus TCP frame (MBAP header + PDU) that breaks the framing rules. Read from a stream, it means the byte stream has
 * lost its frame boundaries: nothing after it can be trusted, so the caller must close the connection (and reconnect).
 */
export class ModbusFrameError extends ModbusCodecError {
  override readonly code = "MODBUS_FRAME_INVALID";
  readonly field: FrameField;
  readonly value: number;

  constructor(field: FrameField, value: number, detail: string) {
    super(`Modbus TCP frame: ${detail}`);
    this.field = field;
    this.value = value;
  }
}

/** Which message a PDU error is about, for the error's text. */
export interface PduWhere {
  readonly functionCode: number;
  readonly name: string;
  readonly side: "request" | "response";
}

/**
 * A PDU that breaks the Modbus application protocol: a length that does not add up, a quantity or value out of the
 * spec's range, an unknown function. Thrown when decoding what came off the wire and when encoding a message that may
 * not be sent. The frame around it was fine, so the connection stays usable.
 */
export class ModbusPduError extends ModbusCodecError {
  override readonly code = "MODBUS_PDU_INVALID";
  /** The function code of the PDU (as received; may be unknown). */
  readonly functionCode: number;
  /** The PDU field at fault: "functionCode", "address", "quantity", "byteCount", "value", "length", ... */
  readonly field: string;
  readonly value: number;
  /** The exception a server answers with when this error came from decoding a request (ILLEGAL FUNCTION/ADDRESS/VALUE). */
  readonly exceptionCode: ExceptionCode;

  constructor(where: PduWhere, field: string, value: number, detail: string, exceptionCode: ExceptionCode) {
    super(`Modbus ${where.side} ${hexByte(where.functionCode)} ${where.name}: ${detail}`);
    this.functionCode = where.functionCode;
    this.field = field;
    this.value = value;
    this.exceptionCode = exceptionCode;
  }
}

/**
 * A well-formed response that does not answer the request it was matched with (other function, other byte count,
 * another echoed address or quantity): the device or a gateway mixed up transactions.
 */
export class ModbusResponseMismatchError extends ModbusCodecError {
  override readonly code = "MODBUS_RESPONSE_MISMATCH";
  readonly functionCode: number;
  readonly field: string;
  readonly expected: number;
  readonly actual: number;

  constructor(where: PduWhere, field: string, expected: number, actual: number) {
    super(
      `Modbus response ${hexByte(where.functionCode)} ${where.name}: ${field} is ${actual}, the request needs ${expected}`,
    );
    this.functionCode = where.functionCode;
    this.field = field;
    this.expected = expected;
    this.actual = actual;
  }
}

/** Why a value could not be put into (or taken out of) registers. */
export type ValueErrorReason = "OUT_OF_RANGE" | "WRONG_TYPE" | "WRONG_LENGTH" | "UNSUPPORTED_TYPE" | "BAD_LAYOUT";

/** A value that does not fit the IEC type and register layout asked for, or registers that do not fit the layout. */
export class ModbusValueError extends ModbusCodecError {
  override readonly code = "MODBUS_VALUE_INVALID";
  readonly dataType: string;
  readonly reason: ValueErrorReason;

  constructor(dataType: string, reason: ValueErrorReason, detail: string) {
    super(`Modbus ${dataType}: ${detail}`);
    this.dataType = dataType;
    this.reason = reason;
  }
}

/** `0x0F` style, as the spec writes function and exception codes. */
export function hexByte(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(2, "0")}`;
}
