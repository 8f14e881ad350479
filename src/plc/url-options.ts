// The `?name=value&...` options of a connection URL, with typed accessors whose errors name the option and its column.
import { MAX_TIMER_DELAY_MS } from "./deadline.ts";
import { InvalidOptionError, InvalidUrlError, UnknownOptionError } from "./errors.ts";

/** One option as written: percent-decoded name and value, and 1-based columns in the URL. */
export interface UrlOption {
  readonly name: string;
  readonly value: string;
  readonly column: number;
  readonly valueColumn: number;
}

/** Options whose values are secrets: never echoed in errors and replaced by `****` in redacted URLs. */
export function isSecretOption(name: string): boolean {
  return /password|passphrase|secret|token/i.test(name);
}

/** Inclusive bounds for integer and duration options. */
export interface OptionRange {
  readonly min: number;
  readonly max: number;
}

/**
 * A URL's options. Drivers read each one through a typed accessor (absent → the fallback, or undefined without one) and
 * then call `rejectUnknown` with the names they support, so a typo fails loudly instead of being ignored.
 */
export class UrlOptions {
  readonly #url: string;
  readonly #entries: ReadonlyMap<string, UrlOption>;

  /** `url` is used in error messages only, so pass it with secrets redacted. Duplicate names are an error. */
  constructor(url: string, entries: readonly UrlOption[]) {
    const map = new Map<string, UrlOption>();
    for (const entry of entries) {
      if (map.has(entry.name)) {
        throw new InvalidUrlError(url, entry.column, `option '${entry.name}' given twice`, "each option at most once");
      }
      map.set(entry.name, entry);
    }
    this.#url = url;
    this.#entries = map;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Option names in the order the URL gives them. */
  names(): string[] {
    return [...this.#entries.keys()];
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  /** The raw entry, with its columns, for drivers whose option syntax is their own. */
  get(name: string): UrlOption | undefined {
    return this.#entries.get(name);
  }

  string(name: string): string | undefined;
  string(name: string, fallback: string): string;
  string(name: string, fallback?: string): string | undefined {
    return this.#entries.get(name)?.value ?? fallback;
  }

  integer(name: string, range: OptionRange): number | undefined;
  integer(name: string, range: OptionRange, fallback: number): number;
  integer(name: string, range: OptionRange, fallback?: number): number | undefined {
    const entry = this.#entries.get(name);
    if (entry === undefined) return fallback;
    const expected = `an integer in ${range.min}..${range.max}`;
    if (!/^-?[0-9]+$/.test(entry.value)) throw this.#invalid(entry, expected);
    const value = Number(entry.value);
    if (value < range.min || value > range.max) throw this.#invalid(entry, expected);
    return value;
  }

  /** `true` or `false`, in any case. */
  boolean(name: string): boolean | undefined;
  boolean(name: string, fallback: boolean): boolean;
  boolean(name: string, fallback?: boolean): boolean | undefined {
    const entry = this.#entries.get(name);
    if (entry === undefined) return fallback;
    const lower = entry.value.toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
    throw this.#invalid(entry, "true or false");
  }

  /** One of a fixed set of spellings, matched exactly (PLC4X's enumerations are case-sensitive). */
  oneOf<T extends string>(name: string, choices: readonly T[]): T | undefined;
  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T;
  oneOf<T extends string>(name: string, choices: readonly T[], fallback?: T): T | undefined {
    const entry = this.#entries.get(name);
    if (entry === undefined) return fallback;
    const match = choices.find((choice) => choice === entry.value);
    if (match === undefined) throw this.#invalid(entry, `one of ${choices.join(", ")}`);
    return match;
  }

  /**
   * A duration in whole milliseconds: a bare number is milliseconds (PLC4X's convention, e.g. `request-timeout=2000`);
   * `ms`, `s`, `m` and `h` suffixes are accepted too (`2s`, `1.5s`, `5m`).
   */
  durationMs(name: string, range?: OptionRange): number | undefined;
  durationMs(name: string, range: OptionRange | undefined, fallback: number): number;
  durationMs(
    name: string,
    range: OptionRange = { min: 0, max: MAX_TIMER_DELAY_MS },
    fallback?: number,
  ): number | undefined {
    const entry = this.#entries.get(name);
    if (entry === undefined) return fallback;
    const expected = `a duration in ${range.min}..${range.max} ms, e.g. 2000 or 2s (units ms, s, m, h)`;
    const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)?$/.exec(entry.value);
    if (match === null) throw this.#invalid(entry, expected);
    const unit = match[2] ?? "ms";
    const factor = unit === "h" ? 3_600_000 : unit === "m" ? 60_000 : unit === "s" ? 1000 : 1;
    const ms = Number(match[1]) * factor;
    if (!Number.isInteger(ms) || ms < range.min || ms > range.max) throw this.#invalid(entry, expected);
    return ms;
  }

  /** Throws UnknownOptionError for the first option not in `known`. */
  rejectUnknown(known: readonly string[]): void {
    for (const entry of this.#entries.values()) {
      if (!known.includes(entry.name)) throw new UnknownOptionError(this.#url, entry.name, entry.column, known);
    }
  }

  #invalid(entry: UrlOption, expected: string): InvalidOptionError {
    const found = isSecretOption(entry.name)
      ? `option '${entry.name}' has an invalid value (hidden)`
      : `option '${entry.name}' is '${entry.value}'`;
    return new InvalidOptionError(this.#url, entry.name, entry.valueColumn, found, expected);
  }
}
