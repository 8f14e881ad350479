// Keeps a stream of similar warnings (dead letters, a broker away) from flooding the log: the first at once, then summaries.
import type { Cancel, Schedule } from "../../plc/index.ts";

export interface WarningLimiterOptions {
  readonly warn: (message: string) => void;
  /** At most one line per this many ms after the first. */
  readonly windowMs: number;
  readonly schedule: Schedule;
  /** The line for `count` warnings held back during a window, `latest` being the last of them. */
  readonly summary: (count: number, latest: string) => string;
}

/**
 * The first warning is said at once and opens a window; those that follow within it are counted, and said as one
 * summary line when it closes (which opens the next window). A window without warnings ends the run, so the next
 * warning is said at once again.
 */
export class WarningLimiter {
  readonly #options: WarningLimiterOptions;
  #cancel: Cancel | undefined;
  #held = 0;
  #latest = "";

  constructor(options: WarningLimiterOptions) {
    this.#options = options;
  }

  warn(message: string): void {
    if (this.#cancel === undefined) {
      this.#options.warn(message);
      this.#open();
      return;
    }
    this.#held++;
    this.#latest = message;
  }

  /** Says what is held back now and stops the timer. */
  stop(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    this.#sayHeld();
  }

  #open(): void {
    this.#cancel = this.#options.schedule(() => {
      this.#cancel = undefined;
      if (this.#held === 0) return;
      this.#sayHeld();
      this.#open();
    }, this.#options.windowMs);
  }

  #sayHeld(): void {
    if (this.#held === 0) return;
    const line = this.#options.summary(this.#held, this.#latest);
    this.#held = 0;
    this.#latest = "";
    this.#options.warn(line);
  }
}
