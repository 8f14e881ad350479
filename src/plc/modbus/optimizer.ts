// Plans Modbus requests for a set of tags: merges neighbours into few requests, splits long tags, learns holes.
import type { ModbusAddress, ModbusArea } from "./address.ts";
import { MAX_COIL_WRITE_QUANTITY } from "./messages/write-multiple-coils.ts";
import { MAX_REGISTER_WRITE_QUANTITY } from "./messages/write-multiple-registers.ts";

/** The areas a plain read reaches (function codes 1-4); 6x extended registers need function 20, which Fabrik lacks. */
export type ReadArea = Exclude<ModbusArea, "extended-register">;
/** The areas Modbus lets a client write. */
export type WriteArea = "coil" | "holding-register";

/** The order requests of one unit are listed in, so plans are deterministic. */
const AREA_ORDER: readonly ReadArea[] = ["coil", "discrete-input", "input-register", "holding-register"];

/**
 * What one more request costs beyond the data it carries, in bytes on the wire: the request's MBAP header and PDU
 * (7 + 5), the response's MBAP header, function code and byte count (7 + 2), and the TCP/IPv4 headers of both
 * segments (2 × 40). Reading a gap register costs 2 bytes and a gap bit 1/8 byte, so a gap is worth reading while it
 * costs less than this. The round trip a request also costs is left out on purpose: counting it would make almost any
 * gap worth reading, and every register read across is one more chance of hitting an address the device lacks.
 */
export const REQUEST_OVERHEAD_BYTES = 12 + 9 + 2 * 40;
/** The widest gap of registers a merged read bridges: 50. */
export const DEFAULT_MAX_REGISTER_GAP = Math.floor(REQUEST_OVERHEAD_BYTES / 2);
/** The widest gap of coils or discrete inputs a merged read bridges: 808. */
export const DEFAULT_MAX_BIT_GAP = REQUEST_OVERHEAD_BYTES * 8;

/** The most one request may carry: the connection's limits, capped by what each function allows. */
export interface PlanLimits {
  /** Registers per read (1..125); writes are further capped at 123 by function 16. */
  readonly maxRegistersPerRequest: number;
  /** Coils or discrete inputs per read (1..2000); writes are further capped at 1968 by function 15. */
  readonly maxCoilsPerRequest: number;
  /** Widest gap of registers a read may bridge; DEFAULT_MAX_REGISTER_GAP when absent. */
  readonly maxRegisterGap?: number;
  /** Widest gap of bits a read may bridge; DEFAULT_MAX_BIT_GAP when absent. */
  readonly maxBitGap?: number;
}

/** What planning a read needs besides the tags. */
export interface PlanSettings extends PlanLimits {
  /** The unit of tags that name none (the URL's `unit-identifier`). */
  readonly defaultUnitId: number;
}

/** The part of one tag a request carries: all of it, or a slice of a tag too long for one request. */
export interface TagSlice {
  readonly alias: string;
  /** Where the slice starts within the tag, in registers or bits. */
  readonly offset: number;
  /** First register or bit on the wire (0-based). */
  readonly address: number;
  readonly quantity: number;
}

/** One read request of a plan: a block of one area of one unit, and the tag slices it carries. */
export interface PlannedRead {
  readonly unitId: number;
  readonly area: ReadArea;
  readonly address: number;
  readonly quantity: number;
  readonly slices: readonly TagSlice[];
}

/** The requests that read a set of tags. */
export interface ReadPlan {
  readonly requests: readonly PlannedRead[];
  /** Aliases no read can carry: 6x extended registers. */
  readonly unsupported: readonly string[];
}

/** Values for one write area: coil states, or register words. */
type WriteValues =
  | { readonly unitId: number; readonly area: "coil"; readonly address: number; readonly values: readonly boolean[] }
  | {
      readonly unitId: number;
      readonly area: "holding-register";
      readonly address: number;
      readonly values: readonly number[];
    };

/** A tag to write, already encoded: one state per coil, or one word per register. */
export type WriteItem = WriteValues & { readonly alias: string };

/** One write request: contiguous values of one area of one unit, and the tag slices they belong to. */
export type PlannedWrite = WriteValues & { readonly slices: readonly TagSlice[] };

/** A half-open range of addresses [start, end). */
interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Address ranges of one connection that must not share a request with anything else, learned from exception answers:
 * the gaps of a merged block that failed while its tags alone succeeded, and tags that fail even alone. Bounded, so a
 * device that refuses everything cannot grow it forever; forgetting only costs one more retry.
 */
export class LearnedHoles {
  static readonly LIMIT = 1024;
  readonly #spans = new Map<string, Span[]>();
  #size = 0;
  #version = 0;

  get size(): number {
    return this.#size;
  }

  /** Changes whenever a hole is learned or the holes are cleared, so a cached plan knows it is stale. */
  get version(): number {
    return this.#version;
  }

  add(unitId: number, area: ReadArea, start: number, end: number): void {
    if (end <= start) return;
    const key = `${unitId}/${area}`;
    if (this.#spans.get(key)?.some((span) => span.start <= start && end <= span.end)) return;
    if (this.#size >= LearnedHoles.LIMIT) this.clear();
    this.#spans.set(key, [...(this.#spans.get(key) ?? []), { start, end }]);
    this.#size++;
    this.#version++;
  }

  overlaps(unitId: number, area: ReadArea, start: number, end: number): boolean {
    const spans = this.#spans.get(`${unitId}/${area}`);
    return spans?.some((span) => span.start < end && start < span.end) ?? false;
  }

  /** Every learned range, for diagnostics and tests. */
  list(): { unitId: number; area: ReadArea; start: number; end: number }[] {
    return [...this.#spans].flatMap(([key, spans]) => {
      const [unit, area] = key.split("/") as [string, ReadArea];
      return spans.map((span) => ({ unitId: Number(unit), area, ...span }));
    });
  }

  clear(): void {
    this.#spans.clear();
    this.#size = 0;
    this.#version++;
  }

  /**
   * Records what splitting `block` taught: the parts that failed even alone; when every part succeeded, the gaps of
   * the block, since one of them must hold the address the device refused; and when it had no gaps, the block itself,
   * whose tags the device only answers one by one.
   */
  learn(block: PlannedRead | PlannedWrite, failedParts: readonly (PlannedRead | PlannedWrite)[]): void {
    const gaps = gapsOf(block);
    const spans = failedParts.length > 0 ? failedParts.map(extentOf) : gaps.length > 0 ? gaps : [extentOf(block)];
    for (const span of spans) this.add(block.unitId, block.area, span.start, span.end);
  }
}

/**
 * The fewest requests that read `tags` within the limits. Tags of one unit and area are merged when the gap between
 * them is no wider than the gap limit and no learned hole lies in it; a tag lies whole in one request unless it alone
 * exceeds the per-request limit, in which case it is cut into slices of that limit. Overlapping and repeated tags share
 * the registers they have in common. Requests come ordered by unit, area (coils first) and address.
 */
export function planReads(
  tags: ReadonlyMap<string, ModbusAddress>,
  settings: PlanSettings,
  holes?: LearnedHoles,
): ReadPlan {
  const groups = new Map<string, { unitId: number; area: ReadArea; slices: TagSlice[] }>();
  const unsupported: string[] = [];
  for (const [alias, address] of tags) {
    if (address.area === "extended-register") {
      unsupported.push(alias);
      continue;
    }
    const unitId = address.unitId ?? settings.defaultUnitId;
    const key = `${unitId}/${address.area}`;
    const group = groups.get(key) ?? { unitId, area: address.area, slices: [] };
    groups.set(key, group);
    group.slices.push(...sliceTag(alias, address.address, address.quantity, readLimit(address.area, settings)));
  }
  const requests = [...groups.values()].flatMap(({ unitId, area, slices }) =>
    planGroup(unitId, area, slices, settings, holes),
  );
  requests.sort(
    (a, b) => a.unitId - b.unitId || AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area) || a.address - b.address,
  );
  return { requests, unsupported };
}

/**
 * The parts to retry a merged read with after it failed as a whole: one request per gapless run of its slices, or,
 * when it is a single run, one per distinct slice. Empty when it carries a single range and cannot be split further.
 */
export function splitRead(block: PlannedRead): PlannedRead[] {
  const runs = runsOf(block.slices);
  const parts = runs.length > 1 ? runs : distinctRanges(block.slices);
  if (parts.length <= 1) return [];
  return parts.map((slices) => blockOf(block.unitId, block.area, slices));
}

/** The ranges inside a block that no tag slice covers. */
export function gapsOf(block: PlannedRead | PlannedWrite): Span[] {
  const runs = runsOf(block.slices).map(spanOfSlices);
  const gaps: Span[] = [];
  for (let index = 1; index < runs.length; index++) gaps.push({ start: runs[index - 1]!.end, end: runs[index]!.start });
  return gaps;
}

/**
 * Write requests for `items`, in rounds to run one after another. Within a round, tags of one unit and area that
 * follow each other without a gap share a request (function 15 or 16); nothing is written across a gap. A tag that
 * overlaps an earlier tag of the same write goes to a later round, so the later alias wins as it would written alone.
 */
export function planWrites(items: readonly WriteItem[], limits: PlanLimits, holes?: LearnedHoles): PlannedWrite[][] {
  const rounds: WriteItem[][] = [];
  const placed: { item: WriteItem; round: number }[] = [];
  for (const item of items) {
    const end = item.address + item.values.length;
    const clashes = placed.filter(
      (p) =>
        p.item.unitId === item.unitId &&
        p.item.area === item.area &&
        p.item.address < end &&
        item.address < p.item.address + p.item.values.length,
    );
    const round = clashes.length === 0 ? 0 : Math.max(...clashes.map((p) => p.round)) + 1;
    placed.push({ item, round });
    // A round is at most one past the last one used so far, so the rounds stay dense.
    if (round === rounds.length) rounds.push([]);
    rounds[round]!.push(item);
  }
  return rounds.map((round) => planWriteRound(round, limits, holes));
}

/** The parts to retry a merged write with after it failed as a whole: one request per slice; empty for a lone slice. */
export function splitWrite(block: PlannedWrite): PlannedWrite[] {
  if (block.slices.length <= 1) return [];
  return block.slices.map((slice) => {
    const from = slice.address - block.address;
    const to = from + slice.quantity;
    return block.area === "coil"
      ? { ...block, address: slice.address, values: block.values.slice(from, to), slices: [slice] }
      : { ...block, address: slice.address, values: block.values.slice(from, to), slices: [slice] };
  });
}

function readLimit(area: ReadArea, limits: PlanLimits): number {
  return isBitArea(area) ? limits.maxCoilsPerRequest : limits.maxRegistersPerRequest;
}

function isBitArea(area: ReadArea): boolean {
  return area === "coil" || area === "discrete-input";
}

function sliceTag(alias: string, address: number, quantity: number, limit: number): TagSlice[] {
  const slices: TagSlice[] = [];
  for (let offset = 0; offset < quantity; offset += limit) {
    slices.push({ alias, offset, address: address + offset, quantity: Math.min(limit, quantity - offset) });
  }
  return slices;
}

/**
 * Greedy windows over slices sorted by address: a window opens at the first slice left and takes every later slice
 * that ends within the limit from there, until a gap is too wide or holds a hole. Slices that would overrun the window
 * wait for the next one. Opening each window at the lowest address left is never worse than opening it anywhere else,
 * which makes this the fewest requests when gaps are not in the way.
 */
function planGroup(
  unitId: number,
  area: ReadArea,
  slices: readonly TagSlice[],
  limits: PlanLimits,
  holes: LearnedHoles | undefined,
): PlannedRead[] {
  const limit = readLimit(area, limits);
  const maxGap = isBitArea(area)
    ? (limits.maxBitGap ?? DEFAULT_MAX_BIT_GAP)
    : (limits.maxRegisterGap ?? DEFAULT_MAX_REGISTER_GAP);
  const isolated: TagSlice[] = [];
  const mergeable: TagSlice[] = [];
  for (const slice of slices) {
    const touchesHole = holes?.overlaps(unitId, area, slice.address, slice.address + slice.quantity) ?? false;
    (touchesHole ? isolated : mergeable).push(slice);
  }
  const requests = distinctRanges(isolated).map((group) => blockOf(unitId, area, group));
  let remaining = [...mergeable].sort(byAddress);
  while (remaining.length > 0) {
    const first = remaining[0]!;
    const taken = [first];
    const waiting: TagSlice[] = [];
    let end = first.address + first.quantity;
    let index = 1;
    for (; index < remaining.length; index++) {
      const slice = remaining[index]!;
      const gap = slice.address - end;
      if (gap > maxGap || (gap > 0 && holes?.overlaps(unitId, area, end, slice.address))) break;
      if (slice.address + slice.quantity > first.address + limit) {
        waiting.push(slice);
        continue;
      }
      taken.push(slice);
      end = Math.max(end, slice.address + slice.quantity);
    }
    requests.push(blockOf(unitId, area, taken));
    remaining = [...waiting, ...remaining.slice(index)];
  }
  return requests;
}

function planWriteRound(
  items: readonly WriteItem[],
  limits: PlanLimits,
  holes: LearnedHoles | undefined,
): PlannedWrite[] {
  const registerLimit = Math.min(limits.maxRegistersPerRequest, MAX_REGISTER_WRITE_QUANTITY);
  const coilLimit = Math.min(limits.maxCoilsPerRequest, MAX_COIL_WRITE_QUANTITY);
  const pieces = items.flatMap((item) => {
    const limit = item.area === "coil" ? coilLimit : registerLimit;
    return sliceTag(item.alias, item.address, item.values.length, limit).map((slice) => toWritePiece(item, slice));
  });
  pieces.sort((a, b) => a.unitId - b.unitId || a.area.localeCompare(b.area) || a.address - b.address);
  const requests: PlannedWrite[] = [];
  let open: PlannedWrite | undefined;
  for (const piece of pieces) {
    const limit = piece.area === "coil" ? coilLimit : registerLimit;
    if (open !== undefined && canAppend(open, piece, limit, holes)) {
      open = append(open, piece);
      requests[requests.length - 1] = open;
    } else {
      open = piece;
      requests.push(open);
    }
  }
  return requests;
}

function toWritePiece(item: WriteItem, slice: TagSlice): PlannedWrite {
  const { unitId } = item;
  const { address, offset } = slice;
  const end = offset + slice.quantity;
  return item.area === "coil"
    ? { unitId, area: "coil", address, values: item.values.slice(offset, end), slices: [slice] }
    : { unitId, area: "holding-register", address, values: item.values.slice(offset, end), slices: [slice] };
}

function canAppend(open: PlannedWrite, next: PlannedWrite, limit: number, holes: LearnedHoles | undefined): boolean {
  if (open.unitId !== next.unitId || open.area !== next.area) return false;
  if (open.address + open.values.length !== next.address) return false;
  if (open.values.length + next.values.length > limit) return false;
  const touches = (w: PlannedWrite) => holes?.overlaps(w.unitId, w.area, w.address, w.address + w.values.length);
  return !touches(open) && !touches(next);
}

function append(open: PlannedWrite, next: PlannedWrite): PlannedWrite {
  const slices = [...open.slices, ...next.slices];
  if (open.area === "coil" && next.area === "coil")
    return { ...open, values: [...open.values, ...next.values], slices };
  if (open.area === "holding-register" && next.area === "holding-register") {
    return { ...open, values: [...open.values, ...next.values], slices };
  }
  // canAppend compared the areas; two areas here would be a planner bug, and writing them together would corrupt both.
  throw new Error(`cannot merge a ${open.area} write with a ${next.area} write`);
}

function blockOf(unitId: number, area: ReadArea, slices: readonly TagSlice[]): PlannedRead {
  const { start, end } = spanOfSlices(slices);
  return { unitId, area, address: start, quantity: end - start, slices };
}

function byAddress(a: TagSlice, b: TagSlice): number {
  return a.address - b.address || a.quantity - b.quantity;
}

/** Slices grouped into runs that overlap or touch, in address order. */
function runsOf(slices: readonly TagSlice[]): TagSlice[][] {
  const runs: TagSlice[][] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const slice of [...slices].sort(byAddress)) {
    if (slice.address > end || runs.length === 0) runs.push([]);
    runs[runs.length - 1]!.push(slice);
    end = Math.max(end, slice.address + slice.quantity);
  }
  return runs;
}

/** Slices grouped by identical range, in address order: repeated tags still share one request. */
function distinctRanges(slices: readonly TagSlice[]): TagSlice[][] {
  const groups = new Map<string, TagSlice[]>();
  for (const slice of [...slices].sort(byAddress)) {
    const key = `${slice.address}+${slice.quantity}`;
    groups.set(key, [...(groups.get(key) ?? []), slice]);
  }
  return [...groups.values()];
}

function spanOfSlices(slices: readonly TagSlice[]): Span {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const slice of slices) {
    start = Math.min(start, slice.address);
    end = Math.max(end, slice.address + slice.quantity);
  }
  return { start, end };
}

function extentOf(block: PlannedRead | PlannedWrite): Span {
  const quantity = "quantity" in block ? block.quantity : block.values.length;
  return { start: block.address, end: block.address + quantity };
}
