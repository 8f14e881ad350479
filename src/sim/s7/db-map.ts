// A machine's S7 map checked against its signals: which signal each DB byte (and input bit) belongs to.
import { InvalidAddressError } from "../../plc/errors.ts";
import { parseS7Address, type S7Address } from "../../plc/s7/address.ts";
import type { SignalInfo } from "../model/signal.ts";
import { S7MapError } from "./errors.ts";

/** A machine's map as written by hand: its DB, the PLC4X S7 address of each signal, and its sensors in the inputs. */
export interface DbTable {
  /** Id of the plant's machine ("P1"). */
  readonly machine: string;
  /** 1..65535: the machine's data block. */
  readonly db: number;
  /** Signal → address in the DB (`%DB1.DBD24:REAL`), exactly as a connector config writes it. */
  readonly addresses: Readonly<Record<string, string>>;
  /** BOOL sensors wired to the inputs as well: signal → `%I0.0`. */
  readonly inputs?: Readonly<Record<string, string>>;
}

/** One signal's place in a DB or the inputs. */
export interface DbEntry<S extends SignalInfo = SignalInfo> {
  readonly signal: S;
  /** The address as the table wrote it. */
  readonly tag: string;
  readonly address: S7Address;
}

/** A checked map: every signal once in the DB, entries sorted by byte, none overlapping; `size` is the DB's length. */
export interface DbMap<S extends SignalInfo = SignalInfo> {
  readonly machine: string;
  readonly db: number;
  readonly entries: readonly DbEntry<S>[];
  readonly inputs: readonly DbEntry<S>[];
  /** Bytes of the DB: up to the end of its last signal, rounded up to a word as S7 does. */
  readonly size: number;
}

/**
 * Checks `table` against the machine's signals; throws S7MapError for a signal without an address, an address for no
 * signal, a type, count or string length other than the model's, an address outside the machine's DB (or, for the
 * inputs, outside the inputs or not a BOOL sensor), and overlapping signals.
 */
export function buildDbMap<S extends SignalInfo>(table: DbTable, signals: readonly S[]): DbMap<S> {
  const { machine, db } = table;
  const names = new Set(signals.map((signal) => signal.name));
  for (const name of [...Object.keys(table.addresses), ...Object.keys(table.inputs ?? {})]) {
    if (!names.has(name)) throw new S7MapError(machine, name, "the machine has no such signal");
  }
  const entries: DbEntry<S>[] = [];
  const inputs: DbEntry<S>[] = [];
  for (const signal of signals) {
    const tag = table.addresses[signal.name];
    if (tag === undefined) throw new S7MapError(machine, signal.name, "the signal has no S7 address");
    const entry = entryFor(machine, signal, tag);
    if (entry.address.area !== "DB" || entry.address.dbNumber !== db) {
      throw new S7MapError(machine, signal.name, `${tag}: the machine's signals live in DB${db}`);
    }
    entries.push(entry);
    const input = table.inputs?.[signal.name];
    if (input === undefined) continue;
    const wired = entryFor(machine, signal, input);
    if (wired.address.area !== "I" || signal.dataType !== "BOOL" || signal.writable) {
      throw new S7MapError(machine, signal.name, `${input}: only BOOL measurements are wired to the inputs (%I)`);
    }
    inputs.push(wired);
  }
  checkOverlaps(machine, entries);
  entries.sort(byPosition);
  const end = Math.max(0, ...entries.map(({ address }) => address.byteOffset + address.byteLength));
  return { machine, db, entries, inputs, size: end + (end % 2) };
}

function entryFor<S extends SignalInfo>(machine: string, signal: S, tag: string): DbEntry<S> {
  const fail = (problem: string) => new S7MapError(machine, signal.name, `${tag}: ${problem}`);
  let address: S7Address;
  try {
    address = parseS7Address(tag);
  } catch (error) {
    if (error instanceof InvalidAddressError) throw fail(error.message);
    throw error;
  }
  if (address.type !== signal.dataType) {
    throw fail(`the model's type is ${signal.dataType}`);
  }
  const count = signal.arrayLength ?? 1;
  if (address.count !== count) {
    throw fail(signal.arrayLength === undefined ? "the signal is no array" : `the signal is an array of ${count}`);
  }
  if (address.stringLength !== signal.maxLength)
    throw fail(`the model's string length is ${signal.maxLength ?? "none"}`);
  return { signal, tag, address };
}

/** Bits a tag covers, as absolute bit numbers [from, to), so BOOLs sharing a byte do not clash. */
function bitsOf({ address }: DbEntry): [number, number] {
  const first = address.byteOffset * 8 + address.bitOffset;
  return address.type === "BOOL" ? [first, first + address.count] : [first, first + address.byteLength * 8];
}

function checkOverlaps(machine: string, entries: readonly DbEntry[]): void {
  const sorted = [...entries].sort((a, b) => bitsOf(a)[0] - bitsOf(b)[0]);
  for (let index = 1; index < sorted.length; index++) {
    const before = sorted[index - 1]!;
    const entry = sorted[index]!;
    if (bitsOf(entry)[0] < bitsOf(before)[1]) {
      throw new S7MapError(machine, entry.signal.name, `${entry.tag} overlaps ${before.signal.name} at ${before.tag}`);
    }
  }
}

function byPosition(a: DbEntry, b: DbEntry): number {
  return a.address.byteOffset - b.address.byteOffset || a.address.bitOffset - b.address.bitOffset;
}
