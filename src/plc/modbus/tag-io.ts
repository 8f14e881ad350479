// Carries out planned Modbus reads and writes: tag values to and from words and bits, and retrying refused blocks split.
import type { TagFailure } from "../driver.ts";
import type { TagWriteResult } from "../response.ts";
import { coerceValue } from "../value-coercion.ts";
import type { PlcValue } from "../values.ts";
import type { ModbusAddress } from "./address.ts";
import { ModbusValueError } from "./errors.ts";
import { describeException, EXCEPTION, type ExceptionResponse } from "./messages/exception.ts";
import { READ_COILS, type ReadCoilsRequest } from "./messages/read-coils.ts";
import { READ_DISCRETE_INPUTS, type ReadDiscreteInputsRequest } from "./messages/read-discrete-inputs.ts";
import { READ_HOLDING_REGISTERS, type ReadHoldingRegistersRequest } from "./messages/read-holding-registers.ts";
import { READ_INPUT_REGISTERS, type ReadInputRegistersRequest } from "./messages/read-input-registers.ts";
import { WRITE_MULTIPLE_COILS } from "./messages/write-multiple-coils.ts";
import { WRITE_MULTIPLE_REGISTERS } from "./messages/write-multiple-registers.ts";
import { WRITE_SINGLE_COIL } from "./messages/write-single-coil.ts";
import { WRITE_SINGLE_REGISTER } from "./messages/write-single-register.ts";
import {
  type LearnedHoles,
  type PlannedRead,
  type PlannedWrite,
  splitRead,
  splitWrite,
  type TagSlice,
  type WriteItem,
} from "./optimizer.ts";
import type { ModbusRequest } from "./pdu.ts";
import { type ByteOrder, type RegisterLayout, registerCount } from "./register-layout.ts";
import {
  coilDecoder,
  decodeCoilValues,
  decodeRegisters,
  encodeCoilValues,
  encodeRegisters,
  registerDecoder,
} from "./registers.ts";
import type { Exchange, ExchangeFailure, ModbusTcpTransport } from "./transport.ts";

/**
 * Exceptions one bad address in a merged block can cause, so that its parts are worth trying alone. Some devices
 * answer ILLEGAL DATA VALUE where the spec says ILLEGAL DATA ADDRESS. Other exceptions (busy, failure, gateway) are
 * about the device, not the addresses: splitting would only multiply the load on it.
 */
const SPLITTABLE: ReadonlySet<number> = new Set([EXCEPTION.ILLEGAL_DATA_ADDRESS, EXCEPTION.ILLEGAL_DATA_VALUE]);

/** What a read block brought back: one state per bit or one word per register, from the block's first address. */
export type BlockData =
  | { readonly kind: "bits"; readonly values: readonly boolean[] }
  | { readonly kind: "words"; readonly values: readonly number[] };

export type BlockAnswer =
  | { readonly kind: "data"; readonly data: BlockData }
  | { readonly kind: "exception"; readonly exception: ExceptionResponse }
  | ExchangeFailure;

/** What one tag slice got: its own part of a block's data, or why there is none. */
export type SliceResult =
  | { readonly ok: true; readonly data: BlockData }
  | { readonly ok: false; readonly failure: TagFailure };

export type TagValue = { readonly code: "OK"; readonly value: PlcValue } | TagFailure;

/** Sends the read request of one planned block (function 1, 2, 3 or 4 by area). */
export async function readBlock(transport: ModbusTcpTransport, block: PlannedRead): Promise<BlockAnswer> {
  const { unitId, address, quantity } = block;
  switch (block.area) {
    case "coil":
      return bits(await transport.send(unitId, { functionCode: READ_COILS, address, quantity }));
    case "discrete-input":
      return bits(await transport.send(unitId, { functionCode: READ_DISCRETE_INPUTS, address, quantity }));
    case "input-register":
      return words(await transport.send(unitId, { functionCode: READ_INPUT_REGISTERS, address, quantity }));
    case "holding-register":
      return words(await transport.send(unitId, { functionCode: READ_HOLDING_REGISTERS, address, quantity }));
  }
}

/**
 * Reads a block. When the device answers the whole block, resolves to its data and records nothing: the caller decodes
 * each tag at its offset, the common case on every poll. Otherwise puts every slice's result in `results` and resolves
 * to undefined: a block the device refuses with ILLEGAL DATA ADDRESS or VALUE is retried in parts (see splitRead), so
 * one bad address fails only the tags that hold it; what that taught goes into `holes`.
 */
export async function runRead(
  transport: ModbusTcpTransport,
  block: PlannedRead,
  results: Map<TagSlice, SliceResult>,
  holes?: LearnedHoles,
): Promise<BlockData | undefined> {
  const answer = await readBlock(transport, block);
  if (answer.kind === "data") return answer.data;
  const record = (part: PlannedRead, partAnswer: BlockAnswer): Attempt => {
    if (partAnswer.kind === "exception") return partAnswer;
    if (partAnswer.kind === "data") {
      recordSlices(part, partAnswer.data, results);
      return DONE;
    }
    const failure: SliceResult = { ok: false, failure: { code: partAnswer.code, message: partAnswer.message } };
    for (const slice of part.slices) results.set(slice, failure);
    return DONE;
  };
  const attempt = async (part: PlannedRead): Promise<Attempt> => record(part, await readBlock(transport, part));
  const fail = (part: PlannedRead, failure: TagFailure) => {
    for (const slice of part.slices) results.set(slice, { ok: false, failure });
  };
  await withSplitting(block, attempt, splitRead, fail, holes, record(block, answer));
  return undefined;
}

/** Puts each slice's part of a block's data in `results`, for readTagValue: tags cut across blocks need this. */
export function recordSlices(block: PlannedRead, data: BlockData, results: Map<TagSlice, SliceResult>): void {
  for (const slice of block.slices) {
    results.set(slice, { ok: true, data: sliceOf(data, slice.address - block.address, slice.quantity) });
  }
}

/** Decodes one tag that lies whole in one block from the block's data, at the tag's offset; throws ModbusValueError. */
export type BlockDecoder = (data: BlockData, offset: number) => PlcValue;

/**
 * A decoder for a tag read by a single slice of `quantity` registers or bits, made once per tag set; undefined when
 * the tag needs the general path of readTagValue (6x registers, a layout that cannot be, a slice that is not the tag).
 */
export function blockDecoder(
  address: ModbusAddress,
  layout: RegisterLayout,
  quantity: number,
): BlockDecoder | undefined {
  if (address.area === "extended-register") return undefined;
  try {
    if (address.area === "coil" || address.area === "discrete-input") {
      if (quantity !== (layout.arrayLength ?? 1)) return undefined;
      const decode = coilDecoder(layout);
      return (data, offset) => (data.kind === "bits" ? decode(data.values, offset) : wrongKind(layout, "bits"));
    }
    if (quantity !== registerCount(layout)) return undefined;
    const decode = registerDecoder(layout);
    return (data, offset) => (data.kind === "words" ? decode(data.values, offset) : wrongKind(layout, "words"));
  } catch (error) {
    // readTagValue reports the layout's fault as INVALID_DATA, each read, as it always has.
    if (error instanceof ModbusValueError) return undefined;
    throw error;
  }
}

function wrongKind(layout: RegisterLayout, expected: BlockData["kind"]): never {
  throw new ModbusValueError(layout.dataType, "WRONG_TYPE", `the block holds no ${expected}`);
}

/** The result of a tag whose value could not be decoded. */
export function invalidData(error: ModbusValueError): TagFailure {
  return { code: "INVALID_DATA", message: `the device holds no valid value: ${error.message}` };
}

/** Writes a block (function 5 or 6 for one value, 15 or 16 for more), retried in parts like runRead. */
export async function runWrite(
  transport: ModbusTcpTransport,
  block: PlannedWrite,
  results: Map<TagSlice, TagWriteResult>,
  holes?: LearnedHoles,
): Promise<void> {
  const attempt = async (part: PlannedWrite): Promise<Attempt> => {
    const answer: Exchange<ModbusRequest> = await transport.send(part.unitId, writeRequestFor(part));
    if (answer.kind === "exception") return answer;
    const result: TagWriteResult =
      answer.kind === "failed" ? { code: answer.code, message: answer.message } : { code: "OK" };
    for (const slice of part.slices) results.set(slice, result);
    return DONE;
  };
  const fail = (part: PlannedWrite, failure: TagFailure) => {
    for (const slice of part.slices) results.set(slice, failure);
  };
  await withSplitting(block, attempt, splitWrite, fail, holes);
}

/** A tag's value from the results of its slices (in offset order), decoded by its `layout` (see layoutOf). */
export function readTagValue(
  address: ModbusAddress,
  slices: readonly TagSlice[],
  results: ReadonlyMap<TagSlice, SliceResult>,
  layout: RegisterLayout,
): TagValue {
  if (address.area === "extended-register") return extendedRegisterFailure();
  let states: readonly boolean[] = [];
  let registers: readonly number[] = [];
  for (const slice of slices) {
    const result = results.get(slice);
    if (result === undefined) return { code: "REMOTE_ERROR", message: "no request carried this tag" };
    if (!result.ok) return result.failure;
    // Most tags lie in one slice: its values are the tag's, no copy needed.
    if (result.data.kind === "bits")
      states = slices.length === 1 ? result.data.values : [...states, ...result.data.values];
    else registers = slices.length === 1 ? result.data.values : [...registers, ...result.data.values];
  }
  try {
    const isBits = address.area === "coil" || address.area === "discrete-input";
    return { code: "OK", value: isBits ? decodeCoilValues(states, layout) : decodeRegisters(registers, layout) };
  } catch (error) {
    if (!(error instanceof ModbusValueError)) throw error;
    return invalidData(error);
  }
}

/**
 * A tag and value ready for planWrites, or why it cannot be written: read-only areas (ACCESS_DENIED), 6x registers
 * (UNSUPPORTED), values that do not fit the tag's type (INVALID_DATA). JSON-style values are accepted as coerceValue
 * accepts them.
 */
export function encodeWriteItem(
  alias: string,
  address: ModbusAddress,
  value: unknown,
  defaultUnitId: number,
  byteOrder: ByteOrder,
): WriteItem | TagFailure {
  const { area } = address;
  if (area === "discrete-input" || area === "input-register") {
    return { code: "ACCESS_DENIED", message: `${area}s are read-only in Modbus` };
  }
  if (area === "extended-register") return extendedRegisterFailure();
  const coerced = coerceValue({ type: address.type, count: address.count, stringLength: address.stringLength }, value);
  if (!coerced.ok) return { code: "INVALID_DATA", message: coerced.message };
  const unitId = address.unitId ?? defaultUnitId;
  const layout = layoutOf(address, byteOrder);
  try {
    return area === "coil"
      ? { alias, unitId, area, address: address.address, values: encodeCoilValues(coerced.value, layout) }
      : { alias, unitId, area, address: address.address, values: encodeRegisters(coerced.value, layout) };
  } catch (error) {
    if (!(error instanceof ModbusValueError)) throw error;
    return { code: "INVALID_DATA", message: error.message };
  }
}

/** Fabrik's codec has no function 20/21, so 6x tags fail alone instead of failing the whole read. */
function extendedRegisterFailure(): TagFailure {
  const message = "6x extended registers need function 0x14 Read File Record, which this driver does not speak";
  return { code: "UNSUPPORTED", message };
}

/** How a block attempt ended: its results are recorded, or the device answered with an exception. */
type Attempt = { readonly kind: "done" } | { readonly kind: "exception"; readonly exception: ExceptionResponse };

const DONE: Attempt = { kind: "done" };

async function withSplitting<B extends PlannedRead | PlannedWrite>(
  block: B,
  attempt: (block: B) => Promise<Attempt>,
  split: (block: B) => B[],
  fail: (block: B, failure: TagFailure) => void,
  holes: LearnedHoles | undefined,
  first?: Attempt,
): Promise<B[]> {
  const outcome = first ?? (await attempt(block));
  if (outcome.kind === "done") return [];
  const splittable = SPLITTABLE.has(outcome.exception.exceptionCode);
  const parts = splittable ? split(block) : [];
  if (parts.length === 0) {
    fail(block, describeException(outcome.exception));
    return splittable ? [block] : [];
  }
  const failed = (await Promise.all(parts.map((part) => withSplitting(part, attempt, split, fail, holes)))).flat();
  holes?.learn(block, failed);
  return failed;
}

function bits(exchange: Exchange<ReadCoilsRequest> | Exchange<ReadDiscreteInputsRequest>): BlockAnswer {
  return exchange.kind === "response"
    ? { kind: "data", data: { kind: "bits", values: exchange.response.values } }
    : exchange;
}

function words(exchange: Exchange<ReadHoldingRegistersRequest> | Exchange<ReadInputRegistersRequest>): BlockAnswer {
  return exchange.kind === "response"
    ? { kind: "data", data: { kind: "words", values: exchange.response.values } }
    : exchange;
}

function sliceOf(data: BlockData, from: number, quantity: number): BlockData {
  return data.kind === "bits"
    ? { kind: "bits", values: data.values.slice(from, from + quantity) }
    : { kind: "words", values: data.values.slice(from, from + quantity) };
}

function writeRequestFor(block: PlannedWrite): ModbusRequest {
  const { address } = block;
  if (block.area === "coil") {
    return block.values.length === 1
      ? { functionCode: WRITE_SINGLE_COIL, address, value: block.values[0]! }
      : { functionCode: WRITE_MULTIPLE_COILS, address, values: block.values };
  }
  return block.values.length === 1
    ? { functionCode: WRITE_SINGLE_REGISTER, address, value: block.values[0]! }
    : { functionCode: WRITE_MULTIPLE_REGISTERS, address, values: block.values };
}

/** How a tag's value sits in its registers or bits: its type and byte order (the tag's own, else `byteOrder`). */
export function layoutOf(address: ModbusAddress, byteOrder: ByteOrder): RegisterLayout {
  return {
    dataType: address.type,
    byteOrder: address.byteOrder ?? byteOrder,
    ...(address.stringLength === undefined ? {} : { stringLength: address.stringLength }),
    // A count of 1 is a single value, as the address grammar computed the tag's registers.
    ...(address.count === 1 ? {} : { arrayLength: address.count }),
  };
}
