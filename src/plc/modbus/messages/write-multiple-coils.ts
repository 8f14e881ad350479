// Modbus function 0x0F Write Multiple Coils: the request and response codecs of both sides.

import { type MultipleWriteRequest, type MultipleWriteResponse, multipleWriteCodec } from "./multiple-write.ts";
import { checkBits, packBits, packedBitBytes, unpackBits } from "./pdu-fields.ts";

export const WRITE_MULTIPLE_COILS = 0x0f;

/** Most coils one request may write: 1968 bits fill the 246 data bytes a request has room for. */
export const MAX_COIL_WRITE_QUANTITY = 1968;

export type WriteMultipleCoilsRequest = MultipleWriteRequest<typeof WRITE_MULTIPLE_COILS, boolean>;
export type WriteMultipleCoilsResponse = MultipleWriteResponse<typeof WRITE_MULTIPLE_COILS>;

const codec = multipleWriteCodec(WRITE_MULTIPLE_COILS, "Write Multiple Coils", {
  max: MAX_COIL_WRITE_QUANTITY,
  byteCount: packedBitBytes,
  check: checkBits,
  pack: packBits,
  unpack: unpackBits,
});

/** Client: the request PDU setting `values.length` coils (1..1968) from `address`, packed eight to a byte. */
export const encodeWriteMultipleCoilsRequest = codec.encodeRequest;
/** Server: a request PDU back into its structure; a byte count that does not fit the quantity is ILLEGAL DATA VALUE. */
export const decodeWriteMultipleCoilsRequest = codec.decodeRequest;
/** Server: the response PDU confirming address and quantity. */
export const encodeWriteMultipleCoilsResponse = codec.encodeResponse;
/** Client: the response PDU to `request`, checked to echo its address and quantity. */
export const decodeWriteMultipleCoilsResponse = codec.decodeResponse;
