// IEC 61131-3 data types as Fabrik's drivers read and write them, and the JavaScript values that carry them.

/** Every elementary type a tag address may name after its `:` (PLC4X spelling). */
export const DATA_TYPES = [
  "BOOL",
  "BYTE",
  "WORD",
  "DWORD",
  "LWORD",
  "SINT",
  "INT",
  "DINT",
  "LINT",
  "USINT",
  "UINT",
  "UDINT",
  "ULINT",
  "REAL",
  "LREAL",
  "CHAR",
  "WCHAR",
  "STRING",
  "WSTRING",
  "TIME",
  "LTIME",
  "DATE",
  "TIME_OF_DAY",
  "DATE_AND_TIME",
] as const;

export type DataType = (typeof DATA_TYPES)[number];

/** How a type is held in JavaScript: 64-bit integers as bigint so no precision is lost. */
export interface DataTypeInfo {
  /** Size of one element in bytes; for STRING/WSTRING the size of one character. */
  readonly bytes: number;
  readonly kind: "bool" | "integer" | "bigint" | "float" | "string" | "duration" | "date";
  /** Inclusive range for integer kinds. */
  readonly min?: bigint;
  readonly max?: bigint;
}

const int = (bytes: number, signed: boolean): DataTypeInfo => {
  const bits = BigInt(bytes * 8);
  const min = signed ? -(1n << (bits - 1n)) : 0n;
  const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  return { bytes, kind: bytes === 8 ? "bigint" : "integer", min, max };
};

export const DATA_TYPE_INFO: Readonly<Record<DataType, DataTypeInfo>> = {
  BOOL: { bytes: 1, kind: "bool" },
  BYTE: int(1, false),
  WORD: int(2, false),
  DWORD: int(4, false),
  LWORD: int(8, false),
  SINT: int(1, true),
  INT: int(2, true),
  DINT: int(4, true),
  LINT: int(8, true),
  USINT: int(1, false),
  UINT: int(2, false),
  UDINT: int(4, false),
  ULINT: int(8, false),
  REAL: { bytes: 4, kind: "float" },
  LREAL: { bytes: 8, kind: "float" },
  CHAR: { bytes: 1, kind: "string" },
  WCHAR: { bytes: 2, kind: "string" },
  STRING: { bytes: 1, kind: "string" },
  WSTRING: { bytes: 2, kind: "string" },
  // TIME is a signed 32-bit count of milliseconds, LTIME a signed 64-bit count of nanoseconds.
  TIME: { bytes: 4, kind: "duration" },
  LTIME: { bytes: 8, kind: "duration" },
  DATE: { bytes: 2, kind: "date" },
  TIME_OF_DAY: { bytes: 4, kind: "duration" },
  DATE_AND_TIME: { bytes: 8, kind: "date" },
};

export function isDataType(name: string): name is DataType {
  return (DATA_TYPES as readonly string[]).includes(name);
}

/**
 * A duration as IEC 61131 holds it. TIME and TIME_OF_DAY carry milliseconds; LTIME carries nanoseconds as bigint.
 * Kept as an object so a JSON consumer can never mistake it for a plain number of unknown unit.
 */
export type Duration = { readonly ms: number } | { readonly ns: bigint };

/** The JavaScript value of one element. Dates are JavaScript Dates in UTC. */
export type ScalarValue = boolean | number | bigint | string | Duration | Date;

/** A tag's value: one element, or an array of elements when the address asked for `[n]`. */
export type PlcValue = ScalarValue | readonly ScalarValue[];
