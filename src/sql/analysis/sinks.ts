// Where a persistent query writes: the new sink of CREATE … AS SELECT, or the existing stream of INSERT INTO.

import type { Statement } from "../language/ast.ts";
import type { ProjectStage } from "../plan/plan.ts";
import { formatType, typesEqual } from "../types/types.ts";
import type { CatalogColumn, CatalogView, SourceDefaults, SourceDescription, WindowInfo } from "./catalog.ts";
import { checkTimestampType } from "./describe-source.ts";
import type { Fail } from "./errors.ts";
import { checkFormats } from "./formats.ts";
import { CREATE_AS_SELECT_PROPERTIES, INSERT_PROPERTIES, readProperties, type WithProperties } from "./properties.ts";
import { checkNewName, checkTopicName, requireSource } from "./source-lookup.ts";

export type CreateAsSelectStatement = Extract<Statement, { kind: "CreateAsSelect" }>;
export type InsertIntoStatement = Extract<Statement, { kind: "InsertInto" }>;

/** The checks that need no query: the name is free (or replaceable) and the WITH clause is sound. */
export function sinkProperties(statement: CreateAsSelectStatement, catalog: CatalogView, fail: Fail): WithProperties {
  const kind = statement.sourceType;
  checkNewName(catalog, statement.name, kind, statement.orReplace, fail);
  return readProperties(statement.properties, CREATE_AS_SELECT_PROPERTIES, `CREATE ${kind} AS SELECT`, fail);
}

/** What the planned query tells the sink. */
export interface QueryResult {
  readonly project: ProjectStage;
  readonly resultKind: "STREAM" | "TABLE";
  /** The result's window: the aggregation's, or a windowed source's that the query passes on. */
  readonly window: WindowInfo | undefined;
  /** The source the sink inherits formats, partitions and replicas from (the stream of a join). */
  readonly from: SourceDescription;
  /** The topics the query reads, which its sink must not write (each output record would be read again). */
  readonly readTopics: readonly string[];
}

export interface Sink {
  readonly sink: SourceDescription;
  readonly createTopic: boolean;
  readonly timestampColumn?: number;
}

/**
 * The sink of CREATE STREAM|TABLE AS SELECT. Formats, delimiters, partitions and replicas come from WITH, else from
 * the source; a key-less result has key format NONE, and a keyed one whose source had NONE takes the default key
 * format, as ksqlDB documents.
 */
export function describeSink(
  statement: CreateAsSelectStatement,
  props: WithProperties,
  result: QueryResult,
  defaults: SourceDefaults,
  text: string,
  fail: Fail,
): Sink {
  const name = statement.name.value;
  if (statement.sourceType !== result.resultKind) {
    const make = result.resultKind === "TABLE" ? "a TABLE (it aggregates, or reads a table)" : "a STREAM";
    fail(
      "SQL_RESULT_KIND",
      `the query makes ${make}: use CREATE ${result.resultKind} ${name} AS SELECT …`,
      statement.name.span,
    );
  }
  const { project, from } = result;
  const columns: CatalogColumn[] = [
    ...project.key.map((c) => ({ name: c.name, type: c.type, role: "KEY" as const })),
    ...project.value.map((c) => ({ name: c.name, type: c.type, role: "VALUE" as const })),
  ];
  const keyFormat =
    project.key.length === 0
      ? "NONE"
      : (props.keyFormat?.value ?? (from.keyFormat === "NONE" ? defaults.keyFormat : from.keyFormat));
  const valueFormat = props.valueFormat?.value ?? from.valueFormat;
  const keyDelimiter = props.keyDelimiter?.value ?? (keyFormat === from.keyFormat ? from.keyDelimiter : undefined);
  const valueDelimiter =
    props.valueDelimiter?.value ?? (valueFormat === from.valueFormat ? from.valueDelimiter : undefined);
  const wrapSingleValue =
    props.wrapSingleValue?.value ??
    (project.value.length === 1 && valueFormat === "JSON" ? defaults.wrapSingleValue : undefined);
  let timestampColumn: number | undefined;
  if (props.timestamp) {
    const column = props.timestamp.value;
    timestampColumn = project.value.findIndex((c) => c.name === column);
    if (timestampColumn < 0) {
      fail(
        "SQL_INVALID_PROPERTY",
        `TIMESTAMP names ${column}, which is not a value column of the result (${project.value.map((c) => c.name).join(", ")})`,
        props.timestamp.span,
      );
    }
    checkTimestampType(column, project.value[timestampColumn]!.type, props.timestampFormat, props.timestamp.span, fail);
  }
  const topic = props.topic?.value ?? name;
  checkTopicName(topic, props.topic?.span ?? statement.name.span, fail);
  if (result.readTopics.includes(topic)) {
    fail(
      "SQL_INVALID_PROPERTY",
      `the query reads topic ${topic}: its sink must write another one`,
      props.topic?.span ?? statement.name.span,
    );
  }
  const existing = defaults.topic(topic);
  if (existing && props.partitions && props.partitions.value !== existing.partitions) {
    fail(
      "SQL_INVALID_PROPERTY",
      `topic ${topic} exists with ${existing.partitions} partitions, not ${props.partitions.value}`,
      props.partitions.span,
    );
  }
  const sink: SourceDescription = {
    name,
    kind: statement.sourceType,
    columns,
    topic,
    keyFormat,
    valueFormat,
    ...(keyDelimiter === undefined ? {} : { keyDelimiter }),
    ...(valueDelimiter === undefined ? {} : { valueDelimiter }),
    ...(wrapSingleValue === undefined ? {} : { wrapSingleValue }),
    ...(props.timestamp
      ? {
          timestamp: {
            column: props.timestamp.value,
            ...(props.timestampFormat ? { format: props.timestampFormat.value } : {}),
          },
        }
      : {}),
    ...(result.window ? { window: result.window } : {}),
    partitions: existing?.partitions ?? props.partitions?.value ?? from.partitions,
    replicas: existing?.replicas ?? props.replicas?.value ?? from.replicas,
    readOnly: false,
    sql: text.slice(statement.span.start, statement.span.end),
  };
  checkFormats(sink, props, statement.name.span, fail);
  return { sink, createTopic: !existing, ...(timestampColumn === undefined ? {} : { timestampColumn }) };
}

/** INSERT INTO writes to a stream that exists, is not read-only and is not read by the same query. */
export function insertTarget(statement: InsertIntoStatement, catalog: CatalogView, fail: Fail): SourceDescription {
  readProperties(statement.properties, INSERT_PROPERTIES, "INSERT INTO", fail);
  const target = requireSource(catalog, statement.target, fail);
  if (target.kind !== "STREAM") {
    fail(
      "SQL_INVALID_INSERT",
      `INSERT INTO … SELECT writes streams only: ${target.name} is a table`,
      statement.target.span,
    );
  }
  if (target.readOnly) {
    fail("SQL_INVALID_INSERT", `${target.name} is a read-only SOURCE stream`, statement.target.span);
  }
  return target;
}

/** ksqlDB requires the result's columns to be the target's, by name, type and place (key and value). */
export function checkInsertSchema(
  statement: InsertIntoStatement,
  target: SourceDescription,
  result: QueryResult,
  sources: readonly string[],
  fail: Fail,
): number | undefined {
  if (sources.includes(target.name)) {
    fail("SQL_INVALID_INSERT", `the query reads ${target.name}: it cannot insert into it too`, statement.target.span);
  }
  if (result.resultKind !== "STREAM") {
    fail(
      "SQL_INVALID_INSERT",
      `the query makes a table, which cannot be inserted into the stream ${target.name}`,
      statement.query.span,
    );
  }
  const wanted = target.columns.filter((c) => c.role === "KEY" || c.role === "VALUE");
  const got = [
    ...result.project.key.map((c) => ({ ...c, role: "KEY" })),
    ...result.project.value.map((c) => ({ ...c, role: "VALUE" })),
  ];
  const describe = (columns: readonly { name: string; type: CatalogColumn["type"]; role: string }[]) =>
    columns.map((c) => `${c.name} ${formatType(c.type)}${c.role === "KEY" ? " KEY" : ""}`).join(", ");
  const same =
    wanted.length === got.length &&
    wanted.every((c, i) => c.name === got[i]!.name && c.role === got[i]!.role && typesEqual(c.type, got[i]!.type));
  if (!same) {
    fail(
      "SQL_INVALID_INSERT",
      `the query's result (${describe(got)}) does not match ${target.name} (${describe(wanted)})`,
      statement.query.span,
    );
  }
  if (Boolean(target.window) !== Boolean(result.window)) {
    fail("SQL_INVALID_INSERT", `the query's result and ${target.name} differ in being windowed`, statement.query.span);
  }
  const timestamp = target.timestamp?.column;
  const index = timestamp === undefined ? -1 : result.project.value.findIndex((c) => c.name === timestamp);
  return index < 0 ? undefined : index;
}
