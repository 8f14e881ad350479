// What the Alerts page knows of an alert: rows of the alerts table and of the acknowledgement stream read by column name,
// how far outside its limit an alert went (its severity), and the INSERT that acknowledges one.

import { sqlName, sqlString } from "../../api/sql.ts";
import type { SqlValue } from "../../api/sql-entities.ts";

/** One machine's minute with its watched signal outside its limits (a row of LIMIT_ALERTS, its latest update). */
export interface Alert {
  /** `<MACHINE_ID>@<WINDOWSTART>`, as acknowledgements name it. */
  readonly id: string;
  readonly machineId: string;
  readonly windowStart: number;
  readonly windowEnd: number | null;
  readonly name: string | null;
  readonly signal: string | null;
  readonly unit: string | null;
  readonly lowest: number | null;
  readonly highest: number | null;
  readonly lowLimit: number | null;
  readonly highLimit: number | null;
  readonly samplesOutside: number | null;
}

export interface Ack {
  readonly alertId: string;
  readonly machineId: string | null;
  readonly ackedBy: string | null;
  readonly note: string | null;
  /** The acknowledgement's record time, when the query selected ROWTIME. */
  readonly ackedAt: number | null;
}

/** A row as a map from column name to value, so the page does not depend on the table's column order. */
function byName(columns: readonly string[], row: readonly SqlValue[]): (name: string) => SqlValue {
  return (name) => {
    const index = columns.indexOf(name);
    return index < 0 ? null : (row[index] ?? null);
  };
}

function numberOf(value: SqlValue): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function textOf(value: SqlValue): string | null {
  if (value === null) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function alertId(machineId: string, windowStart: number): string {
  return `${machineId}@${windowStart}`;
}

/** A row of the alerts table; undefined when it lacks the machine or the window start. */
export function alertOf(columns: readonly string[], row: readonly SqlValue[]): Alert | undefined {
  const get = byName(columns, row);
  const machineId = textOf(get("MACHINE_ID"));
  const windowStart = numberOf(get("WINDOWSTART"));
  if (machineId === null || windowStart === null) return undefined;
  return {
    id: alertId(machineId, windowStart),
    machineId,
    windowStart,
    windowEnd: numberOf(get("WINDOWEND")),
    name: textOf(get("NAME")),
    signal: textOf(get("SIGNAL")),
    unit: textOf(get("UNIT")),
    lowest: numberOf(get("LOWEST")),
    highest: numberOf(get("HIGHEST")),
    lowLimit: numberOf(get("LOW_LIMIT")),
    highLimit: numberOf(get("HIGH_LIMIT")),
    samplesOutside: numberOf(get("SAMPLES_OUTSIDE")),
  };
}

/** A row of the acknowledgement stream (`SELECT ROWTIME AS ACKED_AT, * …`); undefined without an alert id. */
export function ackOf(columns: readonly string[], row: readonly SqlValue[]): Ack | undefined {
  const get = byName(columns, row);
  const alertId = textOf(get("ALERT_ID"));
  if (alertId === null) return undefined;
  return {
    alertId,
    machineId: textOf(get("MACHINE_ID")),
    ackedBy: textOf(get("ACKED_BY")),
    note: textOf(get("NOTE")),
    ackedAt: numberOf(get("ACKED_AT")),
  };
}

/** How bad an alert is, by how far its worst sample went past the limit, relative to the limit. */
export type Severity = "critical" | "major" | "minor";

export interface Excursion {
  readonly severity: Severity;
  readonly side: "high" | "low";
  /** The worst sample's distance past the limit, in the signal's unit. */
  readonly excess: number;
  /** `excess` as a fraction of the limit's magnitude (NaN for a limit of 0). */
  readonly relative: number;
  readonly limit: number;
  readonly worst: number;
}

/** 10 % past a limit is far outside what the machine should do; 3 % is clearly out, not noise near the line. */
const CRITICAL = 0.1;
const MAJOR = 0.03;

/** The alert's worst excursion past either limit; undefined when its values say it is within both. */
export function excursionOf(alert: Alert): Excursion | undefined {
  const candidates: Omit<Excursion, "severity" | "relative">[] = [];
  if (alert.highLimit !== null && alert.highest !== null && alert.highest > alert.highLimit) {
    candidates.push({
      side: "high",
      excess: alert.highest - alert.highLimit,
      limit: alert.highLimit,
      worst: alert.highest,
    });
  }
  if (alert.lowLimit !== null && alert.lowest !== null && alert.lowest < alert.lowLimit) {
    candidates.push({ side: "low", excess: alert.lowLimit - alert.lowest, limit: alert.lowLimit, worst: alert.lowest });
  }
  const worst = candidates
    .map((c) => ({ ...c, relative: c.limit === 0 ? Number.NaN : c.excess / Math.abs(c.limit) }))
    .sort((a, b) => (b.relative || 0) - (a.relative || 0))[0];
  if (worst === undefined) return undefined;
  const severity: Severity =
    Number.isNaN(worst.relative) || worst.relative >= CRITICAL
      ? "critical"
      : worst.relative >= MAJOR
        ? "major"
        : "minor";
  return { ...worst, severity };
}

/** Newest window first; within a window, the worse excursion first, then by machine. */
export function compareAlerts(a: Alert, b: Alert): number {
  if (a.windowStart !== b.windowStart) return b.windowStart - a.windowStart;
  const ra = excursionOf(a)?.relative ?? 0;
  const rb = excursionOf(b)?.relative ?? 0;
  if (ra !== rb) return (rb || 0) - (ra || 0);
  return a.machineId.localeCompare(b.machineId);
}

/**
 * The INSERT that acknowledges an alert. The stream repeats the window start as WINDOW_START, since WINDOWSTART is a
 * reserved column name; an empty note is NULL.
 */
export function ackStatement(stream: string, alert: Alert, ackedBy: string, note: string): string {
  const trimmed = note.trim();
  return (
    `INSERT INTO ${sqlName(stream)} (ALERT_ID, MACHINE_ID, WINDOW_START, ACKED_BY, NOTE) VALUES (` +
    `${sqlString(alert.id)}, ${sqlString(alert.machineId)}, ${alert.windowStart}, ${sqlString(ackedBy)}, ` +
    `${trimmed === "" ? "NULL" : sqlString(trimmed)});`
  );
}
