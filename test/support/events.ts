// Waiting for a condition that only changes when an emitter says so: checked now and after each event, never polled.
import type { EventEmitter } from "node:events";

/**
 * Resolves with `condition()`'s first truthy value, checking it now and after every `event` from any of `emitters`;
 * fails naming `what` after `timeoutMs`.
 */
export function whenEvent<T>(
  what: string,
  emitters: readonly EventEmitter[],
  event: string,
  condition: () => T | undefined | false,
  timeoutMs = 30_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const check = () => {
      let value: T | undefined | false;
      try {
        value = condition();
      } catch (error) {
        finish();
        reject(error);
        return;
      }
      if (value !== undefined && value !== false) {
        finish();
        resolve(value);
      }
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      for (const emitter of emitters) emitter.off(event, check);
    };
    for (const emitter of emitters) emitter.on(event, check);
    check();
  });
}
