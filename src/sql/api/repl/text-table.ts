// The two table drawings of ksqlDB's CLI: listings (SHOW, DESCRIBE) and the boxed grid that query rows stream into.
import type { JsonValue } from "../../engine/entities.ts";

/**
 * A listing as ksqlDB's CLI draws it: a header row, a rule of dashes as wide as the table, the rows, and the rule
 * again; every cell padded to its column's widest text, with a space either side and `|` between.
 */
export function listingTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => widths.map((w, i) => ` ${(cells[i] ?? "").padEnd(w)} `).join("|");
  const header = line(headers);
  const rule = "-".repeat(header.length);
  return [header, rule, ...rows.map(line), rule].join("\n");
}

/** A value as a query cell shows it: strings bare, everything else as its JSON text. */
export function cellText(value: JsonValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The grid query rows print into as they arrive. Rows come one at a time, so the columns cannot fit the data: they
 * share `width` characters (the terminal's) evenly, never narrower than their names, and a longer value wraps onto
 * further lines of its cell.
 */
export class ResultGrid {
  readonly #widths: number[];
  readonly #names: readonly string[];

  constructor(names: readonly string[], width: number) {
    const share = Math.floor((width - names.length - 1) / Math.max(1, names.length));
    this.#names = names;
    this.#widths = names.map((n) => Math.max(n.length, share, 4));
  }

  rule(): string {
    return `+${this.#widths.map((w) => "-".repeat(w)).join("+")}+`;
  }

  /** The rule, the column names and the rule again. */
  top(): string {
    return [this.rule(), this.#line(this.#names), this.rule()].join("\n");
  }

  row(values: readonly JsonValue[]): string {
    // A line break inside a value would break the grid's lines apart.
    const cells = this.#widths.map((_, i) => cellText(values[i] ?? null).replace(/\r?\n/g, " "));
    const height = Math.max(1, ...cells.map((c, i) => Math.ceil(c.length / this.#widths[i]!)));
    const lines: string[] = [];
    for (let part = 0; part < height; part++) {
      lines.push(this.#line(cells.map((c, i) => c.slice(part * this.#widths[i]!, (part + 1) * this.#widths[i]!))));
    }
    return lines.join("\n");
  }

  #line(cells: readonly string[]): string {
    return `|${this.#widths.map((w, i) => (cells[i] ?? "").padEnd(w)).join("|")}|`;
  }
}
