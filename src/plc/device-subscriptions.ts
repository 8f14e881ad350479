// The subscriptions users made on one managed device: kept across reconnects, restored, and told BAD while it is away.
import type { Deadlined, DeadlineGroup } from "./deadline.ts";
import type {
  PlcConnection,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
  TagFailure,
  TagRequest,
} from "./driver.ts";
import { UnsupportedOperationError } from "./errors.ts";
import { type Outcome, outcomeOf } from "./health.ts";
import { SubscriptionRecord } from "./managed-subscription.ts";
import { type AddressCheck, errorMessage, isConnectionError } from "./unanswered.ts";

/** What the subscriptions need from their device. */
export interface SubscriptionHost {
  readonly deadlines: DeadlineGroup;
  readonly deadlineMs: number;
  readonly check: AddressCheck;
  readonly clock: () => number;
  /** The attempt that opened the device's open connection; undefined while none is open. */
  openGeneration(): number | undefined;
  /** The connection of `generation` failed under a subscription call. */
  lose(generation: number, reason: string): void;
  /** Counts an outcome in the device's health window. */
  record(outcome: Outcome): void;
  /** Why the device cannot be reached now. */
  unavailable(): TagFailure;
}

/** The open connection and the attempt that opened it. */
export interface OpenConnection {
  readonly connection: PlcConnection;
  readonly generation: number;
}

export class DeviceSubscriptions {
  readonly #host: SubscriptionHost;
  readonly #records = new Set<SubscriptionRecord>();

  constructor(host: SubscriptionHost) {
    this.#host = host;
  }

  /**
   * Subscribes on `open` when there is a connection, and again after every reconnect. While the device is down the
   * subscription waits: its handler hears once that every alias is BAD, and values flow again when the device is back.
   */
  async add(
    tags: TagRequest,
    handler: SubscriptionHandler,
    options: SubscribeOptions,
    open: OpenConnection | undefined,
  ): Promise<Subscription> {
    const host = this.#host;
    const record = new SubscriptionRecord(tags, handler, options, (readings) => host.record(outcomeOf(readings)));
    const attached = open !== undefined && (await this.#subscribeOn(open, record));
    if (!attached) {
      record.describeFromAddresses(host.check);
      queueMicrotask(() => {
        if (record.current === undefined && host.openGeneration() === undefined) {
          record.deliverFailure(host.unavailable(), host.clock());
        }
      });
    }
    this.#records.add(record);
    return record.toSubscription(() => this.#remove(record));
  }

  /** Subscribes every waiting record on a new connection, one after the other, while it stays the current one. */
  async restore(open: OpenConnection): Promise<void> {
    for (const record of [...this.#records]) {
      if (this.#host.openGeneration() !== open.generation) return;
      if (!record.active || record.failed || record.current !== undefined) continue;
      try {
        await this.#subscribeOn(open, record);
      } catch (error) {
        // The device answers but refuses this subscription (e.g. a mode it lost with a firmware change): retrying
        // on every reconnect would not help, so the user hears it once per alias and the record rests.
        record.failed = true;
        const code = error instanceof UnsupportedOperationError ? "UNSUPPORTED" : "REMOTE_ERROR";
        const message = `the subscription could not be restored after a reconnect: ${errorMessage(error)}`;
        record.deliverFailure({ code, message }, this.#host.clock());
      }
    }
  }

  /** The connection is gone and its subscriptions with it; every handler hears `failure` once. */
  lost(failure: TagFailure, at: number): void {
    for (const record of this.#records) {
      record.current = undefined;
      record.deliverFailure(failure, at);
    }
  }

  /** Silences every record for good; the closing connection releases what runs on it. */
  stopAll(): void {
    for (const record of this.#records) record.active = false;
    this.#records.clear();
  }

  /**
   * Subscribes `record` on `open`; true when it runs there now. Connection errors count as a loss and leave it
   * waiting; other errors (unsupported mode, bad interval) are the caller's to hear.
   */
  async #subscribeOn(open: OpenConnection, record: SubscriptionRecord): Promise<boolean> {
    const host = this.#host;
    const subscribing = open.connection.subscribe(record.tags, record.deliver, record.options);
    let outcome: Deadlined<Subscription>;
    try {
      outcome = await host.deadlines.run(subscribing, host.deadlineMs);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      host.lose(open.generation, `connection lost during subscribe: ${errorMessage(error)}`);
      return false;
    }
    if (outcome.status === "done") return this.#adopt(open.generation, record, outcome.value);
    if (outcome.status === "timed-out") {
      host.record({ ok: false, reason: `no answer to subscribe within ${host.deadlineMs} ms` });
      // Late is better than never: the subscription is taken if the record still waits on the same connection.
      void subscribing.then((late) => this.#adopt(open.generation, record, late), ignore);
    }
    return false;
  }

  #adopt(generation: number, record: SubscriptionRecord, subscription: Subscription): boolean {
    if (this.#host.openGeneration() !== generation || !record.active || record.current !== undefined) {
      void subscription.unsubscribe().catch(ignore);
      return false;
    }
    // A record not yet in the set is being added: the driver's answer fixes which aliases its user is told about.
    record.attach(subscription, !this.#records.has(record));
    return true;
  }

  async #remove(record: SubscriptionRecord): Promise<void> {
    record.active = false;
    this.#records.delete(record);
    const current = record.current;
    record.current = undefined;
    if (current === undefined) return;
    try {
      await this.#host.deadlines.run(current.unsubscribe(), this.#host.deadlineMs);
    } catch (error) {
      // A subscription on a connection that just died is gone with it.
      if (!isConnectionError(error)) throw error;
    }
  }
}

function ignore(): void {}
