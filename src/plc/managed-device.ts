// One shared connection to one device: opens it, tracks its health, reconnects on backoff and restores subscriptions.
import type { Backoff } from "./backoff.ts";
import { type Cancel, type Deadlined, DeadlineGroup, type Schedule } from "./deadline.ts";
import { DeviceSubscriptions } from "./device-subscriptions.ts";
import type {
  BrowseItem,
  ConnectionMetadata,
  Driver,
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
import { ConnectionClosedError, ConnectionFailedError, PlcError, UnsupportedOperationError } from "./errors.ts";
import {
  type HealthChange,
  HealthMachine,
  type HealthPolicy,
  type HealthSnapshot,
  type Outcome,
  outcomeOf,
} from "./health.ts";
import type { DriverRegistry } from "./registry.ts";
import {
  type AddressCheck,
  addressCheck,
  disconnectedFailure,
  errorMessage,
  isConnectionError,
  unansweredReads,
  unansweredWrites,
} from "./unanswered.ts";
import type { ConnectionUrl } from "./url.ts";

/** Everything a device needs from its manager. */
export interface DeviceSettings {
  readonly registry: DriverRegistry;
  readonly driver: Driver;
  /** The URL of the first user; every reconnect uses it. */
  readonly url: ConnectionUrl;
  /** The device's name for people (see `deviceIdentity`). */
  readonly name: string;
  readonly clock: () => number;
  readonly schedule: Schedule;
  readonly backoff: Backoff;
  readonly healthPolicy: HealthPolicy;
  /** The longest any call or connect attempt may take before the manager answers for the driver. */
  readonly deadlineMs: number;
  /** A connection that stays up this long resets the backoff; one that drops sooner keeps it growing. */
  readonly stableAfterMs: number;
  readonly onChange: (device: ManagedDevice, change: HealthChange) => void;
}

export class ManagedDevice {
  readonly name: string;
  /** Handles using the device, acquirers still waiting for `ready` included; the manager counts them. */
  users = 0;
  /** Settles after the first connect attempt: resolves when it worked or may work later, rejects when it never will. */
  readonly ready: Promise<void>;
  readonly #settings: DeviceSettings;
  readonly #health: HealthMachine;
  readonly #deadlines: DeadlineGroup;
  readonly #check: AddressCheck;
  readonly #subscriptions: DeviceSubscriptions;
  readonly #retiring = new Set<Promise<void>>();
  readonly #settleReady: { resolve: () => void; reject: (error: unknown) => void };
  /** Set exactly while a connection is open (health connected or degraded). */
  #connection: PlcConnection | undefined;
  #metadata: ConnectionMetadata | undefined;
  /** Bumped by every connect attempt and by close, so late callbacks of an older connection are recognised. */
  #generation = 0;
  #everConnected = false;
  #connectedAt = 0;
  #downReason = "";
  #abortConnect: AbortController | undefined;
  #cancelRetry: Cancel | undefined;
  #nextAttemptAt: number | undefined;
  #closing: Promise<void> | undefined;

  constructor(settings: DeviceSettings) {
    this.#settings = settings;
    this.name = settings.name;
    this.#health = new HealthMachine(settings.healthPolicy, settings.clock());
    this.#deadlines = new DeadlineGroup(settings.schedule);
    this.#check = addressCheck(settings.driver);
    this.#subscriptions = new DeviceSubscriptions({
      deadlines: this.#deadlines,
      deadlineMs: settings.deadlineMs,
      check: this.#check,
      clock: settings.clock,
      openGeneration: () => (this.#health.isOpen ? this.#generation : undefined),
      lose: (generation, reason) => this.#lose(generation, reason),
      record: (outcome) => this.#record(outcome),
      unavailable: () => this.#unavailable(),
    });
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.ready = promise;
    this.#settleReady = { resolve, reject };
  }

  /** Makes the first connect attempt; `ready` tells how it went. */
  start(): void {
    void this.#attempt("first connection attempt");
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** What the last open connection could do; undefined until one opened. */
  get metadata(): ConnectionMetadata | undefined {
    return this.#metadata;
  }

  snapshot(): HealthSnapshot {
    const { failures, samples } = this.#health.window;
    return {
      device: this.name,
      state: this.#health.state,
      since: this.#health.since,
      reason: this.#health.reason,
      downSince: this.#health.downSince,
      failures,
      samples,
      attempt: this.#settings.backoff.attempt,
      nextAttemptAt: this.#nextAttemptAt,
      users: this.users,
    };
  }

  read(tags: TagRequest): Promise<ReadResponse> {
    const answer = (failure: TagFailure) => unansweredReads(tags, failure, this.#check, this.#settings.clock());
    return this.#call("read", (connection) => connection.read(tags), answer, outcomeOf);
  }

  write(tags: WriteRequest): Promise<WriteResponse> {
    const answer = (failure: TagFailure) => {
      const message =
        failure.code === "TIMEOUT"
          ? `${failure.message}; the write may or may not have taken effect`
          : `not written: ${failure.message}`;
      return unansweredWrites(tags, { ...failure, message }, this.#check);
    };
    return this.#call("write", (connection) => connection.write(tags), answer, outcomeOf);
  }

  browse(): Promise<readonly BrowseItem[]> {
    return this.#call("browse", (connection) => connection.browse(), this.#refuse, succeeded);
  }

  ping(): Promise<void> {
    return this.#call("ping", (connection) => connection.ping(), this.#refuse, succeeded);
  }

  /** See DeviceSubscriptions.add; refuses a mode the last connection said it cannot do. */
  async subscribe(tags: TagRequest, handler: SubscriptionHandler, options: SubscribeOptions): Promise<Subscription> {
    const metadata = this.#metadata;
    if (metadata !== undefined && !metadata.subscriptionModes.includes(options.mode)) {
      throw new UnsupportedOperationError("subscribe", metadata.protocol, `mode '${options.mode}'`);
    }
    const connection = this.#connection;
    const open = connection === undefined ? undefined : { connection, generation: this.#generation };
    return this.#subscriptions.add(tags, handler, options, open);
  }

  /** Stops everything: retries, subscriptions, the connection; waits (bounded) for the driver to close. */
  close(reason: string): Promise<void> {
    this.#closing ??= this.#shutDown(reason);
    return this.#closing;
  }

  async #shutDown(reason: string): Promise<void> {
    this.#generation++;
    this.#cancelRetry?.();
    this.#cancelRetry = undefined;
    this.#nextAttemptAt = undefined;
    this.#abortConnect?.abort();
    this.#change(this.#health.closed(this.#settings.clock(), reason));
    this.#settleReady.reject(new ConnectionClosedError(this.name, "connect"));
    this.#subscriptions.stopAll();
    const connection = this.#connection;
    this.#connection = undefined;
    const closing = connection && this.#deadlines.run(connection.close(), this.#settings.deadlineMs);
    await Promise.allSettled([...this.#retiring, closing]);
    // Whatever still waits (a call the driver never answers, a connect that ignores its abort signal) ends here,
    // and its deadline timer with it.
    this.#deadlines.stopAll();
  }

  async #attempt(reason: string): Promise<void> {
    const generation = ++this.#generation;
    const abort = new AbortController();
    this.#abortConnect = abort;
    this.#change(this.#health.connecting(this.#settings.clock(), reason));
    let lostEarly: Error | undefined;
    const onLost = (error: Error) => {
      if (generation !== this.#generation) return;
      if (this.#health.isOpen) this.#lose(generation, `connection lost: ${error.message}`);
      else lostEarly ??= error;
    };
    const { registry, url, clock, deadlineMs } = this.#settings;
    const connecting = registry.connect(url, { clock, signal: abort.signal, onLost });
    let outcome: Deadlined<PlcConnection>;
    try {
      outcome = await this.#deadlines.run(connecting, deadlineMs);
    } catch (error) {
      if (generation === this.#generation) this.#attemptFailed(error);
      return;
    } finally {
      if (this.#abortConnect === abort) this.#abortConnect = undefined;
    }
    if (outcome.status !== "done") {
      abort.abort();
      // A connection that opens after the manager gave up on it would never be closed otherwise.
      void connecting.then((late) => this.#retire(late), ignore);
      if (generation === this.#generation) {
        this.#attemptFailed(new ConnectionFailedError(this.name, `no connection within ${deadlineMs} ms`));
      }
      return;
    }
    const connection = outcome.value;
    if (generation !== this.#generation || lostEarly !== undefined) {
      this.#retire(connection);
      if (lostEarly !== undefined && generation === this.#generation) this.#attemptFailed(lostEarly);
      return;
    }
    this.#opened(connection, generation);
    await this.#subscriptions.restore({ connection, generation });
  }

  #opened(connection: PlcConnection, generation: number): void {
    const failed = this.#settings.backoff.attempt;
    this.#connection = connection;
    this.#metadata = connection.metadata;
    this.#connectedAt = this.#settings.clock();
    const reason = this.#everConnected ? "reconnected" : "connected";
    this.#everConnected = true;
    this.#change(this.#health.connected(this.#connectedAt, failed > 0 ? `${reason} after ${failed} failures` : reason));
    // Listeners may have released the device or lost the connection in the meantime; only a live one settles `ready`.
    if (generation === this.#generation) this.#settleReady.resolve();
  }

  #attemptFailed(error: unknown): void {
    // Before the first success a wrong URL or option is a configuration mistake that no retry will fix; after it, the
    // same URL worked once, so any failure is worth retrying.
    const permanent = !this.#everConnected && error instanceof PlcError && !isConnectionError(error);
    this.#downReason = errorMessage(error);
    this.#change(this.#health.disconnected(this.#settings.clock(), this.#downReason));
    if (permanent) {
      this.#settleReady.reject(error);
      return;
    }
    this.#settleReady.resolve();
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#closing !== undefined) return;
    const delay = this.#settings.backoff.next();
    const attempt = this.#settings.backoff.attempt;
    this.#nextAttemptAt = this.#settings.clock() + delay;
    this.#cancelRetry = this.#settings.schedule(() => {
      this.#cancelRetry = undefined;
      this.#nextAttemptAt = undefined;
      void this.#attempt(`reconnect attempt ${attempt}`);
    }, delay);
  }

  /** The open connection of `generation` is gone: say so, tell subscribers, and schedule the reconnect. */
  #lose(generation: number, reason: string): void {
    if (generation !== this.#generation || !this.#health.isOpen || this.#closing !== undefined) return;
    const connection = this.#connection;
    this.#connection = undefined;
    const now = this.#settings.clock();
    if (now - this.#connectedAt >= this.#settings.stableAfterMs) this.#settings.backoff.reset();
    this.#downReason = reason;
    this.#change(this.#health.disconnected(now, reason));
    if (connection !== undefined) this.#retire(connection);
    this.#subscriptions.lost(this.#unavailable(), now);
    this.#scheduleRetry();
  }

  /** Closes a connection the device no longer uses, bounded by the deadline so a stuck driver cannot hold close(). */
  #retire(connection: PlcConnection): void {
    if (this.#closing !== undefined) {
      void connection.close().catch(ignore);
      return;
    }
    const closing = this.#deadlines.run(connection.close(), this.#settings.deadlineMs).then(ignore, ignore);
    this.#retiring.add(closing);
    void closing.then(() => this.#retiring.delete(closing));
  }

  /**
   * Runs one call on the open connection, bounded by the deadline. Without a connection, or when the connection drops
   * or the deadline passes, `answer` turns the failure into the call's result (per-tag codes) or throws it.
   */
  async #call<T>(
    operation: string,
    run: (connection: PlcConnection) => Promise<T>,
    answer: (failure: TagFailure) => T,
    judge: (value: T) => Outcome,
  ): Promise<T> {
    const connection = this.#connection;
    if (connection === undefined) return answer(this.#unavailable());
    const generation = this.#generation;
    let outcome: Deadlined<T>;
    try {
      outcome = await this.#deadlines.run(run(connection), this.#settings.deadlineMs);
    } catch (error) {
      if (isConnectionError(error)) {
        this.#lose(generation, `connection lost during ${operation}: ${errorMessage(error)}`);
        return answer(this.#unavailable());
      }
      // Typed refusals (unsupported operation, bad request) say nothing about the device; anything else is a failure.
      if (!(error instanceof PlcError))
        this.#record({ ok: false, reason: `${operation} failed: ${errorMessage(error)}` });
      throw error;
    }
    if (outcome.status === "done") {
      this.#record(judge(outcome.value));
      return outcome.value;
    }
    if (outcome.status === "stopped") {
      return answer({ code: "REMOTE_ERROR", message: `${this.name} was closed before the device answered` });
    }
    const message = `no answer from ${this.name} to ${operation} within ${this.#settings.deadlineMs} ms`;
    this.#record({ ok: false, reason: message });
    return answer({ code: "TIMEOUT", message });
  }

  /** Why a call cannot reach the device now. */
  #unavailable(): TagFailure {
    if (this.#closing !== undefined) return { code: "REMOTE_ERROR", message: `${this.name} is closed` };
    return disconnectedFailure({
      device: this.name,
      downSince: this.#health.downSince ?? this.#settings.clock(),
      reason: this.#downReason,
      reconnecting: this.#health.state === "connecting",
      nextAttemptAt: this.#nextAttemptAt,
    });
  }

  readonly #refuse = (failure: TagFailure): never => {
    throw new ConnectionFailedError(this.name, failure.message);
  };

  #record(outcome: Outcome): void {
    this.#change(this.#health.record(outcome, this.#settings.clock()));
  }

  #change(change: HealthChange | undefined): void {
    if (change !== undefined) this.#settings.onChange(this, change);
  }
}

function succeeded(): Outcome {
  return { ok: true };
}

function ignore(): void {}
