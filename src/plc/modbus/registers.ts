// IEC 61131 values to and from Modbus 16-bit registers in the byte orders PLC4X names, and to and from coil states.
import { DATA_TYPE_INFO, type DataType, type PlcValue, type ScalarValue } from "../values.ts";
import { ModbusValueError } from "./errors.ts";
import { planCoilLayout, planLayout, type RegisterLayout, type RegisterPlan } from "./register-layout.ts";

// Every function here takes a layout; callers of the codec (the simulator too) name it from here.

/** The register words (0..65535 each) that hold `value`. */
export function encodeRegisters(value: PlcValue, layout: RegisterLayout): number[] {
  const p = planLayout(layout);
  const elements = elementsOf(value, p);
  const bytes = new Uint8Array(2 * p.registers);
  const view = new DataView(bytes.buffer);
  writeElements(view, elements, p);
  if (p.swap) swapPairs(bytes);
  const words = new Array<number>(p.registers);
  for (let index = 0; index < p.registers; index++) words[index] = view.getUint16(2 * index);
  return words;
}

/** The value held in `words`, which must be exactly the registers the layout spans. */
export function decodeRegisters(words: readonly number[], layout: RegisterLayout): PlcValue {
  const p = planLayout(layout);
  if (words.length !== p.registers) {
    throw new ModbusValueError(p.dataType, "WRONG_LENGTH", `needs ${p.registers} registers, got ${words.length}`);
  }
  return decodeAt(words, 0, p);
}

/** Decodes a tag's value straight out of a longer run of words (a block's answer), with no copy. */
export type RegisterDecoder = (words: readonly number[], offset: number) => PlcValue;

/**
 * A decoder for `layout`, checked once: a poller decodes the same tags every cycle. The common single numbers in
 * Modbus' own byte order read their words directly; every other layout goes through the general path. A run too short
 * for the tag throws WRONG_LENGTH, as decodeRegisters does for a short slice.
 */
export function registerDecoder(layout: RegisterLayout): RegisterDecoder {
  const p = planLayout(layout);
  const general: RegisterDecoder = (words, offset) => {
    checkRun(p, words.length - offset);
    return decodeAt(words, offset, p);
  };
  if (p.category !== "number" || p.isArray || p.little || p.swap) return general;
  // A word outside 0..65535 (never from the wire) falls back to the general path, which says which one.
  switch (p.dataType) {
    case "INT":
    case "UINT":
    case "WORD": {
      const signed = p.dataType === "INT";
      return (words, offset) => {
        const word = wordAt(words, offset);
        if (word < 0) return general(words, offset);
        return signed ? (word << 16) >> 16 : word;
      };
    }
    case "DINT":
    case "UDINT":
    case "DWORD":
    case "REAL": {
      const type = p.dataType;
      return (words, offset) => {
        const high = wordAt(words, offset);
        const low = wordAt(words, offset + 1);
        if (high < 0 || low < 0) return general(words, offset);
        if (type === "REAL") {
          SCRATCH_VIEW.setUint32(0, high * 0x10000 + low);
          return SCRATCH_VIEW.getFloat32(0);
        }
        const value = (high << 16) | low;
        return type === "DINT" ? value : value >>> 0;
      };
    }
    default:
      return general;
  }
}

/** The register word at `index`, or -1 when there is none or it is not one (outside 0..65535). */
function wordAt(words: readonly number[], index: number): number {
  const word = words[index];
  return word !== undefined && (word & 0xffff) === word ? word : -1;
}

function checkRun(p: RegisterPlan, available: number): void {
  if (available < p.registers) {
    const got = Math.max(0, available);
    throw new ModbusValueError(p.dataType, "WRONG_LENGTH", `needs ${p.registers} registers, got ${got}`);
  }
}

/** The value in the `p.registers` words from `offset`, which the caller has checked are there. */
function decodeAt(words: readonly number[], offset: number, p: RegisterPlan): PlcValue {
  // Decoding is synchronous, so one scratch buffer serves every tag that fits it: a poll decodes thousands of tags.
  const size = 2 * p.registers;
  const bytes = size <= SCRATCH.length ? SCRATCH : new Uint8Array(size);
  const view = bytes === SCRATCH ? SCRATCH_VIEW : new DataView(bytes.buffer);
  for (let index = 0; index < p.registers; index++) {
    const word = words[offset + index]!;
    if (!Number.isInteger(word) || word < 0 || word > 0xffff) {
      throw new ModbusValueError(p.dataType, "OUT_OF_RANGE", `register [${index}] ${word} is outside 0..65535`);
    }
    view.setUint16(2 * index, word);
  }
  if (p.swap) swapPairs(bytes, size);
  return p.isArray ? readElements(view, p) : readElement(view, p, 0);
}

const SCRATCH = new Uint8Array(256);
const SCRATCH_VIEW = new DataView(SCRATCH.buffer);

/** The coil states to write for a BOOL tag on coils: one state per element. */
export function encodeCoilValues(value: PlcValue, layout: RegisterLayout): boolean[] {
  const p = planCoilLayout(layout);
  return elementsOf(value, p).map((element) => checkedBool(element));
}

/** A BOOL tag's value from the coil or discrete-input states read for it. */
export function decodeCoilValues(states: readonly boolean[], layout: RegisterLayout): PlcValue {
  const p = planCoilLayout(layout);
  if (states.length !== p.elements) {
    throw new ModbusValueError("BOOL", "WRONG_LENGTH", `needs ${p.elements} coil states, got ${states.length}`);
  }
  return p.isArray ? [...states] : states[0]!;
}

/** Decodes a BOOL tag straight out of a block's states, with no copy; see registerDecoder. */
export type CoilDecoder = (states: readonly boolean[], offset: number) => PlcValue;

/** A decoder for a BOOL tag on coils or discrete inputs, checked once. */
export function coilDecoder(layout: RegisterLayout): CoilDecoder {
  const p = planCoilLayout(layout);
  return (states, offset) => {
    const available = states.length - offset;
    if (available < p.elements) {
      const got = Math.max(0, available);
      throw new ModbusValueError("BOOL", "WRONG_LENGTH", `needs ${p.elements} coil states, got ${got}`);
    }
    return p.isArray ? states.slice(offset, offset + p.elements) : states[offset]!;
  };
}

function elementsOf(value: PlcValue, p: RegisterPlan): readonly ScalarValue[] {
  if (!p.isArray) {
    if (Array.isArray(value)) {
      throw new ModbusValueError(p.dataType, "WRONG_TYPE", "a single value was expected, got an array");
    }
    return [value as ScalarValue];
  }
  if (!Array.isArray(value)) {
    throw new ModbusValueError(p.dataType, "WRONG_TYPE", `an array of ${p.elements} was expected`);
  }
  if (value.length !== p.elements) {
    throw new ModbusValueError(p.dataType, "WRONG_LENGTH", `array needs ${p.elements} elements, got ${value.length}`);
  }
  return value;
}

function writeElements(view: DataView, elements: readonly ScalarValue[], p: RegisterPlan): void {
  const { dataType, little } = p;
  const lone = elements.length === 1;
  elements.forEach((element, index) => {
    switch (p.category) {
      case "bool":
        // Bits gather in a word first, so the word can then be laid out in the byte order like any UINT.
        if (checkedBool(element)) {
          view.setUint16(2 * (index >>> 4), view.getUint16(2 * (index >>> 4)) | (1 << (index & 15)));
        }
        break;
      case "byte": {
        // A lone byte is a 16-bit number whose high byte is padding; several are packed in sequence.
        const byte = Number(integer(dataType, element)) & 0xff;
        if (lone) view.setUint16(0, byte, little);
        else view.setUint8(index, byte);
        break;
      }
      case "char":
        view.setUint8(index, latin1(dataType, element, 1).charCodeAt(0));
        break;
      case "string": {
        const text = latin1(dataType, element, p.chars);
        const offset = index * 2 * Math.ceil(p.chars / 2);
        for (let char = 0; char < text.length; char++) view.setUint8(offset + char, text.charCodeAt(char));
        break;
      }
      case "wchar":
      case "wstring": {
        const text = utf16(dataType, element, p.chars);
        for (let unit = 0; unit < text.length; unit++) {
          view.setUint16(2 * (index * p.chars + unit), text.charCodeAt(unit), little);
        }
        break;
      }
      case "number":
        writeNumber(view, index * DATA_TYPE_INFO[dataType].bytes, dataType, element, little);
        break;
    }
  });
  if (p.category === "bool" && little) {
    for (let word = 0; word < p.registers; word++) view.setUint16(2 * word, view.getUint16(2 * word), true);
  }
}

function readElements(view: DataView, p: RegisterPlan): ScalarValue[] {
  const out = new Array<ScalarValue>(p.elements);
  for (let index = 0; index < p.elements; index++) out[index] = readElement(view, p, index);
  return out;
}

function readElement(view: DataView, p: RegisterPlan, index: number): ScalarValue {
  const { dataType, little } = p;
  switch (p.category) {
    case "bool":
      return (view.getUint16(2 * (index >>> 4), little) & (1 << (index & 15))) !== 0;
    case "byte": {
      const byte = p.elements === 1 ? view.getUint16(0, little) & 0xff : view.getUint8(index);
      return dataType === "SINT" ? (byte << 24) >> 24 : byte;
    }
    case "char":
      return String.fromCharCode(view.getUint8(index));
    case "string":
      return untilNul(p.chars, (char) => view.getUint8(index * 2 * Math.ceil(p.chars / 2) + char));
    case "wchar":
      return String.fromCharCode(view.getUint16(2 * index, little));
    case "wstring":
      return untilNul(p.chars, (unit) => view.getUint16(2 * (index * p.chars + unit), little));
    case "number":
      return readNumber(view, index * DATA_TYPE_INFO[dataType].bytes, dataType, little);
  }
}

/**
 * Integers of up to 4 bytes straight from the view, without building a bigint per byte (the common case: INT, DINT,
 * UDINT, WORD, TIME on every poll). TIME and TIME_OF_DAY are 4 bytes, so durations in ms are read here only.
 */
function readSmallInteger(
  view: DataView,
  offset: number,
  type: DataType,
  bytes: number,
  signed: boolean,
  little: boolean,
): ScalarValue {
  const value =
    bytes === 1
      ? signed
        ? view.getInt8(offset)
        : view.getUint8(offset)
      : bytes === 2
        ? signed
          ? view.getInt16(offset, little)
          : view.getUint16(offset, little)
        : signed
          ? view.getInt32(offset, little)
          : view.getUint32(offset, little);
  // A time of day past midnight is no time of day; refusing it here keeps decode and encode each other's inverse.
  if (type === "TIME_OF_DAY" && value > Number(MAX_TIME_OF_DAY)) {
    throw new ModbusValueError(type, "OUT_OF_RANGE", `${value} ms is past the end of the day`);
  }
  return type === "TIME" || type === "TIME_OF_DAY" ? { ms: value } : value;
}

/** The last millisecond of a day. */
const MAX_TIME_OF_DAY = 86_399_999n;

/** Writes a numeric element big-endian, or little-endian for LITTLE_* orders; integers of any width go one way. */
function writeNumber(view: DataView, offset: number, type: DataType, value: ScalarValue, little: boolean): void {
  const { bytes, kind } = DATA_TYPE_INFO[type];
  if (kind === "float") {
    if (bytes === 4) view.setFloat32(offset, float(type, value), little);
    else view.setFloat64(offset, float(type, value), little);
    return;
  }
  const raw = BigInt.asUintN(8 * bytes, integerOf(type, value));
  for (let byte = 0; byte < bytes; byte++) {
    view.setUint8(offset + (little ? byte : bytes - 1 - byte), Number((raw >> BigInt(8 * byte)) & 0xffn));
  }
}

function readNumber(view: DataView, offset: number, type: DataType, little: boolean): ScalarValue {
  const { bytes, kind, min } = DATA_TYPE_INFO[type];
  if (kind === "float") return bytes === 4 ? view.getFloat32(offset, little) : view.getFloat64(offset, little);
  const signed = type === "TIME" || type === "LTIME" || (min ?? 0n) < 0n;
  if (bytes <= 4) return readSmallInteger(view, offset, type, bytes, signed, little);
  let raw = 0n;
  for (let byte = 0; byte < bytes; byte++) {
    raw = (raw << 8n) | BigInt(view.getUint8(offset + (little ? bytes - 1 - byte : byte)));
  }
  // Only 8-byte integers come this far: LWORD, LINT, ULINT, and LTIME in nanoseconds.
  const value = signed ? BigInt.asIntN(8 * bytes, raw) : raw;
  return type === "LTIME" ? { ns: value } : value;
}

/** The integer a numeric element stands for: durations count ms (TIME, TIME_OF_DAY) or ns (LTIME). */
function integerOf(type: DataType, value: ScalarValue): bigint {
  switch (type) {
    case "TIME":
      return integer(type, milliseconds(type, value), -(2n ** 31n), 2n ** 31n - 1n);
    case "TIME_OF_DAY":
      return integer(type, milliseconds(type, value), 0n, MAX_TIME_OF_DAY);
    case "LTIME":
      return integer(type, nanoseconds(value), -(2n ** 63n), 2n ** 63n - 1n);
    default:
      return integer(type, value);
  }
}

/** An integer of `type` (range from values.ts unless given), from a number or a bigint, as bigint for exactness. */
function integer(
  type: DataType,
  value: ScalarValue,
  min = DATA_TYPE_INFO[type].min!,
  max = DATA_TYPE_INFO[type].max!,
): bigint {
  let big: bigint;
  if (typeof value === "bigint") big = value;
  else if (typeof value === "number" && Number.isSafeInteger(value)) big = BigInt(value);
  else if (typeof value === "number" && Number.isInteger(value)) {
    throw new ModbusValueError(type, "OUT_OF_RANGE", `value ${value} is not exactly representable; pass a bigint`);
  } else throw new ModbusValueError(type, "WRONG_TYPE", `needs an integer, got ${describe(value)}`);
  if (big < min || big > max) {
    throw new ModbusValueError(type, "OUT_OF_RANGE", `value ${big} is outside ${min}..${max}`);
  }
  return big;
}

/** A REAL or LREAL. NaN and infinities pass, but a finite number too large for a REAL would silently become infinite. */
function float(type: DataType, value: ScalarValue): number {
  if (typeof value !== "number") {
    throw new ModbusValueError(type, "WRONG_TYPE", `needs a number, got ${describe(value)}`);
  }
  if (type === "REAL" && Number.isFinite(value) && !Number.isFinite(Math.fround(value))) {
    throw new ModbusValueError(type, "OUT_OF_RANGE", `value ${value} is outside ±3.4028234663852886e38`);
  }
  return value;
}

function milliseconds(type: DataType, value: ScalarValue): number | bigint {
  if (typeof value === "object" && value !== null && "ms" in value) return value.ms;
  throw new ModbusValueError(type, "WRONG_TYPE", `needs a duration { ms }, got ${describe(value)}`);
}

function nanoseconds(value: ScalarValue): bigint {
  if (typeof value === "object" && value !== null && "ns" in value && typeof value.ns === "bigint") return value.ns;
  throw new ModbusValueError("LTIME", "WRONG_TYPE", `needs a duration { ns: bigint }, got ${describe(value)}`);
}

function checkedBool(value: ScalarValue): boolean {
  if (typeof value !== "boolean") {
    throw new ModbusValueError("BOOL", "WRONG_TYPE", `needs a boolean, got ${describe(value)}`);
  }
  return value;
}

/** Text of single-byte characters (ISO 8859-1, of which ASCII is the lower half), at most `max` of them. */
function latin1(type: DataType, value: ScalarValue, max: number): string {
  const text = utf16(type, value, max);
  const wide = text.split("").findIndex((char) => char.charCodeAt(0) > 0xff);
  if (wide >= 0) {
    throw new ModbusValueError(type, "OUT_OF_RANGE", `character ${wide} of ${JSON.stringify(text)} is not single-byte`);
  }
  return text;
}

function utf16(type: DataType, value: ScalarValue, max: number): string {
  if (typeof value !== "string") {
    throw new ModbusValueError(type, "WRONG_TYPE", `needs a string, got ${describe(value)}`);
  }
  const single = type === "CHAR" || type === "WCHAR";
  if (single ? value.length !== 1 : value.length > max) {
    const limit = single ? "exactly 1 character" : `at most ${max} characters`;
    const detail = `${JSON.stringify(value)} has ${value.length} characters, needs ${limit}`;
    throw new ModbusValueError(type, "OUT_OF_RANGE", detail);
  }
  return value;
}

/** A string of character codes, ending at the first NUL (the padding of a shorter text). */
function untilNul(max: number, codeAt: (index: number) => number): string {
  let text = "";
  for (let index = 0; index < max; index++) {
    const code = codeAt(index);
    if (code === 0) break;
    text += String.fromCharCode(code);
  }
  return text;
}

/** Swaps the two bytes of every register, in place. */
function swapPairs(bytes: Uint8Array, length = bytes.length): void {
  for (let index = 0; index + 1 < length; index += 2) {
    const first = bytes[index]!;
    bytes[index] = bytes[index + 1]!;
    bytes[index + 1] = first;
  }
}

function describe(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === "bigint" ? `${inner}n` : inner));
  }
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
