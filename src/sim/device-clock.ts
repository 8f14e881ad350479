// Runs a simulated device's answers when their latency has passed, to a few hundredths of a millisecond.

/** An action waiting for its deadline: on a timer first, then on event-loop turns. */
interface Waiting {
  timer?: NodeJS.Timeout;
  immediate?: NodeJS.Immediate;
}

/**
 * Node's timers count whole milliseconds from a cached loop time, so `setTimeout(5)` fires anywhere from 4 to 6 ms
 * later. A simulated device that should answer after exactly its latency sleeps on a timer until shortly before the
 * deadline and then waits out the rest one event-loop turn at a time (I/O keeps flowing meanwhile).
 */
export class DeviceClock {
  /** How long before the deadline the timer hands over to event-loop turns: more than a timer's worst lateness. */
  static readonly HANDOVER_MS = 2;
  private readonly waiting = new Set<Waiting>();

  /** Runs `action` once `delayMs` have passed since `since` (a `performance.now()` value); never synchronously. */
  after(since: number, delayMs: number, action: () => void): void {
    const deadline = since + delayMs;
    const waiting: Waiting = {};
    const turn = (): void => {
      if (performance.now() < deadline) {
        waiting.immediate = setImmediate(turn);
        return;
      }
      this.waiting.delete(waiting);
      action();
    };
    this.waiting.add(waiting);
    const sleep = deadline - performance.now() - DeviceClock.HANDOVER_MS;
    if (sleep > 0) waiting.timer = setTimeout(turn, sleep);
    else waiting.immediate = setImmediate(turn);
  }

  /** Drops every action not yet run. */
  cancelAll(): void {
    for (const waiting of this.waiting) {
      clearTimeout(waiting.timer);
      clearImmediate(waiting.immediate);
    }
    this.waiting.clear();
  }
}
