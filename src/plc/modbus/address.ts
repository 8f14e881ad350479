// PLC4X's Modbus tag grammar (`holding-register:20:UINT[10]`, `4x00020:REAL`, `{unit-id: 2}`) → a typed ModbusAddress.
import { type DataTypeSpec, describeCharAt, parseDataTypeSpec, parseElementCount } from "../data-type-spec.ts";
import { InvalidAddressError } from "../errors.ts";
import { DATA_TYPE_INFO, DATA_TYPES, type DataType } from "../values.ts";
import { MAX_BIT_READ_QUANTITY } from "./messages/bit-read.ts";
import { MAX_REGISTER_READ_QUANTITY } from "./messages/register-read.ts";
import { BYTE_ORDERS, type ByteOrder, registerCount } from "./register-layout.ts";

export const MODBUS_AREAS = [
  "coil",
  "discrete-input",
  "input-register",
  "holding-register",
  "extended-register",
] as const;
export type ModbusArea = (typeof MODBUS_AREAS)[number];

export interface ModbusAddress {
  readonly area: ModbusArea;
  /**
   * The 0-based address on the wire (tags write them 1-based, so `holding-register:1` is 0). For extended registers it is
   * the 0-based position in the 6x area as written: file number `floor(address / 10000) + 1`, record `address % 10000`.
   */
  readonly address: number;
  readonly type: DataType;
  readonly count: number;
  readonly stringLength?: number;
  /** Coils or discrete inputs (bits) for the bit areas, 16-bit registers for the others. */
  readonly quantity: number;
  /** Overrides the connection's `unit-identifier` for this tag. */
  readonly unitId?: number;
  /** Overrides the connection's byte order for this tag. */
  readonly byteOrder?: ByteOrder;
}

/**
 * The types a register tag may name: those the register codec lays out. DATE and DATE_AND_TIME have no agreed form on
 * Modbus; PLC4X declares sizes for them but has no codec behind them either.
 */
export const MODBUS_REGISTER_TYPES: readonly DataType[] = DATA_TYPES.filter(
  (type) => DATA_TYPE_INFO[type].kind !== "date",
);
const BIT_TYPES: readonly DataType[] = ["BOOL"];

/** Tags address 1..65535; PLC4X stops there too, so register 0xFFFF (0-based) cannot be reached by a tag. */
const MAX_ADDRESS = 65535;
/** 6x addresses: file numbers 1..65535 of 10000 records each. */
const MAX_EXTENDED_ADDRESS = 655_349_999;

interface AreaForm {
  readonly area: ModbusArea;
  /** The `4` of `4x00001` and `400001`. */
  readonly digit: string;
}

const AREA_FORMS: readonly AreaForm[] = [
  { area: "coil", digit: "0" },
  { area: "discrete-input", digit: "1" },
  { area: "input-register", digit: "3" },
  { area: "holding-register", digit: "4" },
  { area: "extended-register", digit: "6" },
];

const CONFIG_KEYS = ["unit-id", "byte-order"] as const;

/**
 * Parses a Modbus tag address; throws InvalidAddressError naming the column and what was expected. Forms:
 * `{area}:{address}[:{type}][[{count}]]`, `{digit}x{4-5 digits}...` and `{digit}{4-5 digits}...` (so `400001` is
 * holding register 1), each optionally followed by `{unit-id: 2, byte-order: 'LITTLE_ENDIAN'}`.
 * Coils and discrete inputs hold only BOOL. Registers default to INT; a BOOL in a register takes the whole register
 * (arrays of them pack 16 to a register), as PLC4X reads them.
 */
export function parseModbusAddress(address: string): ModbusAddress {
  const brace = address.indexOf("{");
  const end = brace < 0 ? address.length : brace;
  const { area, numberStart, numberEnd } = readArea(address, end);
  const isBits = area === "coil" || area === "discrete-input";
  const spec = readSpec(address, numberEnd, end, isBits);
  // The codec decides how types pack into registers (BOOL and 8-bit arrays share registers); asking it keeps one rule.
  const quantity = isBits
    ? spec.count
    : registerCount({
        dataType: spec.type,
        ...(spec.stringLength === undefined ? {} : { stringLength: spec.stringLength }),
        ...(spec.count === 1 ? {} : { arrayLength: spec.count }),
      });
  const written = Number(address.slice(numberStart, numberEnd));
  checkSpan(address, area, written, numberStart, quantity, numberEnd);
  const config = brace < 0 ? {} : parseConfig(address, brace);
  return {
    area,
    address: area === "extended-register" ? written : written - 1,
    type: spec.type,
    count: spec.count,
    ...(spec.stringLength === undefined ? {} : { stringLength: spec.stringLength }),
    quantity,
    ...config,
  };
}

function readArea(address: string, end: number): { area: ModbusArea; numberStart: number; numberEnd: number } {
  const word = /^[a-z][a-z-]*/.exec(address)?.[0];
  if (word !== undefined) {
    const area = MODBUS_AREAS.find((a) => a === word);
    if (area === undefined) {
      throw new InvalidAddressError(address, 1, `unknown area '${word}'`, `one of ${MODBUS_AREAS.join(", ")}`);
    }
    if (address[word.length] !== ":") {
      throw new InvalidAddressError(
        address,
        word.length + 1,
        describeCharAt(address, word.length, end),
        `':' after '${area}'`,
      );
    }
    const numberStart = word.length + 1;
    const numberEnd = digitsEnd(address, numberStart, end);
    if (numberEnd === numberStart) {
      throw new InvalidAddressError(
        address,
        numberStart + 1,
        describeCharAt(address, numberStart, end),
        "an address number",
      );
    }
    return { area, numberStart, numberEnd };
  }
  const form = AREA_FORMS.find((f) => address.startsWith(f.digit));
  if (form === undefined) {
    throw new InvalidAddressError(
      address,
      1,
      describeCharAt(address, 0, end),
      `an area (${MODBUS_AREAS.join(", ")}) or a numeric form 0x, 1x, 3x, 4x, 6x`,
    );
  }
  const numberStart = address[1] === "x" ? 2 : 1;
  const numberEnd = digitsEnd(address, numberStart, end);
  const digits = numberEnd - numberStart;
  if (digits < 4 || digits > 5) {
    const prefix = address.slice(0, numberStart);
    const found = digits === 0 ? describeCharAt(address, numberStart, end) : `${digits} digits`;
    throw new InvalidAddressError(
      address,
      numberStart + 1,
      found,
      `4 or 5 address digits after '${prefix}', e.g. ${prefix}00001`,
    );
  }
  return { area: form.area, numberStart, numberEnd };
}

function readSpec(address: string, start: number, end: number, isBits: boolean): DataTypeSpec {
  const fallback: DataType = isBits ? "BOOL" : "INT";
  if (start === end) return { type: fallback, count: 1 };
  if (address[start] === "[") return { type: fallback, count: parseElementCount(address, start, end) };
  if (address[start] !== ":") {
    const expected = "a digit, ':' and a data type, '[', '{' or end of address";
    throw new InvalidAddressError(address, start + 1, describeCharAt(address, start, end), expected);
  }
  const name = /^[A-Za-z_]+/.exec(address.slice(start + 1, end))?.[0];
  if (isBits && name !== undefined && name !== "BOOL") {
    // PLC4X accepts a type here but decodes coils as booleans anyway; refusing says so before a wrong value is read.
    const expected = "BOOL (coils and discrete inputs hold single bits)";
    throw new InvalidAddressError(address, start + 2, `data type '${name}' in a bit area`, expected);
  }
  const types = isBits ? BIT_TYPES : MODBUS_REGISTER_TYPES;
  return parseDataTypeSpec(address, start + 1, end, { types, requireStringLength: true });
}

function checkSpan(
  address: string,
  area: ModbusArea,
  written: number,
  numberStart: number,
  quantity: number,
  specStart: number,
): void {
  const extended = area === "extended-register";
  const [min, max] = extended ? [0, MAX_EXTENDED_ADDRESS] : [1, MAX_ADDRESS];
  if (written < min || written > max) {
    const note = extended ? " (extended registers count from 0)" : " (Modbus tag addresses are 1-based)";
    throw new InvalidAddressError(address, numberStart + 1, `address ${written}`, `${min}..${max}${note}`);
  }
  const isBits = area === "coil" || area === "discrete-input";
  const unit = isBits ? "bits" : "registers";
  // A tag must fit in one read request (125 registers, 2000 bits), as in PLC4X.
  const limit = isBits ? MAX_BIT_READ_QUANTITY : MAX_REGISTER_READ_QUANTITY;
  if (quantity > limit) {
    const expected = `at most ${limit} ${unit} per tag (one Modbus request)`;
    throw new InvalidAddressError(address, specStart + 1, `a span of ${quantity} ${unit}`, expected);
  }
  const last = written + quantity - 1;
  if (last > max) {
    const found = `${quantity} ${unit} from ${written} to ${last}`;
    throw new InvalidAddressError(address, numberStart + 1, found, `a span ending within ${min}..${max}`);
  }
}

function parseConfig(address: string, brace: number): { unitId?: number; byteOrder?: ByteOrder } {
  const close = address.indexOf("}", brace);
  if (close < 0) throw new InvalidAddressError(address, address.length + 1, "end of address", "'}'");
  if (close !== address.length - 1) {
    throw new InvalidAddressError(address, close + 2, describeCharAt(address, close + 1), "end of address after '}'");
  }
  const config: { unitId?: number; byteOrder?: ByteOrder } = {};
  let i = brace + 1;
  const skipSpaces = () => {
    while (address[i] === " ") i++;
  };
  skipSpaces();
  while (i < close) {
    const keyStart = i;
    while (i < close && /[a-z-]/.test(address[i] ?? "")) i++;
    const key = address.slice(keyStart, i);
    const known = CONFIG_KEYS.find((k) => k === key);
    if (known === undefined) {
      const found = key === "" ? describeCharAt(address, keyStart) : `unknown setting '${key}'`;
      throw new InvalidAddressError(address, keyStart + 1, found, `one of ${CONFIG_KEYS.join(", ")}`);
    }
    if (
      (known === "unit-id" && config.unitId !== undefined) ||
      (known === "byte-order" && config.byteOrder !== undefined)
    ) {
      throw new InvalidAddressError(address, keyStart + 1, `'${key}' given twice`, "each setting at most once");
    }
    skipSpaces();
    if (address[i] !== ":")
      throw new InvalidAddressError(address, i + 1, describeCharAt(address, i, close), `':' after '${key}'`);
    i++;
    skipSpaces();
    const valueStart = i;
    while (i < close && address[i] !== "," && address[i] !== " ") i++;
    const raw = address.slice(valueStart, i);
    if (known === "unit-id") config.unitId = parseUnitId(address, valueStart, raw);
    else config.byteOrder = parseByteOrder(address, valueStart, raw);
    skipSpaces();
    if (address[i] === ",") {
      i++;
      skipSpaces();
      if (i === close) throw new InvalidAddressError(address, i + 1, "'}'", "a setting after ','");
    } else if (i < close) {
      throw new InvalidAddressError(address, i + 1, describeCharAt(address, i, close), "',' or '}'");
    }
  }
  return config;
}

function parseUnitId(address: string, valueIndex: number, raw: string): number {
  if (!/^[0-9]{1,3}$/.test(raw) || Number(raw) > 255) {
    const found = raw === "" ? describeCharAt(address, valueIndex) : `unit-id '${raw}'`;
    throw new InvalidAddressError(address, valueIndex + 1, found, "a unit id 0..255");
  }
  return Number(raw);
}

function parseByteOrder(address: string, valueIndex: number, raw: string): ByteOrder {
  // PLC4X writes the value quoted; a bare word is accepted too because nothing else could be meant.
  const unquoted = /^'[^']*'$|^"[^"]*"$/.test(raw) ? raw.slice(1, -1) : raw;
  const order = BYTE_ORDERS.find((o) => o === unquoted);
  if (order === undefined) {
    const found = raw === "" ? describeCharAt(address, valueIndex) : `byte-order ${raw}`;
    throw new InvalidAddressError(address, valueIndex + 1, found, `one of ${BYTE_ORDERS.join(", ")}`);
  }
  return order;
}

function digitsEnd(address: string, start: number, end: number): number {
  let i = start;
  while (i < end && address.charCodeAt(i) >= 48 && address.charCodeAt(i) <= 57) i++;
  return i;
}
