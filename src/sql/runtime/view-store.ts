// The materialized rows of a table result, per partition and together: what pull queries read.

import type { Row } from "../expressions/scope.ts";
import { keyText } from "./key-text.ts";
import type { MaterializedView, ResultRow } from "./pipeline.ts";
import type { WindowBounds } from "./windowed-key.ts";

/**
 * One partition's current output rows: by key text, and for windowed results by key text then window start (one key
 * never has two windows with one start: sessions of a key do not overlap). A row is here exactly when the table result
 * holds it, which also tells the pipeline whether a removal needs a tombstone.
 */
export class ViewStore {
  readonly #rows = new Map<string, ResultRow>();
  readonly #windows = new Map<string, Map<number, ResultRow>>();

  set(text: string, row: ResultRow): void {
    if (row.window === undefined) {
      this.#rows.set(text, row);
      return;
    }
    let windows = this.#windows.get(text);
    if (windows === undefined) {
      windows = new Map();
      this.#windows.set(text, windows);
    }
    windows.set(row.window.start, row);
  }

  /** Removes the row of that key and window (both bounds must match); false when it was not there. */
  delete(text: string, window: WindowBounds | undefined): boolean {
    if (window === undefined) return this.#rows.delete(text);
    const windows = this.#windows.get(text);
    if (windows?.get(window.start)?.window?.end !== window.end) return false;
    windows.delete(window.start);
    if (windows.size === 0) this.#windows.delete(text);
    return true;
  }

  get(text: string, from: number, to: number, into: ResultRow[]): void {
    const row = this.#rows.get(text);
    if (row !== undefined) into.push(row);
    const windows = this.#windows.get(text);
    if (windows === undefined) return;
    for (const windowed of windows.values()) {
      const start = windowed.window!.start;
      if (start >= from && start <= to) into.push(windowed);
    }
  }

  *rows(): Iterable<ResultRow> {
    yield* this.#rows.values();
    for (const windows of this.#windows.values()) yield* windows.values();
  }
}

/** The view over every assigned partition; a key lives in one partition, so lookups ask each in turn. */
export function viewOver(partitions: () => Iterable<{ readonly view: ViewStore }>): MaterializedView {
  return {
    get(key: Row, windowStart?: { readonly from?: number; readonly to?: number }): ResultRow[] {
      const text = keyText(key);
      const found: ResultRow[] = [];
      const from = windowStart?.from ?? Number.NEGATIVE_INFINITY;
      const to = windowStart?.to ?? Number.POSITIVE_INFINITY;
      for (const state of partitions()) state.view.get(text, from, to, found);
      return found.sort((a, b) => (a.window?.start ?? 0) - (b.window?.start ?? 0));
    },
    *scan(): Iterable<ResultRow> {
      for (const state of partitions()) yield* state.view.rows();
    },
  };
}
