// A user's subscription as the connection manager keeps it: what to re-subscribe after a reconnect, and where to deliver.
import { callApplication } from "./application-callback.ts";
import type {
  ReadResponse,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
  TagFailure,
  TagRequest,
} from "./driver.ts";
import { type AddressCheck, unansweredReads } from "./unanswered.ts";

/**
 * Outlives the connections it runs on: `current` is the subscription on the open connection, undefined while the
 * device is down or before it is restored. Events from any connection go through `deliver`, which stops for good once
 * the user unsubscribes.
 */
export class SubscriptionRecord {
  readonly tags: TagRequest;
  readonly options: SubscribeOptions;
  readonly #handler: SubscriptionHandler;
  readonly #observe: (readings: ReadResponse) => void;
  active = true;
  /** Set when the device refused it for good (e.g. an unsupported mode after a reconnect); not retried. */
  failed = false;
  current: Subscription | undefined;
  #aliases: readonly string[] = [];
  #rejected: Readonly<Record<string, TagFailure>> = {};

  /** `observe` sees every event first (the health window counts them), even ones the handler no longer gets. */
  constructor(
    tags: TagRequest,
    handler: SubscriptionHandler,
    options: SubscribeOptions,
    observe: (readings: ReadResponse) => void,
  ) {
    this.tags = tags;
    this.options = options;
    this.#handler = handler;
    this.#observe = observe;
  }

  /** Passed to the connection as its handler; bound so it keeps working when detached from the record. */
  readonly deliver = (readings: ReadResponse): void => {
    this.#observe(readings);
    this.#handOver(readings);
  };

  get aliases(): readonly string[] {
    return this.#aliases;
  }

  get rejected(): Readonly<Record<string, TagFailure>> {
    return this.#rejected;
  }

  /** Runs on the open connection now; the first attachment fixes which aliases the user was told about. */
  attach(subscription: Subscription, first: boolean): void {
    this.current = subscription;
    if (first) {
      this.#aliases = subscription.aliases;
      this.#rejected = subscription.rejected;
    }
  }

  /** Waits for the device: aliases and refusals come from the driver's address grammar alone. */
  describeFromAddresses(check: AddressCheck): void {
    const aliases: string[] = [];
    const rejected: Record<string, TagFailure> = {};
    for (const [alias, address] of Object.entries(this.tags)) {
      const failure = check(address);
      if (failure === undefined) aliases.push(alias);
      else rejected[alias] = failure;
    }
    this.#aliases = aliases;
    this.#rejected = rejected;
  }

  /** Tells the user every alias is BAD, once, when the device goes away or refuses the subscription. */
  deliverFailure(failure: TagFailure, sampledAt: number): void {
    if (this.#aliases.length === 0) return;
    const tags = Object.fromEntries(this.#aliases.map((alias) => [alias, this.tags[alias] ?? ""]));
    this.#handOver(unansweredReads(tags, failure, () => undefined, sampledAt));
  }

  /** The object the user holds; `stop` runs at most once. */
  toSubscription(stop: () => Promise<void>): Subscription {
    let stopping: Promise<void> | undefined;
    return {
      aliases: this.#aliases,
      rejected: this.#rejected,
      unsubscribe: () => {
        this.active = false;
        stopping ??= stop();
        return stopping;
      },
    };
  }

  #handOver(readings: ReadResponse): void {
    if (this.active) callApplication(this.#handler, readings);
  }
}
