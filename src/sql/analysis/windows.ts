// WINDOW clauses to window plans: sizes in milliseconds, Fabrik's default grace period and retention, and their checks.

import type { Duration, WindowExpression } from "../language/ast.ts";
import { timeUnitOf } from "../language/keywords.ts";
import type { WindowPlan } from "../plan/plan.ts";
import { MS_PER_TIME_UNIT } from "../types/temporal.ts";
import type { WindowInfo } from "./catalog.ts";
import type { Fail } from "./errors.ts";

/**
 * The grace period of a window that names none. ksqlDB inherited 24 hours from Kafka Streams, which holds every
 * EMIT FINAL result back a day; 0 would drop any record that arrives after its window's end, which PLC data often
 * does by a few seconds: samples of different sources share a partition and one source's slow read (a device
 * timeout of a few seconds) or its connector's linger delivers it after faster ones have moved stream time on. Ten
 * seconds covers that with margin and delays a FINAL result by only ten seconds. Records replayed in order after a
 * Kafka outage are not late at all (stream time waits for them); data hours late needs an explicit GRACE PERIOD.
 */
export const DEFAULT_GRACE_MS = 10_000;

/**
 * The state a window keeps by default, counted from its start: at least size + grace, and at least an hour so that
 * pull queries can look at the last hour of windows. ksqlDB keeps a day; Fabrik holds window state in memory, where a
 * day of 1-minute windows over 10,000 keys would be 14 million entries.
 */
export const DEFAULT_MIN_RETENTION_MS = 3_600_000;

export function durationMs(duration: Duration): number {
  return duration.value * MS_PER_TIME_UNIT[duration.unit];
}

/** WINDOW_SIZE's text (`'1 MINUTE'`, `'30 SECONDS'`) in milliseconds; undefined when it is not a duration. */
export function durationTextMs(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([a-z]+)\s*$/i.exec(text);
  const unit = match ? timeUnitOf(match[2]!.toUpperCase()) : undefined;
  return unit === undefined ? undefined : Number(match![1]) * MS_PER_TIME_UNIT[unit];
}

export function windowPlan(window: WindowExpression, fail: Fail): WindowPlan {
  const graceMs = window.grace ? durationMs(window.grace) : DEFAULT_GRACE_MS;
  let plan: Omit<WindowPlan, "graceMs" | "retentionMs">;
  let lengthMs: number;
  switch (window.kind) {
    case "Tumbling": {
      const sizeMs = positive(window.size, "SIZE", fail);
      plan = { kind: "TUMBLING", sizeMs, advanceMs: sizeMs };
      lengthMs = sizeMs;
      break;
    }
    case "Hopping": {
      const sizeMs = positive(window.size, "SIZE", fail);
      const advanceMs = positive(window.advanceBy, "ADVANCE BY", fail);
      if (advanceMs > sizeMs) {
        fail("SQL_INVALID_WINDOW", "a HOPPING window's ADVANCE BY must not exceed its SIZE", window.advanceBy.span);
      }
      plan = { kind: "HOPPING", sizeMs, advanceMs };
      lengthMs = sizeMs;
      break;
    }
    case "Session": {
      const gapMs = positive(window.gap, "the inactivity gap", fail);
      plan = { kind: "SESSION", gapMs };
      lengthMs = gapMs;
      break;
    }
  }
  const minimum = lengthMs + graceMs;
  if (window.retention && durationMs(window.retention) < minimum) {
    fail(
      "SQL_INVALID_WINDOW",
      `RETENTION must be at least the window's ${window.kind === "Session" ? "gap" : "size"} plus its grace period (${minimum} ms)`,
      window.retention.span,
    );
  }
  const retentionMs = window.retention ? durationMs(window.retention) : Math.max(minimum, DEFAULT_MIN_RETENTION_MS);
  return { ...plan, graceMs, retentionMs };
}

function positive(duration: Duration, what: string, fail: Fail): number {
  const ms = durationMs(duration);
  if (ms <= 0) fail("SQL_INVALID_WINDOW", `${what} must be longer than zero`, duration.span);
  return ms;
}

/** What a sink written by a windowed aggregation records of its window, for readers of its topic. */
export function windowInfo(plan: WindowPlan): WindowInfo {
  return plan.kind === "SESSION" ? { kind: "SESSION" } : { kind: plan.kind, sizeMs: plan.sizeMs! };
}
