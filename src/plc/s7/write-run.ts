// Plans and carries out S7 writes: values encoded, neighbours joined into one item, packed into few PDUs, BOOLs bit by bit.
import type { ParsedTagWrite, TagFailure, WriteResponse } from "../driver.ts";
import type { TagWriteResult } from "../response.ts";
import { coerceValue } from "../value-coercion.ts";
import { AREA_CODE, type S7Address, type S7Area } from "./address.ts";
import { type ControllerType, elementBytes, S7_TYPE_INFO } from "./data-types.ts";
import { S7ValueError } from "./errors.ts";
import { DATA_TRANSPORT } from "./messages/data-item.ts";
import { describeErrorClass } from "./messages/error-classes.ts";
import { describeReturnCode, RETURN_CODE } from "./messages/return-codes.ts";
import { TRANSPORT_SIZE } from "./messages/var-item.ts";
import { encodeWriteVarRequest, type WriteVarItem, writeResponseLength } from "./messages/write-var.ts";
import { packPieces, paddedLength } from "./pdu-packer.ts";
import { typeFailure } from "./read-run.ts";
import type { S7Transport } from "./transport.ts";
import { boolsOf, encodeS7Value } from "./value-codec.ts";

/**
 * Return codes one tag of a joined item can cause (its range, its protection, its value), so that the other tags are
 * worth writing apart. A DB that does not exist fails them all anyway.
 */
const SPLITTABLE: ReadonlySet<number> = new Set([
  RETURN_CODE.ACCESS_DENIED,
  RETURN_CODE.ADDRESS_OUT_OF_RANGE,
  RETURN_CODE.DATA_TYPE_NOT_SUPPORTED,
  RETURN_CODE.DATA_TYPE_INCONSISTENT,
]);

/** One encoded piece of a tag's value: a byte range, or one bit (BOOLs are written bit by bit, never their byte). */
interface WriteUnit {
  readonly alias: string;
  readonly area: S7Area;
  readonly dbNumber: number;
  readonly start: number;
  /** Set for a bit write. */
  readonly bit?: number;
  readonly data: Uint8Array;
  /** Size of the values in `data`, which a cut between PDUs must not split. */
  readonly element: number;
}

/** Units that follow each other without a gap, written as one item (a bit unit is always alone). */
interface WriteRun {
  readonly units: readonly WriteUnit[];
  readonly start: number;
  readonly data: Uint8Array;
}

export interface WriteContext {
  readonly pduLength: number;
  readonly maxItemsPerRequest: number;
  readonly controllerType: ControllerType | undefined;
}

/** A tag's units, or why it cannot be written (a value that does not fit: INVALID_DATA). */
function encodeUnits(alias: string, address: S7Address, value: unknown): WriteUnit[] | TagFailure {
  const { type, count, stringLength } = address;
  const coerced = coerceValue({ type: S7_TYPE_INFO[type].value, count, stringLength }, value);
  if (!coerced.ok) return { code: "INVALID_DATA", message: coerced.message };
  const where = { alias, area: address.area, dbNumber: address.dbNumber };
  try {
    if (type === "BOOL") {
      return boolsOf(coerced.value, count).map((on, index) => {
        const bit = address.bitOffset + index;
        const start = address.byteOffset + (bit >>> 3);
        return { ...where, start, bit: bit & 7, data: Uint8Array.of(on ? 1 : 0), element: 1 };
      });
    }
    const data = encodeS7Value(coerced.value, address);
    return [{ ...where, start: address.byteOffset, data, element: elementBytes(type, stringLength) }];
  } catch (error) {
    if (!(error instanceof S7ValueError)) throw error;
    return { code: "INVALID_DATA", message: error.message };
  }
}

function overlaps(a: WriteUnit, b: WriteUnit): boolean {
  if (a.area !== b.area || a.dbNumber !== b.dbNumber) return false;
  if (a.bit !== undefined && b.bit !== undefined) return a.start === b.start && a.bit === b.bit;
  return a.start < b.start + b.data.length && b.start < a.start + a.data.length;
}

/**
 * Writes `tags`: per alias OK, or why not. Units that overlap an earlier tag's go in a later round (so the later alias
 * wins, as it would written alone); within a round, byte units without a gap between them share an item.
 */
export async function runWrites(
  transport: S7Transport,
  tags: ReadonlyMap<string, ParsedTagWrite<S7Address>>,
  context: WriteContext,
): Promise<WriteResponse> {
  const results = new Map<string, TagWriteResult>();
  const rounds: WriteUnit[][] = [];
  const placed: { unit: WriteUnit; round: number }[] = [];
  for (const [alias, { address, value }] of tags) {
    const refused = typeFailure(address, context.controllerType);
    const units = refused ?? encodeUnits(alias, address, value);
    if (!Array.isArray(units)) {
      results.set(alias, units);
      continue;
    }
    results.set(alias, { code: "OK" });
    const round = Math.max(-1, ...placed.filter((p) => units.some((u) => overlaps(u, p.unit))).map((p) => p.round)) + 1;
    for (const unit of units) placed.push({ unit, round });
    if (round === rounds.length) rounds.push([]);
    rounds[round]!.push(...units);
  }
  const failUnits = (units: readonly WriteUnit[], failure: TagFailure) => {
    for (const unit of units) if (results.get(unit.alias)?.code === "OK") results.set(unit.alias, failure);
  };
  for (const round of rounds) {
    const runs = joinRuns(round);
    await Promise.all(packRuns(runs, context).map((pdu) => writeItems(transport, pdu, context, failUnits)));
  }
  return Object.fromEntries([...tags.keys()].map((alias) => [alias, results.get(alias)!]));
}

function joinRuns(units: readonly WriteUnit[]): WriteRun[] {
  const runs: WriteRun[] = [];
  const bytes = units.filter((unit) => unit.bit === undefined);
  for (const unit of units)
    if (unit.bit !== undefined) runs.push({ units: [unit], start: unit.start, data: unit.data });
  bytes.sort((a, b) => `${a.area}/${a.dbNumber}`.localeCompare(`${b.area}/${b.dbNumber}`) || a.start - b.start);
  let open: WriteUnit[] = [];
  const flush = () => {
    if (open.length === 0) return;
    const data = new Uint8Array(open.reduce((sum, unit) => sum + unit.data.length, 0));
    let offset = 0;
    for (const unit of open) {
      data.set(unit.data, offset);
      offset += unit.data.length;
    }
    runs.push({ units: open, start: open[0]!.start, data });
    open = [];
  };
  for (const unit of bytes) {
    const last = open[open.length - 1];
    const joins =
      last !== undefined &&
      last.area === unit.area &&
      last.dbNumber === unit.dbNumber &&
      last.start + last.data.length === unit.start;
    if (!joins) flush();
    open.push(unit);
  }
  flush();
  return runs;
}

/** One item of a write PDU: `data` at `start` of a run's area, and the units it carries (part of them when cut). */
interface WriteItem {
  readonly run: WriteRun;
  readonly start: number;
  readonly data: Uint8Array;
}

function packRuns(runs: readonly WriteRun[], context: WriteContext): WriteItem[][] {
  const pdus = packPieces(
    runs.map((run, index) => ({ block: index, start: run.start, end: run.start + run.data.length })),
    {
      maxItems: context.maxItemsPerRequest,
      fits: (lengths) =>
        12 + 12 * lengths.length + paddedLength(lengths) <= context.pduLength &&
        writeResponseLength(lengths.length) <= context.pduLength,
      safeCut: (block, start, limit) => {
        const run = runs[block]!;
        for (let cut = limit; cut > start; cut--) if (isSafeCut(run, cut)) return cut;
        return undefined;
      },
    },
  );
  return pdus.map((pieces) =>
    pieces.map((piece) => {
      const run = runs[piece.block]!;
      return { run, start: piece.start, data: run.data.subarray(piece.start - run.start, piece.end - run.start) };
    }),
  );
}

function isSafeCut(run: WriteRun, cut: number): boolean {
  return run.units.every((unit) => {
    const inside = cut - unit.start;
    return inside <= 0 || inside >= unit.data.length || inside % unit.element === 0;
  });
}

function unitsOf(item: WriteItem): WriteUnit[] {
  const end = item.start + item.data.length;
  return item.run.units.filter((unit) => unit.start < end && item.start < unit.start + unit.data.length);
}

function writeVarItem(item: WriteItem): WriteVarItem {
  const first = item.run.units[0]!;
  const bit = first.bit;
  return {
    item: {
      transportSize: bit === undefined ? TRANSPORT_SIZE.BYTE : TRANSPORT_SIZE.BIT,
      count: item.data.length,
      dbNumber: first.dbNumber,
      area: AREA_CODE[first.area],
      byteAddress: item.start,
      bitAddress: bit ?? 0,
    },
    data: {
      returnCode: 0,
      transportSize: bit === undefined ? DATA_TRANSPORT.BYTE_WORD_DWORD : DATA_TRANSPORT.BIT,
      data: item.data,
    },
  };
}

/** Writes one PDU's items; items left unanswered go again, and a merged item refused for its range goes tag by tag. */
async function writeItems(
  transport: S7Transport,
  items: readonly WriteItem[],
  context: WriteContext,
  failUnits: (units: readonly WriteUnit[], failure: TagFailure) => void,
): Promise<void> {
  const answer = await transport.send("write", (pduReference) =>
    encodeWriteVarRequest({ pduReference, items: items.map(writeVarItem) }),
  );
  if (answer.kind !== "response") {
    const failure =
      answer.kind === "failed"
        ? { code: answer.code, message: answer.message }
        : describeErrorClass(answer.refusal.errorClass, answer.refusal.errorCode);
    for (const item of items) failUnits(unitsOf(item), failure);
    return;
  }
  const codes = answer.response.returnCodes;
  if (codes.length > items.length || codes.length === 0) {
    const message = `the PLC answered ${codes.length} return codes to a write of ${items.length} items`;
    for (const item of items) failUnits(unitsOf(item), { code: "REMOTE_ERROR", message });
    return;
  }
  const again: Promise<void>[] = [];
  codes.forEach((code, index) => {
    const item = items[index]!;
    if (code === RETURN_CODE.SUCCESS) return;
    const units = unitsOf(item);
    if (SPLITTABLE.has(code) && new Set(units.map((unit) => unit.alias)).size > 1) {
      const apart = joinRunsPerAlias(units);
      again.push(...packRuns(apart, context).map((pdu) => writeItems(transport, pdu, context, failUnits)));
      return;
    }
    failUnits(units, describeReturnCode(code));
  });
  // Some servers (snap7's) act on only the first N items of a longer request: send the rest N at a time.
  const rest = items.slice(codes.length);
  for (let from = 0; from < rest.length; from += codes.length) {
    again.push(writeItems(transport, rest.slice(from, from + codes.length), context, failUnits));
  }
  await Promise.all(again);
}

/** The units of a refused item as runs of one alias each. */
function joinRunsPerAlias(units: readonly WriteUnit[]): WriteRun[] {
  const byAlias = new Map<string, WriteUnit[]>();
  for (const unit of units) byAlias.set(unit.alias, [...(byAlias.get(unit.alias) ?? []), unit]);
  return [...byAlias.values()].flatMap(joinRuns);
}
