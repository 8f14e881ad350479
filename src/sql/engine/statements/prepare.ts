// What a catalog-changing statement would do, worked out against a catalog without changing it: the check before a
// command is appended, and again when the command is applied (the same code on every server and on every replay).
import type { CatalogView, SourceDescription, TopicInfo } from "../../analysis/catalog.ts";
import { describeCreateSource } from "../../analysis/describe-source.ts";
import { SqlAnalysisError } from "../../analysis/errors.ts";
import { planQuery } from "../../analysis/plan-query.ts";
import type { FunctionRegistry } from "../../functions/registry.ts";
import type { Property, Query, Statement } from "../../language/ast.ts";
import { nearestName } from "../../language/near-miss.ts";
import { parseStatements } from "../../language/parse-statements.ts";
import { printIdentifier } from "../../language/print-expression.ts";
import { createPipeline } from "../../runtime/create-pipeline.ts";
import type { Metastore, PersistentQuery, PersistentQueryKind } from "../metastore.ts";
import { SqlStatementError } from "./errors.ts";
import type { EngineProperties, Overrides } from "./properties.ts";

/** The statements that change the catalog and so go through the command log. */
export type CatalogStatement = Extract<
  Statement,
  { kind: "CreateSource" | "CreateAsSelect" | "InsertInto" | "DropSource" | "Terminate" }
>;

export function isCatalogStatement(statement: Statement): statement is CatalogStatement {
  return (
    statement.kind === "CreateSource" ||
    statement.kind === "CreateAsSelect" ||
    statement.kind === "InsertInto" ||
    statement.kind === "DropSource" ||
    statement.kind === "Terminate"
  );
}

export interface PrepareContext {
  /** The text the statement was parsed from, for line:column. */
  readonly text: string;
  readonly catalog: Metastore;
  readonly registry: FunctionRegistry;
  readonly properties: EngineProperties;
  readonly overrides: Overrides;
  /** What Kafka says of the topics `topicsOf` named (looked up before, so that this stays synchronous). */
  readonly topic: (name: string) => TopicInfo | undefined;
  /** The command's sequence number, which names the query it starts. */
  readonly sequence: number;
  readonly internalTopicPrefix: string;
}

export type CatalogChange =
  /** IF [NOT] EXISTS found nothing to do. */
  | { readonly kind: "none"; readonly message: string }
  | {
      readonly kind: "create-source";
      readonly source: SourceDescription;
      readonly createTopic: boolean;
      /** CREATE SOURCE TABLE: the internal query that keeps its rows for pull queries. */
      readonly materialize: PersistentQuery | undefined;
      readonly message: string;
    }
  | {
      readonly kind: "start-query";
      readonly query: PersistentQuery;
      /** CREATE … AS SELECT: the new (or replaced) stream or table. */
      readonly sink: SourceDescription | undefined;
      readonly createTopic: boolean;
      readonly message: string;
    }
  | {
      readonly kind: "drop";
      readonly source: SourceDescription;
      /** The query that made the source (CSAS, CTAS, CST) ends with it. */
      readonly terminate: readonly string[];
      readonly deleteTopic: boolean;
      readonly message: string;
    }
  | { readonly kind: "terminate"; readonly ids: readonly string[]; readonly message: string };

/** ksqlDB's command id: `stream/`NAME`/create`, `table/`NAME`/drop`, `terminate/CSAS_X_1/execute`. */
export function commandIdOf(statement: CatalogStatement): string {
  switch (statement.kind) {
    case "CreateSource":
    case "CreateAsSelect":
      return `${statement.sourceType.toLowerCase()}/\`${statement.name.value}\`/create`;
    case "InsertInto":
      return `stream/\`${statement.target.value}\`/create`;
    case "DropSource":
      return `${statement.sourceType.toLowerCase()}/\`${statement.name.value}\`/drop`;
    case "Terminate":
      return `terminate/${statement.all ? "ALL" : (statement.queryId?.value ?? "")}/execute`;
  }
}

/** The topics the statement needs Kafka's word on: the one a CREATE declares or writes. */
export function topicsOf(statement: CatalogStatement, properties: EngineProperties, overrides: Overrides): string[] {
  if (statement.kind === "CreateSource")
    return [stringProperty(statement.properties, "KAFKA_TOPIC") ?? statement.name.value];
  if (statement.kind === "CreateAsSelect") {
    const prefixed = withOutputPrefix(statement, properties.outputTopicPrefix(overrides));
    return [stringProperty(prefixed.properties, "KAFKA_TOPIC") ?? prefixed.name.value];
  }
  return [];
}

/** Works out `statement`'s change, or throws the error that refuses it. Pure, apart from reading the catalog. */
export function prepareChange(statement: CatalogStatement, context: PrepareContext): CatalogChange {
  switch (statement.kind) {
    case "CreateSource":
      return createSource(statement, context);
    case "CreateAsSelect":
      return createAsSelect(statement, context);
    case "InsertInto":
      return insertInto(statement, context);
    case "DropSource":
      return drop(statement, context);
    case "Terminate":
      return terminate(statement, context);
  }
}

function createSource(statement: Extract<Statement, { kind: "CreateSource" }>, c: PrepareContext): CatalogChange {
  const name = statement.name.value;
  const what = statement.sourceType === "TABLE" ? "Table" : "Stream";
  const existing = c.catalog.source(name);
  if (statement.ifNotExists && existing) {
    return { kind: "none", message: `Cannot add ${what.toLowerCase()} ${name}: it already exists.` };
  }
  const { source, createTopic } = describeCreateSource(
    statement,
    c.text,
    c.catalog,
    c.properties.sourceDefaults(c.overrides, c.topic),
  );
  let materialize: PersistentQuery | undefined;
  if (source.kind === "TABLE" && source.readOnly) {
    // A source table is read for pull queries through an internal query over it, as ksqlDB's CST query.
    const owner = c.catalog.ownerOf(name);
    const id = owner?.startsWith("CST_") ? owner : queryIdFor("CST", name, c.sequence);
    const select = parseStatements(`SELECT * FROM ${printIdentifier(name)} EMIT CHANGES;`)[0]!;
    const planned = planQuery(select.statement as Query, select.text, withSource(c.catalog, source), c.registry, {
      kind: "client",
    });
    materialize = persistentQuery(c, { id, kind: "CST", sql: source.sql, sink: name, planned });
  }
  return { kind: "create-source", source, createTopic, materialize, message: `${what} created` };
}

function createAsSelect(statement: Extract<Statement, { kind: "CreateAsSelect" }>, c: PrepareContext): CatalogChange {
  const name = statement.name.value;
  if (statement.ifNotExists && c.catalog.source(name)) {
    return { kind: "none", message: `Cannot add ${statement.sourceType.toLowerCase()} ${name}: it already exists.` };
  }
  const prefixed = withOutputPrefix(statement, c.properties.outputTopicPrefix(c.overrides));
  const planned = planQuery(statement.query, c.text, c.catalog, c.registry, {
    kind: "create",
    statement: prefixed,
    defaults: c.properties.sourceDefaults(c.overrides, c.topic),
  });
  const kind = statement.sourceType === "TABLE" ? "CTAS" : "CSAS";
  // OR REPLACE keeps the query's id, and so its consumer group and state, as ksqlDB upgrades a query in place.
  const owner = c.catalog.ownerOf(name);
  const id = owner?.startsWith(`${kind}_`) ? owner : queryIdFor(kind, name, c.sequence);
  const query = persistentQuery(c, { id, kind, sql: statementSql(c.text, statement), sink: name, planned });
  return {
    kind: "start-query",
    query,
    sink: planned.sink,
    createTopic: planned.createTopic ?? false,
    message: `Created query with ID ${id}`,
  };
}

function insertInto(statement: Extract<Statement, { kind: "InsertInto" }>, c: PrepareContext): CatalogChange {
  const planned = planQuery(statement.query, c.text, c.catalog, c.registry, { kind: "insert", statement });
  const given = stringProperty(statement.properties, "QUERY_ID");
  const id = given === undefined ? queryIdFor("INSERT", "", c.sequence) : given.toUpperCase();
  if (given !== undefined && !/^[A-Z0-9_]+$/.test(id)) {
    throw new SqlStatementError(
      "SQL_INVALID_PROPERTY_VALUE",
      `QUERY_ID '${given}' may hold only letters, digits and '_'`,
      { text: c.text, span: statement.span },
    );
  }
  if (c.catalog.query(id)) {
    throw new SqlStatementError("SQL_QUERY_EXISTS", `a query with ID ${id} already runs; choose another QUERY_ID`, {
      text: c.text,
      span: statement.span,
    });
  }
  const query = persistentQuery(c, {
    id,
    kind: "INSERT",
    sql: statementSql(c.text, statement),
    sink: statement.target.value,
    planned,
  });
  return { kind: "start-query", query, sink: undefined, createTopic: false, message: `Created query with ID ${id}` };
}

function drop(statement: Extract<Statement, { kind: "DropSource" }>, c: PrepareContext): CatalogChange {
  const name = statement.name.value;
  const where = { text: c.text, span: statement.name.span };
  const source = c.catalog.source(name);
  if (!source) {
    if (statement.ifExists) return { kind: "none", message: `Source \`${name}\` does not exist.` };
    const suggestion = nearestName(
      name,
      c.catalog.sources().map((s) => s.name),
    );
    throw new SqlAnalysisError(
      "SQL_UNKNOWN_SOURCE",
      `Source ${name} does not exist.${suggestion ? ` Did you mean ${suggestion}?` : ""}`,
      statement.name.span,
      c.text,
    );
  }
  if (source.kind !== statement.sourceType) {
    throw new SqlStatementError(
      "SQL_DROP_INVALID",
      `Incompatible data source type is ${source.kind}, but statement was DROP ${statement.sourceType}`,
      where,
    );
  }
  if (statement.deleteTopic && source.readOnly) {
    throw new SqlStatementError("SQL_DROP_INVALID", `Cannot delete topic for read-only source: ${name}`, where);
  }
  const owner = c.catalog.ownerOf(name);
  const others = (queries: readonly PersistentQuery[]) =>
    queries
      .filter((q) => q.id !== owner)
      .map((q) => q.id)
      .join(", ");
  const readers = others(c.catalog.readers(name));
  const writers = others(c.catalog.writers(name));
  if (readers !== "" || writers !== "") {
    throw new SqlStatementError(
      "SQL_DROP_REFUSED",
      `Cannot drop ${name}.\nThe following queries read from this source: [${readers}].\n` +
        `The following queries write into this source: [${writers}].\n` +
        `You need to terminate them before dropping ${name}.`,
      where,
    );
  }
  return {
    kind: "drop",
    source,
    terminate: owner !== undefined && c.catalog.query(owner) ? [owner] : [],
    deleteTopic: statement.deleteTopic,
    message: `Source \`${name}\` (topic: ${source.topic}) was dropped.`,
  };
}

function terminate(statement: Extract<Statement, { kind: "Terminate" }>, c: PrepareContext): CatalogChange {
  if (statement.all) {
    const ids = c.catalog
      .queries()
      .filter((q) => q.kind !== "CST")
      .map((q) => q.id);
    return { kind: "terminate", ids, message: "Query terminated." };
  }
  const identifier = statement.queryId!;
  const where = { text: c.text, span: identifier.span };
  const query = findQuery(c.catalog, identifier.value);
  if (!query) {
    throw new SqlStatementError("SQL_UNKNOWN_QUERY", `Unknown queryId: ${identifier.value}`, where);
  }
  if (query.kind === "CST") {
    throw new SqlStatementError(
      "SQL_TERMINATE_REFUSED",
      `${query.id} keeps the source table ${query.sink} for pull queries: DROP TABLE ${query.sink} ends it`,
      where,
    );
  }
  return { kind: "terminate", ids: [query.id], message: "Query terminated." };
}

/** A query by id; ids are upper-case, so an unquoted name of a lower-case sink's query still finds it. */
export function findQuery(catalog: Metastore, id: string): PersistentQuery | undefined {
  const exact = catalog.query(id);
  if (exact) return exact;
  const same = catalog.queries().filter((q) => q.id.toUpperCase() === id.toUpperCase());
  return same.length === 1 ? same[0] : undefined;
}

/** CSAS_<SINK>_<n> and friends; characters a topic or group name cannot hold become '_'. */
function queryIdFor(kind: PersistentQueryKind, sink: string, sequence: number): string {
  if (kind === "INSERT") return `INSERTQUERY_${sequence}`;
  return `${kind}_${sink.replace(/[^A-Za-z0-9_]/g, "_")}_${sequence}`;
}

function persistentQuery(
  c: PrepareContext,
  q: {
    id: string;
    kind: PersistentQueryKind;
    sql: string;
    sink: string;
    planned: ReturnType<typeof planQuery>;
  },
): PersistentQuery {
  // The runtime refuses plans it cannot run (SQL_PLAN_UNSUPPORTED) here, before anything is appended.
  createPipeline(q.planned.plan, { queryId: q.id, internalTopicPrefix: c.internalTopicPrefix });
  return {
    id: q.id,
    kind: q.kind,
    sql: q.sql,
    sink: q.sink,
    sources: q.planned.sources,
    plan: q.planned.plan,
    properties: c.overrides,
    sequence: c.sequence,
  };
}

/** The catalog as it will be once `source` is added: what the internal query of a source table is planned on. */
function withSource(catalog: CatalogView, source: SourceDescription): CatalogView {
  return {
    source: (name) => (name === source.name ? source : catalog.source(name)),
    sources: () => [...catalog.sources().filter((s) => s.name !== source.name), source],
    queries: () => catalog.queries(),
  };
}

/** The statement as written, with the ';' that ends it (its span stops before it), as ksqlDB lists queries. */
function statementSql(text: string, statement: { readonly span: { start: number; end: number } }): string {
  return `${text.slice(statement.span.start, statement.span.end).trimEnd()};`;
}

function stringProperty(properties: readonly Property[], name: string): string | undefined {
  const property = properties.find((p) => p.name.value.toUpperCase() === name);
  return property?.value.kind === "StringLiteral" ? property.value.value : undefined;
}

/**
 * ksql.output.topic.name.prefix names the topic of a CREATE … AS SELECT without KAFKA_TOPIC; written into the
 * statement as the KAFKA_TOPIC it implies, so that every check sees the topic the sink will really have.
 */
function withOutputPrefix<T extends Extract<Statement, { kind: "CreateAsSelect" }>>(statement: T, prefix: string): T {
  if (prefix === "" || stringProperty(statement.properties, "KAFKA_TOPIC") !== undefined) return statement;
  const span = statement.name.span;
  const property: Property = {
    name: { value: "KAFKA_TOPIC", span },
    value: { kind: "StringLiteral", value: `${prefix}${statement.name.value}`, span },
    span,
  };
  return { ...statement, properties: [...statement.properties, property] };
}
