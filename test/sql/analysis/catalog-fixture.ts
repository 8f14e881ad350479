// A catalog for analysis tests, built the way the engine builds its own: each statement analysed, then applied.

import { readFileSync } from "node:fs";
import { join } from "node:path";
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
import { createBuiltinRegistry } from "../../../src/sql/functions/builtins.ts";
import type { FunctionRegistry } from "../../../src/sql/functions/registry.ts";
import { type ParsedStatement, parseStatements } from "../../../src/sql/language/index.ts";

/** The topics the plant's Kafka has before any statement runs. */
const PLANT_TOPICS: Record<string, TopicInfo> = {
  plant: { partitions: 3, replicas: 1 },
  machines: { partitions: 3, replicas: 1 },
  readings: { partitions: 3, replicas: 1 },
  setpoints: { partitions: 3, replicas: 1 },
  events: { partitions: 1, replicas: 1 },
  "hourly-energy": { partitions: 3, replicas: 1 },
  audit: { partitions: 1, replicas: 1 },
  // An existing sink topic with another partition count, for CREATE … AS SELECT checks.
  taken: { partitions: 6, replicas: 1 },
};

/** What analysing one statement gave: the raw result, for the runner to summarise. */
export type Analysis =
  | { readonly kind: "source"; readonly result: ReturnType<typeof describeCreateSource> }
  | { readonly kind: "query"; readonly result: ReturnType<typeof planQuery> }
  | { readonly kind: "pull"; readonly result: ReturnType<typeof planPullQuery> }
  | { readonly kind: "values"; readonly result: ReturnType<typeof planInsertValues> };

export class TestCatalog implements CatalogView {
  readonly registry: FunctionRegistry;
  readonly #sources = new Map<string, SourceDescription>();
  readonly #queries: QueryDescription[] = [];
  readonly #topics = new Map<string, TopicInfo>(Object.entries(PLANT_TOPICS));
  readonly defaults: SourceDefaults;

  constructor(registry: FunctionRegistry = createBuiltinRegistry()) {
    this.registry = registry;
    this.defaults = {
      keyFormat: "KAFKA",
      valueFormat: "JSON",
      replicas: 1,
      topic: (name) => this.#topics.get(name),
    };
  }

  /** The plant catalog (plant.sql) with every statement applied. */
  static plant(): TestCatalog {
    const catalog = new TestCatalog();
    catalog.run(readFileSync(join(import.meta.dirname, "plant.sql"), "utf8"));
    return catalog;
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

  /** Analyses and applies every statement of `text`; returns what each gave. */
  run(text: string): Analysis[] {
    return parseStatements(text).map((parsed) => this.apply(parsed, text));
  }

  apply(parsed: ParsedStatement, text: string): Analysis {
    const analysis = this.analyse(parsed, text);
    if (analysis.kind === "source") this.#add(analysis.result.source, analysis.result.createTopic);
    if (analysis.kind === "query" && analysis.result.sink) {
      const { sink, createTopic } = analysis.result;
      this.#add(sink, createTopic ?? false);
      this.#queries.push({
        id: `C${sink.kind[0]}AS_${sink.name}_${this.#queries.length + 1}`,
        sql: sink.sql,
        sink: sink.name,
        sources: analysis.result.sources,
      });
    }
    return analysis;
  }

  /** Analyses one statement as the engine would dispatch it, without changing the catalog. */
  analyse(parsed: ParsedStatement, text: string): Analysis {
    const { statement } = parsed;
    switch (statement.kind) {
      case "CreateSource":
        return { kind: "source", result: describeCreateSource(statement, text, this, this.defaults) };
      case "CreateAsSelect":
        return {
          kind: "query",
          result: planQuery(statement.query, text, this, this.registry, {
            kind: "create",
            statement,
            defaults: this.defaults,
          }),
        };
      case "InsertInto":
        return {
          kind: "query",
          result: planQuery(statement.query, text, this, this.registry, { kind: "insert", statement }),
        };
      case "Query":
        return statement.emit
          ? { kind: "query", result: planQuery(statement, text, this, this.registry, { kind: "client" }) }
          : { kind: "pull", result: planPullQuery(statement, text, this, this.registry) };
      case "InsertValues":
        return { kind: "values", result: planInsertValues(statement, text, this, this.registry) };
      default:
        throw new Error(`the analysis tests do not run ${statement.kind} statements`);
    }
  }

  #add(source: SourceDescription, createTopic: boolean): void {
    this.#sources.set(source.name, source);
    if (createTopic) this.#topics.set(source.topic, { partitions: source.partitions, replicas: source.replicas });
  }
}
