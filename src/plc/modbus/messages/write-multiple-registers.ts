// Modbus function 0x10 Write Multiple Registers: the request and response codecs of both sides.
import type { PduWhere } from "../errors.ts";
import { type MultipleWriteRequest, type MultipleWriteResponse, multipleWriteCodec } from "./multiple-write.ts";
import { checkWord, writeU16 } from "./pdu-fields.ts";

export const WRITE_MULTIPLE_REGISTERS = 0x10;

/** Most registers one request may write: 123 words fill the 246 data bytes a request has room for. */
export const MAX_REGISTER_WRITE_QUANTITY = 123;

export type WriteMultipleRegistersRequest = MultipleWriteRequest<typeof WRITE_MULTIPLE_REGISTERS, number>;
export type WriteMultipleRegistersResponse = MultipleWriteResponse<typeof WRITE_MULTIPLE_REGISTERS>;

const codec = multipleWriteCodec(WRITE_MULTIPLE_REGISTERS, "Write Multiple Registers", {
  max: MAX_REGISTER_WRITE_QUANTITY,
  byteCount: (quantity) => 2 * quantity,
  check(where: PduWhere, values: readonly number[]) {
    for (const [index, value] of values.entries()) checkWord(where, `values[${index}]`, value);
  },
  pack(values, target, offset) {
    for (const [index, value] of values.entries()) writeU16(target, offset + 2 * index, value);
  },
  unpack(data, quantity) {
    const values = new Array<number>(quantity);
    for (let index = 0; index < quantity; index++) values[index] = (data[2 * index]! << 8) | data[2 * index + 1]!;
    return values;
  },
});

/** Client: the request PDU writing `values.length` words (1..123, each 0..65535) from `address`. */
export const encodeWriteMultipleRegistersRequest = codec.encodeRequest;
/** Server: a request PDU back into its structure; a byte count other than 2 × quantity is ILLEGAL DATA VALUE. */
export const decodeWriteMultipleRegistersRequest = codec.decodeRequest;
/** Server: the response PDU confirming address and quantity. */
export const encodeWriteMultipleRegistersResponse = codec.encodeResponse;
/** Client: the response PDU to `request`, checked to echo its address and quantity. */
export const decodeWriteMultipleRegistersResponse = codec.decodeResponse;
