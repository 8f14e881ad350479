// Modbus function 0x06 Write Single Register: the request and response codecs of both sides (the response echoes the request).
import { checkWord } from "./pdu-fields.ts";
import { type SingleWrite, singleWriteCodec } from "./single-write.ts";

export const WRITE_SINGLE_REGISTER = 0x06;

export type WriteSingleRegisterRequest = SingleWrite<typeof WRITE_SINGLE_REGISTER, number>;
export type WriteSingleRegisterResponse = WriteSingleRegisterRequest;

const codec = singleWriteCodec<typeof WRITE_SINGLE_REGISTER, number>(WRITE_SINGLE_REGISTER, "Write Single Register", {
  toWord(where, value) {
    checkWord(where, "value", value);
    return value;
  },
  fromWord: (_where, word) => word,
});

/** Client: the request PDU writing the word `value` (0..65535) to the register at `address`. */
export const encodeWriteSingleRegisterRequest = codec.encodeRequest;
/** Server: a request PDU back into its structure. */
export const decodeWriteSingleRegisterRequest = codec.decodeRequest;
/** Server: the response PDU, the request echoed. */
export const encodeWriteSingleRegisterResponse = codec.encodeResponse;
/** Client: the response PDU to `request`, checked to echo its address and value. */
export const decodeWriteSingleRegisterResponse = codec.decodeResponse;
