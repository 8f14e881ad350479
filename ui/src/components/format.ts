// How the UI writes numbers, tag values, durations and times: one style everywhere, the same whatever the browser's
// locale (a decimal point and SI digit groups with a narrow space, unambiguous in every plant), and stable in width so
// that live values do not make the layout jump.

/** U+202F NARROW NO-BREAK SPACE: the SI digit-group separator, never read as a decimal mark. */
const GROUP = "\u202f";
/** U+2212 MINUS SIGN: as wide as a digit in tabular figures, unlike the hyphen. */
const MINUS = "\u2212";
/** Written for a value that is missing (BAD quality, not sampled yet). */
export const NO_VALUE = "—";

function groupDigits(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, GROUP);
}

/** A number with a fixed count of decimals, digit groups and a true minus sign: formatFixed(-1234.5, 1) = "−1 234.5". */
export function formatFixed(value: number, decimals: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : `${MINUS}∞`;
  const text = Math.abs(value).toFixed(decimals);
  const [whole = "0", fraction] = text.split(".");
  const body = fraction === undefined ? groupDigits(whole) : `${groupDigits(whole)}.${fraction}`;
  // -0.00 is written 0.00: a sign on a zero only makes a reader look twice.
  const isZero = /^[0.]*$/.test(text);
  return value < 0 && !isZero ? `${MINUS}${body}` : body;
}

/**
 * Decimals for a measured (floating-point) value: two below 1000, one below 100 000, none above. The count changes
 * only with the order of magnitude, so a value that moves a little keeps its width.
 */
export function decimalsFor(value: number): number {
  const magnitude = Math.abs(value);
  if (magnitude < 1000) return 2;
  if (magnitude < 100_000) return 1;
  return 0;
}

/** A number as the UI shows it: integers whole, other numbers with decimalsFor() (or the decimals given). */
export function formatNumber(value: number, decimals?: number): string {
  if (decimals !== undefined) return formatFixed(value, decimals);
  if (Number.isInteger(value)) return formatFixed(value, 0);
  return formatFixed(value, decimalsFor(value));
}

/** A count: whole, with digit groups (12 345). */
export function formatCount(value: number): string {
  return formatFixed(Math.round(value), 0);
}

/** Whether a tag's address names a floating-point type, whose values are shown with decimals even when whole. */
export function isFloatAddress(address: string): boolean {
  return /:(L?REAL)(\[|$)/i.test(address) || /:(FLOAT|DOUBLE)/i.test(address);
}

/**
 * A tag value as the live views show it: numbers by formatNumber() (floats always with decimals when `float`),
 * booleans as true/false, 64-bit integers that arrive as strings with digit groups, arrays as their items, objects as
 * JSON, null as NO_VALUE.
 */
export function formatValue(value: unknown, float = false): string {
  if (value === null || value === undefined) return NO_VALUE;
  if (typeof value === "number") return float ? formatFixed(value, decimalsFor(value)) : formatNumber(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return /^-?\d{4,}$/.test(value) ? formatBigDigits(value) : value;
  if (Array.isArray(value)) return value.map((item) => formatValue(item, float)).join(", ");
  return JSON.stringify(value);
}

function formatBigDigits(digits: string): string {
  return digits.startsWith("-") ? `${MINUS}${groupDigits(digits.slice(1))}` : groupDigits(digits);
}

/** A duration: "850 ms", "4.2 s", "42 s", "3 min 05 s", "2 h 14 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return NO_VALUE;
  const sign = ms < 0 ? MINUS : "";
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 10_000) return `${sign}${(abs / 1000).toFixed(1)} s`;
  const seconds = Math.floor(abs / 1000);
  if (seconds < 60) return `${sign}${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${sign}${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${sign}${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
  return `${sign}${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** How long ago something happened, coarse enough to stay still between seconds: "now", "12 s", "3 min", "2 h", "4 d". */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return NO_VALUE;
  if (ms < 1500) return "now";
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** A time of day in local time: "14:03:22" (with milliseconds: "14:03:22.125"). */
export function formatTime(ts: number, withMs = false): string {
  const date = new Date(ts);
  const base = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return withMs ? `${base}.${pad(date.getMilliseconds(), 3)}` : base;
}

/** A date in local time: "2026-11-25". */
export function formatDate(ts: number): string {
  const date = new Date(ts);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A moment in local time, ISO-like and sortable as text: "2026-11-25 14:03:22" (optionally with milliseconds). */
export function formatTimestamp(ts: number, withMs = false): string {
  if (!Number.isFinite(ts)) return NO_VALUE;
  return `${formatDate(ts)} ${formatTime(ts, withMs)}`;
}

/** A byte count in binary units: "512 B", "1.5 KiB", "20.0 MiB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${formatCount(value)} B` : `${formatFixed(value, 1)} ${units[unit]}`;
}

/** A rate per second: "1.2 /s", "350 /s". */
export function formatRate(perSecond: number): string {
  return `${perSecond < 10 ? formatFixed(perSecond, 1) : formatCount(perSecond)} /s`;
}
