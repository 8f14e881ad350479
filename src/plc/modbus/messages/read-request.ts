// The request every read function shares (0x01–0x04): function code, first address, quantity.
import type { PduWhere } from "../errors.ts";
import { checkAddressRange, checkQuantity, PduReader, writeU16 } from "./pdu-fields.ts";

export interface ReadRequest<F extends number> {
  readonly functionCode: F;
  /** First coil, input or register, 0-based as on the wire. */
  readonly address: number;
  readonly quantity: number;
}

export interface ReadRequestCodec<F extends number> {
  encode(request: { readonly address: number; readonly quantity: number }): Uint8Array;
  decode(pdu: Uint8Array): ReadRequest<F>;
}

/** Encoder and decoder of one read function's request, enforcing its quantity limit and the address range. */
export function readRequestCodec<F extends number>(
  functionCode: F,
  name: string,
  maxQuantity: number,
): ReadRequestCodec<F> {
  const where: PduWhere = { functionCode, name, side: "request" };
  const check = (address: number, quantity: number) => {
    checkQuantity(where, quantity, maxQuantity);
    checkAddressRange(where, address, quantity);
  };
  return {
    encode({ address, quantity }) {
      check(address, quantity);
      const pdu = new Uint8Array(5);
      pdu[0] = functionCode;
      writeU16(pdu, 1, address);
      writeU16(pdu, 3, quantity);
      return pdu;
    },
    decode(pdu) {
      const reader = new PduReader(pdu, where);
      reader.functionCode();
      const address = reader.u16("address");
      const quantity = reader.u16("quantity");
      reader.end();
      check(address, quantity);
      return { functionCode, address, quantity };
    },
  };
}
