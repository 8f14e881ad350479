// Which driver answers to which URL protocol, and `connect()`: from a URL string to an open PlcConnection.
import { wrapConnection } from "./connection.ts";
import type { Driver, DriverContext, PlcConnection } from "./driver.ts";
import { DuplicateProtocolError, InvalidUrlError, UnknownProtocolError } from "./errors.ts";
import { type ConnectionUrl, parseConnectionUrl } from "./url.ts";

/** Options of `connect()`. */
export interface ConnectOptions {
  /** Aborts a connect in progress. */
  readonly signal?: AbortSignal;
  /** Milliseconds since the epoch for `sampledAt`; Date.now by default. Tests inject their own. */
  readonly clock?: () => number;
  /** Called when the open connection is lost (see DriverContext.onLost); the connection manager uses it. */
  readonly onLost?: (reason: Error) => void;
}

/** A set of drivers by protocol name. `fabrik/plc` has a default one with every built-in driver. */
export class DriverRegistry {
  readonly #drivers = new Map<string, Driver>();

  constructor(drivers: readonly Driver[] = []) {
    for (const driver of drivers) this.register(driver);
  }

  /** Adds a driver; throws DuplicateProtocolError if one of its protocols is taken (nothing is registered then). */
  register(driver: Driver): void {
    for (const protocol of driver.protocols) {
      const existing = this.#drivers.get(protocol);
      if (existing !== undefined) throw new DuplicateProtocolError(protocol, existing.name);
    }
    for (const protocol of driver.protocols) this.#drivers.set(protocol, driver);
  }

  /** Registered protocol names, sorted. */
  protocols(): string[] {
    return [...this.#drivers.keys()].sort();
  }

  /** The driver for a protocol (case-insensitive); throws UnknownProtocolError listing the registered ones. */
  driver(protocol: string): Driver {
    const driver = this.#drivers.get(protocol.toLowerCase());
    if (driver === undefined) throw new UnknownProtocolError(protocol, this.protocols());
    return driver;
  }

  /**
   * Checks `url` whole without contacting the device: syntax, protocol, transport and the driver's options. Returns the
   * parsed URL and its driver; throws InvalidUrlError, UnknownProtocolError or the driver's option errors.
   */
  check(url: string | ConnectionUrl): { readonly url: ConnectionUrl; readonly driver: Driver } {
    const parsed = typeof url === "string" ? parseConnectionUrl(url) : url;
    const driver = this.driver(parsed.protocol);
    checkTransport(driver, parsed);
    driver.checkUrl(parsed);
    return { url: parsed, driver };
  }

  /**
   * Parses `url`, finds its driver, checks the transport and opens the connection. Rejects with InvalidUrlError,
   * UnknownProtocolError, the driver's option errors or ConnectionFailedError.
   */
  async connect(url: string | ConnectionUrl, options: ConnectOptions = {}): Promise<PlcConnection> {
    const parsed = typeof url === "string" ? parseConnectionUrl(url) : url;
    const driver = this.driver(parsed.protocol);
    checkTransport(driver, parsed);
    const clock = options.clock ?? Date.now;
    const context: DriverContext = {
      clock,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onLost === undefined ? {} : { onLost: options.onLost }),
    };
    options.signal?.throwIfAborted();
    const inner = await driver.connect(parsed, context);
    return wrapConnection(driver, parsed, inner, clock);
  }
}

function checkTransport(driver: Driver, url: ConnectionUrl): void {
  if (url.transport === undefined || driver.transports.includes(url.transport)) return;
  const expected =
    driver.transports.length === 0
      ? `no transport for ${url.protocol} (write ${url.protocol}://...)`
      : `one of ${driver.transports.join(", ")}`;
  throw new InvalidUrlError(url.redacted, url.columns.transport ?? 1, `transport '${url.transport}'`, expected);
}
