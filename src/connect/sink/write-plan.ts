// From a consumed record's bytes to the one batched write it asks for, or the reason it must not be written at all.
import { coerceValue, type WriteRequest } from "../../plc/index.ts";
import { decodeJson, JsonDecodeError } from "../records/index.ts";
import type { AllowList } from "./allow-list.ts";
import { BadRecordError, ExpiredRecordError, NotAllowedError, type SinkError } from "./errors.ts";
import { type RecordShape, readIntent } from "./record-shapes.ts";

/** A record as it came from Kafka: key and value bytes, either absent. */
export interface RecordBytes {
  readonly key: Uint8Array | null | undefined;
  readonly value: Uint8Array | null | undefined;
}

/** What to write for one record: every tag of it in one request, addresses from the allow-list only. */
export interface WritePlan {
  readonly shape: RecordShape;
  /** Alias → allow-listed address and the value converted to the tag's type. */
  readonly writes: WriteRequest;
  /** Epoch ms after which it must not be written (checked again before each retry); undefined for none. */
  readonly expiresAt: number | undefined;
}

export type PlanResult =
  | { readonly ok: true; readonly plan: WritePlan }
  | { readonly ok: false; readonly error: SinkError };

const UTF8 = new TextDecoder("utf-8", { fatal: true });
const LENIENT_UTF8 = new TextDecoder("utf-8");

/**
 * Checks in this order, and the first failure decides: the value decodes (UTF-8, JSON; BAD_RECORD), its shape is known
 * (BAD_RECORD), every tag it names is allow-listed (NOT_ALLOWED: then nothing of it is written), every value fits its
 * tag's type (BAD_RECORD naming each), and it has not expired at `now` (EXPIRED). Pure: no I/O, no clock.
 */
export function planRecord(record: RecordBytes, allowList: AllowList, now: number): PlanResult {
  try {
    return { ok: true, plan: plan(record, allowList, now) };
  } catch (error) {
    if (error instanceof BadRecordError || error instanceof NotAllowedError || error instanceof ExpiredRecordError) {
      return { ok: false, error };
    }
    throw error;
  }
}

function plan(record: RecordBytes, allowList: AllowList, now: number): WritePlan {
  const key = record.key === null || record.key === undefined ? undefined : LENIENT_UTF8.decode(record.key);
  const intent = readIntent(decodeValue(record.value), key);

  const refused = [...intent.values, ...intent.skipped].filter((named) => allowList.get(named.alias) === undefined);
  if (refused.length > 0) {
    throw new NotAllowedError(
      refused.map((named) => named.alias),
      refused.map((named) => named.path),
      allowList.aliases,
    );
  }

  const writes: [string, { address: string; value: unknown }][] = [];
  const problems: string[] = [];
  const badTags: [string, string][] = [];
  for (const { alias, value, path } of intent.values) {
    const tag = allowList.get(alias)!;
    if (tag.spec === undefined) {
      writes.push([alias, { address: tag.address, value }]);
      continue;
    }
    const coerced = coerceValue(tag.spec, value);
    if (coerced.ok) {
      writes.push([alias, { address: tag.address, value: coerced.value }]);
    } else {
      problems.push(`${path}: ${coerced.message}`);
      badTags.push([alias, "INVALID_DATA"]);
    }
  }
  if (problems.length > 0) throw new BadRecordError(problems.join("; "), "record", Object.fromEntries(badTags));

  if (intent.expiresAt !== undefined && now > intent.expiresAt) throw new ExpiredRecordError(intent.expiresAt, now);
  // Object.fromEntries defines own properties, so an alias such as `__proto__` stays an ordinary key.
  return { shape: intent.shape, writes: Object.fromEntries(writes), expiresAt: intent.expiresAt };
}

function decodeValue(value: Uint8Array | null | undefined): unknown {
  if (value === null || value === undefined || value.length === 0) {
    throw new BadRecordError("the record has no value (a tombstone?): nothing to write", "value");
  }
  let text: string;
  try {
    text = UTF8.decode(value);
  } catch {
    throw new BadRecordError("value: not UTF-8 text; expected JSON", "value");
  }
  try {
    return decodeJson(text);
  } catch (error) {
    if (error instanceof JsonDecodeError) throw new BadRecordError(`value: ${error.message}`, "value");
    throw error;
  }
}
