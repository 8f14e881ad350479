// A scripted driver for testing the connection wrapper and the registry: addresses `R<n>`, answers recorded calls.
import type {
  ConnectionMetadata,
  Driver,
  DriverConnection,
  DriverContext,
  ReadResponse,
  SubscriptionHandler,
  WriteResponse,
} from "../../src/plc/driver.ts";
import { InvalidAddressError } from "../../src/plc/errors.ts";
import type { ConnectionUrl } from "../../src/plc/url.ts";

export interface FakeAddress {
  readonly register: number;
}

/** Everything the fake saw, so tests can assert what reached the driver. */
export interface FakeLog {
  parsed: string[];
  reads: Array<ReadonlyMap<string, FakeAddress>>;
  writes: Array<ReadonlyMap<string, { address: FakeAddress; value: unknown }>>;
  handlers: SubscriptionHandler[];
  unsubscribes: number;
  closes: number;
  contexts: DriverContext[];
  urls: ConnectionUrl[];
}

export interface FakeDriverOptions {
  readonly protocols?: readonly string[];
  readonly transports?: readonly string[];
  readonly metadata?: Partial<ConnectionMetadata>;
  /** Aliases the fake "forgets" to answer, to test the wrapper's safety net. */
  readonly forget?: readonly string[];
}

export function createFakeDriver(options: FakeDriverOptions = {}): { driver: Driver<FakeAddress>; log: FakeLog } {
  const log: FakeLog = {
    parsed: [],
    reads: [],
    writes: [],
    handlers: [],
    unsubscribes: 0,
    closes: 0,
    contexts: [],
    urls: [],
  };
  const metadata: ConnectionMetadata = {
    protocol: "fake",
    canRead: true,
    canWrite: true,
    subscriptionModes: ["cyclic", "event"],
    canBrowse: false,
    ...options.metadata,
  };
  const forget = options.forget ?? [];
  const connection: DriverConnection<FakeAddress> = {
    metadata,
    async read(tags) {
      log.reads.push(tags);
      const out: Record<string, ReadResponse[string]> = {};
      for (const [alias, address] of tags) {
        if (!forget.includes(alias))
          out[alias] = { code: "OK", value: address.register * 10, quality: "GOOD", sampledAt: 1 };
      }
      return out;
    },
    async write(tags) {
      log.writes.push(tags);
      const out: Record<string, WriteResponse[string]> = {};
      for (const [alias] of tags) if (!forget.includes(alias)) out[alias] = { code: "OK" };
      return out;
    },
    async subscribe(_tags, handler) {
      log.handlers.push(handler);
      return {
        unsubscribe: async () => {
          log.unsubscribes++;
        },
      };
    },
    async browse() {
      return [{ address: "R1", name: "one", readable: true, writable: true, subscribable: true, children: [] }];
    },
    async ping() {},
    async close() {
      log.closes++;
    },
  };
  const driver: Driver<FakeAddress> = {
    name: "Fake",
    protocols: options.protocols ?? ["fake"],
    transports: options.transports ?? ["tcp"],
    checkUrl() {},
    parseAddress(address) {
      log.parsed.push(address);
      if (address === "BUG") throw new TypeError("driver bug");
      const match = /^R([0-9]+)$/.exec(address);
      if (match === null) throw new InvalidAddressError(address, 1, `'${address[0] ?? ""}'`, "R and a number");
      return { register: Number(match[1]) };
    },
    async connect(url, context) {
      log.urls.push(url);
      log.contexts.push(context);
      return connection;
    },
  };
  return { driver, log };
}
