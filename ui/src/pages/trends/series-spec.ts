// What a trend shows, as the URL keeps it: the series (tags of the live feed by key, and SQL columns as
// "SOURCE.COLUMN [WHERE …]") and the time range (15 m … 24 h ending now, or a custom from/to). Pure: no fetching.

export type RangeKey = "15m" | "1h" | "8h" | "24h" | "custom";

export interface RangeOption {
  key: RangeKey;
  label: string;
  /** Length of the window ending now; undefined for custom. */
  ms?: number;
}

export const RANGES: readonly RangeOption[] = [
  { key: "15m", label: "15 m", ms: 15 * 60_000 },
  { key: "1h", label: "1 h", ms: 3_600_000 },
  { key: "8h", label: "8 h", ms: 8 * 3_600_000 },
  { key: "24h", label: "24 h", ms: 24 * 3_600_000 },
  { key: "custom", label: "Custom" },
];

export const DEFAULT_RANGE: RangeKey = "1h";

/** The most points asked of /api/history per series: the 24 h view at one sample a second fits undecimated. */
export const HISTORY_POINTS = 100_000;

export interface TagSeriesSpec {
  kind: "tag";
  /** connector/source/job/tag, as the live feed's tagKey() writes it. */
  key: string;
  connector: string;
  source: string;
  job: string;
  tag: string;
}

export interface SqlSeriesSpec {
  kind: "sql";
  /** The spec as written in the URL: "SOURCE.COLUMN" or "SOURCE.COLUMN WHERE condition". */
  key: string;
  source: string;
  column: string;
  where?: string;
}

export type SeriesSpec = TagSeriesSpec | SqlSeriesSpec;

/** A tag key split into its parts; undefined unless it has all four. */
export function parseTagKey(key: string): TagSeriesSpec | undefined {
  const parts = key.split("/");
  if (parts.length !== 4 || parts.some((part) => part === "")) return undefined;
  const [connector, source, job, tag] = parts as [string, string, string, string];
  return { kind: "tag", key, connector, source, job, tag };
}

const SQL_SPEC = /^\s*([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)(?:\s+WHERE\s+([\s\S]+?))?\s*$/i;

/** "SOURCE.COLUMN [WHERE condition]" split into its parts; undefined when it is not that shape. */
export function parseSqlSpec(text: string): SqlSeriesSpec | undefined {
  const match = SQL_SPEC.exec(text);
  if (match === null) return undefined;
  const source = match[1]!.toUpperCase();
  const column = match[2]!.toUpperCase();
  const where = match[3];
  return where === undefined
    ? { kind: "sql", key: `${source}.${column}`, source, column }
    : { kind: "sql", key: `${source}.${column} WHERE ${where}`, source, column, where };
}

/** The series a URL names: `tags` (comma-separated tag keys) then every `sql`; unreadable entries are left out. */
export function seriesOfQuery(query: URLSearchParams): SeriesSpec[] {
  const specs: SeriesSpec[] = [];
  const seen = new Set<string>();
  const tags = query.get("tags") ?? "";
  for (const key of tags.split(",")) {
    const spec = parseTagKey(key.trim());
    if (spec !== undefined && !seen.has(spec.key)) {
      seen.add(spec.key);
      specs.push(spec);
    }
  }
  for (const text of query.getAll("sql")) {
    const spec = parseSqlSpec(text);
    if (spec !== undefined && !seen.has(spec.key)) {
      seen.add(spec.key);
      specs.push(spec);
    }
  }
  return specs;
}

/** The query string of a trend: its series and range (kept parameters as they were). */
export function queryWithSeries(query: URLSearchParams, specs: readonly SeriesSpec[]): URLSearchParams {
  const next = new URLSearchParams(query);
  next.delete("tags");
  next.delete("sql");
  const tags = specs.filter((spec) => spec.kind === "tag").map((spec) => spec.key);
  if (tags.length > 0) next.set("tags", tags.join(","));
  for (const spec of specs) if (spec.kind === "sql") next.append("sql", spec.key);
  return next;
}

export function rangeOf(query: URLSearchParams): RangeKey {
  const value = query.get("range");
  return RANGES.some((range) => range.key === value) ? (value as RangeKey) : DEFAULT_RANGE;
}

/** A time in the URL: milliseconds since the epoch, or a date-time the browser reads (local time without a zone). */
export function parseTime(text: string | null): number | undefined {
  if (text === null || text.trim() === "") return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export interface TimeWindow {
  from: number;
  to: number;
  /** The window ends now and moves on with the clock (every range but custom). */
  moving: boolean;
}

/** The window to show: a fixed length ending now, or custom from/to (to defaults to now; from to an hour before). */
export function windowOf(range: RangeKey, query: URLSearchParams, now: number): TimeWindow {
  const option = RANGES.find((candidate) => candidate.key === range);
  if (option?.ms !== undefined) return { from: now - option.ms, to: now, moving: true };
  const to = parseTime(query.get("to")) ?? now;
  const from = parseTime(query.get("from")) ?? to - 3_600_000;
  return from < to ? { from, to, moving: false } : { from: to - 3_600_000, to, moving: false };
}

/** The /api/history URL of a tag over a window. */
export function historyPath(spec: TagSeriesSpec, from: number, to: number, points = HISTORY_POINTS): string {
  const params = new URLSearchParams({
    connector: spec.connector,
    source: spec.source,
    job: spec.job,
    tag: spec.tag,
    from: String(Math.floor(from)),
    to: String(Math.ceil(to)),
    points: String(points),
  });
  return `/api/history?${params}`;
}

/** The push query of a SQL series: its column against ROWTIME, from the window's start on. */
export function sqlSeriesQuery(spec: SqlSeriesSpec, from: number, to?: number): string {
  const conditions = [`ROWTIME >= ${Math.floor(from)}`];
  if (to !== undefined) conditions.push(`ROWTIME <= ${Math.ceil(to)}`);
  if (spec.where !== undefined) conditions.push(`(${spec.where})`);
  return `SELECT ROWTIME AS T, ${spec.column} AS V FROM ${spec.source} WHERE ${conditions.join(" AND ")} EMIT CHANGES;`;
}

/** A series' name for legends: source.tag, or the SQL column with its filter. */
export function seriesLabel(spec: SeriesSpec): string {
  if (spec.kind === "tag") return `${spec.source}.${spec.tag}`;
  return spec.where === undefined ? `${spec.source}.${spec.column}` : `${spec.source}.${spec.column} (${spec.where})`;
}
