// The simulated S7 CPU's memory: machine DBs encoded from the model's signals, the inputs' sensors, and plain Q and M.

import { S7ValueError } from "../../plc/s7/errors.ts";
import { DATA_TRANSPORT, type DataItem } from "../../plc/s7/messages/data-item.ts";
import { RETURN_CODE } from "../../plc/s7/messages/return-codes.ts";
import { AREA, elementBytes, TRANSPORT_SIZE, type VarItem } from "../../plc/s7/messages/var-item.ts";
import { decodeS7Value, encodeS7Value, encodeS7ValueInto } from "../../plc/s7/value-codec.ts";
import type { PlcValue } from "../../plc/values.ts";
import { SimModelError } from "../model/errors.ts";
import type { Signal } from "../model/signal.ts";
import type { DbEntry, DbMap } from "./db-map.ts";

/** Sizes of the process images and the marker area: an S7-1500's are larger, but nothing of the plant lies beyond. */
export const INPUT_BYTES = 1024;
export const OUTPUT_BYTES = 1024;
export const MARKER_BYTES = 4096;

/** What an item got: its bytes, or the return code that refuses it. */
type Outcome = { readonly ok: true; readonly data: Uint8Array } | { readonly ok: false; readonly returnCode: number };

/**
 * Answers Read Var and Write Var items as an S7-1500 would. DBs hold the machines' signals, encoded when read (gap
 * bytes read 0); setpoints take writes that cover them whole. The inputs show the BOOL sensors; outputs and markers are
 * plain memory a client may write (a PLC program would own them). What it refuses, per item:
 * - 0x0A object does not exist: a DB no machine has, an area other than I, Q, M, DB;
 * - 0x05 address out of range: bytes beyond a DB or area, a BIT item of more than one bit, a transport size S7 lacks;
 * - 0x03 access denied: a write touching a measurement, an input, or bytes no signal holds;
 * - 0x07 data type inconsistent: a write covering part of a setpoint, or a value the setpoint refuses (out of range).
 */
export class SimulatedCpu {
  readonly #dbs = new Map<number, DbMap<Signal>>();
  readonly #inputs: readonly DbEntry<Signal>[];
  readonly outputs = new Uint8Array(OUTPUT_BYTES);
  readonly markers = new Uint8Array(MARKER_BYTES);

  constructor(maps: readonly DbMap<Signal>[]) {
    for (const map of maps) this.#dbs.set(map.db, map);
    this.#inputs = maps.flatMap((map) => map.inputs);
  }

  /** The DB numbers served, in order. */
  get dbs(): number[] {
    return [...this.#dbs.keys()].sort((a, b) => a - b);
  }

  db(number: number): DbMap<Signal> | undefined {
    return this.#dbs.get(number);
  }

  read(item: VarItem): DataItem {
    const outcome = this.#read(item);
    if (!outcome.ok)
      return { returnCode: outcome.returnCode, transportSize: DATA_TRANSPORT.NULL, data: new Uint8Array(0) };
    const transportSize =
      item.transportSize === TRANSPORT_SIZE.BIT ? DATA_TRANSPORT.BIT : DATA_TRANSPORT.BYTE_WORD_DWORD;
    return { returnCode: RETURN_CODE.SUCCESS, transportSize, data: outcome.data };
  }

  /** The return code of writing `data` (one byte per bit for BIT items) at `item`. */
  write(item: VarItem, data: Uint8Array): number {
    const span = spanOf(item);
    if (span === undefined) return RETURN_CODE.ADDRESS_OUT_OF_RANGE;
    const bit = item.transportSize === TRANSPORT_SIZE.BIT;
    if (data.length !== (bit ? 1 : span.length)) return RETURN_CODE.DATA_TYPE_INCONSISTENT;
    switch (item.area) {
      case AREA.OUTPUTS:
      case AREA.MARKERS: {
        const memory = item.area === AREA.OUTPUTS ? this.outputs : this.markers;
        if (span.start + span.length > memory.length) return RETURN_CODE.ADDRESS_OUT_OF_RANGE;
        if (bit) setBit(memory, span.start, item.bitAddress, data[0] !== 0);
        else memory.set(data, span.start);
        return RETURN_CODE.SUCCESS;
      }
      case AREA.INPUTS:
        return span.start + span.length > INPUT_BYTES ? RETURN_CODE.ADDRESS_OUT_OF_RANGE : RETURN_CODE.ACCESS_DENIED;
      case AREA.DATA_BLOCKS: {
        const map = this.#dbs.get(item.dbNumber);
        if (map === undefined) return RETURN_CODE.OBJECT_DOES_NOT_EXIST;
        if (span.start + span.length > map.size) return RETURN_CODE.ADDRESS_OUT_OF_RANGE;
        return bit ? writeBit(map, span.start, item.bitAddress, data[0] !== 0) : writeBytes(map, span.start, data);
      }
      default:
        return RETURN_CODE.OBJECT_DOES_NOT_EXIST;
    }
  }

  #read(item: VarItem): Outcome {
    const span = spanOf(item);
    if (span === undefined) return { ok: false, returnCode: RETURN_CODE.ADDRESS_OUT_OF_RANGE };
    let bytes: Outcome;
    switch (item.area) {
      case AREA.INPUTS:
        bytes = slice(this.#inputImage(), span);
        break;
      case AREA.OUTPUTS:
        bytes = slice(this.outputs, span);
        break;
      case AREA.MARKERS:
        bytes = slice(this.markers, span);
        break;
      case AREA.DATA_BLOCKS: {
        const map = this.#dbs.get(item.dbNumber);
        if (map === undefined) return { ok: false, returnCode: RETURN_CODE.OBJECT_DOES_NOT_EXIST };
        if (span.start + span.length > map.size) return { ok: false, returnCode: RETURN_CODE.ADDRESS_OUT_OF_RANGE };
        bytes = encodeDb(map, span.start, span.length);
        break;
      }
      default:
        return { ok: false, returnCode: RETURN_CODE.OBJECT_DOES_NOT_EXIST };
    }
    if (!bytes.ok || item.transportSize !== TRANSPORT_SIZE.BIT) return bytes;
    return { ok: true, data: Uint8Array.of((bytes.data[0]! >> item.bitAddress) & 1) };
  }

  #inputImage(): Uint8Array {
    const image = new Uint8Array(INPUT_BYTES);
    for (const { signal, address } of this.#inputs)
      setBit(image, address.byteOffset, address.bitOffset, signal.read() === true);
    return image;
  }
}

/** The bytes an item spans, or undefined for one S7 cannot carry (a bit item of several bits, an unknown size). */
function spanOf(item: VarItem): { start: number; length: number } | undefined {
  const size = elementBytes(item.transportSize);
  if (size === undefined || item.count < 1) return undefined;
  if (item.transportSize === TRANSPORT_SIZE.BIT && item.count !== 1) return undefined;
  return { start: item.byteAddress, length: item.transportSize === TRANSPORT_SIZE.BIT ? 1 : item.count * size };
}

function slice(memory: Uint8Array, span: { start: number; length: number }): Outcome {
  if (span.start + span.length > memory.length) return { ok: false, returnCode: RETURN_CODE.ADDRESS_OUT_OF_RANGE };
  return { ok: true, data: memory.slice(span.start, span.start + span.length) };
}

function setBit(memory: Uint8Array, byte: number, bit: number, on: boolean): void {
  memory[byte] = on ? memory[byte]! | (1 << bit) : memory[byte]! & ~(1 << bit);
}

/** Bytes `start` up to `start + length` of a DB, each signal in them encoded from its current value. */
function encodeDb(map: DbMap<Signal>, start: number, length: number): Outcome {
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  const end = start + length;
  for (const { signal, address } of map.entries) {
    const from = address.byteOffset;
    const to = from + address.byteLength;
    if (to <= start || from >= end) continue;
    try {
      if (address.type === "BOOL") {
        const value = signal.read();
        const bits = Array.isArray(value) ? value : [value];
        bits.forEach((on, index) => {
          const bit = address.bitOffset + index;
          const at = from + (bit >>> 3) - start;
          if (on === true && at >= 0 && at < length) bytes[at]! |= 1 << (bit & 7);
        });
        continue;
      }
      if (from >= start && to <= end) {
        // The usual case, a signal inside the item: encoded in place.
        encodeS7ValueInto(view, from - start, signal.read(), address);
        continue;
      }
      const encoded = encodeS7Value(signal.read(), address);
      const clipFrom = Math.max(from, start);
      bytes.set(encoded.subarray(clipFrom - from, Math.min(to, end) - from), clipFrom - start);
    } catch (error) {
      // A value the model holds but S7 cannot: the CPU's fault, not the request's.
      if (error instanceof S7ValueError) return { ok: false, returnCode: RETURN_CODE.HARDWARE_FAULT };
      throw error;
    }
  }
  return { ok: true, data: bytes };
}

function writeBit(map: DbMap<Signal>, byte: number, bit: number, on: boolean): number {
  const entry = map.entries.find(
    ({ address }) =>
      address.type === "BOOL" && address.count === 1 && address.byteOffset === byte && address.bitOffset === bit,
  );
  if (entry === undefined || !entry.signal.writable) return RETURN_CODE.ACCESS_DENIED;
  return writeAll([{ signal: entry.signal, value: on }]);
}

/** Writes the setpoints `data` covers whole, all or none; anything else it touches refuses the item. */
function writeBytes(map: DbMap<Signal>, start: number, data: Uint8Array): number {
  const end = start + data.length;
  const writes: { signal: Signal; value: PlcValue }[] = [];
  let covered = 0;
  for (const { signal, address } of map.entries) {
    const from = address.byteOffset;
    const to = from + address.byteLength;
    if (to <= start || from >= end) continue;
    if (!signal.writable) return RETURN_CODE.ACCESS_DENIED;
    if (from < start || to > end) return RETURN_CODE.DATA_TYPE_INCONSISTENT;
    try {
      writes.push({ signal, value: decodeS7Value(data, from - start, address) });
    } catch (error) {
      if (error instanceof S7ValueError) return RETURN_CODE.DATA_TYPE_INCONSISTENT;
      throw error;
    }
    covered += to - from;
  }
  // Bytes between setpoints hold nothing: a write to them is a write to the wrong place.
  if (covered !== data.length) return RETURN_CODE.ACCESS_DENIED;
  return writeAll(writes);
}

/** Writes every value or none, so a client never has to guess which part of a refused item took effect. */
function writeAll(writes: readonly { signal: Signal; value: PlcValue }[]): number {
  const written: { signal: Signal; previous: PlcValue }[] = [];
  try {
    for (const { signal, value } of writes) {
      const previous = signal.read();
      signal.write(value);
      written.push({ signal, previous });
    }
    return RETURN_CODE.SUCCESS;
  } catch (error) {
    for (const { signal, previous } of written.reverse()) signal.write(previous);
    if (error instanceof SimModelError) {
      return error.code === "SIM_READ_ONLY" || error.code === "SIM_UNKNOWN_SIGNAL"
        ? RETURN_CODE.ACCESS_DENIED
        : RETURN_CODE.DATA_TYPE_INCONSISTENT;
    }
    return RETURN_CODE.HARDWARE_FAULT;
  }
}
