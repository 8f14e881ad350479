// Reads the WITH clause of CREATE and INSERT statements into checked, typed properties, each with its span.

import { formatInstant } from "../functions/datetime.ts";
import type { Property, Span } from "../language/ast.ts";
import { didYouMean } from "../language/near-miss.ts";
import { printLiteral } from "../language/print-expression.ts";
import type { SerdeFormat } from "../serde/serde.ts";
import { SqlFunctionError } from "../types/errors.ts";
import type { WindowInfo } from "./catalog.ts";
import type { Fail } from "./errors.ts";
import { durationTextMs } from "./windows.ts";

export const PROPERTY_NAMES = [
  "KAFKA_TOPIC",
  "KEY_FORMAT",
  "VALUE_FORMAT",
  "FORMAT",
  "PARTITIONS",
  "REPLICAS",
  "TIMESTAMP",
  "TIMESTAMP_FORMAT",
  "WRAP_SINGLE_VALUE",
  "KEY_DELIMITER",
  "VALUE_DELIMITER",
  "WINDOW_TYPE",
  "WINDOW_SIZE",
  "QUERY_ID",
] as const;

export type PropertyName = (typeof PROPERTY_NAMES)[number];

/** Properties of CREATE STREAM|TABLE; CREATE … AS SELECT takes them without the window ones; INSERT INTO only QUERY_ID. */
export const CREATE_PROPERTIES: readonly PropertyName[] = PROPERTY_NAMES.filter((p) => p !== "QUERY_ID");
export const CREATE_AS_SELECT_PROPERTIES: readonly PropertyName[] = CREATE_PROPERTIES.filter(
  (p) => p !== "WINDOW_TYPE" && p !== "WINDOW_SIZE",
);
export const INSERT_PROPERTIES: readonly PropertyName[] = ["QUERY_ID"];

const FORMATS: readonly SerdeFormat[] = ["JSON", "KAFKA", "DELIMITED", "NONE"];
/** ksqlDB formats that need a schema registry, which Fabrik does not have yet. */
const REGISTRY_FORMATS = ["AVRO", "PROTOBUF", "PROTOBUF_NOSR", "JSON_SR"];
const WINDOW_KINDS: readonly WindowInfo["kind"][] = ["TUMBLING", "HOPPING", "SESSION"];

/** A property's value with the span of the `NAME=value` it came from, so errors point at it. */
export interface Given<T> {
  readonly value: T;
  readonly span: Span;
}

export interface WithProperties {
  readonly topic?: Given<string>;
  readonly keyFormat?: Given<SerdeFormat>;
  readonly valueFormat?: Given<SerdeFormat>;
  readonly partitions?: Given<number>;
  readonly replicas?: Given<number>;
  /** The column name as KSQL normalises it: upper-cased unless written in back-quotes inside the string. */
  readonly timestamp?: Given<string>;
  readonly timestampFormat?: Given<string>;
  readonly wrapSingleValue?: Given<boolean>;
  readonly keyDelimiter?: Given<string>;
  readonly valueDelimiter?: Given<string>;
  readonly window?: Given<WindowInfo>;
  readonly queryId?: Given<string>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Checks every property against `allowed` and its rules; `statement` names the statement kind in messages. */
export function readProperties(
  properties: readonly Property[],
  allowed: readonly PropertyName[],
  statement: string,
  fail: Fail,
): WithProperties {
  const seen = new Map<PropertyName, Property>();
  for (const property of properties) {
    const name = property.name.value.toUpperCase();
    const known = PROPERTY_NAMES.find((p) => p === name);
    if (known === undefined) {
      fail(
        "SQL_UNKNOWN_PROPERTY",
        `unknown property ${name} in ${statement}${didYouMean(name, allowed)}`,
        property.name.span,
      );
    }
    if (!allowed.includes(known)) {
      fail("SQL_INVALID_PROPERTY", `${known} does not apply to ${statement}`, property.name.span);
    }
    if (seen.has(known)) fail("SQL_INVALID_PROPERTY", `${known} is given twice`, property.span);
    seen.set(known, property);
  }
  const read = new PropertyReader(fail);
  const result: Mutable<WithProperties> = {};
  const at = (name: PropertyName) => seen.get(name);
  const p = {
    topic: at("KAFKA_TOPIC"),
    format: at("FORMAT"),
    keyFormat: at("KEY_FORMAT"),
    valueFormat: at("VALUE_FORMAT"),
  };
  if (p.topic) result.topic = read.nonEmptyString(p.topic);
  if (p.format && (p.keyFormat || p.valueFormat)) {
    fail(
      "SQL_INVALID_PROPERTY",
      `FORMAT cannot be given with ${p.keyFormat ? "KEY_FORMAT" : "VALUE_FORMAT"}`,
      p.format.span,
    );
  }
  const both = p.format ? read.format(p.format) : undefined;
  const keyFormat = p.keyFormat ? read.format(p.keyFormat) : both;
  const valueFormat = p.valueFormat ? read.format(p.valueFormat) : both;
  if (keyFormat) result.keyFormat = keyFormat;
  if (valueFormat) {
    if (valueFormat.value === "NONE") {
      fail("SQL_INVALID_PROPERTY", "NONE can only be a KEY_FORMAT: it reads nothing from the record", valueFormat.span);
    }
    result.valueFormat = valueFormat;
  }
  for (const [key, name] of [
    ["partitions", "PARTITIONS"],
    ["replicas", "REPLICAS"],
  ] as const) {
    const property = at(name);
    if (property) result[key] = read.positiveInteger(property);
  }
  const timestamp = at("TIMESTAMP");
  const timestampFormat = at("TIMESTAMP_FORMAT");
  if (timestamp) result.timestamp = read.columnName(timestamp);
  if (timestampFormat) {
    if (!timestamp) fail("SQL_INVALID_PROPERTY", "TIMESTAMP_FORMAT needs TIMESTAMP", timestampFormat.span);
    result.timestampFormat = read.timestampPattern(timestampFormat);
  }
  const wrap = at("WRAP_SINGLE_VALUE");
  if (wrap) result.wrapSingleValue = read.boolean(wrap);
  const keyDelimiter = at("KEY_DELIMITER");
  const valueDelimiter = at("VALUE_DELIMITER");
  if (keyDelimiter) result.keyDelimiter = read.nonEmptyString(keyDelimiter);
  if (valueDelimiter) result.valueDelimiter = read.nonEmptyString(valueDelimiter);
  const window = read.window(at("WINDOW_TYPE"), at("WINDOW_SIZE"));
  if (window) result.window = window;
  const queryId = at("QUERY_ID");
  if (queryId) result.queryId = read.nonEmptyString(queryId);
  return result;
}

class PropertyReader {
  readonly #fail: Fail;

  constructor(fail: Fail) {
    this.#fail = fail;
  }

  #bad(property: Property, expected: string): never {
    return this.#fail(
      "SQL_INVALID_PROPERTY",
      `${property.name.value.toUpperCase()} must be ${expected}, got ${printLiteral(property.value)}`,
      property.value.span,
    );
  }

  #string(property: Property, expected: string): string {
    return property.value.kind === "StringLiteral" ? property.value.value : this.#bad(property, expected);
  }

  nonEmptyString(property: Property): Given<string> {
    const value = this.#string(property, "a non-empty string");
    if (value === "") this.#bad(property, "a non-empty string");
    return { value, span: property.span };
  }

  format(property: Property): Given<SerdeFormat> {
    const text = this.#string(property, `one of ${FORMATS.join(", ")}`).toUpperCase();
    const format = FORMATS.find((f) => f === text);
    if (format) return { value: format, span: property.span };
    if (REGISTRY_FORMATS.includes(text)) {
      this.#fail("SQL_UNSUPPORTED", `format ${text} is not supported yet; use JSON, KAFKA or DELIMITED`, property.span);
    }
    return this.#fail(
      "SQL_INVALID_PROPERTY",
      `unknown format '${text}'; expected one of ${FORMATS.join(", ")}${didYouMean(text, FORMATS)}`,
      property.value.span,
    );
  }

  /** ksqlDB also takes the number as text (`PARTITIONS='3'`). */
  positiveInteger(property: Property): Given<number> {
    const { value } = property;
    const text = value.kind === "IntegerLiteral" ? value.value : value.kind === "StringLiteral" ? value.value : "";
    const number = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(number) || number < 1 || number > 2 ** 31 - 1) this.#bad(property, "a positive integer");
    return { value: number, span: property.span };
  }

  boolean(property: Property): Given<boolean> {
    const { value } = property;
    if (value.kind === "BooleanLiteral") return { value: value.value, span: property.span };
    const text = value.kind === "StringLiteral" ? value.value.toLowerCase() : "";
    if (text !== "true" && text !== "false") this.#bad(property, "TRUE or FALSE");
    return { value: text === "true", span: property.span };
  }

  columnName(property: Property): Given<string> {
    const text = this.nonEmptyString(property).value;
    const quoted = /^`(.+)`$/.exec(text);
    return { value: quoted ? quoted[1]!.replaceAll("``", "`") : text.toUpperCase(), span: property.span };
  }

  timestampPattern(property: Property): Given<string> {
    const pattern = this.nonEmptyString(property);
    try {
      formatInstant("TIMESTAMP_FORMAT", 0, pattern.value);
    } catch (error) {
      if (!(error instanceof SqlFunctionError)) throw error;
      this.#fail("SQL_INVALID_PROPERTY", `TIMESTAMP_FORMAT: ${error.message}`, property.value.span, error);
    }
    return pattern;
  }

  window(type: Property | undefined, size: Property | undefined): Given<WindowInfo> | undefined {
    if (!type) {
      if (size) this.#fail("SQL_INVALID_PROPERTY", "WINDOW_SIZE needs WINDOW_TYPE", size.span);
      return undefined;
    }
    const text = this.#string(type, `one of ${WINDOW_KINDS.join(", ")}`).toUpperCase();
    const kind = WINDOW_KINDS.find((k) => k === text) ?? this.#bad(type, `one of ${WINDOW_KINDS.join(", ")}`);
    if (kind === "SESSION") {
      if (size) this.#fail("SQL_INVALID_PROPERTY", "WINDOW_SIZE does not apply to SESSION windows", size.span);
      return { value: { kind }, span: type.span };
    }
    if (!size) {
      return this.#fail("SQL_MISSING_PROPERTY", `a ${kind} window needs WINDOW_SIZE, e.g. '1 MINUTE'`, type.span);
    }
    const sizeMs = durationTextMs(this.#string(size, "a duration such as '1 MINUTE'"));
    if (sizeMs === undefined || sizeMs <= 0) this.#bad(size, "a duration such as '1 MINUTE'");
    return { value: { kind, sizeMs }, span: type.span };
  }
}
