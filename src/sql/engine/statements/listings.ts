// The statements that only read: SHOW/LIST, DESCRIBE [EXTENDED], DESCRIBE FUNCTION and EXPLAIN, answered here at once.
import type { KafkaConfig } from "../../../kafka/index.ts";
import { failIn } from "../../analysis/errors.ts";
import { planQuery } from "../../analysis/plan-query.ts";
import { requireSource } from "../../analysis/source-lookup.ts";
import type { FunctionRegistry } from "../../functions/registry.ts";
import type { ParsedStatement, Statement } from "../../language/ast.ts";
import { createPipeline } from "../../runtime/create-pipeline.ts";
import type { KsqlEntity, RunningQuery } from "../entities.ts";
import type { Metastore } from "../metastore.ts";
import { describeTopics, listTopics, type TopicInfo } from "../topics.ts";
import { describeSource, describeSources, sourceInfo } from "./describe.ts";
import { SqlStatementError } from "./errors.ts";
import { type ExplainedQuery, queryDescription } from "./explain.ts";
import { describeFunction, showFunctions } from "./functions.ts";
import { type CatalogChange, type CatalogStatement, findQuery, prepareChange, topicsOf } from "./prepare.ts";
import type { EngineProperties, Overrides } from "./properties.ts";
import { failureWarnings, queryState, runningQuery } from "./query-info.ts";
import type { QueryTasks } from "./query-tasks.ts";

export type ListingStatement = Extract<
  Statement,
  { kind: "Show" | "Describe" | "DescribeSources" | "DescribeFunction" | "Explain" }
>;

export function isListing(statement: Statement): statement is ListingStatement {
  return (
    statement.kind === "Show" ||
    statement.kind === "Describe" ||
    statement.kind === "DescribeSources" ||
    statement.kind === "DescribeFunction" ||
    statement.kind === "Explain"
  );
}

/** A push query this server runs, for SHOW QUERIES and EXPLAIN. */
export interface PushQueryInfo {
  readonly id: string;
  readonly sql: string;
  readonly explained: ExplainedQuery | undefined;
}

export interface ListingContext {
  readonly kafka: KafkaConfig;
  readonly catalog: Metastore;
  readonly tasks: QueryTasks;
  readonly registry: FunctionRegistry;
  readonly properties: EngineProperties;
  readonly pushQueries: () => readonly PushQueryInfo[];
  /** The sequence number the next command would get: the id an EXPLAINed statement's query would have. */
  readonly nextSequence: () => number;
}

/**
 * What a catalog statement would change, worked out against the catalog and what Kafka says of its topics now (the
 * topics are answered too): the check before a command is appended, and what EXPLAIN shows of one.
 */
export async function checkChange(
  statement: CatalogStatement,
  text: string,
  overrides: Overrides,
  c: ListingContext,
): Promise<{ change: CatalogChange; topics: Map<string, TopicInfo> }> {
  const topics = await describeTopics(c.kafka, topicsOf(statement, c.properties, overrides));
  const change = prepareChange(statement, {
    text,
    catalog: c.catalog,
    registry: c.registry,
    properties: c.properties,
    overrides,
    topic: (name) => topics.get(name),
    sequence: c.nextSequence(),
    internalTopicPrefix: c.tasks.internalTopicPrefix,
  });
  return { change, topics };
}

/** Answers one read-only statement; `text` is what it was parsed from (for line:column). */
export async function listing(
  parsed: ParsedStatement & { readonly statement: ListingStatement },
  text: string,
  overrides: Overrides,
  c: ListingContext,
): Promise<KsqlEntity> {
  const statement = parsed.statement;
  const statementText = parsed.text;
  switch (statement.kind) {
    case "Show":
      return show(statement, statementText, overrides, c);
    case "Describe": {
      const source = requireSource(c.catalog, statement.name, failIn(text));
      return describeSource(statementText, source, statement.extended, c.catalog, c.tasks);
    }
    case "DescribeSources":
      return describeSources(statementText, statement.sourceType, statement.extended, c.catalog, c.tasks);
    case "DescribeFunction":
      return describeFunction(statementText, c.registry, statement.name.value);
    case "Explain":
      return explain(statement, statementText, text, overrides, c);
  }
}

async function show(
  statement: Extract<Statement, { kind: "Show" }>,
  statementText: string,
  overrides: Overrides,
  c: ListingContext,
): Promise<KsqlEntity> {
  const base = { statementText, warnings: [] };
  switch (statement.subject) {
    case "STREAMS":
    case "TABLES": {
      const kind = statement.subject === "STREAMS" ? "STREAM" : "TABLE";
      if (statement.extended) return describeSources(statementText, kind, true, c.catalog, c.tasks);
      const infos = c.catalog
        .sources()
        .filter((s) => s.kind === kind)
        .map(sourceInfo);
      return kind === "STREAM"
        ? { "@type": "streams", ...base, streams: infos }
        : { "@type": "tables", ...base, tables: infos };
    }
    case "QUERIES": {
      const persistent = c.catalog.queries();
      const push: RunningQuery[] = c.pushQueries().map((q) => ({
        queryString: q.sql,
        sinks: [],
        sinkKafkaTopics: [],
        id: q.id,
        statusCount: { RUNNING: 1 },
        queryType: "PUSH",
        state: "RUNNING",
      }));
      return {
        "@type": "queries",
        statementText,
        warnings: failureWarnings(persistent, c.tasks),
        queries: [...persistent.map((q) => runningQuery(q, c.catalog, c.tasks)), ...push],
      };
    }
    case "TOPICS": {
      const topics = await listTopics(c.kafka, { includeInternal: statement.all });
      return {
        "@type": "kafka_topics",
        ...base,
        topics: topics.map((t) => ({ name: t.name, replicaInfo: [...t.replicaInfo] })),
      };
    }
    case "FUNCTIONS":
      return showFunctions(statementText, c.registry);
    case "PROPERTIES":
      return c.properties.entity(statementText, overrides);
    case "TYPES":
    case "VARIABLES":
      throw new SqlStatementError(
        "SQL_STATEMENT_UNSUPPORTED",
        `SHOW ${statement.subject} is not supported: Fabrik has no CREATE TYPE or DEFINE yet`,
      );
  }
}

async function explain(
  statement: Extract<Statement, { kind: "Explain" }>,
  statementText: string,
  text: string,
  overrides: Overrides,
  c: ListingContext,
): Promise<KsqlEntity> {
  if (statement.queryId) {
    const id = statement.queryId.value;
    const query = findQuery(c.catalog, id);
    if (query) {
      const pipeline = createPipeline(query.plan, {
        queryId: query.id,
        internalTopicPrefix: c.tasks.internalTopicPrefix,
      });
      const explained: ExplainedQuery = {
        id: query.id,
        sql: query.sql,
        plan: query.plan,
        topics: pipeline.topics,
        sources: query.sources,
        sinks: query.kind === "CST" ? [] : [query.sink],
        queryType: "PERSISTENT",
        state: queryState(c.tasks, query.id),
        overriddenProperties: query.properties,
      };
      return queryDescription(statementText, explained, failureWarnings([query], c.tasks));
    }
    const push = c.pushQueries().find((q) => q.id === id)?.explained;
    if (push) return queryDescription(statementText, push, []);
    throw new SqlStatementError(
      "SQL_UNKNOWN_QUERY",
      `Query with id:${id} does not exist, use SHOW QUERIES to view the full set of queries.`,
      {
        text,
        span: statement.queryId.span,
      },
    );
  }
  const target = statement.statement!;
  if (target.kind === "Query") {
    if (!target.emit) {
      throw new SqlStatementError("SQL_STATEMENT_UNSUPPORTED", "EXPLAIN of a pull query is not supported", {
        text,
        span: target.span,
      });
    }
    const planned = planQuery(target, text, c.catalog, c.registry, { kind: "client" });
    const pipeline = createPipeline(planned.plan, {
      queryId: "EXPLAIN",
      internalTopicPrefix: c.tasks.internalTopicPrefix,
      inMemoryRepartition: true,
    });
    return queryDescription(
      statementText,
      {
        id: "",
        sql: text.slice(target.span.start, target.span.end),
        plan: planned.plan,
        topics: pipeline.topics,
        sources: planned.sources,
        sinks: [],
        queryType: "PUSH",
        state: "NOT_RUNNING",
        overriddenProperties: overrides,
      },
      [],
    );
  }
  // CREATE … AS SELECT and INSERT INTO: planned exactly as the command would be, without running it.
  const { change } = await checkChange(target, text, overrides, c);
  if (change.kind !== "start-query") {
    throw new SqlStatementError("SQL_STATEMENT_UNSUPPORTED", "the statement would start no query", {
      text,
      span: target.span,
    });
  }
  const query = change.query;
  const pipeline = createPipeline(query.plan, { queryId: query.id, internalTopicPrefix: c.tasks.internalTopicPrefix });
  return queryDescription(
    statementText,
    {
      id: query.id,
      sql: query.sql,
      plan: query.plan,
      topics: pipeline.topics,
      sources: query.sources,
      sinks: [query.sink],
      queryType: "PERSISTENT",
      state: "NOT_RUNNING",
      overriddenProperties: query.properties,
    },
    [],
  );
}
