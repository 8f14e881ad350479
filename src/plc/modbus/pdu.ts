// Every Modbus message Fabrik speaks, dispatched by function code: what a client sends and reads, what a server reads and answers.
import { hexByte } from "./errors.ts";
import { MAX_BIT_READ_QUANTITY } from "./messages/bit-read.ts";
import {
  decodeExceptionResponse,
  EXCEPTION,
  type ExceptionResponse,
  encodeExceptionResponse,
  isExceptionPdu,
} from "./messages/exception.ts";
import { fail } from "./messages/pdu-fields.ts";
import {
  decodeReadCoilsRequest,
  decodeReadCoilsResponse,
  encodeReadCoilsRequest,
  encodeReadCoilsResponse,
  READ_COILS,
  type ReadCoilsRequest,
  type ReadCoilsResponse,
} from "./messages/read-coils.ts";
import {
  decodeReadDiscreteInputsRequest,
  decodeReadDiscreteInputsResponse,
  encodeReadDiscreteInputsRequest,
  encodeReadDiscreteInputsResponse,
  READ_DISCRETE_INPUTS,
  type ReadDiscreteInputsRequest,
  type ReadDiscreteInputsResponse,
} from "./messages/read-discrete-inputs.ts";
import {
  decodeReadHoldingRegistersRequest,
  decodeReadHoldingRegistersResponse,
  encodeReadHoldingRegistersRequest,
  encodeReadHoldingRegistersResponse,
  READ_HOLDING_REGISTERS,
  type ReadHoldingRegistersRequest,
  type ReadHoldingRegistersResponse,
} from "./messages/read-holding-registers.ts";
import {
  decodeReadInputRegistersRequest,
  decodeReadInputRegistersResponse,
  encodeReadInputRegistersRequest,
  encodeReadInputRegistersResponse,
  READ_INPUT_REGISTERS,
  type ReadInputRegistersRequest,
  type ReadInputRegistersResponse,
} from "./messages/read-input-registers.ts";
import { MAX_REGISTER_READ_QUANTITY } from "./messages/register-read.ts";
import {
  decodeWriteMultipleCoilsRequest,
  decodeWriteMultipleCoilsResponse,
  encodeWriteMultipleCoilsRequest,
  encodeWriteMultipleCoilsResponse,
  MAX_COIL_WRITE_QUANTITY,
  WRITE_MULTIPLE_COILS,
  type WriteMultipleCoilsRequest,
  type WriteMultipleCoilsResponse,
} from "./messages/write-multiple-coils.ts";
import {
  decodeWriteMultipleRegistersRequest,
  decodeWriteMultipleRegistersResponse,
  encodeWriteMultipleRegistersRequest,
  encodeWriteMultipleRegistersResponse,
  MAX_REGISTER_WRITE_QUANTITY,
  WRITE_MULTIPLE_REGISTERS,
  type WriteMultipleRegistersRequest,
  type WriteMultipleRegistersResponse,
} from "./messages/write-multiple-registers.ts";
import {
  decodeWriteSingleCoilRequest,
  decodeWriteSingleCoilResponse,
  encodeWriteSingleCoilRequest,
  encodeWriteSingleCoilResponse,
  WRITE_SINGLE_COIL,
  type WriteSingleCoilRequest,
  type WriteSingleCoilResponse,
} from "./messages/write-single-coil.ts";
import {
  decodeWriteSingleRegisterRequest,
  decodeWriteSingleRegisterResponse,
  encodeWriteSingleRegisterRequest,
  encodeWriteSingleRegisterResponse,
  WRITE_SINGLE_REGISTER,
  type WriteSingleRegisterRequest,
  type WriteSingleRegisterResponse,
} from "./messages/write-single-register.ts";

export type ModbusRequest =
  | ReadCoilsRequest
  | ReadDiscreteInputsRequest
  | ReadHoldingRegistersRequest
  | ReadInputRegistersRequest
  | WriteSingleCoilRequest
  | WriteSingleRegisterRequest
  | WriteMultipleCoilsRequest
  | WriteMultipleRegistersRequest;

/** A normal (non-exception) response; tell it from an ExceptionResponse with `"exceptionCode" in response`. */
export type ModbusResponse =
  | ReadCoilsResponse
  | ReadDiscreteInputsResponse
  | ReadHoldingRegistersResponse
  | ReadInputRegistersResponse
  | WriteSingleCoilResponse
  | WriteSingleRegisterResponse
  | WriteMultipleCoilsResponse
  | WriteMultipleRegistersResponse;

/** The normal response that answers a request of type R. */
export type ResponseFor<R extends ModbusRequest> = Extract<
  ModbusResponse,
  { readonly functionCode: R["functionCode"] }
>;

export type FunctionCode = ModbusRequest["functionCode"];

/** The spec's name of every function code Fabrik implements. */
export const FUNCTION_NAMES: Readonly<Record<FunctionCode, string>> = {
  [READ_COILS]: "Read Coils",
  [READ_DISCRETE_INPUTS]: "Read Discrete Inputs",
  [READ_HOLDING_REGISTERS]: "Read Holding Registers",
  [READ_INPUT_REGISTERS]: "Read Input Registers",
  [WRITE_SINGLE_COIL]: "Write Single Coil",
  [WRITE_SINGLE_REGISTER]: "Write Single Register",
  [WRITE_MULTIPLE_COILS]: "Write Multiple Coils",
  [WRITE_MULTIPLE_REGISTERS]: "Write Multiple Registers",
};

/** Client: the PDU of any request. */
export function encodeRequest(request: ModbusRequest): Uint8Array {
  switch (request.functionCode) {
    case READ_COILS:
      return encodeReadCoilsRequest(request);
    case READ_DISCRETE_INPUTS:
      return encodeReadDiscreteInputsRequest(request);
    case READ_HOLDING_REGISTERS:
      return encodeReadHoldingRegistersRequest(request);
    case READ_INPUT_REGISTERS:
      return encodeReadInputRegistersRequest(request);
    case WRITE_SINGLE_COIL:
      return encodeWriteSingleCoilRequest(request);
    case WRITE_SINGLE_REGISTER:
      return encodeWriteSingleRegisterRequest(request);
    case WRITE_MULTIPLE_COILS:
      return encodeWriteMultipleCoilsRequest(request);
    case WRITE_MULTIPLE_REGISTERS:
      return encodeWriteMultipleRegistersRequest(request);
  }
}

/**
 * Server: any request PDU back into its structure. Throws ModbusPduError when the server must answer with an
 * exception: `exceptionResponseFor(error)` builds that answer (ILLEGAL FUNCTION for a function Fabrik does not
 * implement, ILLEGAL DATA ADDRESS / VALUE for a request that breaks the spec).
 */
export function decodeRequest(pdu: Uint8Array): ModbusRequest {
  const functionCode = pdu[0];
  switch (functionCode) {
    case READ_COILS:
      return decodeReadCoilsRequest(pdu);
    case READ_DISCRETE_INPUTS:
      return decodeReadDiscreteInputsRequest(pdu);
    case READ_HOLDING_REGISTERS:
      return decodeReadHoldingRegistersRequest(pdu);
    case READ_INPUT_REGISTERS:
      return decodeReadInputRegistersRequest(pdu);
    case WRITE_SINGLE_COIL:
      return decodeWriteSingleCoilRequest(pdu);
    case WRITE_SINGLE_REGISTER:
      return decodeWriteSingleRegisterRequest(pdu);
    case WRITE_MULTIPLE_COILS:
      return decodeWriteMultipleCoilsRequest(pdu);
    case WRITE_MULTIPLE_REGISTERS:
      return decodeWriteMultipleRegistersRequest(pdu);
    default: {
      const code = functionCode ?? 0;
      const where = { functionCode: code, name: "(unsupported)", side: "request" as const };
      const detail = functionCode === undefined ? "PDU is empty" : `function ${hexByte(code)} is not supported`;
      return fail(where, "functionCode", code, detail, EXCEPTION.ILLEGAL_FUNCTION);
    }
  }
}

/** Server: the PDU of any response, exception responses included. */
export function encodeResponse(response: ModbusResponse | ExceptionResponse): Uint8Array {
  if ("exceptionCode" in response) return encodeExceptionResponse(response);
  switch (response.functionCode) {
    case READ_COILS:
      return encodeReadCoilsResponse(response);
    case READ_DISCRETE_INPUTS:
      return encodeReadDiscreteInputsResponse(response);
    case READ_HOLDING_REGISTERS:
      return encodeReadHoldingRegistersResponse(response);
    case READ_INPUT_REGISTERS:
      return encodeReadInputRegistersResponse(response);
    case WRITE_SINGLE_COIL:
      return encodeWriteSingleCoilResponse(response);
    case WRITE_SINGLE_REGISTER:
      return encodeWriteSingleRegisterResponse(response);
    case WRITE_MULTIPLE_COILS:
      return encodeWriteMultipleCoilsResponse(response);
    case WRITE_MULTIPLE_REGISTERS:
      return encodeWriteMultipleRegistersResponse(response);
  }
}

/**
 * Client: the response PDU to `request`, normal or exception, checked to answer that request. Throws
 * ModbusResponseMismatchError when it answers something else and ModbusPduError when it is malformed.
 */
export function decodeResponse<R extends ModbusRequest>(
  pdu: Uint8Array,
  request: R,
): ResponseFor<R> | ExceptionResponse {
  if (isExceptionPdu(pdu)) return decodeExceptionResponse(pdu, request);
  return decodeNormalResponse(pdu, request) as ResponseFor<R>;
}

function decodeNormalResponse(pdu: Uint8Array, request: ModbusRequest): ModbusResponse {
  switch (request.functionCode) {
    case READ_COILS:
      return decodeReadCoilsResponse(pdu, request);
    case READ_DISCRETE_INPUTS:
      return decodeReadDiscreteInputsResponse(pdu, request);
    case READ_HOLDING_REGISTERS:
      return decodeReadHoldingRegistersResponse(pdu, request);
    case READ_INPUT_REGISTERS:
      return decodeReadInputRegistersResponse(pdu, request);
    case WRITE_SINGLE_COIL:
      return decodeWriteSingleCoilResponse(pdu, request);
    case WRITE_SINGLE_REGISTER:
      return decodeWriteSingleRegisterResponse(pdu, request);
    case WRITE_MULTIPLE_COILS:
      return decodeWriteMultipleCoilsResponse(pdu, request);
    case WRITE_MULTIPLE_REGISTERS:
      return decodeWriteMultipleRegistersResponse(pdu, request);
  }
}

/** The most coils or registers one request of each function may carry, by function code. */
export const QUANTITY_LIMITS: Readonly<Record<FunctionCode, number>> = {
  [READ_COILS]: MAX_BIT_READ_QUANTITY,
  [READ_DISCRETE_INPUTS]: MAX_BIT_READ_QUANTITY,
  [READ_HOLDING_REGISTERS]: MAX_REGISTER_READ_QUANTITY,
  [READ_INPUT_REGISTERS]: MAX_REGISTER_READ_QUANTITY,
  [WRITE_SINGLE_COIL]: 1,
  [WRITE_SINGLE_REGISTER]: 1,
  [WRITE_MULTIPLE_COILS]: MAX_COIL_WRITE_QUANTITY,
  [WRITE_MULTIPLE_REGISTERS]: MAX_REGISTER_WRITE_QUANTITY,
};
