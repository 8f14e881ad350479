// The return code of each item in a Read Var or Write Var response, and the per-tag codes they become.
import type { ErrorCode } from "../../response.ts";
import { hexByte } from "../errors.ts";

/** Item return codes; 0xFF is success, anything else the device's refusal of that item alone. */
export const RETURN_CODE = {
  RESERVED: 0x00,
  HARDWARE_FAULT: 0x01,
  ACCESS_DENIED: 0x03,
  ADDRESS_OUT_OF_RANGE: 0x05,
  DATA_TYPE_NOT_SUPPORTED: 0x06,
  DATA_TYPE_INCONSISTENT: 0x07,
  OBJECT_DOES_NOT_EXIST: 0x0a,
  SUCCESS: 0xff,
} as const;

interface ReturnCodeInfo {
  readonly name: string;
  readonly responseCode: ErrorCode;
}

const INFO: Readonly<Record<number, ReturnCodeInfo>> = {
  [RETURN_CODE.RESERVED]: { name: "reserved", responseCode: "REMOTE_ERROR" },
  [RETURN_CODE.HARDWARE_FAULT]: { name: "hardware fault", responseCode: "REMOTE_ERROR" },
  [RETURN_CODE.ACCESS_DENIED]: { name: "accessing the object not allowed", responseCode: "ACCESS_DENIED" },
  [RETURN_CODE.ADDRESS_OUT_OF_RANGE]: { name: "address out of range", responseCode: "INVALID_ADDRESS" },
  [RETURN_CODE.DATA_TYPE_NOT_SUPPORTED]: { name: "data type not supported", responseCode: "INVALID_DATATYPE" },
  [RETURN_CODE.DATA_TYPE_INCONSISTENT]: { name: "data type inconsistent", responseCode: "INVALID_DATATYPE" },
  // A DB that is not loaded, or an area the CPU does not have.
  [RETURN_CODE.OBJECT_DOES_NOT_EXIST]: { name: "object does not exist", responseCode: "NOT_FOUND" },
};

export function returnCodeName(code: number): string {
  if (code === RETURN_CODE.SUCCESS) return "success";
  return INFO[code]?.name ?? `unknown return code ${hexByte(code)}`;
}

/** What a tag reports for an item the device refused. */
export function describeReturnCode(code: number): { code: ErrorCode; message: string } {
  return {
    code: INFO[code]?.responseCode ?? "REMOTE_ERROR",
    message: `the PLC answered ${hexByte(code)} (${returnCodeName(code)})`,
  };
}
