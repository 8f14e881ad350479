// Modbus function 0x05 Write Single Coil: the request and response codecs of both sides (the response echoes the request).
import { fail } from "./pdu-fields.ts";
import { type SingleWrite, singleWriteCodec } from "./single-write.ts";

export const WRITE_SINGLE_COIL = 0x05;

/** The only two values the spec allows in the value field: 0xFF00 is ON, 0x0000 is OFF. */
export const COIL_ON = 0xff00;
export const COIL_OFF = 0x0000;

export type WriteSingleCoilRequest = SingleWrite<typeof WRITE_SINGLE_COIL, boolean>;
export type WriteSingleCoilResponse = WriteSingleCoilRequest;

const codec = singleWriteCodec<typeof WRITE_SINGLE_COIL, boolean>(WRITE_SINGLE_COIL, "Write Single Coil", {
  toWord(where, value) {
    if (typeof value !== "boolean") fail(where, "value", Number(value), `coil value ${String(value)} is not a boolean`);
    return value ? COIL_ON : COIL_OFF;
  },
  fromWord(where, word) {
    if (word !== COIL_ON && word !== COIL_OFF) {
      fail(where, "value", word, `coil value 0x${word.toString(16)} is not 0xFF00 or 0x0000`);
    }
    return word === COIL_ON;
  },
});

/** Client: the request PDU setting the coil at `address` ON (true) or OFF (false). */
export const encodeWriteSingleCoilRequest = codec.encodeRequest;
/** Server: a request PDU back into its structure; a value other than 0xFF00/0x0000 throws ILLEGAL DATA VALUE. */
export const decodeWriteSingleCoilRequest = codec.decodeRequest;
/** Server: the response PDU, the request echoed. */
export const encodeWriteSingleCoilResponse = codec.encodeResponse;
/** Client: the response PDU to `request`, checked to echo its address and value. */
export const decodeWriteSingleCoilResponse = codec.decodeResponse;
