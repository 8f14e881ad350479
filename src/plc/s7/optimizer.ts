// Plans S7 reads: tags merged into blocks per area/DB where gaps are cheap, blocks packed and cut into the fewest PDUs.
import type { S7Address, S7Area } from "./address.ts";
import { elementBytes } from "./data-types.ts";
import { readRequestLength, readResponseLength } from "./messages/read-var.ts";
import { packPieces, paddedLength } from "./pdu-packer.ts";

/** What one more item costs on the wire: its 12-byte address in the request and 4-byte header in the response. */
export const ITEM_OVERHEAD_BYTES = 16;

export interface PlanLimits {
  /** The negotiated PDU size. */
  readonly pduLength: number;
  readonly maxItemsPerRequest: number;
  /** Widest gap between tags always read across (default ITEM_OVERHEAD_BYTES). */
  readonly maxGap?: number;
}

/** A run of bytes of one area (and DB) that one or more tags lie in; read as one range, perhaps cut across PDUs. */
export interface ReadBlock {
  readonly area: S7Area;
  readonly dbNumber: number;
  readonly start: number;
  readonly end: number;
  /** Indexes of the tags (in the order given to planReads) that lie in it. */
  readonly tags: readonly number[];
  /** The byte ranges of those tags, for retrying them apart. */
  readonly ranges: readonly { readonly start: number; readonly end: number }[];
}

/** One item of a PDU: `length` bytes from `start` of block `block`'s area. */
export interface PlannedItem {
  readonly block: number;
  readonly start: number;
  readonly length: number;
}

export interface ReadPlan {
  readonly blocks: readonly ReadBlock[];
  readonly requests: readonly (readonly PlannedItem[])[];
  /** Per tag (in the order given): the index of its block. */
  readonly blockOf: readonly number[];
}

/**
 * Ranges a connection learned to read apart from their neighbours: a merged item the PLC refused (address out of range)
 * while its tags alone were fine. Bounded; forgetting only costs one more retry.
 */
export class LoneRanges {
  static readonly LIMIT = 1024;
  readonly #ranges = new Set<string>();
  #version = 0;

  /** Changes whenever a range is learned, so a cached plan knows it is stale. */
  get version(): number {
    return this.#version;
  }

  get size(): number {
    return this.#ranges.size;
  }

  add(area: S7Area, dbNumber: number, start: number, end: number): void {
    const key = `${area}/${dbNumber}/${start}/${end}`;
    if (this.#ranges.has(key)) return;
    if (this.#ranges.size >= LoneRanges.LIMIT) this.#ranges.clear();
    this.#ranges.add(key);
    this.#version++;
  }

  has(area: S7Area, dbNumber: number, start: number, end: number): boolean {
    return this.#ranges.has(`${area}/${dbNumber}/${start}/${end}`);
  }
}

/** The bytes a tag spans, and the size of its elements (which a cut must not split). */
interface Span {
  readonly index: number;
  readonly start: number;
  readonly end: number;
  readonly element: number;
  readonly lone: boolean;
}

/**
 * The fewest PDUs that read `tags` within the negotiated PDU (request and response both) and the item limit. Tags of one
 * area/DB merge into a block when the gap between them is at most `maxGap` (reading a gap byte costs one byte, another
 * item 16), or wider while the item limit rather than the PDU size decides the number of PDUs. Blocks go into PDUs
 * largest first; one too large for the room left is cut where no value tears, and the rest travels in the next PDU.
 */
export function planReads(tags: readonly S7Address[], limits: PlanLimits, lone?: LoneRanges): ReadPlan {
  const groups = new Map<string, { area: S7Area; dbNumber: number; spans: Span[] }>();
  tags.forEach((tag, index) => {
    const key = `${tag.area}/${tag.dbNumber}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { area: tag.area, dbNumber: tag.dbNumber, spans: [] };
      groups.set(key, group);
    }
    const end = tag.byteOffset + tag.byteLength;
    group.spans.push({
      index,
      start: tag.byteOffset,
      end,
      element: tag.type === "BOOL" ? 1 : elementBytes(tag.type, tag.stringLength),
      lone: lone?.has(tag.area, tag.dbNumber, tag.byteOffset, end) ?? false,
    });
  });
  const maxGap = limits.maxGap ?? ITEM_OVERHEAD_BYTES;
  const runs = [...groups.values()].flatMap((group) =>
    mergeRuns(group.spans, maxGap).map((spans) => runOf(group.area, group.dbNumber, spans)),
  );
  const merged = mergeWhileItemBound(runs, limits);
  const blocks: ReadBlock[] = merged.map(({ area, dbNumber, start, end, spans }) => ({
    area,
    dbNumber,
    start,
    end,
    tags: spans.map((span) => span.index),
    ranges: spans.map((span) => ({ start: span.start, end: span.end })),
  }));
  const blockOf = new Array<number>(tags.length).fill(-1);
  blocks.forEach((block, index) => {
    for (const tag of block.tags) blockOf[tag] = index;
  });
  const unsafe = merged.map(({ spans }, index) => unsafeCuts(spans, blocks[index]!.start, blocks[index]!.end));
  const pdus = packPieces(
    blocks.map((block, index) => ({ block: index, start: block.start, end: block.end })),
    {
      maxItems: Math.min(limits.maxItemsPerRequest, maxItemsIn(limits.pduLength)),
      fits: (lengths) =>
        readRequestLength(lengths.length) <= limits.pduLength && readResponseBytes(lengths) <= limits.pduLength,
      safeCut: (block, start, limit) => {
        const marks = unsafe[block]!;
        const base = blocks[block]!.start;
        for (let cut = limit; cut > start; cut--) if (!marks[cut - base]) return cut;
        return undefined;
      },
    },
  );
  const requests = pdus.map((pieces) =>
    pieces.map((piece) => ({ block: piece.block, start: piece.start, length: piece.end - piece.start })),
  );
  return { blocks, requests, blockOf };
}

/** Response bytes of a read whose items have these lengths, with an odd one last. */
function readResponseBytes(lengths: readonly number[]): number {
  return readResponseLength([]) + paddedLength(lengths);
}

/** Items a request of `pduLength` can name at all (12 bytes each after the header). */
function maxItemsIn(pduLength: number): number {
  let items = 1;
  while (readRequestLength(items + 1) <= pduLength) items++;
  return items;
}

/** Spans sorted and grouped into runs that overlap, touch, or have gaps of at most `maxGap`; lone spans stay alone. */
function mergeRuns(spans: readonly Span[], maxGap: number): Span[][] {
  const runs: Span[][] = [];
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const alone = new Map<string, Span[]>();
  const loneSpans = sorted.filter((span) => span.lone);
  let end = Number.NEGATIVE_INFINITY;
  let open: Span[] | undefined;
  for (const span of sorted) {
    if (span.lone) {
      // Tags the PLC only answers alone share an item with tags of exactly their range, nothing else.
      const key = `${span.start}/${span.end}`;
      alone.set(key, [...(alone.get(key) ?? []), span]);
      continue;
    }
    // Reading across a lone range would ask for what the PLC refused again.
    const acrossLone = loneSpans.some((lone) => lone.start < span.start && lone.end > end);
    if (open === undefined || span.start - end > maxGap || acrossLone) {
      open = [];
      runs.push(open);
      end = span.end;
    }
    open.push(span);
    end = Math.max(end, span.end);
  }
  return [...runs, ...alone.values()];
}

interface Run {
  readonly area: S7Area;
  readonly dbNumber: number;
  readonly start: number;
  readonly end: number;
  readonly lone: boolean;
  readonly spans: readonly Span[];
}

function runOf(area: S7Area, dbNumber: number, spans: readonly Span[]): Run {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const span of spans) {
    start = Math.min(start, span.start);
    end = Math.max(end, span.end);
  }
  return { area, dbNumber, start, end, lone: spans.some((span) => span.lone), spans };
}

/**
 * Merges the cheapest gaps further while the item limit, not the PDU size, sets the number of PDUs: with 20 items a PDU
 * and 100 small tags in one DB, five items reading a few gap bytes beat five PDUs. Runs do not overlap, so merging two
 * never changes the gaps between the others: the gaps are taken smallest first, as long as the estimate improves.
 */
function mergeWhileItemBound(runs: readonly Run[], limits: PlanLimits): Run[] {
  const sorted = [...runs].sort((a, b) => keyOf(a).localeCompare(keyOf(b)) || a.start - b.start);
  const itemsPerPdu = Math.min(limits.maxItemsPerRequest, maxItemsIn(limits.pduLength));
  const dataPerPdu = limits.pduLength - readResponseLength([]);
  const estimate = (items: number, bytes: number) =>
    Math.max(Math.ceil(items / itemsPerPdu), Math.ceil(bytes / dataPerPdu));
  let items = sorted.length;
  let bytes = sorted.reduce((sum, run) => sum + 4 + run.end - run.start, 0);
  const gaps: { index: number; gap: number }[] = [];
  for (let index = 1; index < sorted.length; index++) {
    const before = sorted[index - 1]!;
    const after = sorted[index]!;
    if (keyOf(before) === keyOf(after) && !before.lone && !after.lone) {
      gaps.push({ index, gap: after.start - before.end });
    }
  }
  gaps.sort((a, b) => a.gap - b.gap || a.index - b.index);
  const joinsPrevious = new Uint8Array(sorted.length);
  for (const { index, gap } of gaps) {
    if (Math.ceil(items / itemsPerPdu) <= Math.ceil(bytes / dataPerPdu)) break;
    // Merging two items into one: one header less, the gap's bytes more.
    if (estimate(items - 1, bytes + gap - 4) > estimate(items, bytes)) break;
    items--;
    bytes += gap - 4;
    joinsPrevious[index] = 1;
  }
  const merged: Run[] = [];
  sorted.forEach((run, index) => {
    const previous = merged[merged.length - 1];
    if (joinsPrevious[index] && previous !== undefined) {
      merged[merged.length - 1] = runOf(run.area, run.dbNumber, [...previous.spans, ...run.spans]);
    } else {
      merged.push(run);
    }
  });
  return merged;
}

function keyOf(run: Run): string {
  return `${run.area}/${run.dbNumber}`;
}

/** Per offset of a block: true where a cut would split an element of a tag (its first byte is never marked). */
function unsafeCuts(spans: readonly Span[], start: number, end: number): Uint8Array {
  const marks = new Uint8Array(end - start + 1);
  for (const span of spans) {
    if (span.element <= 1) continue;
    for (let offset = span.start + 1; offset < span.end; offset++) {
      if ((offset - span.start) % span.element !== 0) marks[offset - start] = 1;
    }
  }
  return marks;
}
