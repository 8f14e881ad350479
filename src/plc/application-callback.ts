// Calls the application's handlers and listeners so that one that throws cannot break the code that calls it.

/**
 * Calls `callback` with `value`. A throwing callback is the application's bug: its error is rethrown on a microtask,
 * where Node reports it as it does for any callback, instead of unwinding through the caller (a driver's timer or
 * socket code, the manager's bookkeeping), whose state must stay consistent and whose other callbacks must still run.
 */
export function callApplication<T>(callback: (value: T) => void, value: T): void {
  try {
    callback(value);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
