// The layout Read Holding Registers (0x03) and Read Input Registers (0x04) share: address + quantity in, words out.
import type { PduWhere } from "../errors.ts";
import { checkQuantity, checkWord, expectEcho, PduReader, writeU16 } from "./pdu-fields.ts";
import { type ReadRequest, readRequestCodec } from "./read-request.ts";

/** Most registers one read may ask for: 125 words fill the 250 data bytes a response can carry. */
export const MAX_REGISTER_READ_QUANTITY = 125;

export type RegisterReadRequest<F extends number> = ReadRequest<F>;

export interface RegisterReadResponse<F extends number> {
  readonly functionCode: F;
  /** One 16-bit word (0..65535) per register asked for, in address order. */
  readonly values: readonly number[];
}

export interface RegisterReadCodec<F extends number> {
  encodeRequest(request: RegisterReadRequest<F>): Uint8Array;
  decodeRequest(pdu: Uint8Array): RegisterReadRequest<F>;
  encodeResponse(response: RegisterReadResponse<F>): Uint8Array;
  decodeResponse(pdu: Uint8Array, request: RegisterReadRequest<F>): RegisterReadResponse<F>;
}

/** The four codecs of one register-read function. */
export function registerReadCodec<F extends number>(functionCode: F, name: string): RegisterReadCodec<F> {
  const request = readRequestCodec(functionCode, name, MAX_REGISTER_READ_QUANTITY);
  const response: PduWhere = { functionCode, name, side: "response" };

  return {
    encodeRequest: request.encode,
    decodeRequest: request.decode,

    encodeResponse({ values }) {
      checkQuantity(response, values.length, MAX_REGISTER_READ_QUANTITY);
      const pdu = new Uint8Array(2 + 2 * values.length);
      pdu[0] = functionCode;
      pdu[1] = 2 * values.length;
      values.forEach((value, index) => {
        checkWord(response, `values[${index}]`, value);
        writeU16(pdu, 2 + 2 * index, value);
      });
      return pdu;
    },

    decodeResponse(pdu, asked) {
      const reader = new PduReader(pdu, response);
      reader.functionCode();
      const byteCount = reader.u8("byteCount");
      expectEcho(response, "byteCount", 2 * asked.quantity, byteCount);
      const values = new Array<number>(asked.quantity);
      for (let index = 0; index < asked.quantity; index++) values[index] = reader.u16("values");
      reader.end();
      return { functionCode, values };
    },
  };
}
