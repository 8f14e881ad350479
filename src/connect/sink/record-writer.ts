// Writes one record's tags to the device: one batched write per attempt, bounded retries with backoff, a deadline each.

import {
  type Backoff,
  type Deadlined,
  DeadlineGroup,
  type ErrorCode,
  errorMessage,
  type ManagedConnection,
  type Schedule,
  type TagWriteResult,
  UnsupportedOperationError,
  type WriteRequest,
  type WriteResponse,
} from "../../plc/index.ts";
import { ExpiredRecordError, WriteFailedError } from "./errors.ts";
import { StoppableWaits } from "./stoppable-waits.ts";
import type { WritePlan } from "./write-plan.ts";

export interface RecordWriterOptions {
  readonly connection: Pick<ManagedConnection, "write">;
  /** Attempts after the first failed one. */
  readonly retries: number;
  /** How long one attempt may take before it counts as TIMEOUT. */
  readonly timeoutMs: number;
  /** Delays between attempts; reset for every record. */
  readonly backoff: Backoff;
  readonly schedule: Schedule;
  readonly clock: () => number;
}

/** `attempts`: writes sent to the device; `written`: tags the device took (a failed record may have some). */
export type WriteOutcome =
  | { readonly kind: "written"; readonly attempts: number; readonly written: number }
  | { readonly kind: "failed"; readonly attempts: number; readonly written: number; readonly error: WriteFailedError }
  | {
      readonly kind: "expired";
      readonly attempts: number;
      readonly written: number;
      readonly error: ExpiredRecordError;
    }
  /** `abandon()` was called: the write may or may not have taken effect, and the record must not be committed. */
  | { readonly kind: "abandoned" };

/**
 * Device answers worth another attempt: the device was away, busy or slow. The others (a refused address, a value
 * out of the device's range, a read-only tag) would be refused again, so the record goes to the dead letters at once.
 */
const RETRIABLE: ReadonlySet<ErrorCode> = new Set(["TIMEOUT", "REMOTE_BUSY", "REMOTE_ERROR"]);

export class RecordWriter {
  readonly #options: RecordWriterOptions;
  readonly #deadlines: DeadlineGroup;
  readonly #waits: StoppableWaits;

  constructor(options: RecordWriterOptions) {
    this.#options = options;
    this.#deadlines = new DeadlineGroup(options.schedule);
    this.#waits = new StoppableWaits(options.schedule);
  }

  /**
   * Writes `plan`, retrying only the tags that failed with a retriable code (a tag written once is not written again).
   * Before every attempt the record's expiry is checked: a record that expires while the device is away is not written
   * when it returns.
   */
  async write(plan: WritePlan): Promise<WriteOutcome> {
    const { retries, backoff, clock } = this.#options;
    backoff.reset();
    // A Map, not an object: an alias such as `__proto__` stays an ordinary key.
    const results = new Map<string, TagWriteResult>();
    let pending: WriteRequest = plan.writes;
    for (let attempt = 1; ; attempt++) {
      if (this.#waits.stopped) return { kind: "abandoned" };
      const now = clock();
      const written = countOk(results);
      if (plan.expiresAt !== undefined && now > plan.expiresAt) {
        const detail =
          attempt === 1
            ? ""
            : `; before that, ${new WriteFailedError(ordered(plan.writes, results), attempt - 1).message}`;
        const error = new ExpiredRecordError(plan.expiresAt, now, detail);
        return { kind: "expired", attempts: attempt - 1, written, error };
      }
      const answer = await this.#attempt(pending);
      if (answer === undefined) return { kind: "abandoned" };
      // Only the tags asked for count: a retry then writes a subset of the plan, never a tag a device answered unasked.
      const failed: [string, TagWriteResult][] = [];
      for (const alias of Object.keys(pending)) {
        const result: TagWriteResult = Object.hasOwn(answer, alias)
          ? answer[alias]!
          : { code: "REMOTE_ERROR", message: "the device's answer left this tag out" };
        results.set(alias, result);
        if (result.code !== "OK") failed.push([alias, result]);
      }
      if (failed.length === 0) return { kind: "written", attempts: attempt, written: countOk(results) };
      const retriable = failed.every(([, result]) => result.code !== "OK" && RETRIABLE.has(result.code));
      if (!retriable || attempt > retries) {
        const error = new WriteFailedError(ordered(plan.writes, results), attempt);
        return { kind: "failed", attempts: attempt, written: countOk(results), error };
      }
      pending = Object.fromEntries(failed.map(([alias]) => [alias, pending[alias]!]));
      await this.#waits.wait(backoff.next());
    }
  }

  /** Ends the write in progress (its deadline and any backoff) with "abandoned"; later writes are abandoned at once. */
  abandon(): void {
    this.#waits.stop();
    this.#deadlines.stopAll();
  }

  /** One batched write; undefined when abandoned. A call that throws fails every tag of it. */
  async #attempt(tags: WriteRequest): Promise<WriteResponse | undefined> {
    const { connection, timeoutMs } = this.#options;
    let outcome: Deadlined<WriteResponse>;
    try {
      outcome = await this.#deadlines.run(connection.write(tags), timeoutMs);
    } catch (error) {
      if (this.#waits.stopped) return undefined;
      const code = error instanceof UnsupportedOperationError ? "UNSUPPORTED" : "REMOTE_ERROR";
      return everyTag(tags, { code, message: `not written: ${errorMessage(error)}` });
    }
    switch (outcome.status) {
      case "done":
        return outcome.value;
      case "stopped":
        return undefined;
      case "timed-out":
        return everyTag(tags, {
          code: "TIMEOUT",
          message: `no answer within ${timeoutMs} ms; the write may or may not have taken effect`,
        });
    }
  }
}

function everyTag(tags: WriteRequest, result: TagWriteResult): WriteResponse {
  return Object.fromEntries(Object.keys(tags).map((alias) => [alias, result]));
}

function countOk(results: ReadonlyMap<string, TagWriteResult>): number {
  let ok = 0;
  for (const result of results.values()) if (result.code === "OK") ok++;
  return ok;
}

/** `results` in the record's tag order, so dead letters list tags as the record did. */
function ordered(writes: WriteRequest, results: ReadonlyMap<string, TagWriteResult>): WriteResponse {
  return Object.fromEntries(Object.keys(writes).map((alias) => [alias, results.get(alias)!]));
}
