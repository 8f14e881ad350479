// The timer abstraction the connection manager schedules with, and deadlines on promises that may never settle.

/** The largest delay Node's timers accept; a longer one would silently fire at once. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** Cancels a scheduled callback; safe to call after it ran, or twice. */
export type Cancel = () => void;

/**
 * Runs `callback` once after `delayMs`. The manager takes this instead of calling setTimeout so that tests drive time
 * by hand and can count what is still scheduled.
 */
export type Schedule = (callback: () => void, delayMs: number) => Cancel;

/** Node's own timers. */
export const realSchedule: Schedule = (callback, delayMs) => {
  const timer = setTimeout(callback, delayMs);
  return () => clearTimeout(timer);
};

/** How a deadlined wait ended: with the work's value, at the deadline, or because `stopAll` gave up on it. */
export type Deadlined<T> =
  | { readonly status: "done"; readonly value: T }
  | { readonly status: "timed-out" }
  | { readonly status: "stopped" };

/**
 * Deadlines for one device's calls. Each wait keeps its timer only while it is pending, and `stopAll` ends every
 * pending wait at once, so closing a device leaves no timer behind even when a driver never answers.
 */
export class DeadlineGroup {
  readonly #schedule: Schedule;
  readonly #pending = new Set<() => void>();

  constructor(schedule: Schedule) {
    this.#schedule = schedule;
  }

  /** Waits still pending. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Waits for `work` at most `ms`. On time-out or stop the work is left running (a promise cannot be cancelled) and its
   * outcome is swallowed, so a late rejection is not reported as unhandled. A rejection within the deadline passes on.
   */
  run<T>(work: Promise<T>, ms: number): Promise<Deadlined<T>> {
    return new Promise<Deadlined<T>>((resolve, reject) => {
      let cancel: Cancel = () => {};
      const finish = (settle: () => void) => {
        if (!this.#pending.delete(stop)) return;
        cancel();
        settle();
      };
      const stop = () => finish(() => resolve({ status: "stopped" }));
      this.#pending.add(stop);
      cancel = this.#schedule(() => finish(() => resolve({ status: "timed-out" })), ms);
      work.then(
        (value) => finish(() => resolve({ status: "done", value })),
        (error: unknown) => finish(() => reject(error)),
      );
    });
  }

  /** Ends every pending wait with `stopped`. */
  stopAll(): void {
    for (const stop of [...this.#pending]) stop();
  }
}
