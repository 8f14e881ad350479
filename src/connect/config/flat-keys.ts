// A flat key/value configuration (PLC4X's properties or Kafka Connect's JSON map) with where each key was written.
import type { Located } from "./draft.ts";
import type { ProblemList, Where } from "./errors.ts";
import { describeValue } from "./units.ts";

/** One key as written: a properties line, or a member of a JSON map. */
export interface FlatEntry {
  readonly key: string;
  readonly value: unknown;
  readonly line?: number;
  readonly column?: number;
}

/**
 * The keys of a flat configuration, read the way Kafka's ConfigDef reads them: values trimmed, lists split at commas.
 * Remembers which keys were read, so that the rest can be reported as unknown or noted as ignored.
 */
export class FlatKeys {
  readonly #entries = new Map<string, Located>();
  readonly #used = new Set<string>();
  readonly #problems: ProblemList;

  constructor(entries: readonly FlatEntry[], problems: ProblemList, notes: string[]) {
    this.#problems = problems;
    for (const entry of entries) {
      const where: Where = {
        path: entry.key,
        ...(entry.line === undefined ? {} : { line: entry.line }),
        ...(entry.column === undefined ? {} : { column: entry.column }),
      };
      // Kafka Connect takes a null value as the key not being set; so does Fabrik.
      if (entry.value === null || entry.value === undefined) continue;
      const value = scalarText(entry.value);
      if (value === undefined) {
        problems.add(where, `expected a string, found ${describeValue(entry.value)}`);
        continue;
      }
      const earlier = this.#entries.get(entry.key);
      if (earlier?.line !== undefined && entry.line !== undefined) {
        notes.push(
          `${entry.key} is given twice (lines ${earlier.line} and ${entry.line}); the last one counts, as in Java`,
        );
      }
      this.#entries.set(entry.key, { ...where, value });
    }
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** The value of `key` (marked as read), or undefined when absent. */
  get(key: string): Located | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined) this.#used.add(key);
    return entry;
  }

  /** Where `key` is written; for an absent key, where `near` is (the key that made it expected), by the name `key`. */
  where(key: string, near?: string): Where {
    const entry = this.#entries.get(key) ?? (near === undefined ? undefined : this.#entries.get(near));
    if (entry === undefined) return { path: key };
    const { line, column } = entry;
    return { path: key, ...(line === undefined ? {} : { line }), ...(column === undefined ? {} : { column }) };
  }

  /** A comma-separated list, each item located at the list's key; empty when absent. Empty items are problems. */
  list(key: string): Located[] {
    const entry = this.get(key);
    if (entry === undefined || typeof entry.value !== "string" || entry.value === "") return [];
    const items = entry.value.split(",").map((item) => item.trim());
    if (items.includes("")) this.#problems.add(entry, "an empty name in the comma-separated list");
    return items.filter((item) => item !== "").map((item) => ({ ...entry, value: item }));
  }

  /** Keys under `prefix` (e.g. `jobs.dashboard.tags.`) not read yet. */
  unread(prefix = ""): string[] {
    return [...this.#entries.keys()].filter((key) => key.startsWith(prefix) && !this.#used.has(key));
  }

  /** Marks a key as dealt with (noted or reported) without reading it. */
  markRead(key: string): void {
    this.#used.add(key);
  }
}

/** Kafka trims every value; a JSON map may hold numbers and booleans, which Connect reads as their text. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}
