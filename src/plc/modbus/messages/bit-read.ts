// The layout Read Coils (0x01) and Read Discrete Inputs (0x02) share: address + quantity in, packed bits out.
import type { PduWhere } from "../errors.ts";
import { checkBits, checkQuantity, expectEcho, PduReader, packBits, packedBitBytes, unpackBits } from "./pdu-fields.ts";
import { type ReadRequest, readRequestCodec } from "./read-request.ts";

/** Most bits one read may ask for: 2000 bits fill the 250 data bytes a response can carry. */
export const MAX_BIT_READ_QUANTITY = 2000;

export type BitReadRequest<F extends number> = ReadRequest<F>;

export interface BitReadResponse<F extends number> {
  readonly functionCode: F;
  /** One state per bit asked for, in address order. */
  readonly values: readonly boolean[];
}

export interface BitReadCodec<F extends number> {
  encodeRequest(request: BitReadRequest<F>): Uint8Array;
  decodeRequest(pdu: Uint8Array): BitReadRequest<F>;
  encodeResponse(response: BitReadResponse<F>): Uint8Array;
  decodeResponse(pdu: Uint8Array, request: BitReadRequest<F>): BitReadResponse<F>;
}

/** The four codecs of one bit-read function. */
export function bitReadCodec<F extends number>(functionCode: F, name: string): BitReadCodec<F> {
  const request = readRequestCodec(functionCode, name, MAX_BIT_READ_QUANTITY);
  const response: PduWhere = { functionCode, name, side: "response" };

  return {
    encodeRequest: request.encode,
    decodeRequest: request.decode,

    encodeResponse({ values }) {
      checkQuantity(response, values.length, MAX_BIT_READ_QUANTITY);
      checkBits(response, values);
      const byteCount = packedBitBytes(values.length);
      const pdu = new Uint8Array(2 + byteCount);
      pdu[0] = functionCode;
      pdu[1] = byteCount;
      packBits(values, pdu, 2);
      return pdu;
    },

    decodeResponse(pdu, asked) {
      const reader = new PduReader(pdu, response);
      reader.functionCode();
      const byteCount = reader.u8("byteCount");
      expectEcho(response, "byteCount", packedBitBytes(asked.quantity), byteCount);
      const bits = reader.bytes("values", byteCount);
      reader.end();
      return { functionCode, values: unpackBits(bits, asked.quantity) };
    },
  };
}
