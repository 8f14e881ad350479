// The record shapes a sink accepts (Fabrik's job and tag formats, PLC4X's Kafka Connect struct) read into one intent.
import { BadRecordError } from "./errors.ts";

/** Which shape a record had; dead letters and logs name it. */
export type RecordShape = "job" | "plc4x" | "tag";

/** One tag a record asks to write: the alias, its value as decoded from JSON, and where in the record it was. */
export interface NamedValue {
  readonly alias: string;
  /** Never null: a null value means "nothing to write" and is in `skipped`. */
  readonly value: unknown;
  /** `tags.speed`, `payload.tags.speed`, `value`: for messages. */
  readonly path: string;
}

/** What a record asks for, before the allow-list and the tags' types are applied. */
export interface WriteIntent {
  readonly shape: RecordShape;
  readonly values: readonly NamedValue[];
  /** Tags the record names with a null value (a source could not read them): not written, but still allow-listed. */
  readonly skipped: readonly NamedValue[];
  /** Epoch ms after which the record must not be written; undefined for none. */
  readonly expiresAt: number | undefined;
}

/** Kafka Connect's logical type for DATE: an int32 count of days since the epoch. */
const CONNECT_DATE = "org.apache.kafka.connect.data.Date";
const MS_PER_DAY = 86_400_000;

const EXPECTED_SHAPE =
  "expected a job record {tags: {alias: value}}, a PLC4X record {schema, payload: {tags}} or a tag record {value} keyed source/alias";

/**
 * Reads a decoded record value. `key` is the record key as text (the tag format takes the alias from it). Shapes:
 * - `{schema, payload}` (Kafka Connect's JsonConverter with schemas): PLC4X's struct, `payload.tags` (or the older
 *   `payload.fields`), `payload.timestamp`, `payload.expires`.
 * - `{tags: {...}}` or `{fields: {...}}`: Fabrik's job format (PLC4X's struct without a schema).
 * - `{value}`: Fabrik's tag format; the alias is the key's part after its last `/`.
 * Throws BadRecordError saying what is wrong where.
 */
export function readIntent(document: unknown, key: string | undefined): WriteIntent {
  if (!isObject(document)) throw bad("", `${EXPECTED_SHAPE}, got ${describeJson(document)}`);
  if ("schema" in document && "payload" in document) return readConnectStruct(document);
  if ("tags" in document || "fields" in document) return readJob(document, "", "job", undefined);
  if ("value" in document) return readTagRecord(document, key);
  throw bad("", `${EXPECTED_SHAPE}, got an object with ${describeKeys(document)}`);
}

function readConnectStruct(document: Readonly<Record<string, unknown>>): WriteIntent {
  const { schema, payload } = document;
  if (!isObject(payload))
    throw bad("payload", `expected PLC4X's struct {tags, timestamp, expires}, got ${describeJson(payload)}`);
  return readJob(payload, "payload.", "plc4x", isObject(schema) ? schema : undefined);
}

/**
 * The job format and PLC4X's struct. `expires` differs: Fabrik writes epoch ms; PLC4X's sink task adds it to
 * `timestamp` (0 or null: none). In the PLC4X shape a value at or beyond `timestamp` is read as epoch ms all the same,
 * since an offset of decades is never meant and reading it as one would write a record that has long expired.
 */
function readJob(
  document: Readonly<Record<string, unknown>>,
  at: string,
  shape: RecordShape,
  schema: Readonly<Record<string, unknown>> | undefined,
): WriteIntent {
  if ("tags" in document && "fields" in document) {
    throw bad(`${at}tags`, "the record has both tags and fields; expected one of them");
  }
  const field = "tags" in document ? "tags" : "fields";
  const tags = document[field];
  if (!isObject(tags)) throw bad(`${at}${field}`, `expected an object of alias → value, got ${describeJson(tags)}`);
  const logicalTypes = shape === "plc4x" ? fieldLogicalTypes(schema, field) : new Map<string, string>();
  const values: NamedValue[] = [];
  const skipped: NamedValue[] = [];
  for (const [alias, raw] of Object.entries(tags)) {
    const path = `${at}${field}${member(alias)}`;
    if (raw === null) skipped.push({ alias, value: raw, path });
    else values.push({ alias, value: fromLogicalType(logicalTypes.get(alias), raw), path });
  }
  if (values.length === 0) {
    const why = skipped.length === 0 ? "no tags" : `every tag is null (${skipped.map((v) => v.alias).join(", ")})`;
    throw bad(`${at}${field}`, `nothing to write: ${why}`);
  }
  const expires = optionalTime(document.expires, `${at}expires`);
  const timestamp = optionalTime(document.timestamp, `${at}timestamp`);
  let expiresAt = expires;
  if (shape === "plc4x") {
    if (expires === 0) expiresAt = undefined;
    else if (expires !== undefined && timestamp !== undefined && expires < timestamp) expiresAt = timestamp + expires;
  }
  return { shape, values, skipped, expiresAt };
}

function readTagRecord(document: Readonly<Record<string, unknown>>, key: string | undefined): WriteIntent {
  if (key === undefined || key === "") {
    throw bad("key", "a tag record {value} needs its key, source/alias, to name the tag; the record has none");
  }
  const alias = key.slice(key.lastIndexOf("/") + 1);
  if (alias === "") throw bad("key", `${JSON.stringify(key)} ends with '/'; expected source/alias`);
  if (document.value === null) throw bad("value", "nothing to write: the value is null");
  const expiresAt = optionalTime(document.expires, "expires");
  return { shape: "tag", values: [{ alias, value: document.value, path: "value" }], skipped: [], expiresAt };
}

/** Per alias, the logical type name its schema gives (only DATE needs converting), from a Connect struct schema. */
function fieldLogicalTypes(schema: Readonly<Record<string, unknown>> | undefined, field: string): Map<string, string> {
  const types = new Map<string, string>();
  const tagsSchema = schemaFields(schema).find((entry) => entry.field === field);
  for (const entry of schemaFields(tagsSchema)) {
    if (typeof entry.field === "string" && typeof entry.name === "string") types.set(entry.field, entry.name);
  }
  return types;
}

function schemaFields(schema: unknown): Readonly<Record<string, unknown>>[] {
  if (!isObject(schema) || !Array.isArray(schema.fields)) return [];
  return schema.fields.filter(isObject);
}

function fromLogicalType(name: string | undefined, value: unknown): unknown {
  if (name === CONNECT_DATE && typeof value === "number") return value * MS_PER_DAY;
  return value;
}

function optionalTime(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw bad(path, `expected whole milliseconds since the epoch, got ${describeJson(value)}`);
  }
  return value;
}

function bad(path: string, problem: string): BadRecordError {
  return new BadRecordError(path === "" ? problem : `${path}: ${problem}`, "record");
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `.speed`, or `["a b"]` for an alias that is not a plain name. */
function member(alias: string): string {
  return IDENTIFIER.test(alias) ? `.${alias}` : `[${JSON.stringify(alias)}]`;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A short rendering of a decoded JSON value for messages; long strings are cut so one record cannot flood a log. */
function describeJson(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  return String(value);
}

function describeKeys(document: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(document);
  if (keys.length === 0) return "no fields";
  const shown = keys.slice(0, 5).map((key) => JSON.stringify(key));
  return `fields ${shown.join(", ")}${keys.length > 5 ? ", …" : ""}`;
}
