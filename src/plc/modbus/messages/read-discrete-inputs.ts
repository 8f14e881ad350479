// Modbus function 0x02 Read Discrete Inputs: the request and response codecs of both sides, over the layout all bit reads share.
import { type BitReadRequest, type BitReadResponse, bitReadCodec } from "./bit-read.ts";

export const READ_DISCRETE_INPUTS = 0x02;

export type ReadDiscreteInputsRequest = BitReadRequest<typeof READ_DISCRETE_INPUTS>;
export type ReadDiscreteInputsResponse = BitReadResponse<typeof READ_DISCRETE_INPUTS>;

const codec = bitReadCodec(READ_DISCRETE_INPUTS, "Read Discrete Inputs");

/** Client: the request PDU for `quantity` discrete inputs (1..2000) from `address`. */
export const encodeReadDiscreteInputsRequest = codec.encodeRequest;
/** Server: a request PDU back into its structure; quantity or address out of range throws with the exception to answer. */
export const decodeReadDiscreteInputsRequest = codec.decodeRequest;
/** Server: the response PDU carrying the states, packed eight to a byte. */
export const encodeReadDiscreteInputsResponse = codec.encodeResponse;
/** Client: the response PDU to `request`, checked to carry exactly the bytes its quantity needs. */
export const decodeReadDiscreteInputsResponse = codec.decodeResponse;
