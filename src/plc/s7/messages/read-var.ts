// S7 function 0x04 Read Var: items to read in the request, one data item per item in the response.
import { hexByte, S7PduError, S7ResponseMismatchError } from "../errors.ts";
import { ByteReader } from "./byte-reader.ts";
import {
  DATA_ITEM_HEADER_LENGTH,
  type DataItem,
  dataItemsLength,
  decodeDataItems,
  encodeDataItems,
} from "./data-item.ts";
import { encodeS7Pdu, REQUEST_HEADER_LENGTH, RESPONSE_HEADER_LENGTH, ROSCTR, type S7Pdu } from "./s7-header.ts";
import { decodeVarItem, encodeVarItem, VAR_ITEM_LENGTH, type VarItem } from "./var-item.ts";

export const READ_VAR = 0x04;
/** The item count is one byte. */
export const MAX_VAR_ITEMS = 255;

export interface ReadVarRequest {
  readonly pduReference: number;
  readonly items: readonly VarItem[];
}

export interface ReadVarResponse {
  readonly pduReference: number;
  /** One per item asked for, in order: return code 0xFF and the data, or the device's return code and no data. */
  readonly items: readonly DataItem[];
}

/** Bytes of a request for `items` items: header, function and count, 12 per item. */
export function readRequestLength(items: number): number {
  return REQUEST_HEADER_LENGTH + 2 + VAR_ITEM_LENGTH * items;
}

/** Bytes of the response to items of these data lengths (in the order sent). */
export function readResponseLength(lengths: readonly number[]): number {
  return RESPONSE_HEADER_LENGTH + 2 + dataItemsLength(lengths);
}

/** The most data one item can bring back in a PDU of `pduLength` bytes (the response's lone item). */
export function maxReadItemData(pduLength: number): number {
  return pduLength - RESPONSE_HEADER_LENGTH - 2 - DATA_ITEM_HEADER_LENGTH;
}

const REQUEST = "Read Var request";
const RESPONSE = "Read Var response";

function failIn(name: string) {
  return (field: string, value: number, detail: string) => new S7PduError(name, field, value, detail);
}

function checkItemCount(name: string, count: number): void {
  if (count < 1 || count > MAX_VAR_ITEMS) {
    throw new S7PduError(name, "itemCount", count, `${count} items is outside 1..${MAX_VAR_ITEMS}`);
  }
}

/** Client: the job reading `items`. */
export function encodeReadVarRequest(request: ReadVarRequest): Uint8Array {
  checkItemCount(REQUEST, request.items.length);
  const parameter = new Uint8Array(2 + VAR_ITEM_LENGTH * request.items.length);
  parameter[0] = READ_VAR;
  parameter[1] = request.items.length;
  request.items.forEach((item, index) => {
    encodeVarItem(item, parameter, 2 + VAR_ITEM_LENGTH * index, REQUEST);
  });
  const header = { rosctr: ROSCTR.JOB, pduReference: request.pduReference, errorClass: 0, errorCode: 0 };
  return encodeS7Pdu(header, parameter, new Uint8Array(0));
}

/** Server: the job back into its items. */
export function decodeReadVarRequest(pdu: S7Pdu): ReadVarRequest {
  const reader = new ByteReader(pdu.parameter, failIn(REQUEST));
  const functionCode = reader.u8("function");
  if (functionCode !== READ_VAR) {
    throw new S7PduError(REQUEST, "function", functionCode, `function ${hexByte(functionCode)} is not Read Var`);
  }
  const count = reader.u8("itemCount");
  checkItemCount(REQUEST, count);
  const items = Array.from({ length: count }, () => decodeVarItem(reader, REQUEST));
  reader.end("parameterLength");
  if (pdu.data.length !== 0) {
    throw new S7PduError(REQUEST, "dataLength", pdu.data.length, `${pdu.data.length} data bytes, expected none`);
  }
  return { pduReference: pdu.header.pduReference, items };
}

/** Server: the answer, one data item per item asked for. */
export function encodeReadVarResponse(response: ReadVarResponse): Uint8Array {
  checkItemCount(RESPONSE, response.items.length);
  const parameter = Uint8Array.of(READ_VAR, response.items.length);
  const header = { rosctr: ROSCTR.ACK_DATA, pduReference: response.pduReference, errorClass: 0, errorCode: 0 };
  return encodeS7Pdu(header, parameter, encodeDataItems(response.items, RESPONSE));
}

/**
 * Client: the answer's items. A refusal of the whole request (an error class in the header) is checked by the caller
 * before; comparing the item count with the request's is the caller's too (some servers answer fewer).
 */
export function decodeReadVarResponse(pdu: S7Pdu): ReadVarResponse {
  if (pdu.header.rosctr !== ROSCTR.ACK_DATA) {
    const detail = `message type ${hexByte(pdu.header.rosctr)} is not ack-data`;
    throw new S7PduError(RESPONSE, "rosctr", pdu.header.rosctr, detail);
  }
  const parameter = new ByteReader(pdu.parameter, failIn(RESPONSE));
  const functionCode = parameter.u8("function");
  if (functionCode !== READ_VAR) throw new S7ResponseMismatchError(RESPONSE, "function", READ_VAR, functionCode);
  const count = parameter.u8("itemCount");
  parameter.end("parameterLength");
  const reader = new ByteReader(pdu.data, failIn(RESPONSE));
  const items = decodeDataItems(reader, count, "response");
  reader.end("dataLength");
  return { pduReference: pdu.header.pduReference, items };
}
