// A machine's operating state (RUNNING, IDLE, SETUP, FAULT) and why it is in it: shifts, changeovers, breakdowns, starving.
import type { ShiftPeriod } from "./calendar.ts";
import type { Random } from "./random.ts";

/** The state word; a face publishes the index as an INT. */
export const MACHINE_STATES = ["IDLE", "RUNNING", "SETUP", "FAULT"] as const;
export type MachineState = (typeof MACHINE_STATES)[number];

/**
 * Why a machine is not running, as loss analysis needs it: PLANNED is outside the shift's working time (excluded from
 * OEE availability); the rest are losses. RUNNING always has NONE.
 */
export const STOP_REASONS = [
  "NONE",
  "PLANNED",
  "STARVED",
  "BLOCKED",
  "MINOR_STOP",
  "CHANGEOVER",
  "MATERIAL",
  "BREAKDOWN",
  "JAM",
  "BEARING_TRIP",
  "OVERTEMPERATURE",
] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export const STATE_VALUE: Readonly<Record<MachineState, number>> = { IDLE: 0, RUNNING: 1, SETUP: 2, FAULT: 3 };
export const REASON_VALUE = Object.fromEntries(STOP_REASONS.map((r, i) => [r, i])) as Readonly<
  Record<StopReason, number>
>;

/** Inclusive bounds of a stop's duration (ms); actual durations are log-normal within them. */
export interface DurationRange {
  readonly minMs: number;
  readonly maxMs: number;
}

/** How a machine loses time; every field is optional so instruments (meters, sensor nodes) can opt out of all of it. */
export interface StatePolicy {
  /** False for instruments that run around the clock regardless of shifts. */
  readonly followsCalendar: boolean;
  /** SETUP at the start of every shift (product changeover, checks). */
  readonly changeover?: DurationRange;
  /** Breakdowns: mean running time between them, and how long a repair takes. */
  readonly breakdown?: { readonly meanRunMs: number; readonly duration: DurationRange };
  /** Short stops an operator clears: mean running time between them, and their length. */
  readonly minorStop?: { readonly meanRunMs: number; readonly duration: DurationRange };
  /** How long the machine keeps running with no material coming before it stops; absent: it never starves. */
  readonly starveAfterMs?: number;
  /** How long it keeps running with nowhere to put its output before it stops; absent: it is never blocked. */
  readonly blockAfterMs?: number;
}

/** Whether material flows for this machine: upstream delivers and downstream takes. */
export type Flow = "OK" | "STARVED" | "BLOCKED";

/**
 * The state machine. Planned time comes from the shift calendar; losses come from memoryless hazards counted in running
 * time, from the material flow, and from the machine's own physics (a jam, a trip) through `stop` and `hold`.
 */
export class OperatingState {
  state: MachineState;
  reason: StopReason;
  /** When the current state was entered (ms since the epoch). */
  since: number;
  private readonly policy: StatePolicy;
  private readonly rng: Random;
  /** End of a timed stop; Infinity while held by the machine; NaN when no stop is timed. */
  private until = Number.NaN;
  private currentShift: number;
  private changeoverDue = false;
  private runToBreakdown: number;
  private runToMinorStop: number;
  private flowLostMs = 0;

  constructor(policy: StatePolicy, rng: Random, period: ShiftPeriod, now: number) {
    this.policy = policy;
    this.rng = rng;
    this.since = now;
    this.currentShift = period.kind === "OFF" ? Number.NaN : period.shiftStart;
    // Starting inside a shift joins a line that is already running, so a demo shows production at once.
    const working = !policy.followsCalendar || period.kind === "SHIFT";
    this.state = working ? "RUNNING" : "IDLE";
    this.reason = working ? "NONE" : "PLANNED";
    this.runToBreakdown = policy.breakdown ? rng.exponential(policy.breakdown.meanRunMs) : Number.POSITIVE_INFINITY;
    this.runToMinorStop = policy.minorStop ? rng.exponential(policy.minorStop.meanRunMs) : Number.POSITIVE_INFINITY;
  }

  get running(): boolean {
    return this.state === "RUNNING";
  }

  /** Advances one tick that ends at `now`. */
  update(now: number, tickMs: number, period: ShiftPeriod, flow: Flow): void {
    const policy = this.policy;
    if (policy.followsCalendar && period.kind !== "OFF" && period.shiftStart !== this.currentShift) {
      this.currentShift = period.shiftStart;
      if (policy.changeover !== undefined) this.changeoverDue = true;
    }
    if (!Number.isNaN(this.until)) {
      if (now < this.until) return;
      this.until = Number.NaN;
    }
    if (policy.followsCalendar && period.kind !== "SHIFT") {
      if (this.reason !== "PLANNED") this.enter("IDLE", "PLANNED", now);
      this.flowLostMs = 0;
      return;
    }
    if (this.changeoverDue && policy.changeover !== undefined) {
      this.changeoverDue = false;
      this.stop(
        now,
        "SETUP",
        "CHANGEOVER",
        this.rng.logNormalBetween(policy.changeover.minMs, policy.changeover.maxMs),
      );
      return;
    }
    if (flow === "OK") {
      this.flowLostMs = 0;
    } else {
      const patience = flow === "STARVED" ? policy.starveAfterMs : policy.blockAfterMs;
      if (patience !== undefined) {
        this.flowLostMs += tickMs;
        if (this.flowLostMs >= patience) {
          if (this.reason !== flow) this.enter("IDLE", flow, now);
          return;
        }
      }
    }
    if (this.state !== "RUNNING") this.enter("RUNNING", "NONE", now);
    this.runToBreakdown -= tickMs;
    this.runToMinorStop -= tickMs;
    const breakdown = policy.breakdown;
    if (breakdown !== undefined && this.runToBreakdown <= 0) {
      this.runToBreakdown = this.rng.exponential(breakdown.meanRunMs);
      this.stop(
        now,
        "FAULT",
        "BREAKDOWN",
        this.rng.logNormalBetween(breakdown.duration.minMs, breakdown.duration.maxMs),
      );
      return;
    }
    const minor = policy.minorStop;
    if (minor !== undefined && this.runToMinorStop <= 0) {
      this.runToMinorStop = this.rng.exponential(minor.meanRunMs);
      this.stop(now, "IDLE", "MINOR_STOP", this.rng.logNormalBetween(minor.duration.minMs, minor.duration.maxMs));
    }
  }

  /**
   * Stops for `durationMs` from now (a jam, a reel change); afterwards the calendar decides. The stop lasts whole ticks:
   * it ends on the first tick at or after its end.
   */
  stop(now: number, state: Exclude<MachineState, "RUNNING">, reason: StopReason, durationMs: number): void {
    this.enter(state, reason, now);
    this.until = now + durationMs;
    this.flowLostMs = 0;
  }

  /** Stops until `release` is called: a trip that lasts as long as its cause (a hot joint cooling down). */
  hold(now: number, state: Exclude<MachineState, "RUNNING">, reason: StopReason): void {
    this.stop(now, state, reason, Number.POSITIVE_INFINITY);
  }

  /** Ends a held or timed stop; the next update picks the state the calendar and flow allow. */
  release(now: number): void {
    if (!Number.isNaN(this.until)) this.until = now;
  }

  private enter(state: MachineState, reason: StopReason, now: number): void {
    this.state = state;
    this.reason = reason;
    this.since = now;
  }
}
