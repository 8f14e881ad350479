// The layout Write Single Coil (0x05) and Write Single Register (0x06) share: address + one 16-bit value, echoed back.
import type { PduWhere } from "../errors.ts";
import { checkAddressRange, expectEcho, PduReader, writeU16 } from "./pdu-fields.ts";

export interface SingleWrite<F extends number, V> {
  readonly functionCode: F;
  /** The coil or register, 0-based as on the wire. */
  readonly address: number;
  readonly value: V;
}

/** How one function puts its value into the 16-bit field and takes it out again. */
export interface SingleWriteValue<V> {
  /** Checks a value given by the caller and returns its wire word; throws the PDU error when it cannot be sent. */
  toWord(where: PduWhere, value: V): number;
  /** Reads a word from the wire; throws the PDU error (ILLEGAL DATA VALUE) when the spec does not allow it. */
  fromWord(where: PduWhere, word: number): V;
}

export interface SingleWriteCodec<F extends number, V> {
  encodeRequest(request: SingleWrite<F, V>): Uint8Array;
  decodeRequest(pdu: Uint8Array): SingleWrite<F, V>;
  encodeResponse(response: SingleWrite<F, V>): Uint8Array;
  decodeResponse(pdu: Uint8Array, request: SingleWrite<F, V>): SingleWrite<F, V>;
}

/** The four codecs of one single-write function; request and response are the same five bytes. */
export function singleWriteCodec<F extends number, V>(
  functionCode: F,
  name: string,
  codec: SingleWriteValue<V>,
): SingleWriteCodec<F, V> {
  const request: PduWhere = { functionCode, name, side: "request" };
  const response: PduWhere = { functionCode, name, side: "response" };

  const encode = (where: PduWhere, { address, value }: SingleWrite<F, V>) => {
    checkAddressRange(where, address, 1);
    const word = codec.toWord(where, value);
    const pdu = new Uint8Array(5);
    pdu[0] = functionCode;
    writeU16(pdu, 1, address);
    writeU16(pdu, 3, word);
    return pdu;
  };

  const decode = (where: PduWhere, pdu: Uint8Array): SingleWrite<F, V> => {
    const reader = new PduReader(pdu, where);
    reader.functionCode();
    const address = reader.u16("address");
    const word = reader.u16("value");
    reader.end();
    return { functionCode, address, value: codec.fromWord(where, word) };
  };

  return {
    encodeRequest: (message) => encode(request, message),
    decodeRequest: (pdu) => decode(request, pdu),
    encodeResponse: (message) => encode(response, message),
    decodeResponse(pdu, asked) {
      const echoed = decode(response, pdu);
      expectEcho(response, "address", asked.address, echoed.address);
      expectEcho(response, "value", codec.toWord(response, asked.value), codec.toWord(response, echoed.value));
      return echoed;
    },
  };
}
