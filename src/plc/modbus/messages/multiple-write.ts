// The layout Write Multiple Coils (0x0F) and Write Multiple Registers (0x10) share: address, quantity, byte count, data.
import type { PduWhere } from "../errors.ts";
import { checkAddressRange, checkQuantity, expectEcho, fail, PduReader, writeU16 } from "./pdu-fields.ts";

export interface MultipleWriteRequest<F extends number, V> {
  readonly functionCode: F;
  /** The first coil or register, 0-based as on the wire. */
  readonly address: number;
  /** What to write, in address order; the quantity on the wire is their number. */
  readonly values: readonly V[];
}

export interface MultipleWriteResponse<F extends number> {
  readonly functionCode: F;
  readonly address: number;
  readonly quantity: number;
}

/** How one function packs its values into the data bytes. */
export interface MultipleWriteValues<V> {
  /** Most values one request may carry (what fits in the 246 data bytes a request has room for). */
  readonly max: number;
  byteCount(quantity: number): number;
  /** Checks values given by the caller, throwing the PDU error naming the first bad one. */
  check(where: PduWhere, values: readonly V[]): void;
  pack(values: readonly V[], target: Uint8Array, offset: number): void;
  unpack(data: Uint8Array, quantity: number): V[];
}

export interface MultipleWriteCodec<F extends number, V> {
  encodeRequest(request: MultipleWriteRequest<F, V>): Uint8Array;
  decodeRequest(pdu: Uint8Array): MultipleWriteRequest<F, V>;
  encodeResponse(response: MultipleWriteResponse<F>): Uint8Array;
  decodeResponse(pdu: Uint8Array, request: MultipleWriteRequest<F, V>): MultipleWriteResponse<F>;
}

/** The four codecs of one multiple-write function. */
export function multipleWriteCodec<F extends number, V>(
  functionCode: F,
  name: string,
  data: MultipleWriteValues<V>,
): MultipleWriteCodec<F, V> {
  const request: PduWhere = { functionCode, name, side: "request" };
  const response: PduWhere = { functionCode, name, side: "response" };

  return {
    encodeRequest({ address, values }) {
      checkQuantity(request, values.length, data.max);
      checkAddressRange(request, address, values.length);
      data.check(request, values);
      const byteCount = data.byteCount(values.length);
      const pdu = new Uint8Array(6 + byteCount);
      pdu[0] = functionCode;
      writeU16(pdu, 1, address);
      writeU16(pdu, 3, values.length);
      pdu[5] = byteCount;
      data.pack(values, pdu, 6);
      return pdu;
    },

    decodeRequest(pdu) {
      const reader = new PduReader(pdu, request);
      reader.functionCode();
      const address = reader.u16("address");
      const quantity = reader.u16("quantity");
      const byteCount = reader.u8("byteCount");
      // The spec's order: quantity and byte count (ILLEGAL DATA VALUE) before the address (ILLEGAL DATA ADDRESS).
      checkQuantity(request, quantity, data.max);
      const needed = data.byteCount(quantity);
      if (byteCount !== needed) {
        fail(
          request,
          "byteCount",
          byteCount,
          `byte count ${byteCount} does not match quantity ${quantity} (needs ${needed})`,
        );
      }
      const bytes = reader.bytes("values", byteCount);
      reader.end();
      checkAddressRange(request, address, quantity);
      return { functionCode, address, values: data.unpack(bytes, quantity) };
    },

    encodeResponse({ address, quantity }) {
      checkQuantity(response, quantity, data.max);
      checkAddressRange(response, address, quantity);
      const pdu = new Uint8Array(5);
      pdu[0] = functionCode;
      writeU16(pdu, 1, address);
      writeU16(pdu, 3, quantity);
      return pdu;
    },

    decodeResponse(pdu, asked) {
      const reader = new PduReader(pdu, response);
      reader.functionCode();
      const address = reader.u16("address");
      const quantity = reader.u16("quantity");
      reader.end();
      expectEcho(response, "address", asked.address, address);
      expectEcho(response, "quantity", asked.values.length, quantity);
      return { functionCode, address, quantity };
    },
  };
}
