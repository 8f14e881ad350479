// PLC4X's `modbus-tcp://` driver: URL options, and a connection that reads and writes tags through planned requests.

import { MAX_TIMER_DELAY_MS } from "../deadline.ts";
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
import { RequestCache } from "../request-cache.ts";
import type { TagWriteResult } from "../response.ts";
import type { ConnectionUrl } from "../url.ts";
import type { UrlOptions } from "../url-options.ts";
import { type ModbusAddress, parseModbusAddress } from "./address.ts";
import { MAX_BIT_READ_QUANTITY } from "./messages/bit-read.ts";
import { MAX_REGISTER_READ_QUANTITY } from "./messages/register-read.ts";
import { LearnedHoles, planReads, planWrites, type TagSlice, type WriteItem } from "./optimizer.ts";
import { type PreparedRead, preparedFits, prepareRead, type ReadSettings, readingsOf } from "./prepared-read.ts";
import { BYTE_ORDERS, DEFAULT_BYTE_ORDER } from "./register-layout.ts";
import { encodeWriteItem, readBlock, runRead, runWrite, type SliceResult } from "./tag-io.ts";
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
/** Devices rarely queue more than a few requests; PLC4X sends one at a time. */
const MAX_CONCURRENT_REQUESTS = 256;
const DEFAULT_PING_ADDRESS = "holding-register:1";

/**
 * Everything a connection needs from its URL, checked. `byteOrder` is `default-payload-byte-order`: how values sit in
 * registers unless a tag says `{byte-order: ...}`.
 */
export interface ModbusTcpSettings extends ReadSettings {
  readonly host: string;
  readonly port: number;
  readonly requestTimeoutMs: number;
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
    requestTimeoutMs: options.durationMs(
      "request-timeout",
      { min: 1, max: MAX_TIMER_DELAY_MS },
      DEFAULT_REQUEST_TIMEOUT_MS,
    ),
    byteOrder: options.oneOf("default-payload-byte-order", BYTE_ORDERS, DEFAULT_BYTE_ORDER),
    // PLC4X's defaults are the most one request of functions 3/4 and 1/2 may carry.
    maxRegistersPerRequest: options.integer(
      "max-registers-per-request",
      { min: 1, max: MAX_REGISTER_READ_QUANTITY },
      MAX_REGISTER_READ_QUANTITY,
    ),
    maxCoilsPerRequest: options.integer(
      "max-coils-per-request",
      { min: 1, max: MAX_BIT_READ_QUANTITY },
      MAX_BIT_READ_QUANTITY,
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
export class ModbusTcpConnection implements DriverConnection<ModbusAddress> {
  readonly metadata = METADATA;
  readonly #target: string;
  readonly #settings: ModbusTcpSettings;
  readonly #transport: ModbusTcpTransport;
  readonly #clock: () => number;
  readonly #readHoles = new LearnedHoles();
  /** Read plans per request Map: the wrapper hands over the same Map for the same request, one per poller. */
  readonly #plans = new RequestCache<ReadonlyMap<string, ModbusAddress>, PreparedRead>({
    fits: (prepared, tags) => preparedFits(prepared, tags, this.#readHoles),
    make: (tags) => prepareRead(tags, this.#settings, this.#readHoles),
  });
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
    const prepared = this.#plans.get(tags);
    const results = new Map<TagSlice, SliceResult>();
    const answers = await Promise.all(
      prepared.plan.requests.map((block) => runRead(this.#transport, block, results, this.#readHoles)),
    );
    return readingsOf(prepared, answers, results, this.#clock());
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
