// Waits that a stopping sink cuts short, so that stop never waits out a retry delay or a Kafka that does not answer.
import type { Cancel, Schedule } from "../../plc/index.ts";

export class StoppableWaits {
  readonly #schedule: Schedule;
  readonly #pending = new Set<() => void>();
  #stopped = false;

  constructor(schedule: Schedule) {
    this.#schedule = schedule;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Resolves after `ms`, or at once when `stop` is called (or was). */
  wait(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let cancel: Cancel | undefined;
      const end = () => {
        this.#pending.delete(end);
        cancel?.();
        resolve();
      };
      this.#pending.add(end);
      cancel = this.#schedule(end, ms);
    });
  }

  /**
   * What `work` resolves to, or undefined as soon as `stop` is called (or was). Work left behind runs on; its outcome,
   * a rejection too, is dropped.
   */
  async until<T>(work: Promise<T>): Promise<T | undefined> {
    let end: () => void = () => {};
    const stopped = new Promise<undefined>((resolve) => {
      end = () => resolve(undefined);
    });
    this.#pending.add(end);
    if (this.#stopped) end();
    try {
      return await Promise.race([work, stopped]);
    } finally {
      this.#pending.delete(end);
    }
  }

  /** Ends every wait now and every later one at once. */
  stop(): void {
    this.#stopped = true;
    for (const end of [...this.#pending]) end();
  }
}
