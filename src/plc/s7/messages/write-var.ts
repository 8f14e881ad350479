// S7 function 0x05 Write Var: items and their data in the request, one return code per item in the response.
import { hexByte, S7PduError, S7ResponseMismatchError } from "../errors.ts";
import { ByteReader } from "./byte-reader.ts";
import { type DataItem, dataItemsLength, decodeDataItems, encodeDataItems } from "./data-item.ts";
import { MAX_VAR_ITEMS } from "./read-var.ts";
import { encodeS7Pdu, REQUEST_HEADER_LENGTH, RESPONSE_HEADER_LENGTH, ROSCTR, type S7Pdu } from "./s7-header.ts";
import { decodeVarItem, encodeVarItem, VAR_ITEM_LENGTH, type VarItem } from "./var-item.ts";

export const WRITE_VAR = 0x05;

/** One item to write: where, and the data item carrying its value. */
export interface WriteVarItem {
  readonly item: VarItem;
  readonly data: DataItem;
}

export interface WriteVarRequest {
  readonly pduReference: number;
  readonly items: readonly WriteVarItem[];
}

export interface WriteVarResponse {
  readonly pduReference: number;
  /** One per item written, in order: 0xFF when it was written. */
  readonly returnCodes: readonly number[];
}

/** Bytes of a request writing items of these data lengths (in the order sent). */
export function writeRequestLength(lengths: readonly number[]): number {
  return REQUEST_HEADER_LENGTH + 2 + VAR_ITEM_LENGTH * lengths.length + dataItemsLength(lengths);
}

/** Bytes of the response to `items` items. */
export function writeResponseLength(items: number): number {
  return RESPONSE_HEADER_LENGTH + 2 + items;
}

const REQUEST = "Write Var request";
const RESPONSE = "Write Var response";

function failIn(name: string) {
  return (field: string, value: number, detail: string) => new S7PduError(name, field, value, detail);
}

function checkItemCount(name: string, count: number): void {
  if (count < 1 || count > MAX_VAR_ITEMS) {
    throw new S7PduError(name, "itemCount", count, `${count} items is outside 1..${MAX_VAR_ITEMS}`);
  }
}

/** Client: the job writing `items`. */
export function encodeWriteVarRequest(request: WriteVarRequest): Uint8Array {
  checkItemCount(REQUEST, request.items.length);
  const parameter = new Uint8Array(2 + VAR_ITEM_LENGTH * request.items.length);
  parameter[0] = WRITE_VAR;
  parameter[1] = request.items.length;
  request.items.forEach(({ item }, index) => {
    encodeVarItem(item, parameter, 2 + VAR_ITEM_LENGTH * index, REQUEST);
  });
  const data = encodeDataItems(
    request.items.map(({ data }) => data),
    REQUEST,
  );
  const header = { rosctr: ROSCTR.JOB, pduReference: request.pduReference, errorClass: 0, errorCode: 0 };
  return encodeS7Pdu(header, parameter, data);
}

/** Server: the job back into its items and data. */
export function decodeWriteVarRequest(pdu: S7Pdu): WriteVarRequest {
  const reader = new ByteReader(pdu.parameter, failIn(REQUEST));
  const functionCode = reader.u8("function");
  if (functionCode !== WRITE_VAR) {
    throw new S7PduError(REQUEST, "function", functionCode, `function ${hexByte(functionCode)} is not Write Var`);
  }
  const count = reader.u8("itemCount");
  checkItemCount(REQUEST, count);
  const items = Array.from({ length: count }, () => decodeVarItem(reader, REQUEST));
  reader.end("parameterLength");
  const dataReader = new ByteReader(pdu.data, failIn(REQUEST));
  const data = decodeDataItems(dataReader, count, "request");
  dataReader.end("dataLength");
  return { pduReference: pdu.header.pduReference, items: items.map((item, index) => ({ item, data: data[index]! })) };
}

/** Server: one return code per item. */
export function encodeWriteVarResponse(response: WriteVarResponse): Uint8Array {
  checkItemCount(RESPONSE, response.returnCodes.length);
  response.returnCodes.forEach((code, index) => {
    if (!Number.isInteger(code) || code < 0 || code > 0xff) {
      throw new S7PduError(RESPONSE, `returnCodes[${index}]`, code, `return code ${code} is outside 0..255`);
    }
  });
  const parameter = Uint8Array.of(WRITE_VAR, response.returnCodes.length);
  const header = { rosctr: ROSCTR.ACK_DATA, pduReference: response.pduReference, errorClass: 0, errorCode: 0 };
  return encodeS7Pdu(header, parameter, Uint8Array.from(response.returnCodes));
}

/** Client: the return codes; comparing their count with the request's is the caller's. */
export function decodeWriteVarResponse(pdu: S7Pdu): WriteVarResponse {
  if (pdu.header.rosctr !== ROSCTR.ACK_DATA) {
    const detail = `message type ${hexByte(pdu.header.rosctr)} is not ack-data`;
    throw new S7PduError(RESPONSE, "rosctr", pdu.header.rosctr, detail);
  }
  const parameter = new ByteReader(pdu.parameter, failIn(RESPONSE));
  const functionCode = parameter.u8("function");
  if (functionCode !== WRITE_VAR) throw new S7ResponseMismatchError(RESPONSE, "function", WRITE_VAR, functionCode);
  const count = parameter.u8("itemCount");
  parameter.end("parameterLength");
  if (pdu.data.length !== count) {
    throw new S7PduError(RESPONSE, "dataLength", pdu.data.length, `${pdu.data.length} return codes for ${count} items`);
  }
  return { pduReference: pdu.header.pduReference, returnCodes: [...pdu.data] };
}
