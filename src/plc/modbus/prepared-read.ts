// A poller's Modbus read planned once and kept: each tag's slices, layout and block decoder, and the response to fill.
import type { ReadResponse } from "../driver.ts";
import type { TagReading } from "../response.ts";
import type { ModbusAddress } from "./address.ts";
import { ModbusValueError } from "./errors.ts";
import { type LearnedHoles, type PlanSettings, planReads, type ReadPlan, type TagSlice } from "./optimizer.ts";
import type { ByteOrder, RegisterLayout } from "./register-layout.ts";
import {
  type BlockData,
  type BlockDecoder,
  blockDecoder,
  invalidData,
  layoutOf,
  readTagValue,
  recordSlices,
  type SliceResult,
} from "./tag-io.ts";

/** What preparing a read needs besides the tags: the plan's limits and the connection's byte order. */
export interface ReadSettings extends PlanSettings {
  readonly byteOrder: ByteOrder;
}

/** A read plan kept for the next cycle (see prepareRead). */
export interface PreparedRead {
  readonly holesVersion: number;
  readonly plan: ReadPlan;
  readonly aliases: readonly string[];
  readonly addresses: readonly ModbusAddress[];
  /** Per alias, in the order of `aliases`: its slices in offset order. */
  readonly slices: readonly (readonly TagSlice[])[];
  /** Per alias: how its value sits in the registers, made once so decoding can reuse its checked plan. */
  readonly layouts: readonly RegisterLayout[];
  /** Per alias: its decoder when it lies whole in one block (see blockDecoder), else undefined. */
  readonly decoders: readonly (BlockDecoder | undefined)[];
  /** Per alias with a decoder: the index of its block in `plan.requests`, and its first word or bit in the block. */
  readonly blocks: Int32Array;
  readonly offsets: Int32Array;
  /** Per block of `plan.requests`: whether it carries a tag without a decoder, whose slices readTagValue needs. */
  readonly sliced: readonly boolean[];
  /** A response with every alias in order, each set to NOT_READ, for readingsOf to copy and fill in. */
  readonly template: Readonly<Record<string, TagReading>>;
}

/** What a response template holds until readingsOf sets every alias; never seen by callers. */
const NOT_READ: TagReading = { code: "REMOTE_ERROR", message: "not read", quality: "BAD", sampledAt: 0 };

/**
 * The request plan for `tags`, and each tag's slices in offset order. A poller reads the same tags every cycle and
 * planning 1,000 tags anew every cycle would cost more than decoding them: the driver keeps the result while
 * preparedFits says it still serves.
 */
export function prepareRead(
  tags: ReadonlyMap<string, ModbusAddress>,
  settings: ReadSettings,
  holes: LearnedHoles,
): PreparedRead {
  const holesVersion = holes.version;
  const plan = planReads(tags, settings, holes);
  const byAlias = new Map<string, TagSlice[]>();
  const blockOf = new Map<TagSlice, number>();
  plan.requests.forEach((block, index) => {
    for (const slice of block.slices) {
      blockOf.set(slice, index);
      const list = byAlias.get(slice.alias);
      if (list === undefined) byAlias.set(slice.alias, [slice]);
      else list.push(slice);
    }
  });
  const aliases = [...tags.keys()];
  const addresses = [...tags.values()];
  const shared = new SharedDecoders(settings.byteOrder);
  const layouts = addresses.map((address) => shared.layout(address));
  const slices = aliases.map((alias) => (byAlias.get(alias) ?? []).sort((a, b) => a.offset - b.offset));
  const blocks = new Int32Array(aliases.length).fill(-1);
  const offsets = new Int32Array(aliases.length);
  const decoders = slices.map((tagSlices, index): BlockDecoder | undefined => {
    const slice = tagSlices[0];
    const block = slice === undefined ? undefined : blockOf.get(slice);
    if (tagSlices.length !== 1 || slice === undefined || block === undefined || slice.offset !== 0) return undefined;
    blocks[index] = block;
    offsets[index] = slice.address - plan.requests[block]!.address;
    return shared.decoder(addresses[index]!, slice.quantity);
  });
  const general = new Set(aliases.filter((_, index) => decoders[index] === undefined));
  const sliced = plan.requests.map((block) => block.slices.some((slice) => general.has(slice.alias)));
  return {
    holesVersion,
    plan,
    aliases,
    addresses,
    layouts,
    slices,
    decoders,
    blocks,
    offsets,
    sliced,
    template: Object.fromEntries(aliases.map((alias) => [alias, NOT_READ])),
  };
}

/**
 * Layouts and decoders of one plan, shared by every tag of the same type, byte order and length: a plan of thousands
 * of tags then holds a handful of decoders (each a few closures) instead of one per tag, tens of MB per 100,000 tags.
 */
class SharedDecoders {
  readonly #byteOrder: ByteOrder;
  readonly #layouts = new Map<string, RegisterLayout>();
  readonly #decoders = new Map<string, BlockDecoder | undefined>();

  constructor(byteOrder: ByteOrder) {
    this.#byteOrder = byteOrder;
  }

  layout(address: ModbusAddress): RegisterLayout {
    const key = this.#layoutKey(address);
    let layout = this.#layouts.get(key);
    if (layout === undefined) {
      layout = layoutOf(address, this.#byteOrder);
      this.#layouts.set(key, layout);
    }
    return layout;
  }

  /** blockDecoder for a tag whose one slice of `quantity` words or bits lies whole in a block. */
  decoder(address: ModbusAddress, quantity: number): BlockDecoder | undefined {
    const key = `${address.area}/${quantity}/${this.#layoutKey(address)}`;
    if (this.#decoders.has(key)) return this.#decoders.get(key);
    const decoder = blockDecoder(address, this.layout(address), quantity);
    this.#decoders.set(key, decoder);
    return decoder;
  }

  /** What layoutOf reads from an address. */
  #layoutKey(address: ModbusAddress): string {
    return `${address.type}/${address.byteOrder ?? this.#byteOrder}/${address.stringLength ?? ""}/${address.count}`;
  }
}

/**
 * The response to a prepared read. `answers` holds each block's data, or undefined for a block the device did not
 * answer whole, whose slices' results runRead put in `results`.
 */
export function readingsOf(
  prepared: PreparedRead,
  answers: readonly (BlockData | undefined)[],
  results: Map<TagSlice, SliceResult>,
  sampledAt: number,
): ReadResponse {
  const { aliases, decoders, blocks, offsets, plan } = prepared;
  for (let block = 0; block < answers.length; block++) {
    const data = answers[block];
    if (data !== undefined && prepared.sliced[block]) recordSlices(plan.requests[block]!, data, results);
  }
  // Every alias is set below. Cloning a response with all the keys in place and then setting each costs a fraction
  // of adding 1,000 keys one by one, which rebuilds the object's property table as it grows. Object.assign, not a
  // spread: a spread site that has seen more than 4 templates (jobs sharing a connection) copies key by key, 5 times
  // slower and with 4 times the garbage; Object.assign into an empty object copies any template whole.
  const out: Record<string, TagReading> = Object.assign({}, prepared.template);
  for (let index = 0; index < aliases.length; index++) {
    const alias = aliases[index]!;
    const decode = decoders[index];
    // A tag whose block came back whole decodes straight from the block's words; the rest take the general path.
    const data = decode === undefined ? undefined : answers[blocks[index]!];
    if (decode !== undefined && data !== undefined) {
      try {
        out[alias] = { code: "OK", value: decode(data, offsets[index]!), quality: "GOOD", sampledAt };
      } catch (error) {
        if (!(error instanceof ModbusValueError)) throw error;
        out[alias] = { ...invalidData(error), quality: "BAD", sampledAt };
      }
      continue;
    }
    const outcome = readTagValue(
      prepared.addresses[index]!,
      prepared.slices[index]!,
      results,
      prepared.layouts[index]!,
    );
    out[alias] =
      outcome.code === "OK"
        ? { code: "OK", value: outcome.value, quality: "GOOD", sampledAt }
        : { ...outcome, quality: "BAD", sampledAt };
  }
  return out;
}

/**
 * Whether `prepared` serves a read of `tags`: the same aliases and parsed addresses, in the same order, and no hole
 * learned since it was planned.
 */
export function preparedFits(
  prepared: PreparedRead,
  tags: ReadonlyMap<string, ModbusAddress>,
  holes: LearnedHoles,
): boolean {
  const { aliases, addresses } = prepared;
  if (prepared.holesVersion !== holes.version || aliases.length !== tags.size) return false;
  // forEach rather than for…of: no [alias, address] pair per tag on every read.
  let index = 0;
  let same = true;
  tags.forEach((address, alias) => {
    if (aliases[index] !== alias || addresses[index] !== address) same = false;
    index++;
  });
  return same;
}
