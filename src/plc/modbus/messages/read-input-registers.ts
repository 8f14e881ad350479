// Modbus function 0x04 Read Input Registers: the request and response codecs of both sides, over the layout all register reads share.
import { type RegisterReadRequest, type RegisterReadResponse, registerReadCodec } from "./register-read.ts";

export const READ_INPUT_REGISTERS = 0x04;

export type ReadInputRegistersRequest = RegisterReadRequest<typeof READ_INPUT_REGISTERS>;
export type ReadInputRegistersResponse = RegisterReadResponse<typeof READ_INPUT_REGISTERS>;

const codec = registerReadCodec(READ_INPUT_REGISTERS, "Read Input Registers");

/** Client: the request PDU for `quantity` input registers (1..125) from `address`. */
export const encodeReadInputRegistersRequest = codec.encodeRequest;
/** Server: a request PDU back into its structure; quantity or address out of range throws with the exception to answer. */
export const decodeReadInputRegistersRequest = codec.decodeRequest;
/** Server: the response PDU carrying one word per register. */
export const encodeReadInputRegistersResponse = codec.encodeResponse;
/** Client: the response PDU to `request`, checked to carry exactly one word per register asked for. */
export const decodeReadInputRegistersResponse = codec.decodeResponse;
