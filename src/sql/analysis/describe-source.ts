// CREATE [OR REPLACE] [SOURCE] STREAM|TABLE: checks the columns and WITH clause and describes the new source.

import { SqlSemanticError } from "../expressions/errors.ts";
import type { ColumnDefinition, Statement } from "../language/ast.ts";
import { didYouMean } from "../language/near-miss.ts";
import type { SqlFunctionError } from "../types/errors.ts";
import { typeFromSyntax } from "../types/type-text.ts";
import { BYTES, formatType, type SqlType } from "../types/types.ts";
import type { CatalogColumn, CatalogView, SourceDefaults, SourceDescription } from "./catalog.ts";
import { type Fail, failIn } from "./errors.ts";
import { checkFormats } from "./formats.ts";
import { CREATE_PROPERTIES, type Given, readProperties, type WithProperties } from "./properties.ts";
import { checkNewName, checkTopicName } from "./source-lookup.ts";

export type CreateSourceStatement = Extract<Statement, { kind: "CreateSource" }>;

export interface CreatedSource {
  readonly source: SourceDescription;
  /** The topic does not exist yet: the engine creates it with the source's partitions and replicas. */
  readonly createTopic: boolean;
}

/** Names the record metadata takes in every query; no declared column may use them. */
export const RESERVED_COLUMN_NAMES: ReadonlySet<string> = new Set([
  "ROWTIME",
  "ROWPARTITION",
  "ROWOFFSET",
  "WINDOWSTART",
  "WINDOWEND",
]);

/**
 * Describes the source a CREATE STREAM|TABLE statement declares, or throws SqlAnalysisError / SqlSemanticError with
 * the position in `text` (the text the statement was parsed from). IF NOT EXISTS is the caller's: it skips the
 * statement when the name exists instead of calling this.
 */
export function describeCreateSource(
  statement: CreateSourceStatement,
  text: string,
  catalog: CatalogView,
  defaults: SourceDefaults,
): CreatedSource {
  const fail: Fail = failIn(text);
  const kind = statement.sourceType;
  const what = `CREATE ${statement.readOnly ? "SOURCE " : ""}${kind}`;
  checkNewName(catalog, statement.name, kind, statement.orReplace, fail);
  const props = readProperties(statement.properties, CREATE_PROPERTIES, what, fail);
  if (statement.columns.length === 0) {
    fail(
      "SQL_UNSUPPORTED",
      `${what} needs its columns: Fabrik does not read schemas from a schema registry`,
      statement.name.span,
    );
  }
  const columns = declaredColumns(statement, text, fail);
  const keyCount = columns.filter((c) => c.role === "KEY").length;
  const valueCount = columns.filter((c) => c.role === "VALUE").length;
  if (kind === "TABLE" && keyCount === 0) {
    fail("SQL_INVALID_KEY", `table ${statement.name.value} needs a PRIMARY KEY column`, statement.name.span);
  }
  if (valueCount === 0) {
    fail("SQL_INVALID_KEY", `${kind.toLowerCase()} ${statement.name.value} needs a value column`, statement.name.span);
  }
  const valueFormat = props.valueFormat?.value ?? defaults.valueFormat;
  // A source without key columns reads nothing from the key, whatever format was declared: NONE says so, and keeps
  // the runtime from decoding (and failing on) key bytes nobody asked for.
  const keyFormat = keyCount === 0 ? "NONE" : (props.keyFormat?.value ?? defaults.keyFormat);
  const wrapSingleValue =
    props.wrapSingleValue?.value ?? (valueCount === 1 && valueFormat === "JSON" ? defaults.wrapSingleValue : undefined);
  const timestamp = timestampOf(props, columns, text, fail);
  const topic = topicOf(statement, props, defaults, fail);
  const source: SourceDescription = {
    name: statement.name.value,
    kind,
    columns,
    topic: topic.name,
    keyFormat,
    valueFormat,
    ...(props.keyDelimiter && keyCount > 0 ? { keyDelimiter: props.keyDelimiter.value } : {}),
    ...(props.valueDelimiter ? { valueDelimiter: props.valueDelimiter.value } : {}),
    ...(wrapSingleValue === undefined ? {} : { wrapSingleValue }),
    ...(timestamp ? { timestamp } : {}),
    ...(props.window ? { window: props.window.value } : {}),
    partitions: topic.partitions,
    replicas: topic.replicas,
    readOnly: statement.readOnly,
    sql: text.slice(statement.span.start, statement.span.end),
  };
  checkFormats(source, props, statement.name.span, fail);
  return { source, createTopic: topic.create };
}

/** The declared columns in catalog order: key columns, then value columns, then header columns. */
function declaredColumns(statement: CreateSourceStatement, text: string, fail: Fail): CatalogColumn[] {
  const seen = new Set<string>();
  const keys: CatalogColumn[] = [];
  const values: CatalogColumn[] = [];
  const headers: CatalogColumn[] = [];
  for (const definition of statement.columns) {
    const name = definition.name.value;
    if (RESERVED_COLUMN_NAMES.has(name.toUpperCase())) {
      fail(
        "SQL_RESERVED_COLUMN",
        `${name} is a reserved column name; name the column differently`,
        definition.name.span,
      );
    }
    if (seen.has(name)) fail("SQL_DUPLICATE_COLUMN", `column ${name} is declared twice`, definition.name.span);
    seen.add(name);
    const type = columnType(definition, text);
    switch (definition.role) {
      case "KEY":
      case "PRIMARY KEY":
        checkKeyRole(statement, definition, fail);
        keys.push({ name, type, role: "KEY" });
        break;
      case "VALUE":
        values.push({ name, type, role: "VALUE" });
        break;
      case "HEADERS":
      case "HEADER":
        headers.push(headerColumn(definition, type, headers, fail));
        break;
    }
  }
  return [...keys, ...values, ...headers];
}

function checkKeyRole(statement: CreateSourceStatement, definition: ColumnDefinition, fail: Fail): void {
  if (statement.sourceType === "STREAM" && definition.role === "PRIMARY KEY") {
    fail(
      "SQL_INVALID_KEY",
      `column ${definition.name.value} is a PRIMARY KEY, which streams do not have: use KEY (a stream's keys are neither unique nor required)`,
      definition.span,
    );
  }
  if (statement.sourceType === "TABLE" && definition.role === "KEY") {
    fail(
      "SQL_INVALID_KEY",
      `column ${definition.name.value} is a KEY: a table's key is its PRIMARY KEY (unique, never NULL)`,
      definition.span,
    );
  }
}

/** ksqlDB's header columns: HEADERS is the whole list of (key, value) pairs, HEADER('k') the bytes of one of them. */
function headerColumn(
  definition: ColumnDefinition,
  type: SqlType,
  earlier: readonly CatalogColumn[],
  fail: Fail,
): CatalogColumn {
  const name = definition.name.value;
  if (definition.role === "HEADERS") {
    const wanted = "ARRAY<STRUCT<KEY STRING, VALUE BYTES>>";
    if (formatType(type) !== wanted) {
      fail("SQL_INVALID_HEADER", `a HEADERS column must be ${wanted}, got ${formatType(type)}`, definition.type.span);
    }
    if (earlier.some((c) => c.role === "HEADERS")) {
      fail("SQL_INVALID_HEADER", "a source has at most one HEADERS column", definition.span);
    }
    return { name, type, role: "HEADERS" };
  }
  if (type.kind !== BYTES.kind) {
    fail("SQL_INVALID_HEADER", `a HEADER('…') column must be BYTES, got ${formatType(type)}`, definition.type.span);
  }
  return { name, type, role: "HEADER", headerKey: definition.headerKey ?? "" };
}

function columnType(definition: ColumnDefinition, text: string): SqlType {
  return typeFromSyntax(definition.type, {
    named: (name) => {
      throw new SqlSemanticError(
        "SQL_UNKNOWN_TYPE",
        `unknown type ${name.value}: CREATE TYPE is not supported yet`,
        name.span,
        text,
      );
    },
    malformed: (error: SqlFunctionError, span) => {
      throw new SqlSemanticError("SQL_TYPE_MISMATCH", error.message, span, text, error);
    },
  });
}

/** TIMESTAMP names a BIGINT or TIMESTAMP column, or a STRING one read with TIMESTAMP_FORMAT. */
function timestampOf(
  props: WithProperties,
  columns: readonly CatalogColumn[],
  text: string,
  fail: Fail,
): SourceDescription["timestamp"] {
  if (!props.timestamp) return undefined;
  const { value: name, span } = props.timestamp;
  const candidates = columns.filter((c) => c.role === "KEY" || c.role === "VALUE");
  const column = candidates.find((c) => c.name === name);
  if (!column) {
    throw new SqlSemanticError(
      "SQL_UNKNOWN_COLUMN",
      `TIMESTAMP names unknown column ${name}${didYouMean(
        name,
        candidates.map((c) => c.name),
      )}`,
      span,
      text,
    );
  }
  checkTimestampType(name, column.type, props.timestampFormat, span, fail);
  return { column: name, ...(props.timestampFormat ? { format: props.timestampFormat.value } : {}) };
}

export function checkTimestampType(
  name: string,
  type: SqlType,
  format: Given<string> | undefined,
  span: Given<string>["span"],
  fail: Fail,
): void {
  if (format && type.kind !== "STRING") {
    fail(
      "SQL_INVALID_PROPERTY",
      `TIMESTAMP_FORMAT applies to STRING columns; ${name} is ${formatType(type)}`,
      format.span,
    );
  }
  if (type.kind === "STRING" && !format) {
    fail("SQL_MISSING_PROPERTY", `TIMESTAMP column ${name} is a STRING: give TIMESTAMP_FORMAT to read it`, span);
  }
  if (type.kind !== "STRING" && type.kind !== "BIGINT" && type.kind !== "TIMESTAMP") {
    fail(
      "SQL_INVALID_PROPERTY",
      `TIMESTAMP column ${name} must be BIGINT, TIMESTAMP or STRING, not ${formatType(type)}`,
      span,
    );
  }
}

/** The topic: KAFKA_TOPIC, or the source's name when PARTITIONS asks the engine to create one. */
function topicOf(
  statement: CreateSourceStatement,
  props: WithProperties,
  defaults: SourceDefaults,
  fail: Fail,
): { name: string; partitions: number; replicas: number; create: boolean } {
  if (!props.topic && !props.partitions) {
    fail(
      "SQL_MISSING_PROPERTY",
      `KAFKA_TOPIC is required (or PARTITIONS, to create a topic named ${statement.name.value})`,
      statement.name.span,
    );
  }
  const name = props.topic?.value ?? statement.name.value;
  checkTopicName(name, props.topic?.span ?? statement.name.span, fail);
  const existing = defaults.topic(name);
  if (existing) {
    for (const [given, actual, what] of [
      [props.partitions, existing.partitions, "partitions"],
      [props.replicas, existing.replicas, "replicas"],
    ] as const) {
      if (given && given.value !== actual) {
        fail("SQL_INVALID_PROPERTY", `topic ${name} exists with ${actual} ${what}, not ${given.value}`, given.span);
      }
    }
    return { name, partitions: existing.partitions, replicas: existing.replicas, create: false };
  }
  if (!props.partitions) {
    return fail(
      "SQL_MISSING_PROPERTY",
      `topic ${name} does not exist: give PARTITIONS (and REPLICAS) to have it created`,
      props.topic?.span ?? statement.name.span,
    );
  }
  return {
    name,
    partitions: props.partitions.value,
    replicas: props.replicas?.value ?? defaults.replicas,
    create: true,
  };
}
