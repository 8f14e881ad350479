// Runs a simulated device's answers when their latency has passed, to a few hundredths of a millisecond.

/** An action and when it is due (a `performance.now()` value). */
interface Due {
  readonly deadline: number;
  readonly action: () => void;
}

/**
 * Node's timers count whole milliseconds from a cached loop time, so `setTimeout(5)` fires anywhere from 4 to 6 ms
 * later. A simulated device that should answer after exactly its latency sleeps on one timer until shortly before the
 * earliest deadline and then waits out the rest one event-loop turn at a time (I/O keeps flowing meanwhile). All
 * actions wait in one queue ordered by deadline, so whatever the timers do (a stall, timers of different lengths that
 * expire together) they run in deadline order, and those with the same deadline in the order they were given.
 */
export class DeviceClock {
  /** How long before the deadline the timer hands over to event-loop turns: more than a timer's worst lateness. */
  static readonly HANDOVER_MS = 2;
  #queue: Due[] = [];
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;

  /** Runs `action` once `delayMs` have passed since `since` (a `performance.now()` value); never synchronously. */
  after(since: number, delayMs: number, action: () => void): void {
    const deadline = since + delayMs;
    let at = this.#queue.length;
    while (at > 0 && this.#queue[at - 1]!.deadline > deadline) at--;
    this.#queue.splice(at, 0, { deadline, action });
    this.#schedule();
  }

  /** Drops every action not yet run. */
  cancelAll(): void {
    this.#queue = [];
    clearTimeout(this.#timer);
    clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
  }

  /** Sleeps until shortly before the earliest deadline, or takes turns when it is that close already. */
  #schedule(): void {
    if (this.#immediate !== undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const first = this.#queue[0];
    if (first === undefined) return;
    const sleep = first.deadline - performance.now() - DeviceClock.HANDOVER_MS;
    if (sleep > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#immediate = setImmediate(this.#turn);
      }, sleep);
    } else {
      this.#immediate = setImmediate(this.#turn);
    }
  }

  readonly #turn = (): void => {
    this.#immediate = undefined;
    const now = performance.now();
    while (this.#queue.length > 0 && this.#queue[0]!.deadline <= now) this.#queue.shift()!.action();
    this.#schedule();
  };
}
