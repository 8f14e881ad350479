// POST /query: push queries, pull queries and PRINT, started for one client and tracked until they end.
import { randomBytes } from "node:crypto";
import type { KafkaConfig } from "../../../kafka/index.ts";
import { planQuery } from "../../analysis/plan-query.ts";
import { planPullQuery } from "../../analysis/pull-query.ts";
import type { FunctionRegistry } from "../../functions/registry.ts";
import type { Query, Statement } from "../../language/ast.ts";
import { parseStatements } from "../../language/parse-statements.ts";
import { createPipeline } from "../../runtime/create-pipeline.ts";
import type { ProcessingLogEntry } from "../../runtime/pipeline.ts";
import type { QueryStream } from "../entities.ts";
import { runPullQuery, startPrint, startPushQuery } from "../interactive/index.ts";
import type { Metastore } from "../metastore.ts";
import { asRequestError, SqlStatementError } from "./errors.ts";
import type { PushQueryInfo } from "./listings.ts";
import { type EngineProperties, requestOverrides } from "./properties.ts";
import type { QueryTasks } from "./query-tasks.ts";

export interface TransientQueriesOptions {
  readonly kafka: KafkaConfig;
  readonly catalog: Metastore;
  readonly registry: FunctionRegistry;
  readonly properties: EngineProperties;
  readonly tasks: QueryTasks;
  /** Where a push query's set-aside records go (the processing-log topic); failures there never end the query. */
  readonly logErrors: (queryId: string, entries: readonly ProcessingLogEntry[]) => Promise<void>;
}

interface Open {
  readonly stream: QueryStream;
  readonly info: PushQueryInfo;
}

/** ksqlDB's transient query ids: `transient_<SOURCE>_<random number>`. */
function transientId(source: string): string {
  return `transient_${source.replace(/[^A-Za-z0-9_]/g, "_")}_${randomBytes(8).readBigUInt64BE() >> 1n}`;
}

export class TransientQueries {
  readonly #o: TransientQueriesOptions;
  readonly #open = new Map<string, Open>();

  constructor(options: TransientQueriesOptions) {
    this.#o = options;
  }

  /** The push queries and PRINTs running now, for SHOW QUERIES and EXPLAIN. */
  list(): PushQueryInfo[] {
    return [...this.#open.values()].map((open) => open.info);
  }

  /** Stops a push query or PRINT; false when none runs with that id. */
  close(queryId: string): boolean {
    const open = this.#open.get(queryId);
    if (!open) return false;
    this.#open.delete(queryId);
    open.stream.close();
    return true;
  }

  closeAll(): void {
    for (const id of [...this.#open.keys()]) this.close(id);
  }

  /** Starts the one SELECT or PRINT of `text`; anything else is a statement error. */
  async start(text: string, properties: Readonly<Record<string, unknown>> | undefined): Promise<QueryStream> {
    try {
      const parsed = parseStatements(text);
      const statement = parsed[0]?.statement;
      if (parsed.length !== 1 || statement === undefined) {
        throw new SqlStatementError(
          "SQL_WRONG_ENDPOINT",
          `/query runs exactly one statement; this request has ${parsed.length}`,
        );
      }
      if (statement.kind === "Print") return await this.#print(statement);
      if (statement.kind !== "Query") {
        throw new SqlStatementError(
          "SQL_WRONG_ENDPOINT",
          `/query runs SELECT and PRINT statements; run ${describeKind(statement)} through /ksql`,
          { text, span: statement.span },
        );
      }
      return statement.emit ? await this.#push(statement, text, properties) : this.#pull(statement, text);
    } catch (error) {
      throw asRequestError(error, text);
    }
  }

  async #push(query: Query, text: string, properties: Readonly<Record<string, unknown>> | undefined) {
    const overrides = requestOverrides(properties);
    const planned = planQuery(query, text, this.#o.catalog, this.#o.registry, { kind: "client" });
    const queryId = transientId(planned.plan.source.source.name);
    const prefix = this.#o.tasks.internalTopicPrefix;
    const sql = text.slice(query.span.start, query.span.end);
    let ended = false;
    const stream = await startPushQuery({
      kafka: this.#o.kafka,
      plan: planned.plan,
      queryId,
      internalTopicPrefix: prefix,
      offsetReset: this.#o.properties.offsetReset(overrides),
      // Kafka Streams' switch for its record cache, as for persistent queries (query-tasks.ts).
      coalesce: this.#o.properties.get("cache.max.bytes.buffering", overrides) !== "0",
      onEnd: () => {
        ended = true;
        this.#open.delete(queryId);
      },
      onErrors: (entries) => this.#o.logErrors(queryId, entries).catch(() => {}),
    });
    if (ended) return stream;
    const topics = createPipeline(planned.plan, {
      queryId,
      internalTopicPrefix: prefix,
      inMemoryRepartition: true,
    }).topics;
    this.#open.set(queryId, {
      stream,
      info: {
        id: queryId,
        sql,
        explained: {
          id: queryId,
          sql,
          plan: planned.plan,
          topics,
          sources: planned.sources,
          sinks: [],
          queryType: "PUSH",
          state: "RUNNING",
          overriddenProperties: overrides,
        },
      },
    });
    return stream;
  }

  /** Answers from the rows of the query that materializes the table: its CTAS, or a source table's CST query. */
  #pull(query: Query, text: string): QueryStream {
    const plan = planPullQuery(query, text, this.#o.catalog, this.#o.registry);
    const table = plan.source.source.name;
    const owner = this.#o.catalog.ownerOf(table);
    const view = owner === undefined ? undefined : this.#o.tasks.materialized(owner);
    if (view === undefined) {
      const where = { text, span: query.from.span };
      if (owner !== undefined && this.#o.catalog.query(owner)) {
        throw new SqlStatementError(
          "SQL_NOT_QUERYABLE",
          `The \`${table}\` table isn't queryable on this server yet: its query ${owner} is not running here.`,
          where,
        );
      }
      throw new SqlStatementError(
        "SQL_NOT_QUERYABLE",
        `The \`${table}\` table isn't queryable. To derive a queryable table, you can do ` +
          `'CREATE TABLE QUERYABLE_${table} AS SELECT * FROM ${table}'. See https://cnfl.io/queries for more info.`,
        where,
      );
    }
    return runPullQuery(plan, view, `query_${Date.now()}`);
  }

  async #print(statement: Extract<Statement, { kind: "Print" }>): Promise<QueryStream> {
    const queryId = transientId(`PRINT_${statement.topic}`);
    let ended = false;
    const stream = await startPrint({
      kafka: this.#o.kafka,
      statement,
      queryId,
      onEnd: () => {
        ended = true;
        this.#open.delete(queryId);
      },
    });
    if (!ended)
      this.#open.set(queryId, {
        stream,
        info: { id: queryId, sql: `PRINT '${statement.topic}';`, explained: undefined },
      });
    return stream;
  }
}

function describeKind(statement: Statement): string {
  return statement.kind.replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase();
}
