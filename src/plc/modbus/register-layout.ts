// How a Modbus tag's value occupies registers: the byte orders PLC4X names, a tag's layout, and its checked plan.
import { DATA_TYPE_INFO, type DataType } from "../values.ts";
import { ModbusValueError } from "./errors.ts";

/**
 * How a value's bytes sit in its registers, named as PLC4X names them. For the 32-bit value 0x01020304 (bytes A B C D):
 * BIG_ENDIAN ABCD (Modbus' own order), LITTLE_ENDIAN DCBA, BIG_ENDIAN_BYTE_SWAP BADC, LITTLE_ENDIAN_BYTE_SWAP CDAB.
 * In general: LITTLE_* reverses each element's bytes, *_BYTE_SWAP then swaps the two bytes of every register.
 */
export const BYTE_ORDERS = ["BIG_ENDIAN", "LITTLE_ENDIAN", "BIG_ENDIAN_BYTE_SWAP", "LITTLE_ENDIAN_BYTE_SWAP"] as const;
export type ByteOrder = (typeof BYTE_ORDERS)[number];
export const DEFAULT_BYTE_ORDER: ByteOrder = "BIG_ENDIAN";

export function isByteOrder(name: string): name is ByteOrder {
  return (BYTE_ORDERS as readonly string[]).includes(name);
}

/** What a register tag holds: its type, and how its elements are arranged. */
export interface RegisterLayout {
  readonly dataType: DataType;
  /** BIG_ENDIAN when absent. */
  readonly byteOrder?: ByteOrder;
  /** Characters of one STRING or WSTRING element: required for those types, refused for the others. */
  readonly stringLength?: number;
  /** Number of elements when the tag is an array (even of one); absent for a single value. */
  readonly arrayLength?: number;
}

/**
 * How each type occupies registers. Mostly each element takes whole registers, except where PLC4X packs:
 * - BYTE/SINT/USINT: a single value (an array of one too) fills one register as a zero-padded 16-bit number; arrays
 *   of two or more pack two bytes to a register, the first in the register's first byte.
 * - BOOL: a single value is a 16-bit 0 or 1; arrays pack 16 to a register, element i in bit i % 16 (bit 0 the lowest).
 * - CHAR and STRING(n): one byte per character in sequence, NUL-padded; a STRING element takes ceil(n / 2) registers.
 * - WCHAR and WSTRING(n): one register per UTF-16 code unit.
 * DATE and DATE_AND_TIME have no agreed register form on Modbus and are refused.
 */
type Category = "bool" | "byte" | "char" | "string" | "wchar" | "wstring" | "number";

const TEXT_CATEGORY: Partial<Record<DataType, Category>> = {
  CHAR: "char",
  STRING: "string",
  WCHAR: "wchar",
  WSTRING: "wstring",
};

function categoryOf(type: DataType): Category | undefined {
  const { kind, bytes } = DATA_TYPE_INFO[type];
  if (kind === "date") return undefined;
  if (kind === "bool") return "bool";
  return TEXT_CATEGORY[type] ?? (bytes === 1 ? "byte" : "number");
}

/** A checked layout: everything the value codec needs, computed once. */
export interface RegisterPlan {
  readonly dataType: DataType;
  readonly category: Category;
  readonly little: boolean;
  readonly swap: boolean;
  readonly elements: number;
  readonly isArray: boolean;
  /** Characters per STRING/WSTRING element, 1 otherwise. */
  readonly chars: number;
  readonly registers: number;
}

/** How many registers a tag of this layout spans; throws ModbusValueError for a layout that cannot be. */
export function registerCount(layout: RegisterLayout): number {
  return planLayout(layout).registers;
}

// A poller decodes the same tags every cycle with the same layout objects: their checked plans are kept.
const plans = new WeakMap<RegisterLayout, RegisterPlan>();

/** The checked plan of `layout`; throws ModbusValueError for a layout that cannot be. */
export function planLayout(layout: RegisterLayout): RegisterPlan {
  const known = plans.get(layout);
  if (known !== undefined) return known;
  const made = makePlan(layout);
  plans.set(layout, made);
  return made;
}

/** The plan of a BOOL tag on coils or discrete inputs, the only type those areas hold. */
export function planCoilLayout(layout: RegisterLayout): RegisterPlan {
  if (layout.dataType !== "BOOL") {
    throw new ModbusValueError(layout.dataType, "UNSUPPORTED_TYPE", "coils and discrete inputs hold BOOL only");
  }
  return planLayout(layout);
}

function makePlan(layout: RegisterLayout): RegisterPlan {
  const { dataType, stringLength, arrayLength } = layout;
  const category = categoryOf(dataType);
  if (category === undefined) {
    throw new ModbusValueError(dataType, "UNSUPPORTED_TYPE", "has no register layout on Modbus");
  }
  const byteOrder = layout.byteOrder ?? DEFAULT_BYTE_ORDER;
  if (!isByteOrder(byteOrder)) throw new ModbusValueError(dataType, "BAD_LAYOUT", `unknown byte order ${byteOrder}`);
  const isText = category === "string" || category === "wstring";
  if (isText !== (stringLength !== undefined)) {
    const detail = isText ? "needs a string length" : `takes no string length (got ${stringLength})`;
    throw new ModbusValueError(dataType, "BAD_LAYOUT", detail);
  }
  const chars = stringLength ?? 1;
  if (!Number.isInteger(chars) || chars < 1) {
    throw new ModbusValueError(dataType, "BAD_LAYOUT", `string length ${chars} is not a positive integer`);
  }
  const elements = arrayLength ?? 1;
  if (!Number.isInteger(elements) || elements < 1) {
    throw new ModbusValueError(dataType, "BAD_LAYOUT", `array length ${elements} is not a positive integer`);
  }
  const perElement = category === "number" ? DATA_TYPE_INFO[dataType].bytes / 2 : 1;
  const registers = {
    bool: Math.ceil(elements / 16),
    byte: Math.ceil(elements / 2),
    char: Math.ceil(elements / 2),
    string: elements * Math.ceil(chars / 2),
    wchar: elements,
    wstring: elements * chars,
    number: elements * perElement,
  }[category];
  const little = byteOrder === "LITTLE_ENDIAN" || byteOrder === "LITTLE_ENDIAN_BYTE_SWAP";
  const swap = byteOrder.endsWith("_BYTE_SWAP");
  return { dataType, category, little, swap, elements, isArray: arrayLength !== undefined, chars, registers };
}
