// Modbus function 0x03 Read Holding Registers: the request and response codecs of both sides, over the layout all register reads share.
import { type RegisterReadRequest, type RegisterReadResponse, registerReadCodec } from "./register-read.ts";

export const READ_HOLDING_REGISTERS = 0x03;

export type ReadHoldingRegistersRequest = RegisterReadRequest<typeof READ_HOLDING_REGISTERS>;
export type ReadHoldingRegistersResponse = RegisterReadResponse<typeof READ_HOLDING_REGISTERS>;

const codec = registerReadCodec(READ_HOLDING_REGISTERS, "Read Holding Registers");

/** Client: the request PDU for `quantity` holding registers (1..125) from `address`. */
export const encodeReadHoldingRegistersRequest = codec.encodeRequest;
/** Server: a request PDU back into its structure; quantity or address out of range throws with the exception to answer. */
export const decodeReadHoldingRegistersRequest = codec.decodeRequest;
/** Server: the response PDU carrying one word per register. */
export const encodeReadHoldingRegistersResponse = codec.encodeResponse;
/** Client: the response PDU to `request`, checked to carry exactly one word per register asked for. */
export const decodeReadHoldingRegistersResponse = codec.decodeResponse;
