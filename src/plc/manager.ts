// The connection manager everything above the drivers uses: one shared connection per device, health, reconnects.
import { callApplication } from "./application-callback.ts";
import { Backoff, type BackoffPolicy, checkBackoffPolicy, DEFAULT_BACKOFF, type RandomSource } from "./backoff.ts";
import { MAX_TIMER_DELAY_MS, realSchedule, type Schedule } from "./deadline.ts";
import { deviceIdentity } from "./device-key.ts";
import type {
  BrowseItem,
  ConnectionMetadata,
  ReadResponse,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
  TagRequest,
  WriteRequest,
  WriteResponse,
} from "./driver.ts";
import { ConnectionClosedError, InvalidRequestError } from "./errors.ts";
import {
  DEFAULT_HEALTH_POLICY,
  type HealthEvent,
  type HealthPolicy,
  type HealthSnapshot,
  healthPolicyProblem,
} from "./health.ts";
import { ManagedDevice } from "./managed-device.ts";
import type { DriverRegistry } from "./registry.ts";
import { errorMessage } from "./unanswered.ts";
import { type ConnectionUrl, parseConnectionUrl } from "./url.ts";

export type HealthListener = (event: HealthEvent) => void;

export interface ConnectionManagerOptions {
  /** The drivers to connect with; `fabrik/plc` exports the default one as `drivers`. */
  readonly registry: DriverRegistry;
  /** Milliseconds since the epoch, for events and `sampledAt`; Date.now by default. */
  readonly clock?: () => number;
  /** Timers for reconnects and deadlines; Node's by default. */
  readonly schedule?: Schedule;
  /** Jitter for the backoff; Math.random by default. */
  readonly random?: RandomSource;
  readonly backoff?: Partial<BackoffPolicy>;
  readonly health?: Partial<HealthPolicy>;
  /**
   * The most any call or connect attempt may take before the manager answers TIMEOUT itself. By default twice the
   * URL's `request-timeout` (5000 ms when absent) plus one second: the driver's own timeout should always fire first,
   * this only guards against a driver that never answers.
   */
  readonly callDeadlineMs?: number;
  /** How long a connection must stay up before the backoff starts again from its base; `backoff.capMs` by default. */
  readonly stableAfterMs?: number;
}

/** A user's hold on a shared device connection. Calls never hang and never return stale values as GOOD. */
export interface ManagedConnection {
  /** The URL this user acquired with; log `url.redacted`. */
  readonly url: ConnectionUrl;
  /** The shared device's name, as events and snapshots give it. */
  readonly device: string;
  /** What the device's connection can do; undefined until a connection has opened once. */
  readonly metadata: ConnectionMetadata | undefined;
  readonly health: HealthSnapshot;
  readonly released: boolean;
  /** Per-tag results; while the device is down every tag is BAD with REMOTE_ERROR saying since when. */
  read(tags: TagRequest): Promise<ReadResponse>;
  /** Per-tag results; nothing is queued while the device is down (a late write to a machine is worse than none). */
  write(tags: WriteRequest): Promise<WriteResponse>;
  /**
   * Survives reconnects: restored on every new connection. While the device is down the handler hears once that every
   * alias is BAD. Without a connection yet, `aliases`/`rejected` come from the driver's address grammar alone.
   */
  subscribe(tags: TagRequest, handler: SubscriptionHandler, options: SubscribeOptions): Promise<Subscription>;
  /** Rejects with ConnectionFailedError while the device is down. */
  browse(): Promise<readonly BrowseItem[]>;
  ping(): Promise<void>;
  /** Health changes of this device until the handle is released; returns the function that stops them. */
  onHealth(listener: HealthListener): () => void;
  /** Stops this user's subscriptions; the last release closes the connection. Safe to call twice. */
  release(): Promise<void>;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
const DEADLINE_MARGIN_MS = 1000;

export class ConnectionManager {
  readonly #registry: DriverRegistry;
  readonly #clock: () => number;
  readonly #schedule: Schedule;
  readonly #random: RandomSource;
  readonly #backoff: BackoffPolicy;
  readonly #health: HealthPolicy;
  readonly #callDeadlineMs: number | undefined;
  readonly #stableAfterMs: number;
  readonly #devices = new Map<string, ManagedDevice>();
  readonly #listeners = new Set<HealthListener>();
  readonly #deviceListeners = new Map<ManagedDevice, Set<HealthListener>>();
  #closing: Promise<void> | undefined;

  /** Throws InvalidRequestError for an option out of range. */
  constructor(options: ConnectionManagerOptions) {
    this.#registry = options.registry;
    this.#clock = options.clock ?? Date.now;
    this.#schedule = options.schedule ?? realSchedule;
    this.#random = options.random ?? Math.random;
    this.#backoff = checkBackoffPolicy({ ...DEFAULT_BACKOFF, ...options.backoff });
    this.#health = { ...DEFAULT_HEALTH_POLICY, ...options.health };
    const problem = healthPolicyProblem(this.#health);
    if (problem !== undefined) throw new InvalidRequestError(`health ${problem}`);
    this.#callDeadlineMs = checkPositive("callDeadlineMs", options.callDeadlineMs);
    this.#stableAfterMs = checkPositive("stableAfterMs", options.stableAfterMs) ?? this.#backoff.capMs;
  }

  /**
   * A handle on the device `url` names, sharing the connection with every other handle on the same device (see
   * `deviceIdentity`). The first acquire opens the connection and resolves after the first attempt: connected, or
   * disconnected with reconnects scheduled when the device is unreachable. Rejects with InvalidUrlError,
   * UnknownProtocolError or the driver's option errors, which no reconnect would fix.
   */
  async acquire(url: string | ConnectionUrl): Promise<ManagedConnection> {
    const parsed = typeof url === "string" ? parseConnectionUrl(url) : url;
    if (this.#closing !== undefined) throw new ConnectionClosedError(parsed.redacted, "acquire");
    const driver = this.#registry.driver(parsed.protocol);
    const identity = deviceIdentity(parsed, driver);
    let device = this.#devices.get(identity.key);
    if (device === undefined) {
      device = new ManagedDevice({
        registry: this.#registry,
        driver,
        url: parsed,
        name: identity.name,
        clock: this.#clock,
        schedule: this.#schedule,
        backoff: new Backoff(this.#backoff, this.#random),
        healthPolicy: this.#health,
        deadlineMs: this.#callDeadlineMs ?? defaultDeadlineMs(parsed),
        stableAfterMs: this.#stableAfterMs,
        onChange: (changed, change) => this.#emit(changed, { device: changed.name, ...change }),
      });
      this.#devices.set(identity.key, device);
      device.start();
    }
    device.users++;
    try {
      await device.ready;
    } catch (error) {
      await this.#release(identity.key, device, `could not be opened: ${errorMessage(error)}`);
      throw error;
    }
    const shared = device;
    return new DeviceHandle(parsed, shared, {
      release: () => this.#release(identity.key, shared, "released by its last user"),
      listen: (listener) => this.#listen(shared, listener),
    });
  }

  /** Where every device stands, in the order they were first acquired. */
  devices(): HealthSnapshot[] {
    return [...this.#devices.values()].map((device) => device.snapshot());
  }

  /** Health changes of every device; returns the function that stops them. */
  onHealth(listener: HealthListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Closes every device, whoever holds handles on it; later acquires are refused. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const devices = [...this.#devices.values()];
      this.#devices.clear();
      await Promise.all(devices.map((device) => device.close("the connection manager closed")));
    })();
    return this.#closing;
  }

  #listen(device: ManagedDevice, listener: HealthListener): () => void {
    let listeners = this.#deviceListeners.get(device);
    if (listeners === undefined) {
      listeners = new Set();
      this.#deviceListeners.set(device, listeners);
    }
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  async #release(key: string, device: ManagedDevice, reason: string): Promise<void> {
    device.users--;
    if (device.users > 0) return;
    if (this.#devices.get(key) === device) this.#devices.delete(key);
    await device.close(reason);
    this.#deviceListeners.delete(device);
  }

  #emit(device: ManagedDevice, event: HealthEvent): void {
    for (const listener of [...(this.#deviceListeners.get(device) ?? []), ...this.#listeners]) {
      callApplication(listener, event);
    }
  }
}

/** What a handle may ask of its manager. */
interface HandleHooks {
  readonly release: () => Promise<void>;
  readonly listen: (listener: HealthListener) => () => void;
}

class DeviceHandle implements ManagedConnection {
  readonly url: ConnectionUrl;
  readonly #device: ManagedDevice;
  readonly #hooks: HandleHooks;
  readonly #subscriptions = new Set<Subscription>();
  readonly #stopListening = new Set<() => void>();
  #releasing: Promise<void> | undefined;

  constructor(url: ConnectionUrl, device: ManagedDevice, hooks: HandleHooks) {
    this.url = url;
    this.#device = device;
    this.#hooks = hooks;
  }

  get device(): string {
    return this.#device.name;
  }

  get metadata(): ConnectionMetadata | undefined {
    return this.#device.metadata;
  }

  get health(): HealthSnapshot {
    return this.#device.snapshot();
  }

  get released(): boolean {
    return this.#releasing !== undefined || this.#device.closed;
  }

  async read(tags: TagRequest): Promise<ReadResponse> {
    this.#checkOpen("read");
    return this.#device.read(tags);
  }

  async write(tags: WriteRequest): Promise<WriteResponse> {
    this.#checkOpen("write");
    return this.#device.write(tags);
  }

  async subscribe(tags: TagRequest, handler: SubscriptionHandler, options: SubscribeOptions): Promise<Subscription> {
    this.#checkOpen("subscribe");
    const inner = await this.#device.subscribe(tags, handler, options);
    let stopping: Promise<void> | undefined;
    const subscription: Subscription = {
      aliases: inner.aliases,
      rejected: inner.rejected,
      unsubscribe: () => {
        this.#subscriptions.delete(subscription);
        stopping ??= inner.unsubscribe();
        return stopping;
      },
    };
    this.#subscriptions.add(subscription);
    if (this.#releasing !== undefined) {
      // Released while subscribing: release() could not stop what did not exist yet.
      await subscription.unsubscribe();
      throw new ConnectionClosedError(this.#device.name, "subscribe");
    }
    return subscription;
  }

  async browse(): Promise<readonly BrowseItem[]> {
    this.#checkOpen("browse");
    return this.#device.browse();
  }

  async ping(): Promise<void> {
    this.#checkOpen("ping");
    return this.#device.ping();
  }

  onHealth(listener: HealthListener): () => void {
    this.#checkOpen("listen to health of");
    const stop = this.#hooks.listen(listener);
    this.#stopListening.add(stop);
    return () => {
      this.#stopListening.delete(stop);
      stop();
    };
  }

  release(): Promise<void> {
    this.#releasing ??= (async () => {
      for (const stop of this.#stopListening) stop();
      this.#stopListening.clear();
      await Promise.allSettled([...this.#subscriptions].map((subscription) => subscription.unsubscribe()));
      await this.#hooks.release();
    })();
    return this.#releasing;
  }

  #checkOpen(operation: string): void {
    if (this.released) throw new ConnectionClosedError(this.#device.name, operation);
  }
}

/** The safety-net deadline for a device: see ConnectionManagerOptions.callDeadlineMs. */
export function defaultDeadlineMs(url: ConnectionUrl): number {
  let requestTimeout = DEFAULT_REQUEST_TIMEOUT_MS;
  try {
    requestTimeout = url.options.durationMs("request-timeout") ?? requestTimeout;
  } catch {
    // A malformed value is the driver's to report, with its column, when it connects.
  }
  return 2 * requestTimeout + DEADLINE_MARGIN_MS;
}

function checkPositive(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_TIMER_DELAY_MS) {
    const range = `1..${MAX_TIMER_DELAY_MS}`;
    throw new InvalidRequestError(`${name} must be an integer number of milliseconds in ${range}, got ${value}`);
  }
  return value;
}
