// The engine's catalog of streams, tables and persistent queries; only applying a command from the log changes it.
import type { CatalogView, QueryDescription, SourceDescription } from "../analysis/catalog.ts";
import type { QueryPlan } from "../plan/plan.ts";
import type { JsonValue } from "./entities.ts";

/**
 * How a persistent query came to be, which names it as ksqlDB does: CREATE STREAM AS SELECT (CSAS_<SINK>_<n>),
 * CREATE TABLE AS SELECT (CTAS_…), INSERT INTO … SELECT (INSERTQUERY_<n>), and the internal query that materializes
 * a CREATE SOURCE TABLE for pull queries (CST_<TABLE>_<n>).
 */
export type PersistentQueryKind = "CSAS" | "CTAS" | "INSERT" | "CST";

export interface PersistentQuery extends QueryDescription {
  readonly kind: PersistentQueryKind;
  readonly plan: QueryPlan;
  /** The overrides it was issued with (request properties and SETs before it): EXPLAIN shows them. */
  readonly properties: Readonly<Record<string, JsonValue>>;
  /** The sequence number of the command that started it. */
  readonly sequence: number;
}

interface SourceEntry {
  readonly description: SourceDescription;
  /** The query that made it (CSAS, CTAS, CST): DROP ends that query with the source. */
  readonly owner: string | undefined;
}

/**
 * Streams and tables by name, queries by id, each in the order they were made (the listings' order). The analyzer
 * reads it as a CatalogView; the command applier is the only writer, so every server that applied the same commands
 * holds the same catalog.
 */
export class Metastore implements CatalogView {
  readonly #sources = new Map<string, SourceEntry>();
  readonly #queries = new Map<string, PersistentQuery>();

  source(name: string): SourceDescription | undefined {
    return this.#sources.get(name)?.description;
  }

  sources(): readonly SourceDescription[] {
    return [...this.#sources.values()].map((entry) => entry.description);
  }

  queries(): readonly PersistentQuery[] {
    return [...this.#queries.values()];
  }

  query(id: string): PersistentQuery | undefined {
    return this.#queries.get(id);
  }

  /** The id of the query that made `name` (and that DROP ends with it), if any. */
  ownerOf(name: string): string | undefined {
    return this.#sources.get(name)?.owner;
  }

  /** Queries that read `name`. */
  readers(name: string): PersistentQuery[] {
    return this.queries().filter((q) => q.sources.includes(name));
  }

  /** Queries that write `name` (a source table's CST query counts: it keeps the table's rows). */
  writers(name: string): PersistentQuery[] {
    return this.queries().filter((q) => q.sink === name);
  }

  /** Adds or replaces a source; a replaced source keeps its place in the listings. */
  putSource(description: SourceDescription, owner: string | undefined): void {
    this.#sources.set(description.name, { description, owner });
  }

  dropSource(name: string): void {
    this.#sources.delete(name);
  }

  putQuery(query: PersistentQuery): void {
    this.#queries.set(query.id, query);
  }

  removeQuery(id: string): void {
    this.#queries.delete(id);
    for (const [name, entry] of this.#sources) {
      if (entry.owner === id) this.#sources.set(name, { description: entry.description, owner: undefined });
    }
  }
}
