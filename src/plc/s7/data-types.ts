// The data types an S7 tag may name (PLC4X's spelling), their sizes in PLC memory, and the controllers that have them.
import type { DataType } from "../values.ts";

/** Controller families of PLC4X's `controller-type` option. */
export const CONTROLLER_TYPES = ["S7_300", "S7_400", "S7_1200", "S7_1500", "LOGO"] as const;
export type ControllerType = (typeof CONTROLLER_TYPES)[number];

/** Canonical type names; the aliases below name the same types. */
export const S7_DATA_TYPES = [
  "BOOL",
  "BYTE",
  "WORD",
  "DWORD",
  "LWORD",
  "SINT",
  "USINT",
  "INT",
  "UINT",
  "DINT",
  "UDINT",
  "LINT",
  "ULINT",
  "REAL",
  "LREAL",
  "CHAR",
  "WCHAR",
  "STRING",
  "WSTRING",
  "TIME",
  "LTIME",
  "S5TIME",
  "DATE",
  "TIME_OF_DAY",
  "LTIME_OF_DAY",
  "DATE_AND_TIME",
  "DATE_AND_LTIME",
  "DTL",
] as const;

export type S7DataType = (typeof S7_DATA_TYPES)[number];

/** TIA Portal's short names, and PLC4X's name for a plain byte array. */
export const S7_TYPE_ALIASES: Readonly<Record<string, S7DataType>> = {
  TOD: "TIME_OF_DAY",
  LTOD: "LTIME_OF_DAY",
  DT: "DATE_AND_TIME",
  LDT: "DATE_AND_LTIME",
  RAW_BYTE_ARRAY: "BYTE",
};

/** The size letter of TIA addresses (`DBX`, `DBB`, `DBW`, `DBD`). */
export type SizeCode = "X" | "B" | "W" | "D";

export interface S7TypeInfo {
  /** Bytes of one element in PLC memory; 0 for BOOL (a bit) and for STRING/WSTRING, whose size is their length's. */
  readonly bytes: number;
  /** The size letter PLC4X gives the type; B, W and D also fit any type of 1, 2 or 4 bytes. */
  readonly sizeCode: SizeCode;
  /** The IEC type whose JavaScript value (and write checks) the S7 type shares. */
  readonly value: DataType;
  /** The controllers that have the type; absent for every one. Only the 64-bit types are restricted. */
  readonly controllers?: readonly ControllerType[];
}

const FULL_64_BIT: readonly ControllerType[] = ["S7_1500"];
const LREAL_CONTROLLERS: readonly ControllerType[] = ["S7_1200", "S7_1500"];

export const S7_TYPE_INFO: Readonly<Record<S7DataType, S7TypeInfo>> = {
  BOOL: { bytes: 0, sizeCode: "X", value: "BOOL" },
  BYTE: { bytes: 1, sizeCode: "B", value: "BYTE" },
  WORD: { bytes: 2, sizeCode: "W", value: "WORD" },
  DWORD: { bytes: 4, sizeCode: "D", value: "DWORD" },
  LWORD: { bytes: 8, sizeCode: "X", value: "LWORD", controllers: FULL_64_BIT },
  SINT: { bytes: 1, sizeCode: "B", value: "SINT" },
  USINT: { bytes: 1, sizeCode: "B", value: "USINT" },
  INT: { bytes: 2, sizeCode: "W", value: "INT" },
  UINT: { bytes: 2, sizeCode: "W", value: "UINT" },
  DINT: { bytes: 4, sizeCode: "D", value: "DINT" },
  UDINT: { bytes: 4, sizeCode: "D", value: "UDINT" },
  LINT: { bytes: 8, sizeCode: "X", value: "LINT", controllers: FULL_64_BIT },
  ULINT: { bytes: 8, sizeCode: "X", value: "ULINT", controllers: FULL_64_BIT },
  REAL: { bytes: 4, sizeCode: "D", value: "REAL" },
  LREAL: { bytes: 8, sizeCode: "X", value: "LREAL", controllers: LREAL_CONTROLLERS },
  CHAR: { bytes: 1, sizeCode: "B", value: "CHAR" },
  WCHAR: { bytes: 2, sizeCode: "X", value: "WCHAR" },
  STRING: { bytes: 0, sizeCode: "X", value: "STRING" },
  WSTRING: { bytes: 0, sizeCode: "X", value: "WSTRING" },
  TIME: { bytes: 4, sizeCode: "X", value: "TIME" },
  LTIME: { bytes: 8, sizeCode: "X", value: "LTIME", controllers: FULL_64_BIT },
  S5TIME: { bytes: 2, sizeCode: "X", value: "TIME" },
  DATE: { bytes: 2, sizeCode: "X", value: "DATE" },
  TIME_OF_DAY: { bytes: 4, sizeCode: "X", value: "TIME_OF_DAY" },
  LTIME_OF_DAY: { bytes: 8, sizeCode: "X", value: "LTIME", controllers: FULL_64_BIT },
  DATE_AND_TIME: { bytes: 8, sizeCode: "X", value: "DATE_AND_TIME" },
  DATE_AND_LTIME: { bytes: 8, sizeCode: "X", value: "DATE_AND_TIME", controllers: FULL_64_BIT },
  DTL: { bytes: 12, sizeCode: "X", value: "DATE_AND_TIME" },
};

/** Characters a STRING holds at most (its length is one byte), and a WSTRING (a 16-bit length in a 16 KB limit). */
export const MAX_STRING_CHARS = 254;
export const MAX_WSTRING_CHARS = 16382;
/** What PLC4X reads for a STRING or WSTRING without a length: the longest STRING. */
export const DEFAULT_STRING_CHARS = 254;

/** The canonical type a written name stands for, or undefined for names S7 does not know. */
export function s7TypeNamed(name: string): S7DataType | undefined {
  if ((S7_DATA_TYPES as readonly string[]).includes(name)) return name as S7DataType;
  return S7_TYPE_ALIASES[name];
}

/** Bytes of one element: STRING(n) has a 2-byte header (max, actual), WSTRING(n) a 4-byte one and 2 bytes a char. */
export function elementBytes(type: S7DataType, stringLength = DEFAULT_STRING_CHARS): number {
  if (type === "STRING") return 2 + stringLength;
  if (type === "WSTRING") return 4 + 2 * stringLength;
  return S7_TYPE_INFO[type].bytes;
}

/** Whether `controller` has `type`; every type passes when the controller is not known. */
export function controllerHasType(controller: ControllerType | undefined, type: S7DataType): boolean {
  const controllers = S7_TYPE_INFO[type].controllers;
  return controller === undefined || controllers === undefined || controllers.includes(controller);
}
