// Why a sink did not write a record: each class has a stable `code`, which the record's dead letter carries as its reason.
import type { TagWriteResult } from "../../plc/index.ts";

/** Every reason a record goes to the dead letter topic; consumers of that topic switch on these, so they never change. */
export type DeadLetterReason = "NOT_ALLOWED" | "EXPIRED" | "BAD_RECORD" | "WRITE_FAILED";

/** Alias → what went wrong with that tag (a ResponseCode, or NOT_ALLOWED / INVALID_DATA), for `fabrik.error.tags`. */
export type TagCodes = Readonly<Record<string, string>>;

/** Base of every error a sink dead-letters a record with. */
export abstract class SinkError extends Error {
  abstract readonly code: DeadLetterReason;
  /** The tags to blame and their codes, when particular tags are; undefined when the record as a whole is. */
  readonly tags: TagCodes | undefined;

  constructor(message: string, tags?: TagCodes) {
    super(message);
    this.name = new.target.name;
    this.tags = tags;
  }
}

/**
 * A record that is not what a sink can write: not UTF-8 or JSON (`stage` "value"), or of an unknown shape, or with a
 * value that does not fit its tag's type (`stage` "record"). The message says what and where, e.g.
 * `tags.speed: expected a number for REAL, got "fast"`.
 */
export class BadRecordError extends SinkError {
  override readonly code = "BAD_RECORD";
  /** "value" when the bytes could not be decoded at all, as Kafka Connect's converter stage; "record" otherwise. */
  readonly stage: "value" | "record";

  constructor(message: string, stage: "value" | "record", tags?: TagCodes) {
    super(message, tags);
    this.stage = stage;
  }
}

/** A record naming tags outside the sink's allow-list; none of its tags is written. */
export class NotAllowedError extends SinkError {
  override readonly code = "NOT_ALLOWED";
  /** The aliases that are not allowed, in record order. */
  readonly aliases: readonly string[];

  constructor(aliases: readonly string[], paths: readonly string[], allowed: readonly string[]) {
    super(
      `${paths.join(", ")}: not in this sink's allow-list (${allowed.join(", ")}); nothing of the record was written`,
      Object.fromEntries(aliases.map((alias) => [alias, "NOT_ALLOWED"])),
    );
    this.aliases = aliases;
  }
}

/** A record whose `expires` time passed before it could be written. */
export class ExpiredRecordError extends SinkError {
  override readonly code = "EXPIRED";
  readonly expiresAt: number;

  constructor(expiresAt: number, now: number, detail = "") {
    super(`expired at ${isoTime(expiresAt)}, ${now - expiresAt} ms before it could be written${detail}`);
    this.expiresAt = expiresAt;
  }
}

/** A write the device refused or did not answer, after every retry. `results` holds each tag's last outcome. */
export class WriteFailedError extends SinkError {
  override readonly code = "WRITE_FAILED";
  readonly results: Readonly<Record<string, TagWriteResult>>;
  readonly attempts: number;

  constructor(results: Readonly<Record<string, TagWriteResult>>, attempts: number) {
    const entries = Object.entries(results);
    const failed = entries.filter(([, result]) => result.code !== "OK");
    const reasons = failed.map(
      ([alias, result]) => `${alias}: ${result.code}${"message" in result ? ` (${result.message})` : ""}`,
    );
    super(
      `${failed.length} of ${entries.length} tags not written after ${attempts} ${attempts === 1 ? "attempt" : "attempts"}: ${reasons.join("; ")}`,
      Object.fromEntries(entries.map(([alias, result]) => [alias, result.code])),
    );
    this.results = results;
    this.attempts = attempts;
  }
}

function isoTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? `${ms} ms` : date.toISOString();
}
