// Report-by-exception: which samples are worth a record, when only changes beyond a deadband (and heartbeats) are sent.
import type { PlcValue, ReadResponse, ScalarValue, TagReading } from "../../plc/index.ts";
import type { Deadband, ReportByException } from "../config/model.ts";
import { ReportByExceptionError } from "./errors.ts";

interface Emitted {
  readonly reading: TagReading;
  /** The `now` it was emitted at. */
  readonly at: number;
}

/**
 * Remembers, per tag alias, the last reading that was emitted, and decides whether a new one is worth emitting:
 *
 * - The first reading of a tag is always emitted.
 * - A change of response code or quality is always emitted (BAD → GOOD, GOOD → UNCERTAIN, TIMEOUT → NOT_FOUND); two
 *   BAD readings with the same code are the same, whatever their messages say.
 * - When `heartbeatMs` is set and at least that long has passed since the tag was last emitted, it is emitted even if
 *   unchanged. Heartbeats ride on samples (this class has no timers): a tag is re-sent at the first sample on or after
 *   the heartbeat is due.
 * - Otherwise a reading is emitted when its value changed. Without a deadband any change counts. With one, numbers
 *   (and bigints) change only when |new − last emitted| is strictly greater than the band: absolute, the band is its
 *   value; percent, the band is that percent of |last emitted|, so with a last value of 0 every non-zero step counts,
 *   and a negative last value has the same band as its absolute value. A change exactly at the band is not emitted.
 *   Bigints compare exactly against an absolute band, and through doubles against a percent one (a relative error
 *   of 2^-53 cannot matter for a percentage). A step to or from NaN or ±Infinity always counts; NaN after NaN does not.
 * - Every other value (BOOL, strings, durations, dates, arrays) is emitted on any change; arrays element by element.
 *
 * Deadbands compare with the last emitted value, not the last seen, so a slow drift is reported once it adds up to
 * the band. Time is given by the caller (`now`, ms) so that the filter is pure and replays the same way.
 */
export class ChangeFilter {
  readonly #deadband: Deadband | undefined;
  readonly #heartbeatMs: number | undefined;
  readonly #emitted = new Map<string, Emitted>();

  constructor(options: ReportByException) {
    const { deadband, heartbeatMs } = options;
    if (deadband !== undefined && !(Number.isFinite(deadband.value) && deadband.value >= 0)) {
      throw new ReportByExceptionError(`${deadband.kind} deadband`, deadband.value, "a finite number >= 0");
    }
    if (heartbeatMs !== undefined && !(Number.isFinite(heartbeatMs) && heartbeatMs > 0)) {
      throw new ReportByExceptionError("heartbeatMs", heartbeatMs, "a finite number of milliseconds > 0");
    }
    this.#deadband = deadband;
    this.#heartbeatMs = heartbeatMs;
  }

  /** Whether `reading` of `alias` is worth emitting at `now`; when it is, it becomes the tag's last emitted reading. */
  accept(alias: string, reading: TagReading, now: number): boolean {
    if (!this.#due(alias, reading, now)) return false;
    this.#emitted.set(alias, { reading, at: now });
    return true;
  }

  /**
   * For the tag format: the readings of a sample worth a record each, in their order (possibly none).
   */
  acceptTags(readings: ReadResponse, now: number): ReadResponse {
    return Object.fromEntries(Object.entries(readings).filter(([alias, reading]) => this.accept(alias, reading, now)));
  }

  /**
   * For the job format: whether the sample is worth a record, which is when any of its tags is. The record then
   * carries every tag, as PLC4X consumers expect a whole job, so every tag of the sample becomes "last emitted" (and
   * its heartbeat restarts). A sample none of whose tags is due changes nothing.
   */
  acceptJob(readings: ReadResponse, now: number): boolean {
    const entries = Object.entries(readings);
    if (!entries.some(([alias, reading]) => this.#due(alias, reading, now))) return false;
    for (const [alias, reading] of entries) this.#emitted.set(alias, { reading, at: now });
    return true;
  }

  /** Forgets every tag, so that the next reading of each is emitted (for a job that restarts). */
  reset(): void {
    this.#emitted.clear();
  }

  #due(alias: string, reading: TagReading, now: number): boolean {
    const last = this.#emitted.get(alias);
    if (last === undefined) return true;
    if (this.#heartbeatMs !== undefined && now - last.at >= this.#heartbeatMs) return true;
    return readingChanged(last.reading, reading, this.#deadband);
  }
}

/** Whether `current` differs from `last` enough to report (see ChangeFilter), heartbeats aside. */
export function readingChanged(last: TagReading, current: TagReading, deadband?: Deadband): boolean {
  if (last.code !== current.code || last.quality !== current.quality) return true;
  if (last.code !== "OK" || current.code !== "OK") return false;
  return valueChanged(last.value, current.value, deadband);
}

function valueChanged(last: PlcValue, current: PlcValue, deadband: Deadband | undefined): boolean {
  if (typeof last === "number" && typeof current === "number") {
    if (sameNumber(last, current)) return false;
    if (deadband === undefined || !Number.isFinite(last) || !Number.isFinite(current)) return true;
    const step = Math.abs(current - last);
    // Multiplying instead of dividing keeps a step that is exactly at a percent band exactly at it.
    return deadband.kind === "absolute" ? step > deadband.value : step * 100 > deadband.value * Math.abs(last);
  }
  if (typeof last === "bigint" && typeof current === "bigint") {
    if (last === current) return false;
    if (deadband === undefined) return true;
    const step = current > last ? current - last : last - current;
    // An integer step exceeds a band exactly when it exceeds the band's integer part.
    if (deadband.kind === "absolute") return step > BigInt(Math.floor(deadband.value));
    return Number(step) * 100 > deadband.value * Math.abs(Number(last));
  }
  return !sameValue(last, current);
}

function sameValue(a: PlcValue, b: PlcValue): boolean {
  if (isArray(a) || isArray(b)) {
    return isArray(a) && isArray(b) && a.length === b.length && a.every((element, i) => sameScalar(element, b[i]!));
  }
  return sameScalar(a, b);
}

function sameScalar(a: ScalarValue, b: ScalarValue): boolean {
  if (typeof a === "number" && typeof b === "number") return sameNumber(a, b);
  if (typeof a !== "object" || typeof b !== "object") return a === b;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && sameNumber(a.getTime(), b.getTime());
  }
  if ("ms" in a) return "ms" in b && sameNumber(a.ms, b.ms);
  return "ns" in b && a.ns === b.ns;
}

function isArray(value: PlcValue): value is readonly ScalarValue[] {
  return Array.isArray(value);
}

/** Equality in which NaN equals NaN (a PLC that keeps reporting NaN has not changed) and 0 equals -0. */
function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}
