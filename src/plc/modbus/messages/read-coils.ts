// Modbus function 0x01 Read Coils: the request and response codecs of both sides, over the layout all bit reads share.
import { type BitReadRequest, type BitReadResponse, bitReadCodec } from "./bit-read.ts";

export const READ_COILS = 0x01;

export type ReadCoilsRequest = BitReadRequest<typeof READ_COILS>;
export type ReadCoilsResponse = BitReadResponse<typeof READ_COILS>;

const codec = bitReadCodec(READ_COILS, "Read Coils");

/** Client: the request PDU for `quantity` coils (1..2000) from `address`. */
export const encodeReadCoilsRequest = codec.encodeRequest;
/** Server: a request PDU back into its structure; quantity or address out of range throws with the exception to answer. */
export const decodeReadCoilsRequest = codec.decodeRequest;
/** Server: the response PDU carrying the states, packed eight to a byte. */
export const encodeReadCoilsResponse = codec.encodeResponse;
/** Client: the response PDU to `request`, checked to carry exactly the bytes its quantity needs. */
export const decodeReadCoilsResponse = codec.decodeResponse;
