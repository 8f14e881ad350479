// The error class and code of an S7 acknowledgement (a refused request as a whole), and the per-tag codes they become.
import type { ErrorCode } from "../../response.ts";
import { hexByte, hexWord } from "../errors.ts";

/** Error classes of the S7comm header; anything else a device sends is reported by number. */
export const ERROR_CLASS = {
  NONE: 0x00,
  APPLICATION_RELATIONSHIP: 0x81,
  OBJECT_DEFINITION: 0x82,
  NO_RESOURCES: 0x83,
  SERVICE_PROCESSING: 0x84,
  SUPPLIES: 0x85,
  ACCESS: 0x87,
} as const;

interface ClassInfo {
  readonly name: string;
  readonly responseCode: ErrorCode;
}

const CLASSES: Readonly<Record<number, ClassInfo>> = {
  [ERROR_CLASS.APPLICATION_RELATIONSHIP]: { name: "application relationship", responseCode: "REMOTE_ERROR" },
  [ERROR_CLASS.OBJECT_DEFINITION]: { name: "object definition", responseCode: "INVALID_ADDRESS" },
  // Out of resources now, perhaps not in a moment: to the tag the device is busy.
  [ERROR_CLASS.NO_RESOURCES]: { name: "no resources available", responseCode: "REMOTE_BUSY" },
  [ERROR_CLASS.SERVICE_PROCESSING]: { name: "error on service processing", responseCode: "REMOTE_ERROR" },
  [ERROR_CLASS.SUPPLIES]: { name: "error on supplies", responseCode: "REMOTE_ERROR" },
  [ERROR_CLASS.ACCESS]: { name: "access error", responseCode: "ACCESS_DENIED" },
};

/** Whole error words (class << 8 | code) whose meaning is known more exactly than their class says. */
const CODES: Readonly<Record<number, { readonly name: string; readonly responseCode: ErrorCode }>> = {
  33028: { name: "function not supported in this context", responseCode: "UNSUPPORTED" },
  34048: { name: "request longer than the negotiated PDU", responseCode: "REMOTE_ERROR" },
  34562: { name: "address invalid", responseCode: "INVALID_ADDRESS" },
  33537: { name: "not enough resources for the job", responseCode: "REMOTE_BUSY" },
};

/** The name of an error class, e.g. "access error"; unknown classes by number. */
export function errorClassName(errorClass: number): string {
  return CLASSES[errorClass]?.name ?? `unknown error class ${hexByte(errorClass)}`;
}

/** What the tags of a refused request report: a per-tag code and a message naming the device's error word. */
export function describeErrorClass(errorClass: number, errorCode: number): { code: ErrorCode; message: string } {
  const word = (errorClass << 8) | errorCode;
  const known = CODES[word];
  const classInfo = CLASSES[errorClass];
  const detail = known === undefined ? errorClassName(errorClass) : `${errorClassName(errorClass)}: ${known.name}`;
  return {
    code: known?.responseCode ?? classInfo?.responseCode ?? "REMOTE_ERROR",
    message: `the PLC refused the request: S7 error ${hexWord(word)} (${detail})`,
  };
}
