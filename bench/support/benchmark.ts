// What a benchmark is to the runner: a name, whether it needs Kafka, and a run that returns tables of results.
import type { UsedKafka } from "../../src/kafka/index.ts";

export interface Table {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  /** Lines printed under the table: what was measured, against what goal. */
  readonly notes?: readonly string[];
}

export interface BenchContext {
  /** Present when the benchmark declared `needsKafka`. */
  readonly kafka?: UsedKafka;
  /** Progress lines for people watching; not part of the results. */
  readonly log: (line: string) => void;
  /** `--quick`: a short run to check the benchmark works, not to measure. */
  readonly quick: boolean;
}

export interface Benchmark {
  readonly name: string;
  readonly description: string;
  readonly needsKafka: boolean;
  run(context: BenchContext): Promise<readonly Table[]>;
}

/** Formats a table as aligned text: numbers right-aligned with thousands separators, text left-aligned. */
export function formatTable(table: Table): string {
  const cell = (v: string | number) =>
    typeof v === "number" ? v.toLocaleString("en-US", { maximumFractionDigits: v < 100 ? 2 : 0 }) : v;
  const cells = [table.columns.map(String), ...table.rows.map((r) => r.map(cell))];
  const widths = table.columns.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  const numeric = table.columns.map((_, i) => table.rows.every((r) => typeof r[i] === "number"));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [table.title, line(cells[0] ?? []), rule, ...cells.slice(1).map(line), ...(table.notes ?? [])].join("\n");
}

/** Percentile of a sorted sample (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Median of an unsorted sample (nearest rank); NaN when it is empty. */
export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** A number as a table shows it, rounded to `digits`; "-" when it is absent or not a number. */
export function round(n: number | undefined, digits = 0): number | string {
  return n === undefined || Number.isNaN(n) ? "-" : Number(n.toFixed(digits));
}

/** A goal's verdict cell. */
export function verdict(met: boolean): string {
  return met ? "met" : "NOT MET";
}
