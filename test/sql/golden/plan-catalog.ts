// A catalog for checking golden cases without Kafka: each statement analysed as the engine would, then applied.

import {
  type CatalogView,
  describeCreateSource,
  planInsertValues,
  planPullQuery,
  planQuery,
  type QueryDescription,
  type SourceDefaults,
  type SourceDescription,
  type TopicInfo,
} from "../../../src/sql/analysis/index.ts";
import type { FunctionRegistry } from "../../../src/sql/functions/registry.ts";
import type { Query, Statement } from "../../../src/sql/language/index.ts";

/** What a checked statement means for the case: a sink it made (with its kind), or nothing to remember. */
export interface Checked {
  readonly sink?: SourceDescription;
}

export class PlanCatalog implements CatalogView {
  readonly #registry: FunctionRegistry;
  readonly #sources = new Map<string, SourceDescription>();
  readonly #queries: QueryDescription[] = [];
  readonly #topics = new Map<string, TopicInfo>();
  readonly defaults: SourceDefaults;

  constructor(registry: FunctionRegistry, topics: Readonly<Record<string, number>> = {}) {
    this.#registry = registry;
    for (const [name, partitions] of Object.entries(topics)) this.#topics.set(name, { partitions, replicas: 1 });
    this.defaults = { keyFormat: "KAFKA", valueFormat: "JSON", replicas: 1, topic: (name) => this.#topics.get(name) };
  }

  source(name: string): SourceDescription | undefined {
    return this.#sources.get(name);
  }

  sources(): readonly SourceDescription[] {
    return [...this.#sources.values()];
  }

  queries(): readonly QueryDescription[] {
    return this.#queries;
  }

  hasTopic(name: string): boolean {
    return this.#topics.has(name);
  }

  /** Analyses `statement` (parsed from `text`) and applies it; throws what the analyzer throws. */
  apply(statement: Statement, text: string): Checked {
    switch (statement.kind) {
      case "CreateSource": {
        if (statement.ifNotExists && this.#sources.has(statement.name.value)) return {};
        const { source, createTopic } = describeCreateSource(statement, text, this, this.defaults);
        this.#add(source, createTopic);
        return {};
      }
      case "CreateAsSelect": {
        if (statement.ifNotExists && this.#sources.has(statement.name.value)) return {};
        const planned = planQuery(statement.query, text, this, this.#registry, {
          kind: "create",
          statement,
          defaults: this.defaults,
        });
        const sink = planned.sink!;
        this.#add(sink, planned.createTopic ?? false);
        this.#queries.push({ id: `Q${this.#queries.length}`, sql: text, sink: sink.name, sources: planned.sources });
        return { sink };
      }
      case "InsertInto": {
        const planned = planQuery(statement.query, text, this, this.#registry, { kind: "insert", statement });
        const sink = statement.target.value;
        this.#queries.push({ id: `Q${this.#queries.length}`, sql: text, sink, sources: planned.sources });
        return {};
      }
      case "InsertValues":
        planInsertValues(statement, text, this, this.#registry);
        return {};
      case "Query":
        this.query(statement, text);
        return {};
      case "Explain":
        if (statement.statement !== undefined) {
          const inner = statement.statement;
          if (inner.kind === "Query") this.query(inner, text);
          else planQuery(inner.query, text, this, this.#registry, target(inner, this.defaults));
        }
        return {};
      case "DropSource":
        this.#sources.delete(statement.name.value);
        return {};
      default:
        // SHOW, DESCRIBE, TERMINATE, PRINT, SET, UNSET, RUN SCRIPT: nothing the analyzer decides.
        return {};
    }
  }

  /** Plans a push (EMIT) or pull query. */
  query(query: Query, text: string): void {
    if (query.emit) planQuery(query, text, this, this.#registry, { kind: "client" });
    else planPullQuery(query, text, this, this.#registry);
  }

  #add(source: SourceDescription, createTopic: boolean): void {
    this.#sources.set(source.name, source);
    if (createTopic) this.#topics.set(source.topic, { partitions: source.partitions, replicas: source.replicas });
  }
}

function target(
  statement: Extract<Statement, { kind: "CreateAsSelect" | "InsertInto" }>,
  defaults: SourceDefaults,
): Parameters<typeof planQuery>[4] {
  return statement.kind === "CreateAsSelect" ? { kind: "create", statement, defaults } : { kind: "insert", statement };
}
