// Turns a driver's connection (parsed addresses) into the PlcConnection applications use (address strings, per tag).
import { callApplication } from "./application-callback.ts";
import { MAX_TIMER_DELAY_MS } from "./deadline.ts";
import type {
  BrowseItem,
  ConnectionMetadata,
  Driver,
  DriverConnection,
  DriverSubscription,
  ParsedTagWrite,
  PlcConnection,
  ReadResponse,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
  TagFailure,
  TagRequest,
  WriteRequest,
  WriteResponse,
} from "./driver.ts";
import { ConnectionClosedError, InvalidRequestError, PlcError, UnsupportedOperationError } from "./errors.ts";
import { type ParsedRead, parsedReads } from "./parsed-reads.ts";
import type { TagReading, TagWriteResult } from "./response.ts";
import type { ConnectionUrl } from "./url.ts";

/** A tag address as its driver parsed it, or the per-tag failure that says why it cannot be parsed. */
export type ParsedAddress<A> =
  | { readonly ok: true; readonly address: A }
  | { readonly ok: false; readonly failure: TagFailure };

/**
 * Parsed addresses are kept for requests that are new (a job started, a one-off read of known tags); the bound, above
 * a large device's tag count, only stops a caller that invents new addresses forever from growing memory without limit.
 */
const ADDRESS_CACHE_LIMIT = 16_384;

/** Wraps an open driver connection; `connect()` calls this, drivers never do. */
export function wrapConnection<A>(
  driver: Driver<A>,
  url: ConnectionUrl,
  inner: DriverConnection<A>,
  clock: () => number,
): PlcConnection {
  return new WrappedConnection(driver, url, inner, clock);
}

class WrappedConnection<A> implements PlcConnection {
  readonly url: ConnectionUrl;
  readonly #driver: Driver<A>;
  readonly #inner: DriverConnection<A>;
  readonly #clock: () => number;
  readonly #addresses = new Map<string, ParsedAddress<A>>();
  readonly #reads = parsedReads<A>((aliases, addresses) => this.#parseRequest(aliases, addresses));
  readonly #subscriptions = new Set<{ active: boolean }>();
  #closing: Promise<void> | undefined;

  constructor(driver: Driver<A>, url: ConnectionUrl, inner: DriverConnection<A>, clock: () => number) {
    this.url = url;
    this.#driver = driver;
    this.#inner = inner;
    this.#clock = clock;
  }

  get metadata(): ConnectionMetadata {
    return this.#inner.metadata;
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  async read(tags: TagRequest): Promise<ReadResponse> {
    this.#checkOpen("read");
    if (!this.metadata.canRead) throw new UnsupportedOperationError("read", this.metadata.protocol);
    const { valid, failures, validAliases, aliases } = this.#reads.get(tags);
    const answered = valid.size > 0 ? await this.#inner.read(valid) : {};
    // The usual case, every tag parsed and answered: the driver's answer is the response (1,000 tags per cycle).
    if (failures.size === 0 && answersAll(answered, validAliases)) return answered;
    const sampledAt = this.#clock();
    const out: Record<string, TagReading> = {};
    for (const alias of aliases) {
      const failure = failures.get(alias);
      out[alias] = failure
        ? { ...failure, quality: "BAD", sampledAt }
        : (answered[alias] ?? { ...missingResult(alias), quality: "BAD", sampledAt });
    }
    return out;
  }

  async write(tags: WriteRequest): Promise<WriteResponse> {
    this.#checkOpen("write");
    if (!this.metadata.canWrite) throw new UnsupportedOperationError("write", this.metadata.protocol);
    const entries = Object.entries(tags);
    const { valid, failures } = this.#parseAll(entries.map(([alias, tag]) => [alias, tag?.address]));
    const writes = new Map<string, ParsedTagWrite<A>>();
    for (const [alias, tag] of entries) {
      const address = valid.get(alias);
      if (address !== undefined) writes.set(alias, { address, value: tag.value });
    }
    const answered = writes.size > 0 ? await this.#inner.write(writes) : {};
    const out: Record<string, TagWriteResult> = {};
    for (const [alias] of entries) out[alias] = failures.get(alias) ?? answered[alias] ?? missingResult(alias);
    return out;
  }

  async subscribe(tags: TagRequest, handler: SubscriptionHandler, options: SubscribeOptions): Promise<Subscription> {
    this.#checkOpen("subscribe");
    const { protocol, subscriptionModes } = this.metadata;
    if (!subscriptionModes.includes(options.mode)) {
      const supported = subscriptionModes.length === 0 ? "none" : subscriptionModes.join(", ");
      throw new UnsupportedOperationError("subscribe", protocol, `mode '${options.mode}' (supported: ${supported})`);
    }
    if (options.mode !== "event") checkInterval(options.intervalMs);
    const { valid, failures } = this.#parseAll(Object.entries(tags));
    const rejected = Object.fromEntries(failures);
    const aliases = [...valid.keys()];
    const state = { active: true };
    let driverSubscription: DriverSubscription | undefined;
    if (valid.size > 0) {
      driverSubscription = await this.#inner.subscribe(valid, (readings) => deliver(state, handler, readings), options);
      if (this.closed) {
        // close() ran while the driver was subscribing: it could not release what did not exist yet.
        state.active = false;
        await driverSubscription.unsubscribe();
        throw new ConnectionClosedError(this.url.redacted, "subscribe");
      }
      this.#subscriptions.add(state);
    }
    let stopping: Promise<void> | undefined;
    const unsubscribe = () => {
      state.active = false;
      this.#subscriptions.delete(state);
      // After close() the driver has already released everything; asking it again would be a second release.
      stopping ??= driverSubscription && !this.closed ? driverSubscription.unsubscribe() : Promise.resolve();
      return stopping;
    };
    return { aliases, rejected, unsubscribe };
  }

  async browse(): Promise<readonly BrowseItem[]> {
    this.#checkOpen("browse");
    if (!this.metadata.canBrowse) throw new UnsupportedOperationError("browse", this.metadata.protocol);
    return this.#inner.browse();
  }

  async ping(): Promise<void> {
    this.#checkOpen("ping");
    return this.#inner.ping();
  }

  close(): Promise<void> {
    if (this.#closing === undefined) {
      for (const subscription of this.#subscriptions) subscription.active = false;
      this.#subscriptions.clear();
      this.#addresses.clear();
      this.#reads.clear();
      this.#closing = this.#inner.close();
    }
    return this.#closing;
  }

  #checkOpen(operation: string): void {
    if (this.closed) throw new ConnectionClosedError(this.url.redacted, operation);
  }

  #parseRequest(aliases: readonly string[], addresses: readonly unknown[]): ParsedRead<A> {
    const { valid, failures } = this.#parseAll(aliases.map((alias, index) => [alias, addresses[index]]));
    return { valid, failures, validAliases: [...valid.keys()], aliases, addresses };
  }

  #parseAll(entries: ReadonlyArray<readonly [string, unknown]>): {
    valid: Map<string, A>;
    failures: Map<string, TagFailure>;
  } {
    const valid = new Map<string, A>();
    const failures = new Map<string, TagFailure>();
    for (const [alias, address] of entries) {
      const parsed = this.#parse(address);
      if (parsed.ok) valid.set(alias, parsed.address);
      else failures.set(alias, parsed.failure);
    }
    return { valid, failures };
  }

  #parse(address: unknown): ParsedAddress<A> {
    if (typeof address !== "string") return parseTagAddress(this.#driver, address);
    const cached = this.#addresses.get(address);
    if (cached !== undefined) return cached;
    const parsed = parseTagAddress(this.#driver, address);
    if (this.#addresses.size >= ADDRESS_CACHE_LIMIT) this.#addresses.clear();
    this.#addresses.set(address, parsed);
    return parsed;
  }
}

/**
 * Parses one address of a request with the driver's grammar. A bad address is that tag's INVALID_ADDRESS, whether or
 * not the device is reachable; only the driver's own errors count as bad addresses, anything else is a driver bug and
 * is thrown.
 */
export function parseTagAddress<A>(driver: Driver<A>, address: unknown): ParsedAddress<A> {
  if (typeof address !== "string") {
    return {
      ok: false,
      failure: { code: "INVALID_ADDRESS", message: `expected an address string, got ${typeof address}` },
    };
  }
  try {
    return { ok: true, address: driver.parseAddress(address) };
  } catch (error) {
    if (!(error instanceof PlcError)) throw error;
    return { ok: false, failure: { code: "INVALID_ADDRESS", message: error.message } };
  }
}

function deliver(state: { active: boolean }, handler: SubscriptionHandler, readings: ReadResponse): void {
  if (state.active) callApplication(handler, readings);
}

function checkInterval(intervalMs: number): void {
  if (!Number.isInteger(intervalMs) || intervalMs < 1 || intervalMs > MAX_TIMER_DELAY_MS) {
    throw new InvalidRequestError(
      `subscription intervalMs must be an integer in 1..${MAX_TIMER_DELAY_MS}, got ${intervalMs}`,
    );
  }
}

function missingResult(alias: string): TagFailure {
  return { code: "REMOTE_ERROR", message: `the driver returned no result for '${alias}'` };
}

/** True when `answered` has a reading for every alias in `asked` (plain loops: this runs on every poll). */
function answersAll(answered: ReadResponse, asked: readonly string[]): boolean {
  // Drivers answer in the order asked, so one walk over the answer's keys settles the usual case; for…in reads them
  // from the object's enumeration cache instead of building arrays. Any other answer takes the lookups one by one.
  let index = 0;
  for (const alias in answered) {
    if (alias !== asked[index] || answered[alias] === undefined) return everyAnswered(answered, asked);
    index++;
  }
  return index === asked.length || everyAnswered(answered, asked);
}

function everyAnswered(answered: ReadResponse, asked: readonly string[]): boolean {
  for (const alias of asked) if (answered[alias] === undefined) return false;
  return true;
}
