// PLC4X's `modbus-tcp://` driver: URL options, and a connection that reads and writes tags through planned requests.
import type {
  BrowseItem,
  ConnectionMetadata,
  Driver,
  DriverConnection,
  DriverContext,
  DriverSubscription,
  ParsedTagWrite,
  ReadResponse,
  WriteResponse,
} from "../driver.ts";
import {
  ConnectionClosedError,
  ConnectionFailedError,
  InvalidAddressError,
  InvalidOptionError,
  InvalidUrlError,
  UnsupportedOperationError,
} from "../errors.ts";
import type { TagReading, TagWriteResult } from "../response.ts";
import type { ConnectionUrl } from "../url.ts";
import type { UrlOptions } from "../url-options.ts";
import { type ModbusAddress, parseModbusAddress } from "./address.ts";
import { ModbusValueError } from "./errors.ts";
import {
  LearnedHoles,
  type PlanSettings,
  planReads,
  planWrites,
  type ReadPlan,
  type TagSlice,
  type WriteItem,
} from "./optimizer.ts";
import { BYTE_ORDERS, type ByteOrder, DEFAULT_BYTE_ORDER, type RegisterLayout } from "./registers.ts";
import {
  type BlockDecoder,
  blockDecoder,
  encodeWriteItem,
  invalidData,
  layoutOf,
  readBlock,
  readTagValue,
  recordSlices,
  runRead,
  runWrite,
  type SliceResult,
} from "./tag-io.ts";
import { type LinkEnd, type ModbusTcpTransport, openTransport } from "./transport.ts";

/** The URL options the driver knows, PLC4X's names. `default-unit-identifier` is PLC4X 0.13's new name for the unit. */
export const MODBUS_TCP_OPTIONS = [
  "unit-identifier",
  "default-unit-identifier",
  "request-timeout",
  "default-payload-byte-order",
  "max-registers-per-request",
  "max-coils-per-request",
  "max-concurrent-requests",
  "ping-address",
] as const;

export const DEFAULT_PORT = 502;
const DEFAULT_UNIT_ID = 1;
const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
/** PLC4X's defaults, which are also what one request of functions 3/4 and 1/2 may carry. */
const MAX_REGISTERS_PER_REQUEST = 125;
const MAX_COILS_PER_REQUEST = 2000;
/** Devices rarely queue more than a few requests; PLC4X sends one at a time. */
const MAX_CONCURRENT_REQUESTS = 256;
const DEFAULT_PING_ADDRESS = "holding-register:1";

/** Everything a connection needs from its URL, checked. */
export interface ModbusTcpSettings extends PlanSettings {
  readonly host: string;
  readonly port: number;
  readonly requestTimeoutMs: number;
  /** `default-payload-byte-order`: how values sit in registers unless a tag says `{byte-order: ...}`. */
  readonly byteOrder: ByteOrder;
  readonly maxConcurrentRequests: number;
  readonly pingAddress: ModbusAddress;
}

const METADATA: ConnectionMetadata = {
  protocol: "modbus-tcp",
  canRead: true,
  canWrite: true,
  // PLC4X's Modbus TCP driver has no subscriptions either: Modbus devices only answer, so callers poll with read().
  subscriptionModes: [],
  canBrowse: false,
};

/** The Modbus TCP driver; `fabrik/plc` registers one. `modbus://` is PLC4X's older name for the same protocol. */
export function createModbusTcpDriver(): Driver<ModbusAddress> {
  return {
    name: "Modbus TCP",
    protocols: ["modbus-tcp", "modbus"],
    transports: ["tcp"],
    parseAddress: parseModbusAddress,
    checkUrl: (url) => void parseModbusTcpUrl(url),
    async connect(url: ConnectionUrl, context: DriverContext) {
      const settings = parseModbusTcpUrl(url);
      const transport = await openTransport({
        host: settings.host,
        port: settings.port,
        target: url.redacted,
        requestTimeoutMs: settings.requestTimeoutMs,
        maxInFlight: settings.maxConcurrentRequests,
        ...(context.signal === undefined ? {} : { signal: context.signal }),
      });
      const { onLost } = context;
      if (onLost !== undefined) {
        void transport.ended.then((end) => {
          if (end.cause === "lost") onLost(end.error);
        });
      }
      return new ModbusTcpConnection(url.redacted, settings, transport, context.clock);
    },
  };
}

/** Reads a `modbus-tcp://host[:port][?options]` URL; throws InvalidUrlError, InvalidOptionError or UnknownOptionError. */
export function parseModbusTcpUrl(url: ConnectionUrl): ModbusTcpSettings {
  if (url.host === "") {
    throw new InvalidUrlError(url.redacted, url.columns.host, "no host", "a host, e.g. modbus-tcp://192.168.0.10:502");
  }
  if (url.path !== "") {
    throw new InvalidUrlError(url.redacted, url.columns.path ?? 1, `path '${url.path}'`, "no path after the host");
  }
  const { options } = url;
  const settings: ModbusTcpSettings = {
    host: url.host,
    port: url.port ?? DEFAULT_PORT,
    defaultUnitId: unitIdentifier(url),
    requestTimeoutMs: options.durationMs("request-timeout", { min: 1, max: 2_147_483_647 }, DEFAULT_REQUEST_TIMEOUT_MS),
    byteOrder: options.oneOf("default-payload-byte-order", BYTE_ORDERS, DEFAULT_BYTE_ORDER),
    maxRegistersPerRequest: options.integer(
      "max-registers-per-request",
      { min: 1, max: MAX_REGISTERS_PER_REQUEST },
      MAX_REGISTERS_PER_REQUEST,
    ),
    maxCoilsPerRequest: options.integer(
      "max-coils-per-request",
      { min: 1, max: MAX_COILS_PER_REQUEST },
      MAX_COILS_PER_REQUEST,
    ),
    maxConcurrentRequests: options.integer("max-concurrent-requests", { min: 1, max: MAX_CONCURRENT_REQUESTS }, 1),
    pingAddress: pingAddress(url.redacted, options),
  };
  options.rejectUnknown(MODBUS_TCP_OPTIONS);
  return settings;
}

function unitIdentifier(url: ConnectionUrl): number {
  const { options } = url;
  const range = { min: 0, max: 255 };
  const renamed = options.get("default-unit-identifier");
  if (renamed !== undefined && options.has("unit-identifier")) {
    const found = "option 'default-unit-identifier' next to 'unit-identifier'";
    throw new InvalidOptionError(
      url.redacted,
      renamed.name,
      renamed.column,
      found,
      "one of the two (they are one setting)",
    );
  }
  return (
    options.integer("unit-identifier", range) ?? options.integer("default-unit-identifier", range, DEFAULT_UNIT_ID)
  );
}

function pingAddress(url: string, options: UrlOptions): ModbusAddress {
  const entry = options.get("ping-address");
  if (entry === undefined) return parseModbusAddress(DEFAULT_PING_ADDRESS);
  const found = `option 'ping-address' is '${entry.value}'`;
  let address: ModbusAddress;
  try {
    address = parseModbusAddress(entry.value);
  } catch (error) {
    if (!(error instanceof InvalidAddressError)) throw error;
    throw new InvalidOptionError(url, entry.name, entry.valueColumn, `${found} (${error.found})`, error.expected);
  }
  if (address.area === "extended-register") {
    throw new InvalidOptionError(url, entry.name, entry.valueColumn, found, "a coil, input or register address");
  }
  return address;
}

/**
 * One Modbus TCP connection. Reads are planned by the optimizer and sent all at once (the transport keeps at most
 * `max-concurrent-requests` in flight); holes the device reveals are remembered for the connection's lifetime. When
 * the link is lost, requests in flight give their tags REMOTE_ERROR or TIMEOUT, `ended` resolves, and every later call
 * rejects with ConnectionFailedError: a connection manager then opens a new one.
 */
/** A read plan kept for the next cycle (see #prepareRead). */
interface PreparedRead {
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
  /** A response with every alias in order, each set to NOT_READ, for read() to copy and fill in. */
  readonly template: Readonly<Record<string, TagReading>>;
}

/** What a response template holds until read() sets every alias; never seen by callers. */
const NOT_READ: TagReading = { code: "REMOTE_ERROR", message: "not read", quality: "BAD", sampledAt: 0 };

export class ModbusTcpConnection implements DriverConnection<ModbusAddress> {
  readonly metadata = METADATA;
  readonly #target: string;
  readonly #settings: ModbusTcpSettings;
  readonly #transport: ModbusTcpTransport;
  readonly #clock: () => number;
  readonly #readHoles = new LearnedHoles();
  #lastRead: PreparedRead | undefined;
  readonly #writeHoles = new LearnedHoles();

  constructor(target: string, settings: ModbusTcpSettings, transport: ModbusTcpTransport, clock: () => number) {
    this.#target = target;
    this.#settings = settings;
    this.#transport = transport;
    this.#clock = clock;
  }

  /** Resolves when the link ends: `lost` with the reason, or `closed` after close(). Never rejects. */
  get ended(): Promise<LinkEnd> {
    return this.#transport.ended;
  }

  /** Requests on the wire right now. */
  get inFlight(): number {
    return this.#transport.inFlight;
  }

  /** Address ranges this connection learned to read (and write) apart from their neighbours. */
  get learnedHoles(): { readonly reads: LearnedHoles; readonly writes: LearnedHoles } {
    return { reads: this.#readHoles, writes: this.#writeHoles };
  }

  async read(tags: ReadonlyMap<string, ModbusAddress>): Promise<ReadResponse> {
    this.#checkUp("read");
    const prepared = this.#prepareRead(tags);
    const results = new Map<TagSlice, SliceResult>();
    const answers = await Promise.all(
      prepared.plan.requests.map((block) => runRead(this.#transport, block, results, this.#readHoles)),
    );
    const { aliases, decoders, blocks, offsets, plan } = prepared;
    for (let block = 0; block < answers.length; block++) {
      const data = answers[block];
      if (data !== undefined && prepared.sliced[block]) recordSlices(plan.requests[block]!, data, results);
    }
    const sampledAt = this.#clock();
    // Every alias is set below. Cloning a response with all the keys in place and then setting each costs a fraction
    // of adding 1,000 keys one by one, which rebuilds the object's property table as it grows.
    const out: Record<string, TagReading> = { ...prepared.template };
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
        this.#settings.byteOrder,
        prepared.layouts[index],
      );
      out[alias] =
        outcome.code === "OK"
          ? { code: "OK", value: outcome.value, quality: "GOOD", sampledAt }
          : { ...outcome, quality: "BAD", sampledAt };
    }
    return out;
  }

  /**
   * The request plan for `tags`, and each tag's slices in offset order. A poller reads the same tags every cycle, so
   * the last plan is kept and reused while the tags (the same parsed addresses, in the same order) and the learned
   * holes are unchanged; planning 1,000 tags anew every cycle would cost more than decoding them.
   */
  #prepareRead(tags: ReadonlyMap<string, ModbusAddress>): PreparedRead {
    const last = this.#lastRead;
    if (last !== undefined && last.holesVersion === this.#readHoles.version && last.aliases.length === tags.size) {
      let index = 0;
      let same = true;
      for (const [alias, address] of tags) {
        if (last.aliases[index] !== alias || last.addresses[index] !== address) {
          same = false;
          break;
        }
        index++;
      }
      if (same) return last;
    }
    const holesVersion = this.#readHoles.version;
    const plan = planReads(tags, this.#settings, this.#readHoles);
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
    const layouts = addresses.map((address) => layoutOf(address, this.#settings.byteOrder));
    const slices = aliases.map((alias) => (byAlias.get(alias) ?? []).sort((a, b) => a.offset - b.offset));
    const blocks = new Int32Array(aliases.length).fill(-1);
    const offsets = new Int32Array(aliases.length);
    const decoders = slices.map((tagSlices, index): BlockDecoder | undefined => {
      const slice = tagSlices[0];
      const block = slice === undefined ? undefined : blockOf.get(slice);
      if (tagSlices.length !== 1 || slice === undefined || block === undefined || slice.offset !== 0) return undefined;
      blocks[index] = block;
      offsets[index] = slice.address - plan.requests[block]!.address;
      return blockDecoder(addresses[index]!, layouts[index]!, slice.quantity);
    });
    const general = new Set(aliases.filter((_, index) => decoders[index] === undefined));
    const sliced = plan.requests.map((block) => block.slices.some((slice) => general.has(slice.alias)));
    const prepared: PreparedRead = {
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
    this.#lastRead = prepared;
    return prepared;
  }

  async write(tags: ReadonlyMap<string, ParsedTagWrite<ModbusAddress>>): Promise<WriteResponse> {
    this.#checkUp("write");
    const out: Record<string, TagWriteResult> = {};
    const items: WriteItem[] = [];
    for (const [alias, { address, value }] of tags) {
      const item = encodeWriteItem(alias, address, value, this.#settings.defaultUnitId, this.#settings.byteOrder);
      if ("code" in item) out[alias] = item;
      else items.push(item);
    }
    const results = new Map<TagSlice, TagWriteResult>();
    for (const round of planWrites(items, this.#settings, this.#writeHoles)) {
      await Promise.all(round.map((block) => runWrite(this.#transport, block, results, this.#writeHoles)));
    }
    for (const item of items) out[item.alias] = { code: "OK" };
    // A tag cut into several requests failed if any of them did; its first failure says why.
    for (const [slice, result] of results) {
      if (result.code !== "OK" && out[slice.alias]?.code === "OK") out[slice.alias] = result;
    }
    // In the order the caller gave, as the other drivers answer.
    return Object.fromEntries([...tags.keys()].map((alias) => [alias, out[alias]!]));
  }

  async subscribe(): Promise<DriverSubscription> {
    throw new UnsupportedOperationError("subscribe", METADATA.protocol);
  }

  async browse(): Promise<readonly BrowseItem[]> {
    throw new UnsupportedOperationError("browse", METADATA.protocol);
  }

  /** Reads `ping-address`. Any answer will do, an exception too: it proves the device is there and speaks Modbus. */
  async ping(): Promise<void> {
    this.#checkUp("ping");
    const { requests } = planReads(new Map([["ping", this.#settings.pingAddress]]), this.#settings);
    for (const block of requests) {
      const answer = await readBlock(this.#transport, block);
      if (answer.kind === "failed") {
        throw new ConnectionFailedError(this.#target, `no answer to a ping: ${answer.message}`);
      }
    }
  }

  close(): Promise<void> {
    return this.#transport.close();
  }

  #checkUp(operation: string): void {
    const end = this.#transport.end;
    if (end === undefined) return;
    if (end.cause === "closed") throw new ConnectionClosedError(this.#target, operation);
    throw new ConnectionFailedError(this.#target, `connection lost (${end.reason})`, { cause: end.error });
  }
}
