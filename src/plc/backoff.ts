// How long to wait before reconnecting to a device: exponential backoff with full jitter.
import { MAX_TIMER_DELAY_MS } from "./deadline.ts";
import { InvalidRequestError } from "./errors.ts";

/**
 * The delay before attempt `n` (0-based) is uniform in `0..min(capMs, baseMs * factor^n)`. Full jitter rather than a
 * fixed schedule because after a network outage many connections fail at the same moment: fixed delays would make them
 * all knock on the PLCs (and the switch) at the same instants again, jitter spreads them out.
 */
export interface BackoffPolicy {
  /** The ceiling of the first delay. */
  readonly baseMs: number;
  /** How much the ceiling grows per failed attempt; 1 keeps it at `baseMs`. */
  readonly factor: number;
  /** The largest ceiling, so a device that comes back is noticed within this time. */
  readonly capMs: number;
}

/** Uniform in [0, 1), like Math.random; tests inject a seeded one. */
export type RandomSource = () => number;

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, factor: 2, capMs: 30_000 };

/** Checks a policy; throws InvalidRequestError naming the field that is out of range. */
export function checkBackoffPolicy(policy: BackoffPolicy): BackoffPolicy {
  const fail = (field: string, expected: string, value: number) =>
    new InvalidRequestError(`backoff ${field} must be ${expected}, got ${value}`);
  if (!Number.isFinite(policy.baseMs) || policy.baseMs < 1 || policy.baseMs > MAX_TIMER_DELAY_MS) {
    throw fail("baseMs", `a number of milliseconds in 1..${MAX_TIMER_DELAY_MS}`, policy.baseMs);
  }
  if (!Number.isFinite(policy.factor) || policy.factor < 1) throw fail("factor", "a number >= 1", policy.factor);
  if (!Number.isFinite(policy.capMs) || policy.capMs < policy.baseMs || policy.capMs > MAX_TIMER_DELAY_MS) {
    throw fail("capMs", `a number of milliseconds in baseMs..${MAX_TIMER_DELAY_MS}`, policy.capMs);
  }
  return policy;
}

/** The upper bound of the delay before attempt `attempt` (0-based), in whole milliseconds. */
export function backoffCeilingMs(policy: BackoffPolicy, attempt: number): number {
  // factor ** attempt overflows to Infinity for long outages; min() turns that into the cap instead of NaN.
  return Math.floor(Math.min(policy.capMs, policy.baseMs * policy.factor ** Math.max(0, attempt)));
}

/** A delay in `0..backoffCeilingMs(policy, attempt)`, both ends included. */
export function fullJitterMs(policy: BackoffPolicy, attempt: number, random: RandomSource): number {
  const ceiling = backoffCeilingMs(policy, attempt);
  // A source that returns 1 (some do, despite the contract) must not push the delay past the ceiling.
  return Math.min(ceiling, Math.floor(random() * (ceiling + 1)));
}

/** Counts consecutive failed attempts and hands out the delay before the next one. */
export class Backoff {
  readonly policy: BackoffPolicy;
  readonly #random: RandomSource;
  #attempt = 0;

  constructor(policy: BackoffPolicy, random: RandomSource) {
    this.policy = checkBackoffPolicy(policy);
    this.#random = random;
  }

  /** Failed attempts since the last success. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt; counts one more failure. */
  next(): number {
    const delay = fullJitterMs(this.policy, this.#attempt, this.#random);
    this.#attempt++;
    return delay;
  }

  /** After a success: the next failure starts again from `baseMs`. */
  reset(): void {
    this.#attempt = 0;
  }
}
