// Answers for requests a device did not answer (disconnected, timed out): per-tag BAD results, never stale GOOD ones.
import { parseTagAddress } from "./connection.ts";
import type { Driver, ReadResponse, TagFailure, TagRequest, WriteRequest, WriteResponse } from "./driver.ts";
import { ConnectionClosedError, ConnectionFailedError } from "./errors.ts";
import type { TagReading, TagWriteResult } from "./response.ts";

/** INVALID_ADDRESS for an address the driver's grammar refuses, undefined for a good one. */
export type AddressCheck = (address: unknown) => TagFailure | undefined;

/**
 * Checks addresses with the driver's pure parser, so that a bad address reads as INVALID_ADDRESS whether or not the
 * device is reachable, the same answer the connection would give.
 */
export function addressCheck(driver: Driver): AddressCheck {
  return (address) => {
    const parsed = parseTagAddress(driver, address);
    return parsed.ok ? undefined : parsed.failure;
  };
}

/** One BAD reading per alias: `failure` for good addresses, INVALID_ADDRESS for bad ones. */
export function unansweredReads(
  tags: TagRequest,
  failure: TagFailure,
  check: AddressCheck,
  sampledAt: number,
): ReadResponse {
  const out: Record<string, TagReading> = {};
  for (const [alias, address] of Object.entries(tags)) {
    out[alias] = { ...(check(address) ?? failure), quality: "BAD", sampledAt };
  }
  return out;
}

/** One failed write result per alias, as `unansweredReads`. */
export function unansweredWrites(tags: WriteRequest, failure: TagFailure, check: AddressCheck): WriteResponse {
  const out: Record<string, TagWriteResult> = {};
  for (const [alias, tag] of Object.entries(tags)) out[alias] = check(tag?.address) ?? failure;
  return out;
}

/** Where a disconnected device stands, for the message of a call that could not reach it. */
export interface Disconnection {
  readonly device: string;
  readonly downSince: number;
  /** Why it went away or cannot be reached. */
  readonly reason: string;
  /** True while an attempt is in progress. */
  readonly reconnecting: boolean;
  readonly nextAttemptAt: number | undefined;
}

/** REMOTE_ERROR saying the device is disconnected, since when, why, and when it will be tried again. */
export function disconnectedFailure(state: Disconnection): TagFailure {
  const since = new Date(state.downSince).toISOString();
  const next = state.reconnecting
    ? "; reconnecting now"
    : state.nextAttemptAt === undefined
      ? ""
      : `; next attempt at ${new Date(state.nextAttemptAt).toISOString()}`;
  return { code: "REMOTE_ERROR", message: `${state.device} is disconnected since ${since} (${state.reason})${next}` };
}

/** True for errors that mean the connection is gone, rather than that the request was wrong. */
export function isConnectionError(error: unknown): error is ConnectionFailedError | ConnectionClosedError {
  return error instanceof ConnectionFailedError || error instanceof ConnectionClosedError;
}

/** The message of anything thrown, for reasons in events and per-tag messages. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
