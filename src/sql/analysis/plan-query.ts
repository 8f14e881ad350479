// Plans a push query, CREATE … AS SELECT or INSERT INTO … SELECT: every semantic check, then the QueryPlan.

import { typeName } from "../expressions/coerce.ts";
import { SqlSemanticError } from "../expressions/errors.ts";
import type { Scope } from "../expressions/scope.ts";
import { typeCheck } from "../expressions/type-check.ts";
import type { TypedExpression } from "../expressions/typed.ts";
import type { FunctionRegistry } from "../functions/registry.ts";
import type { Expression, Query, Span } from "../language/ast.ts";
import type { OutputPlan, QueryPlan, RekeyStage } from "../plan/plan.ts";
import { Aggregation } from "./aggregation.ts";
import type { CatalogView, SourceDefaults, SourceDescription } from "./catalog.ts";
import { type Fail, failIn } from "./errors.ts";
import { planFrom } from "./from-clause.ts";
import { planProjection } from "./projection.ts";
import { keyPart, type ResultKey } from "./result-key.ts";
import { appendColumns, columnRead } from "./scopes.ts";
import {
  type CreateAsSelectStatement,
  checkInsertSchema,
  describeSink,
  type InsertIntoStatement,
  insertTarget,
  sinkProperties,
} from "./sinks.ts";
import { planExplode, tableFunctionCalls } from "./table-functions.ts";
import { fingerprint } from "./typed-tree.ts";
import { windowInfo } from "./windows.ts";

/** Where the rows go: to the client (push query), a new sink (CREATE … AS SELECT), or an existing stream (INSERT). */
export type QueryTarget =
  | { readonly kind: "client" }
  | { readonly kind: "create"; readonly statement: CreateAsSelectStatement; readonly defaults: SourceDefaults }
  | { readonly kind: "insert"; readonly statement: InsertIntoStatement };

export interface PlannedQuery {
  readonly plan: QueryPlan;
  /** CREATE … AS SELECT: the new stream or table, for the catalog. */
  readonly sink?: SourceDescription;
  /** CREATE … AS SELECT: the sink's topic does not exist; create it with the sink's partitions and replicas. */
  readonly createTopic?: boolean;
  /** The streams and tables the query reads (QueryDescription.sources). */
  readonly sources: readonly string[];
}

/**
 * Plans `query` (with EMIT: a SELECT without EMIT is a pull query, see planPullQuery) for `target`. `text` is the text
 * the statement was parsed from, for line:column. Throws SqlAnalysisError or SqlSemanticError.
 */
export function planQuery(
  query: Query,
  text: string,
  catalog: CatalogView,
  registry: FunctionRegistry,
  target: QueryTarget,
): PlannedQuery {
  const fail: Fail = failIn(text);
  const context = { text, catalog, registry, fail };
  const sinkName =
    target.kind === "create"
      ? target.statement.name.value
      : target.kind === "insert"
        ? target.statement.target.value
        : undefined;
  const sinkProps = target.kind === "create" ? sinkProperties(target.statement, catalog, fail) : undefined;
  const insertInto = target.kind === "insert" ? insertTarget(target.statement, catalog, fail) : undefined;

  const from = planFrom(query.from, context);
  const fromTable = from.source.source.kind === "TABLE";
  let scope: Scope = from.scope;
  const noAggregate = (what: string) => (call: { call: { span: Span } }) =>
    fail("SQL_AGGREGATE_WITHOUT_GROUP_BY", `aggregate functions need GROUP BY; ${what}`, call.call.span);
  const where = query.where
    ? condition(
        typeCheck(query.where, scope, registry, { text, onAggregate: noAggregate("in WHERE, filter with HAVING") }),
        "WHERE",
        text,
      )
    : undefined;

  const calls = tableFunctionCalls(query.select, registry);
  if (calls.length > 0 && query.groupBy) {
    fail("SQL_INVALID_TABLE_FUNCTION", "table functions cannot be combined with GROUP BY", calls[0]!.span);
  }
  if (calls.length > 0 && fromTable) {
    fail(
      "SQL_INVALID_TABLE_FUNCTION",
      `table functions apply to streams: ${from.source.source.name} is a table`,
      calls[0]!.span,
    );
  }
  const explode = calls.length > 0 ? planExplode(calls, scope, registry, text) : undefined;
  if (explode) scope = explode.scope;

  let key = from.key;
  let rekey: RekeyStage | undefined;
  if (query.partitionBy) {
    ({ key, rekey, scope } = partitionBy(query, query.partitionBy, scope, key, from.source.source, context));
  }
  if (!query.groupBy) {
    if (query.window) fail("SQL_INVALID_WINDOW", "WINDOW needs GROUP BY", query.window.span);
    if (query.having) fail("SQL_GROUP_BY_WITHOUT_AGGREGATE", "HAVING needs GROUP BY", query.having.span);
  }
  const aggregation = query.groupBy
    ? new Aggregation(query as Query & { groupBy: readonly Expression[] }, { scope, key, fromTable }, context)
    : undefined;
  if (aggregation) {
    rekey = aggregation.rekey;
    key = aggregation.key;
  }

  const project = planProjection(
    {
      items: query.select,
      stars: from.stars,
      type: (e) =>
        aggregation
          ? aggregation.type(e)
          : (explode?.reads.get(e) ??
            typeCheck(e, scope, registry, { text, onAggregate: noAggregate("add GROUP BY or remove the aggregate") })),
      star: (read) => (aggregation ? aggregation.overGroups(read) : read),
      key,
      text,
      fail,
    },
    sinkName,
  );
  const having = aggregation && query.having ? condition(aggregation.type(query.having), "HAVING", text) : undefined;
  if (aggregation && aggregation.aggregateCount === 0) {
    fail(
      "SQL_GROUP_BY_WITHOUT_AGGREGATE",
      "GROUP BY needs an aggregate function in SELECT or HAVING",
      query.groupBy![0]!.span,
    );
  }
  checkEmitAndLimit(query, target.kind !== "client", aggregation?.window !== undefined, text, fail);

  const resultKind = aggregation || fromTable ? "TABLE" : "STREAM";
  const window = aggregation?.window ? windowInfo(aggregation.window) : from.source.source.window;
  const sources = [from.source.source.name, ...(from.join ? [from.join.table.source.name] : [])];
  const readTopics = [from.source.source.topic, ...(from.join ? [from.join.table.source.topic] : [])];
  const result = { project, resultKind, window, from: from.source.source, readTopics } as const;
  let output: OutputPlan = { kind: "client" };
  let created: { sink: SourceDescription; createTopic: boolean } | undefined;
  if (target.kind === "create") {
    const sink = describeSink(target.statement, sinkProps!, result, target.defaults, text, fail);
    created = sink;
    output = {
      kind: "sink",
      sink: sink.sink,
      ...(sink.timestampColumn === undefined ? {} : { timestampColumn: sink.timestampColumn }),
    };
  } else if (target.kind === "insert") {
    const timestampColumn = checkInsertSchema(target.statement, insertInto!, result, sources, fail);
    output = { kind: "sink", sink: insertInto!, ...(timestampColumn === undefined ? {} : { timestampColumn }) };
  }

  const plan: QueryPlan = {
    resultKind,
    source: from.source,
    ...(from.join ? { join: from.join } : {}),
    ...(where ? { where } : {}),
    ...(explode ? { explode: explode.stage } : {}),
    ...(rekey ? { rekey } : {}),
    ...(aggregation ? { aggregate: aggregation.stage(having) } : {}),
    project,
    output,
    emit: query.emit ?? "CHANGES",
    ...(query.limit === undefined ? {} : { limit: query.limit }),
  };
  return {
    plan,
    ...(created ? { sink: created.sink, createTopic: created.createTopic } : {}),
    sources,
  };
}

/** WHERE and HAVING must be BOOLEAN (or an untyped NULL, which keeps nothing). */
function condition(typed: TypedExpression, clause: string, text: string): TypedExpression {
  if (typed.type !== null && typed.type.kind !== "BOOLEAN") {
    throw new SqlSemanticError(
      "SQL_TYPE_MISMATCH",
      `${clause} needs a BOOLEAN condition, got ${typeName(typed.type)}`,
      typed.expression.span,
      text,
    );
  }
  return typed;
}

interface Context {
  readonly text: string;
  readonly registry: FunctionRegistry;
  readonly fail: Fail;
}

/** PARTITION BY: a new key for a stream, or none (NULL); no repartition when it names the key the stream has. */
function partitionBy(
  query: Query,
  expressions: readonly Expression[],
  scope: Scope,
  key: ResultKey,
  source: SourceDescription,
  { text, registry, fail }: Context,
): { key: ResultKey; rekey: RekeyStage | undefined; scope: Scope } {
  const first = expressions[0]!;
  if (query.groupBy) fail("SQL_INVALID_PARTITION_BY", "PARTITION BY cannot be combined with GROUP BY", first.span);
  if (source.kind === "TABLE") {
    fail("SQL_INVALID_PARTITION_BY", `PARTITION BY applies to streams: ${source.name} is a table`, first.span);
  }
  if (source.window) fail("SQL_UNSUPPORTED", "PARTITION BY of a windowed source is not supported yet", first.span);
  const origin = "PARTITION BY expression";
  const nullAt = expressions.find((e) => e.kind === "NullLiteral");
  if (nullAt) {
    if (expressions.length > 1) {
      fail("SQL_INVALID_PARTITION_BY", "PARTITION BY NULL cannot be combined with other expressions", nullAt.span);
    }
    return { key: { parts: [], origin, required: false }, rekey: { reason: "PARTITION BY", key: [], scope }, scope };
  }
  const typed = expressions.map((e) =>
    typeCheck(e, scope, registry, {
      text,
      onAggregate: (call) => fail("SQL_INVALID_PARTITION_BY", "PARTITION BY cannot hold an aggregate", call.call.span),
    }),
  );
  const prints = typed.map(fingerprint);
  if (prints.length === key.parts.length && prints.every((p, i) => key.parts[i]!.matches.has(p))) {
    return { key: { ...key, origin, required: true }, rekey: undefined, scope };
  }
  const appended = appendColumns(
    scope,
    typed.map(
      (t) =>
        t.type ?? fail("SQL_INVALID_PARTITION_BY", "cannot PARTITION BY an untyped NULL expression", t.expression.span),
    ),
  );
  const parts = typed.map((t, i) => keyPart(columnRead(appended.scope, appended.first + i, t.expression), [t]));
  return {
    key: { parts, origin, required: true },
    rekey: { reason: "PARTITION BY", key: typed, scope: appended.scope },
    scope: appended.scope,
  };
}

/** EMIT FINAL needs a windowed aggregation; LIMIT belongs to push queries, which end there. */
function checkEmitAndLimit(query: Query, persistent: boolean, windowed: boolean, text: string, fail: Fail): void {
  if (query.emit === "FINAL" && !windowed) {
    fail(
      "SQL_INVALID_EMIT",
      "EMIT FINAL needs a windowed aggregation (WINDOW … GROUP BY): only a window can be final",
      wordSpan(text, query.span, "FINAL"),
    );
  }
  if (persistent && query.limit !== undefined) {
    fail(
      "SQL_INVALID_LIMIT",
      "LIMIT applies to push and pull queries, not to persistent ones",
      wordSpan(text, query.span, "LIMIT"),
    );
  }
}

/** The last occurrence of a keyword in the query, for clauses the syntax tree keeps without a span. */
function wordSpan(text: string, span: Span, word: string): Span {
  const at = text.slice(span.start, span.end).toUpperCase().lastIndexOf(word);
  const start = at < 0 ? span.start : span.start + at;
  return { start, end: start + word.length };
}
