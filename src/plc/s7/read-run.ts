// Carries out a planned S7 read: its PDUs all sent at once, items refused whole retried tag by tag, values decoded.
import type { ReadResponse, TagFailure } from "../driver.ts";
import type { TagReading } from "../response.ts";
import type { S7Address } from "./address.ts";
import { AREA_CODE } from "./address.ts";
import { type ControllerType, controllerHasType } from "./data-types.ts";
import { S7ValueError } from "./errors.ts";
import { describeErrorClass } from "./messages/error-classes.ts";
import { encodeReadVarRequest, readRequestLength, readResponseLength } from "./messages/read-var.ts";
import { describeReturnCode, RETURN_CODE } from "./messages/return-codes.ts";
import { TRANSPORT_SIZE, type VarItem } from "./messages/var-item.ts";
import { type LoneRanges, type PlannedItem, planReads, type ReadBlock, type ReadPlan } from "./optimizer.ts";
import { packPieces, paddedLength } from "./pdu-packer.ts";
import type { S7Transport } from "./transport.ts";
import { decodeS7Value } from "./value-codec.ts";

/**
 * Return codes one tag of a merged item can cause (reaching past the end of a DB, a protected range), so that the other
 * tags are worth reading apart. A DB that does not exist fails them all anyway.
 */
const SPLITTABLE: ReadonlySet<number> = new Set([RETURN_CODE.ACCESS_DENIED, RETURN_CODE.ADDRESS_OUT_OF_RANGE]);

/** What planning a read needs from the connection. */
export interface ReadContext {
  readonly pduLength: number;
  /** The item limit, lowered when the PLC answers fewer items than asked. */
  readonly maxItemsPerRequest: number;
  readonly controllerType: ControllerType | undefined;
}

/** A read planned once and kept for the pollers that ask for the same tags every cycle. */
export interface PreparedRead {
  /** What the plan depends on besides the tags: learned lone ranges and the item limit. */
  readonly version: number;
  readonly aliases: readonly string[];
  readonly addresses: readonly S7Address[];
  /** The tags the plan reads (indexes into aliases), and the plan. */
  readonly planned: readonly number[];
  readonly plan: ReadPlan;
  /** Tags refused before any request (a type the controller lacks). */
  readonly refused: ReadonlyMap<number, TagFailure>;
  /** Per alias: its block in the plan (-1 when refused), and where its bytes start in a read's buffer. */
  readonly blockOfTag: Int32Array;
  readonly offsetOfTag: Int32Array;
  /** Where each block starts in a read's one buffer, and the buffer's length: every block's bytes back to back. */
  readonly blockBase: Int32Array;
  readonly bufferLength: number;
  /** Each request PDU of the plan, encoded once with PDU reference 0: a cycle only writes in its reference. */
  readonly requestPdus: readonly Uint8Array[];
  /** A response with every alias in order, for runRead to copy and fill in. */
  readonly template: Readonly<Record<string, TagReading>>;
}

/** What a response template holds until runRead sets every alias; never seen by callers. */
const NOT_READ: TagReading = { code: "REMOTE_ERROR", message: "not read", quality: "BAD", sampledAt: 0 };

/** A failed byte range of a block in one read. */
interface RangeFailure {
  readonly start: number;
  readonly end: number;
  readonly failure: TagFailure;
}

/** Where one read's data lands: one buffer holding every block, and per block the ranges that could not be read. */
interface ReadState {
  readonly bytes: Uint8Array;
  readonly base: Int32Array;
  readonly failures: RangeFailure[][];
  failed: boolean;
}

/** What a plan depends on besides its tags, as one number: it changes whenever a lone range or the item limit does. */
export function readVersion(context: ReadContext, lone: LoneRanges): number {
  return lone.version * 256 + context.maxItemsPerRequest;
}

/** Plans `tags`: each address's type checked against the controller, the rest planned by the optimizer. */
export function prepareRead(
  tags: ReadonlyMap<string, S7Address>,
  context: ReadContext,
  lone: LoneRanges,
): PreparedRead {
  const aliases = [...tags.keys()];
  const addresses = [...tags.values()];
  const refused = new Map<number, TagFailure>();
  const planned: number[] = [];
  addresses.forEach((address, index) => {
    const failure = typeFailure(address, context.controllerType);
    if (failure === undefined) planned.push(index);
    else refused.set(index, failure);
  });
  const limits = { pduLength: context.pduLength, maxItemsPerRequest: context.maxItemsPerRequest };
  const plan = planReads(
    planned.map((index) => addresses[index]!),
    limits,
    lone,
  );
  const blockBase = new Int32Array(plan.blocks.length);
  let bufferLength = 0;
  plan.blocks.forEach((block, index) => {
    blockBase[index] = bufferLength;
    bufferLength += block.end - block.start;
  });
  const blockOfTag = new Int32Array(aliases.length).fill(-1);
  const offsetOfTag = new Int32Array(aliases.length);
  planned.forEach((tagIndex, planIndex) => {
    const block = plan.blockOf[planIndex]!;
    blockOfTag[tagIndex] = block;
    offsetOfTag[tagIndex] = blockBase[block]! + addresses[tagIndex]!.byteOffset - plan.blocks[block]!.start;
  });
  const requestPdus = plan.requests.map((items) =>
    encodeReadVarRequest({ pduReference: 0, items: items.map((item) => varItem(plan.blocks[item.block]!, item)) }),
  );
  const template = Object.fromEntries(aliases.map((alias) => [alias, NOT_READ]));
  return {
    version: readVersion(context, lone),
    aliases,
    addresses,
    planned,
    plan,
    refused,
    blockOfTag,
    offsetOfTag,
    blockBase,
    bufferLength,
    requestPdus,
    template,
  };
}

/** INVALID_DATATYPE for a type the controller does not have (LREAL on an S7-300), else undefined. */
export function typeFailure(address: S7Address, controller: ControllerType | undefined): TagFailure | undefined {
  if (controllerHasType(controller, address.type)) return undefined;
  return { code: "INVALID_DATATYPE", message: `${address.type} does not exist on ${controller}` };
}

/** Whether `prepared` serves `tags`: the same aliases and parsed addresses in the same order, and the same version. */
export function preparedFits(prepared: PreparedRead, tags: ReadonlyMap<string, S7Address>, version: number): boolean {
  if (prepared.version !== version || prepared.aliases.length !== tags.size) return false;
  let index = 0;
  let same = true;
  tags.forEach((address, alias) => {
    if (prepared.aliases[index] !== alias || prepared.addresses[index] !== address) same = false;
    index++;
  });
  return same;
}

/** How the connection learns from a read: fewer items answered than asked lowers its limit. */
export interface ReadLearning {
  readonly lone: LoneRanges;
  lowerItemLimit(answered: number): void;
}

/** Runs a prepared read and decodes every tag; never rejects for the PLC's sake (failures are per tag). */
export async function runRead(
  transport: S7Transport,
  prepared: PreparedRead,
  context: ReadContext,
  learning: ReadLearning,
  sampledAt: () => number,
): Promise<ReadResponse> {
  const { plan } = prepared;
  const state: ReadState = {
    bytes: new Uint8Array(prepared.bufferLength),
    base: prepared.blockBase,
    failures: plan.blocks.map(() => []),
    failed: false,
  };
  await Promise.all(
    plan.requests.map((items, index) =>
      readItems(transport, plan.blocks, items, state, context, learning, prepared.requestPdus[index]),
    ),
  );
  const at = sampledAt();
  const view = new DataView(state.bytes.buffer);
  // A copy of the template has every alias in place, in the caller's order: setting them costs far less than adding.
  const out: Record<string, TagReading> = Object.assign({}, prepared.template);
  const { aliases, addresses, blockOfTag, offsetOfTag } = prepared;
  for (let index = 0; index < aliases.length; index++) {
    const alias = aliases[index]!;
    const block = blockOfTag[index]!;
    if (block < 0) {
      out[alias] = { ...prepared.refused.get(index)!, quality: "BAD", sampledAt: at };
      continue;
    }
    const address = addresses[index]!;
    if (state.failed) {
      const start = address.byteOffset;
      const end = start + address.byteLength;
      const failed = state.failures[block]!.find((r) => r.start < end && start < r.end);
      if (failed !== undefined) {
        out[alias] = { ...failed.failure, quality: "BAD", sampledAt: at };
        continue;
      }
    }
    try {
      const value = decodeS7Value(state.bytes, offsetOfTag[index]!, address, view);
      out[alias] = { code: "OK", value, quality: "GOOD", sampledAt: at };
    } catch (error) {
      if (!(error instanceof S7ValueError)) throw error;
      const message = `the PLC holds no valid value: ${error.message}`;
      out[alias] = { code: "INVALID_DATA", message, quality: "BAD", sampledAt: at };
    }
  }
  return out;
}

function varItem(block: ReadBlock, item: PlannedItem): VarItem {
  return {
    transportSize: TRANSPORT_SIZE.BYTE,
    count: item.length,
    dbNumber: block.dbNumber,
    area: AREA_CODE[block.area],
    byteAddress: item.start,
    bitAddress: 0,
  };
}

function fail(state: ReadState, item: PlannedItem, failure: TagFailure): void {
  state.failed = true;
  state.failures[item.block]!.push({ start: item.start, end: item.start + item.length, failure });
}

/** Reads one PDU's items; what they bring lands in `state`. Items the PLC left unanswered go again in fewer. */
async function readItems(
  transport: S7Transport,
  blocks: readonly ReadBlock[],
  items: readonly PlannedItem[],
  state: ReadState,
  context: ReadContext,
  learning: ReadLearning,
  encoded?: Uint8Array,
): Promise<void> {
  const answer = await transport.send("read", (pduReference) => {
    if (encoded === undefined) {
      return encodeReadVarRequest({ pduReference, items: items.map((item) => varItem(blocks[item.block]!, item)) });
    }
    const pdu = encoded.slice();
    pdu[4] = pduReference >>> 8;
    pdu[5] = pduReference & 0xff;
    return pdu;
  });
  if (answer.kind === "failed") {
    for (const item of items) fail(state, item, { code: answer.code, message: answer.message });
    return;
  }
  if (answer.kind === "refused") {
    const failure = describeErrorClass(answer.refusal.errorClass, answer.refusal.errorCode);
    for (const item of items) fail(state, item, failure);
    return;
  }
  const results = answer.response.items;
  if (results.length > items.length) {
    const message = `the PLC answered ${results.length} items to a request of ${items.length}`;
    for (const item of items) fail(state, item, { code: "REMOTE_ERROR", message });
    return;
  }
  const retries: Promise<void>[] = [];
  results.forEach((result, index) => {
    const item = items[index]!;
    if (result.returnCode !== RETURN_CODE.SUCCESS) {
      const split = SPLITTABLE.has(result.returnCode) ? splitItem(blocks, item) : [];
      if (split.length > 1) retries.push(retryApart(transport, blocks, item, split, state, context, learning));
      else fail(state, item, describeReturnCode(result.returnCode));
      return;
    }
    if (result.data.length !== item.length) {
      const message = `the PLC answered ${result.data.length} bytes for an item of ${item.length}`;
      fail(state, item, { code: "REMOTE_ERROR", message });
      return;
    }
    state.bytes.set(result.data, state.base[item.block]! + item.start - blocks[item.block]!.start);
  });
  const unanswered = items.slice(results.length);
  if (unanswered.length > 0) {
    if (results.length === 0) {
      const message = "the PLC answered none of the items asked for";
      for (const item of unanswered) fail(state, item, { code: "REMOTE_ERROR", message });
    } else {
      // Some servers (snap7's) answer only the first N items of a longer request: send the rest N at a time.
      learning.lowerItemLimit(results.length);
      for (let from = 0; from < unanswered.length; from += results.length) {
        const part = unanswered.slice(from, from + results.length);
        retries.push(readItems(transport, blocks, part, state, context, learning));
      }
    }
  }
  await Promise.all(retries);
}

/** The distinct tag ranges inside an item, clipped to it: what to try apart when the PLC refused the item whole. */
function splitItem(blocks: readonly ReadBlock[], item: PlannedItem): PlannedItem[] {
  const block = blocks[item.block]!;
  const end = item.start + item.length;
  const ranges = new Map<string, PlannedItem>();
  for (const range of block.ranges) {
    const start = Math.max(range.start, item.start);
    const stop = Math.min(range.end, end);
    if (start < stop) ranges.set(`${start}/${stop}`, { block: item.block, start, length: stop - start });
  }
  return [...ranges.values()];
}

/** Reads the parts of a refused item apart, and remembers what that taught for the next plan. */
async function retryApart(
  transport: S7Transport,
  blocks: readonly ReadBlock[],
  item: PlannedItem,
  parts: readonly PlannedItem[],
  state: ReadState,
  context: ReadContext,
  learning: ReadLearning,
): Promise<void> {
  const before = state.failures[item.block]!.length;
  const pdus = packPieces(
    parts.map((part) => ({ block: part.block, start: part.start, end: part.start + part.length })),
    {
      maxItems: context.maxItemsPerRequest,
      fits: (lengths) =>
        readRequestLength(lengths.length) <= context.pduLength &&
        readResponseLength([]) + paddedLength(lengths) <= context.pduLength,
      safeCut: () => undefined,
    },
  );
  await Promise.all(
    pdus.map((pieces) =>
      readItems(
        transport,
        blocks,
        pieces.map((piece) => ({ block: piece.block, start: piece.start, length: piece.end - piece.start })),
        state,
        context,
        learning,
      ),
    ),
  );
  const block = blocks[item.block]!;
  const end = item.start + item.length;
  const failedAlone = state.failures[item.block]!.slice(before).filter(
    (range) => range.start >= item.start && range.end <= end,
  );
  // The parts that fail even alone stay alone; if every part read, the item's gaps held what the PLC refused.
  const lone =
    failedAlone.length > 0 ? failedAlone : parts.map((part) => ({ start: part.start, end: part.start + part.length }));
  for (const range of lone) learning.lone.add(block.area, block.dbNumber, range.start, range.end);
}
