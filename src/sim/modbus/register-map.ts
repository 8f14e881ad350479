// A machine's Modbus map checked against its signals: which signal each register or bit belongs to, in wire addresses.
import { InvalidAddressError } from "../../plc/errors.ts";
import { type ModbusAddress, parseModbusAddress } from "../../plc/modbus/address.ts";
import type { RegisterLayout } from "../../plc/modbus/register-layout.ts";
import type { SignalInfo } from "../model/signal.ts";
import { RegisterMapError } from "./errors.ts";

/** A machine's map as written by hand: its unit id and the PLC4X Modbus tag address of each of its signals. */
export interface UnitTable {
  /** 1..247: the device addresses Modbus allows behind a gateway. */
  readonly unitId: number;
  /** Id of the plant's machine ("C1"). */
  readonly machine: string;
  /** Signal name → tag address (`input-register:11:REAL`), exactly as a connector config writes it. */
  readonly addresses: Readonly<Record<string, string>>;
}

/** The four Modbus data tables the face serves (PLC4X's names). */
export const MAPPED_AREAS = ["coil", "discrete-input", "input-register", "holding-register"] as const;
export type MappedArea = (typeof MAPPED_AREAS)[number];

/** One signal's place in a data table. */
export interface MapEntry<S extends SignalInfo = SignalInfo> {
  readonly signal: S;
  /** The tag address as the table wrote it. */
  readonly tag: string;
  readonly area: MappedArea;
  /** First register or bit, 0-based as on the wire. */
  readonly start: number;
  /** One past the last register or bit. */
  readonly end: number;
  /** How the value sits in its registers or bits, for the register codec. */
  readonly layout: RegisterLayout;
}

/** A checked map: every signal of the machine once, each data table's entries sorted by address and not overlapping. */
export interface UnitMap<S extends SignalInfo = SignalInfo> {
  readonly unitId: number;
  readonly machine: string;
  readonly areas: Readonly<Record<MappedArea, readonly MapEntry<S>[]>>;
}

const MIN_UNIT_ID = 1;
const MAX_UNIT_ID = 247;

/**
 * Checks `table` against the machine's signals and returns the map in wire addresses; throws RegisterMapError for a
 * signal without an address, an address without a signal, a type, array length or string length other than the
 * model's, a setpoint outside holding registers and coils (or a measurement inside them), and overlapping signals.
 */
export function buildUnitMap<S extends SignalInfo>(table: UnitTable, signals: readonly S[]): UnitMap<S> {
  const { unitId, machine } = table;
  if (!Number.isInteger(unitId) || unitId < MIN_UNIT_ID || unitId > MAX_UNIT_ID) {
    throw new RegisterMapError(machine, undefined, `unit id ${unitId} is outside ${MIN_UNIT_ID}..${MAX_UNIT_ID}`);
  }
  const names = new Set(signals.map((s) => s.name));
  for (const name of Object.keys(table.addresses)) {
    if (!names.has(name)) throw new RegisterMapError(machine, name, "the machine has no such signal");
  }
  const areas: Record<MappedArea, MapEntry<S>[]> = {
    coil: [],
    "discrete-input": [],
    "input-register": [],
    "holding-register": [],
  };
  for (const signal of signals) {
    const tag = table.addresses[signal.name];
    if (tag === undefined) throw new RegisterMapError(machine, signal.name, "the signal has no Modbus address");
    const entry = entryFor(machine, signal, tag);
    areas[entry.area].push(entry);
  }
  for (const area of MAPPED_AREAS) {
    const entries = areas[area].sort((a, b) => a.start - b.start);
    for (let i = 1; i < entries.length; i++) {
      const before = entries[i - 1]!;
      const entry = entries[i]!;
      if (entry.start < before.end) {
        const problem = `${entry.tag} overlaps ${before.signal.name} at ${before.tag}`;
        throw new RegisterMapError(machine, entry.signal.name, problem);
      }
    }
  }
  return { unitId, machine, areas };
}

function entryFor<S extends SignalInfo>(machine: string, signal: S, tag: string): MapEntry<S> {
  const fail = (problem: string) => new RegisterMapError(machine, signal.name, `${tag}: ${problem}`);
  let address: ModbusAddress;
  try {
    address = parseModbusAddress(tag);
  } catch (error) {
    if (error instanceof InvalidAddressError) throw fail(error.message);
    throw error;
  }
  if (address.unitId !== undefined || address.byteOrder !== undefined) {
    throw fail("the unit id comes from the table and the byte order is always BIG_ENDIAN; drop the {…} part");
  }
  const area = address.area;
  if (area === "extended-register") throw fail("the face serves no extended registers");
  const bits = area === "coil" || area === "discrete-input";
  if (bits !== (signal.dataType === "BOOL")) {
    throw fail(bits ? `${signal.dataType} cannot live in ${area}s` : "BOOL signals go to coils or discrete inputs");
  }
  const writableArea = area === "coil" || area === "holding-register";
  if (writableArea !== signal.writable) {
    throw fail(signal.writable ? "a setpoint must be a holding register or coil" : `a measurement cannot be a ${area}`);
  }
  if (address.type !== signal.dataType) throw fail(`the model's type is ${signal.dataType}`);
  const count = signal.arrayLength ?? 1;
  if (address.count !== count) {
    throw fail(signal.arrayLength === undefined ? "the signal is no array" : `the signal is an array of ${count}`);
  }
  if (address.stringLength !== signal.maxLength) {
    throw fail(`the model's string length is ${signal.maxLength ?? "none"}`);
  }
  const layout: RegisterLayout = {
    dataType: signal.dataType,
    ...(signal.arrayLength === undefined ? {} : { arrayLength: signal.arrayLength }),
    ...(address.stringLength === undefined ? {} : { stringLength: address.stringLength }),
  };
  return { signal, tag, area, start: address.address, end: address.address + address.quantity, layout };
}

/** A run of addresses within one request: part (or all) of one signal, or a gap no signal occupies. */
export interface Piece<S extends SignalInfo> {
  /** Undefined for a gap. */
  readonly entry: MapEntry<S> | undefined;
  readonly from: number;
  readonly to: number;
}

/** Cuts the addresses `start` up to `end` (exclusive) into the signals and gaps they cover, in address order. */
export function piecesOf<S extends SignalInfo>(
  entries: readonly MapEntry<S>[],
  start: number,
  end: number,
): Piece<S>[] {
  const pieces: Piece<S>[] = [];
  let index = firstEndingAfter(entries, start);
  let at = start;
  while (at < end) {
    const entry = entries[index];
    if (entry === undefined || entry.start >= end) {
      pieces.push({ entry: undefined, from: at, to: end });
      break;
    }
    if (entry.start > at) pieces.push({ entry: undefined, from: at, to: entry.start });
    const from = Math.max(at, entry.start);
    const to = Math.min(end, entry.end);
    pieces.push({ entry, from, to });
    at = to;
    index++;
  }
  return pieces;
}

/** Index of the first entry whose end lies after `address` (entries are sorted and do not overlap). */
function firstEndingAfter<S extends SignalInfo>(entries: readonly MapEntry<S>[], address: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle]!.end <= address) low = middle + 1;
    else high = middle;
  }
  return low;
}
