// The statements run on the SQL page, newest first, kept in localStorage so they outlive a reload; and the script in
// the editor, kept the same way so that leaving the page loses nothing.
import { signal } from "@preact/signals";

export interface HistoryEntry {
  readonly text: string;
  /** When it ran (ms since the epoch). */
  readonly at: number;
  readonly ok: boolean;
}

const HISTORY_KEY = "fabrik.sql.history";
const SCRIPT_KEY = "fabrik.sql.script";
const MAX_ENTRIES = 200;

function read<T>(key: string, fallback: T, check: (value: unknown) => value is T): T {
  try {
    const text = localStorage.getItem(key);
    if (text === null) return fallback;
    const value: unknown = JSON.parse(text);
    return check(value) ? value : fallback;
  } catch {
    return fallback; // storage blocked, or a value from elsewhere
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or blocked: the page works without it
  }
}

function isEntries(value: unknown): value is HistoryEntry[] {
  return (
    Array.isArray(value) &&
    value.every((e) => typeof e === "object" && e !== null && typeof e.text === "string" && typeof e.at === "number")
  );
}

function isText(value: unknown): value is string {
  return typeof value === "string";
}

export const sqlHistory = signal<readonly HistoryEntry[]>(read(HISTORY_KEY, [], isEntries));

/** Records a statement that ran; the same text run again moves to the top instead of showing twice. */
export function remember(text: string, ok: boolean): void {
  const trimmed = text.trim();
  if (trimmed === "") return;
  const rest = sqlHistory.value.filter((entry) => entry.text !== trimmed);
  sqlHistory.value = [{ text: trimmed, at: Date.now(), ok }, ...rest].slice(0, MAX_ENTRIES);
  write(HISTORY_KEY, sqlHistory.value);
}

export function clearHistory(): void {
  sqlHistory.value = [];
  write(HISTORY_KEY, []);
}

const STARTER = [
  "-- Ctrl+Enter (⌘+Enter) runs the script, or the selected part of it.",
  "SHOW QUERIES;",
  "SELECT MACHINE_ID, STATE_NAME, WATCH_SIGNAL, WATCH_VALUE",
  "  FROM MACHINE_STATUS_ENRICHED EMIT CHANGES;",
  "",
].join("\n");

export function savedScript(): string {
  return read(SCRIPT_KEY, STARTER, isText);
}

export function saveScript(text: string): void {
  write(SCRIPT_KEY, text);
}
