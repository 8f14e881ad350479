// The layout Read Holding Registers (0x03) and Read Input Registers (0x04) share: address + quantity in, words out.
import type { PduWhere } from "../errors.ts";
import { checkAddressRange, checkQuantity, checkWord, expectEcho, PduReader, writeU16 } from "./pdu-fields.ts";

/** Most registers one read may ask for: 125 words fill the 250 data bytes a response can carry. */
export const MAX_REGISTER_READ_QUANTITY = 125;

export interface RegisterReadRequest<F extends number> {
  readonly functionCode: F;
  /** First register, 0-based as on the wire. */
  readonly address: number;
  readonly quantity: number;
}

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
  const request: PduWhere = { functionCode, name, side: "request" };
  const response: PduWhere = { functionCode, name, side: "response" };

  const checkRequest = (where: PduWhere, address: number, quantity: number) => {
    checkQuantity(where, quantity, MAX_REGISTER_READ_QUANTITY);
    checkAddressRange(where, address, quantity);
  };

  return {
    encodeRequest({ address, quantity }) {
      checkRequest(request, address, quantity);
      const pdu = new Uint8Array(5);
      pdu[0] = functionCode;
      writeU16(pdu, 1, address);
      writeU16(pdu, 3, quantity);
      return pdu;
    },

    decodeRequest(pdu) {
      const reader = new PduReader(pdu, request);
      reader.functionCode();
      const address = reader.u16("address");
      const quantity = reader.u16("quantity");
      reader.end();
      checkRequest(request, address, quantity);
      return { functionCode, address, quantity };
    },

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
