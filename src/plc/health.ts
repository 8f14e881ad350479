// The health of one device as the connection manager sees it: a state machine fed by connects, losses and outcomes.
import assert from "node:assert/strict";
import type { ResponseCode } from "./response.ts";

/**
 * - `connecting`: a connection attempt is in progress and no connection is open.
 * - `connected`: a connection is open and recent requests mostly succeed.
 * - `degraded`: a connection is open but more than `degradedAbove` of the recent requests failed with a time-out or a
 *   busy device (see `isFailureCode`) or did not answer at all; the device is reachable, its answers are unreliable.
 * - `disconnected`: no connection is open: it was lost, or it could not be opened; a reconnect is scheduled.
 * - `closed`: its last user released it; the manager no longer watches the device. Final.
 */
export const HEALTH_STATES = ["connecting", "connected", "degraded", "disconnected", "closed"] as const;

export type HealthState = (typeof HEALTH_STATES)[number];

/** One change of state, as events report it. `at` is milliseconds since the epoch. */
export interface HealthChange {
  readonly from: HealthState;
  readonly to: HealthState;
  readonly reason: string;
  readonly at: number;
}

/** A change of one device's state, for the UI and metrics. `device` is its name (see `deviceIdentity`). */
export interface HealthEvent extends HealthChange {
  readonly device: string;
}

/** Where one device stands now. */
export interface HealthSnapshot {
  readonly device: string;
  readonly state: HealthState;
  /** When the current state began (ms since the epoch). */
  readonly since: number;
  readonly reason: string;
  /** Since when the device has been unreachable; undefined while a connection is open. */
  readonly downSince: number | undefined;
  /** Failed and all requests in the health window of the open connection. */
  readonly failures: number;
  readonly samples: number;
  /** Connection attempts that failed (or connections that did not stay up) since the device was last stably up. */
  readonly attempt: number;
  /** When the next connection attempt is due, while one is scheduled. */
  readonly nextAttemptAt: number | undefined;
  /** Handles sharing the connection. */
  readonly users: number;
}

/**
 * When a connected device counts as degraded. Outcomes are judged over the last `windowSize` requests (reads, writes,
 * pings and subscription events); the state changes only once `minSamples` are in, so one early time-out does not
 * flag a device. Two thresholds, so a device that hovers around one does not flap between the states.
 */
export interface HealthPolicy {
  readonly windowSize: number;
  readonly minSamples: number;
  /** Degraded when the failed share of the window is above this. */
  readonly degradedAbove: number;
  /** Back to connected when the failed share is at or below this. */
  readonly recoveredAtOrBelow: number;
}

export const DEFAULT_HEALTH_POLICY: HealthPolicy = {
  windowSize: 10,
  minSamples: 4,
  degradedAbove: 0.25,
  recoveredAtOrBelow: 0.1,
};

/** The per-tag codes that say something about the link or the device rather than about one tag's address or type. */
export function isFailureCode(code: ResponseCode): boolean {
  return code === "TIMEOUT" || code === "REMOTE_BUSY";
}

/** A request's outcome for the health window: failed when any of its tags failed with a failure code. */
export type Outcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Judges a read, write or subscription event by its per-tag results. */
export function outcomeOf(
  results: Readonly<Record<string, { readonly code: ResponseCode; readonly message?: string }>>,
): Outcome {
  // for…in rather than Object.entries: no pair per tag on every read of thousands of tags.
  for (const alias in results) {
    const result = results[alias]!;
    if (isFailureCode(result.code))
      return { ok: false, reason: `${result.code} on '${alias}': ${result.message ?? ""}` };
  }
  return { ok: true };
}

const ALLOWED: Readonly<Record<HealthState, readonly HealthState[]>> = {
  connecting: ["connected", "disconnected", "closed"],
  connected: ["degraded", "disconnected", "closed"],
  degraded: ["connected", "disconnected", "closed"],
  disconnected: ["connecting", "closed"],
  closed: [],
};

/** Checks a policy; the manager turns the message into an InvalidRequestError. */
export function healthPolicyProblem(policy: HealthPolicy): string | undefined {
  const { windowSize, minSamples, degradedAbove, recoveredAtOrBelow } = policy;
  if (!Number.isInteger(windowSize) || windowSize < 1) return `windowSize must be an integer >= 1, got ${windowSize}`;
  if (!Number.isInteger(minSamples) || minSamples < 1 || minSamples > windowSize) {
    return `minSamples must be an integer in 1..windowSize, got ${minSamples}`;
  }
  if (!(degradedAbove >= 0 && degradedAbove < 1)) return `degradedAbove must be in [0, 1), got ${degradedAbove}`;
  if (!(recoveredAtOrBelow >= 0 && recoveredAtOrBelow <= degradedAbove)) {
    return `recoveredAtOrBelow must be in [0, degradedAbove], got ${recoveredAtOrBelow}`;
  }
  return undefined;
}

/**
 * The state machine itself: pure, no timers, time passed in. Each method returns the change it made, or undefined when
 * the state stayed, so the caller emits exactly one event per change.
 */
export class HealthMachine {
  readonly #policy: HealthPolicy;
  #state: HealthState = "connecting";
  #since: number;
  #reason: string;
  #downSince: number | undefined;
  /** Recent outcomes, true for a failure; oldest first. */
  #window: boolean[] = [];

  constructor(policy: HealthPolicy, at: number, reason = "first connection attempt") {
    this.#policy = policy;
    this.#since = at;
    this.#reason = reason;
  }

  get state(): HealthState {
    return this.#state;
  }

  /** When the current state began. */
  get since(): number {
    return this.#since;
  }

  /** Why the current state began. */
  get reason(): string {
    return this.#reason;
  }

  /** When the device was last seen unreachable without having connected since; undefined while it is reachable. */
  get downSince(): number | undefined {
    return this.#downSince;
  }

  /** True while a connection is open. */
  get isOpen(): boolean {
    return this.#state === "connected" || this.#state === "degraded";
  }

  /** Failed outcomes and all outcomes in the window. */
  get window(): { readonly failures: number; readonly samples: number } {
    return { failures: this.#window.filter(Boolean).length, samples: this.#window.length };
  }

  /** A connection attempt starts. */
  connecting(at: number, reason: string): HealthChange | undefined {
    return this.#move("connecting", at, reason);
  }

  /** The attempt succeeded: a fresh connection starts with an empty window. */
  connected(at: number, reason: string): HealthChange | undefined {
    this.#window = [];
    this.#downSince = undefined;
    return this.#move("connected", at, reason);
  }

  /** The attempt failed, or the open connection was lost. */
  disconnected(at: number, reason: string): HealthChange | undefined {
    this.#downSince ??= at;
    return this.#move("disconnected", at, reason);
  }

  closed(at: number, reason: string): HealthChange | undefined {
    return this.#move("closed", at, reason);
  }

  /** Adds a request's outcome; ignored unless a connection is open (late answers from a lost one say nothing). */
  record(outcome: Outcome, at: number): HealthChange | undefined {
    if (!this.isOpen) return undefined;
    this.#window.push(!outcome.ok);
    if (this.#window.length > this.#policy.windowSize) this.#window.shift();
    const { failures, samples } = this.window;
    if (samples < this.#policy.minSamples) return undefined;
    const share = failures / samples;
    const summary = `${failures} of the last ${samples} requests failed`;
    if (this.#state === "connected" && share > this.#policy.degradedAbove) {
      return this.#move("degraded", at, outcome.ok ? summary : `${summary} (last: ${outcome.reason})`);
    }
    if (this.#state === "degraded" && share <= this.#policy.recoveredAtOrBelow) {
      return this.#move("connected", at, summary);
    }
    return undefined;
  }

  #move(to: HealthState, at: number, reason: string): HealthChange | undefined {
    const from = this.#state;
    if (from === to) return undefined;
    // The manager drives this machine; a transition outside the table is a bug in the manager, not a device problem.
    assert.ok(ALLOWED[from].includes(to), `health: no transition from ${from} to ${to}`);
    this.#state = to;
    this.#since = at;
    this.#reason = reason;
    return { from, to, reason, at };
  }
}
