// The `TYPE`, `TYPE[n]`, `STRING(len)` and `STRING(len)[n]` part that ends every driver's tag address grammar.
import { InvalidAddressError } from "./errors.ts";
import { DATA_TYPES, type DataType, isDataType } from "./values.ts";

/** What a tag holds: a type, how many elements (1 when the address has no `[n]`), and a string's length if given. */
export interface DataTypeSpec {
  readonly type: DataType;
  readonly count: number;
  /** Characters per STRING/WSTRING element, from `STRING(20)`; absent when the address gave none. */
  readonly stringLength?: number;
}

/**
 * Limits for counts and string lengths. Every PLC protocol carries element counts and string lengths in at most 16 bits,
 * so anything larger is a typo; drivers check their protocol's tighter limits themselves.
 */
export const MAX_ELEMENT_COUNT = 65535;
export const MAX_STRING_LENGTH = 65535;

/** What a driver's grammar allows in the spec. */
export interface DataTypeSpecRules {
  /** The types the driver supports; all IEC types when absent. */
  readonly types?: readonly DataType[];
  /** Whether STRING and WSTRING must say their length (e.g. because it decides how many registers they span). */
  readonly requireStringLength?: boolean;
}

const STRING_TYPES: readonly DataType[] = ["STRING", "WSTRING"];

/** Renders a spec the way an address writes it: `INT`, `UINT[10]`, `STRING(20)[4]`. */
export function formatDataTypeSpec(spec: DataTypeSpec): string {
  const length = spec.stringLength === undefined ? "" : `(${spec.stringLength})`;
  const count = spec.count === 1 ? "" : `[${spec.count}]`;
  return `${spec.type}${length}${count}`;
}

/** `one of BOOL, BYTE, ...` for error messages. */
export function describeTypes(types: readonly DataType[]): string {
  return `one of ${types.join(", ")}`;
}

/** `'x'` for the character at `index`, or `end of address` past `end`: the `found` part of an InvalidAddressError. */
export function describeCharAt(address: string, index: number, end = address.length): string {
  return index >= end ? "end of address" : `'${address[index]}'`;
}

/**
 * Parses `address.slice(start, end)` as a data-type spec; errors name the whole address and the column in it.
 * Throws InvalidAddressError.
 */
export function parseDataTypeSpec(
  address: string,
  start = 0,
  end = address.length,
  rules: DataTypeSpecRules = {},
): DataTypeSpec {
  const allowed = rules.types ?? DATA_TYPES;
  let i = start;
  while (i < end && /[A-Za-z_]/.test(address[i] ?? "")) i++;
  const name = address.slice(start, i);
  if (name === "") {
    throw new InvalidAddressError(
      address,
      start + 1,
      describeCharAt(address, start, end),
      `a data type, ${describeTypes(allowed)}`,
    );
  }
  const type = checkTypeName(address, start, name, allowed);

  let stringLength: number | undefined;
  if (address[i] === "(" && i < end) {
    if (!STRING_TYPES.includes(type)) {
      throw new InvalidAddressError(
        address,
        i + 1,
        `a length after ${type}`,
        "'[' or end of address (only STRING and WSTRING take a length)",
      );
    }
    const close = readNumberIn(address, i, end, "(", ")", "a string length", MAX_STRING_LENGTH);
    stringLength = close.value;
    i = close.next;
  } else if (rules.requireStringLength && STRING_TYPES.includes(type)) {
    throw new InvalidAddressError(
      address,
      i + 1,
      `${type} without a length`,
      `'(' and a length in characters, e.g. ${type}(20)`,
    );
  }

  let count = 1;
  if (i < end && address[i] === "[") {
    const close = readNumberIn(address, i, end, "[", "]", "an element count", MAX_ELEMENT_COUNT);
    count = close.value;
    i = close.next;
  }
  if (i < end) {
    const expected = count === 1 ? "'[' or end of address" : "end of address";
    throw new InvalidAddressError(address, i + 1, describeCharAt(address, i, end), expected);
  }
  return stringLength === undefined ? { type, count } : { type, count, stringLength };
}

/**
 * Parses a bare `[n]` element count at `start` that must run exactly to `end`, for grammars where the type may be
 * omitted (`holding-register:20[10]`). Throws InvalidAddressError.
 */
export function parseElementCount(address: string, start: number, end = address.length): number {
  const { value, next } = readNumberIn(address, start, end, "[", "]", "an element count", MAX_ELEMENT_COUNT);
  if (next < end)
    throw new InvalidAddressError(address, next + 1, describeCharAt(address, next, end), "end of address");
  return value;
}

function checkTypeName(address: string, start: number, name: string, allowed: readonly DataType[]): DataType {
  if (isDataType(name)) {
    if (allowed.includes(name)) return name;
    throw new InvalidAddressError(address, start + 1, `unsupported data type '${name}'`, describeTypes(allowed));
  }
  const upper = name.toUpperCase();
  // PLC4X spells types in upper case only; saying so beats listing two dozen names the user already knows.
  const expected =
    isDataType(upper) && allowed.includes(upper) ? `'${upper}' (data types are upper case)` : describeTypes(allowed);
  throw new InvalidAddressError(address, start + 1, `unknown data type '${name}'`, expected);
}

/** Reads `open digits close` at `start`; the value must be 1..max. Returns the value and the index after `close`. */
function readNumberIn(
  address: string,
  start: number,
  end: number,
  open: string,
  close: string,
  what: string,
  max: number,
): { value: number; next: number } {
  if (address[start] !== open || start >= end) {
    throw new InvalidAddressError(address, start + 1, describeCharAt(address, start, end), `'${open}'`);
  }
  const digitsStart = start + 1;
  let i = digitsStart;
  while (i < end && /[0-9]/.test(address[i] ?? "")) i++;
  if (i === digitsStart) {
    throw new InvalidAddressError(
      address,
      digitsStart + 1,
      describeCharAt(address, digitsStart, end),
      `${what} 1..${max}`,
    );
  }
  if (i >= end || address[i] !== close) {
    throw new InvalidAddressError(address, i + 1, describeCharAt(address, i, end), `'${close}'`);
  }
  const digits = address.slice(digitsStart, i);
  const value = Number(digits);
  if (value < 1 || value > max) {
    throw new InvalidAddressError(address, digitsStart + 1, `${what} ${digits}`, `${what} 1..${max}`);
  }
  return { value, next: i + 1 };
}
