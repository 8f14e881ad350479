// Hand-driven time for connection manager tests: a clock and timers that only move when the test says so.
import type { Schedule } from "../../src/plc/deadline.ts";

interface Timer {
  readonly at: number;
  readonly order: number;
  readonly callback: () => void;
}

/** Lets every promise chain that does not wait for I/O or a timer run to its end. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class ManualTime {
  now: number;
  readonly #timers = new Set<Timer>();
  #order = 0;

  constructor(start = Date.UTC(2024, 0, 1)) {
    this.now = start;
  }

  readonly clock = (): number => this.now;

  readonly schedule: Schedule = (callback, delayMs) => {
    const timer: Timer = { at: this.now + delayMs, order: this.#order++, callback };
    this.#timers.add(timer);
    return () => {
      this.#timers.delete(timer);
    };
  };

  /** Timers scheduled and neither run nor cancelled. */
  get pending(): number {
    return this.#timers.size;
  }

  /** When the earliest pending timer fires, if any. */
  get nextAt(): number | undefined {
    return this.#earliest()?.at;
  }

  /** Moves time forward by `ms`, running due timers in order and letting the work they start finish. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    await settle();
    for (let timer = this.#earliest(); timer !== undefined && timer.at <= target; timer = this.#earliest()) {
      this.#timers.delete(timer);
      this.now = timer.at;
      timer.callback();
      await settle();
    }
    this.now = target;
    await settle();
  }

  /** Moves time to the next timer and runs it (and any due at the same instant). */
  async runNext(): Promise<void> {
    const at = this.nextAt;
    if (at === undefined) throw new Error("no timer is pending");
    await this.advance(at - this.now);
  }

  #earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.#timers) {
      if (best === undefined || timer.at < best.at || (timer.at === best.at && timer.order < best.order)) best = timer;
    }
    return best;
  }
}

/** A promise's outcome, once it has one. */
export type Settled<T> =
  | { readonly state: "pending" }
  | { readonly state: "resolved"; readonly value: T }
  | { readonly state: "rejected"; readonly error: unknown };

/**
 * Watches a promise so a test can assert that it settled by now, failing instead of waiting forever when the code
 * under test forgot to settle it.
 */
export function watch<T>(promise: Promise<T>): { readonly outcome: Settled<T>; value(): T } {
  let outcome: Settled<T> = { state: "pending" };
  promise.then(
    (value) => {
      outcome = { state: "resolved", value };
    },
    (error: unknown) => {
      outcome = { state: "rejected", error };
    },
  );
  return {
    get outcome() {
      return outcome;
    },
    value() {
      if (outcome.state === "resolved") return outcome.value;
      if (outcome.state === "rejected") throw outcome.error;
      throw new Error("the promise is still pending");
    },
  };
}
