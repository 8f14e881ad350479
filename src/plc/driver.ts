// The contracts between Fabrik and its protocol drivers, and the connection API that applications use.
import type { TagReading, TagWriteResult } from "./response.ts";
import type { ConnectionUrl } from "./url.ts";

// ---------------------------------------------------------------------------------------------------------------------
// What applications see: tags by alias with address strings, PLC4X style.
// ---------------------------------------------------------------------------------------------------------------------

/** Tags to read or subscribe to: `{ alias: address }`, e.g. `{ speed: "holding-register:20:REAL" }`. */
export type TagRequest = Readonly<Record<string, string>>;

/**
 * One tag to write. `value` is whatever the caller has (often decoded JSON); the driver checks it against the tag's type
 * and answers INVALID_DATA for that tag when it does not fit.
 */
export interface TagWrite {
  readonly address: string;
  readonly value: unknown;
}

/** Tags to write: `{ alias: { address, value } }`. */
export type WriteRequest = Readonly<Record<string, TagWrite>>;

/** A read or a subscription event: one TagReading per requested alias, failed tags included. */
export type ReadResponse = Readonly<Record<string, TagReading>>;

/** A write's outcome: one TagWriteResult per requested alias. */
export type WriteResponse = Readonly<Record<string, TagWriteResult>>;

/** Why one tag of a request was refused, e.g. `{ code: "INVALID_ADDRESS", message: "..." }`. */
export type TagFailure = Exclude<TagWriteResult, { readonly code: "OK" }>;

/**
 * How a subscription delivers values, as PLC4X names them. `cyclic`: every tag every `intervalMs`. `change-of-state`: a
 * tag when its value changed, checked every `intervalMs` (the first event carries every tag). `event`: whenever the
 * device pushes (OPC UA events, MQTT, ADS notifications).
 */
export type SubscribeOptions =
  | { readonly mode: "cyclic"; readonly intervalMs: number }
  | { readonly mode: "change-of-state"; readonly intervalMs: number }
  | { readonly mode: "event" };

export type SubscriptionMode = SubscribeOptions["mode"];

/** Receives subscription events; `readings` holds the aliases this event reports (all of them for `cyclic`). */
export type SubscriptionHandler = (readings: ReadResponse) => void;

/** A running subscription. */
export interface Subscription {
  /** Aliases the subscription delivers. */
  readonly aliases: readonly string[];
  /** Aliases refused when subscribing (bad address, unsupported type); they never appear in events. */
  readonly rejected: Readonly<Record<string, TagFailure>>;
  /** Stops delivery; no handler call happens after the returned promise settles. Safe to call twice. */
  unsubscribe(): Promise<void>;
}

/** What a connection can do; the operations it cannot do throw UnsupportedOperationError. */
export interface ConnectionMetadata {
  readonly protocol: string;
  readonly canRead: boolean;
  readonly canWrite: boolean;
  /** The subscription modes it supports; empty when it cannot subscribe. */
  readonly subscriptionModes: readonly SubscriptionMode[];
  readonly canBrowse: boolean;
}

/** One entry of a browse: something on the device that has an address. */
export interface BrowseItem {
  /** The address to use in a TagRequest. */
  readonly address: string;
  /** The device's own name for it. */
  readonly name: string;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly subscribable: boolean;
  /** Members of a structure or folder, when the protocol has them. */
  readonly children: readonly BrowseItem[];
}

/**
 * An open connection to one device. Reads and writes resolve per tag: a bad address, a type mismatch or a device error
 * on one tag is that tag's result, never a rejection of the whole call. Calls reject only for problems of the whole
 * request or connection (closed, unsupported operation, connection lost).
 */
export interface PlcConnection {
  /** The URL it was opened with; log `url.redacted`, never `url.text`. */
  readonly url: ConnectionUrl;
  readonly metadata: ConnectionMetadata;
  readonly closed: boolean;
  read(tags: TagRequest): Promise<ReadResponse>;
  write(tags: WriteRequest): Promise<WriteResponse>;
  subscribe(tags: TagRequest, handler: SubscriptionHandler, options: SubscribeOptions): Promise<Subscription>;
  browse(): Promise<readonly BrowseItem[]>;
  /** Resolves when the device answers; rejects with ConnectionFailedError when it does not. */
  ping(): Promise<void>;
  /** Stops every subscription and releases the connection. Safe to call twice. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------------
// What drivers implement: addresses arrive parsed, so a connection never parses a tag address (STYLE.md).
// ---------------------------------------------------------------------------------------------------------------------

/** What `connect()` hands to a driver besides the URL. */
export interface DriverContext {
  /** Milliseconds since the epoch; injected so tests control `sampledAt`. */
  readonly clock: () => number;
  /** Aborts a connect in progress. */
  readonly signal?: AbortSignal;
  /**
   * Drivers call this, at most once per connection, when an open connection is lost without `close()` being called
   * (the peer closed the socket, a keep-alive failed), so the connection manager reconnects at once instead of waiting
   * for the next failed request. Calls after `close()` are ignored.
   */
  readonly onLost?: (reason: Error) => void;
}

/**
 * A protocol: its URL names, its tag-address grammar, and how to open a connection. `A` is the driver's own typed
 * address (e.g. ModbusAddress).
 */
export interface Driver<A = unknown> {
  /** For messages: "Modbus TCP". */
  readonly name: string;
  /** Lower-case URL protocols it answers to: `["modbus-tcp", "modbus"]`. */
  readonly protocols: readonly string[];
  /** Transports a URL may name after `protocol:`; a URL naming another is rejected before `connect` is called. */
  readonly transports: readonly string[];
  /** Parses one tag address; throws InvalidAddressError. Must be pure: results are cached per connection. */
  parseAddress(address: string): A;
  /**
   * Checks a URL as `connect` would before opening anything (host, path, options); throws InvalidUrlError,
   * InvalidOptionError or UnknownOptionError. Lets a configuration be checked whole before any device is contacted.
   */
  checkUrl(url: ConnectionUrl): void;
  /** Opens a connection; rejects with InvalidUrlError/InvalidOptionError/UnknownOptionError or ConnectionFailedError. */
  connect(url: ConnectionUrl, context: DriverContext): Promise<DriverConnection<A>>;
}

/** A tag to write with its address already parsed. */
export interface ParsedTagWrite<A> {
  readonly address: A;
  readonly value: unknown;
}

/**
 * A driver's side of an open connection. It receives only tags whose addresses parsed, and must answer for every alias it
 * is given; the wrapper in `connection.ts` adds the refused ones, the closed-state checks and the subscription
 * bookkeeping, so each driver does not have to.
 */
export interface DriverConnection<A> {
  readonly metadata: ConnectionMetadata;
  read(tags: ReadonlyMap<string, A>): Promise<ReadResponse>;
  write(tags: ReadonlyMap<string, ParsedTagWrite<A>>): Promise<WriteResponse>;
  subscribe(
    tags: ReadonlyMap<string, A>,
    handler: SubscriptionHandler,
    options: SubscribeOptions,
  ): Promise<DriverSubscription>;
  browse(): Promise<readonly BrowseItem[]>;
  ping(): Promise<void>;
  /** Releases everything, subscriptions and their timers included. Called at most once. */
  close(): Promise<void>;
}

/** A driver's handle on a subscription; the wrapper calls `unsubscribe` at most once. */
export interface DriverSubscription {
  unsubscribe(): Promise<void>;
}
