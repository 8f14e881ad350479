// The SQL catalog the side panel shows: streams, tables and queries (one /ksql request for all three), the columns of
// the sources the user opened (DESCRIBE, cached until the next refresh), and the names the editor completes.
import type { SQLNamespace } from "@codemirror/lang-sql";
import { signal } from "@preact/signals";
import { runStatements, sqlName } from "../../api/sql.ts";
import type { SqlField, SqlQueryInfo, SqlSourceInfo } from "../../api/sql-entities.ts";

export interface Catalog {
  readonly streams: readonly SqlSourceInfo[];
  readonly tables: readonly SqlSourceInfo[];
  readonly queries: readonly SqlQueryInfo[];
}

export type Columns =
  | { readonly state: "loading" }
  | { readonly state: "ready"; readonly fields: readonly SqlField[] }
  | {
      readonly state: "failed";
      readonly message: string;
    };

export class CatalogModel {
  readonly catalog = signal<Catalog | null>(null);
  readonly error = signal<string | null>(null);
  readonly loading = signal(false);
  /** Columns of the sources opened in the panel, by name. */
  readonly columns = signal<ReadonlyMap<string, Columns>>(new Map());
  #generation = 0;

  /** Reads the catalog again; sources whose columns were open are described again too. */
  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    this.loading.value = true;
    try {
      const entities = await runStatements("SHOW STREAMS; SHOW TABLES; SHOW QUERIES;");
      if (generation !== this.#generation) return;
      let catalog: Catalog = { streams: [], tables: [], queries: [] };
      for (const entity of entities) {
        if (entity["@type"] === "streams") catalog = { ...catalog, streams: byName(entity.streams) };
        if (entity["@type"] === "tables") catalog = { ...catalog, tables: byName(entity.tables) };
        if (entity["@type"] === "queries") catalog = { ...catalog, queries: entity.queries };
      }
      this.catalog.value = catalog;
      this.error.value = null;
      const open = [...this.columns.value.keys()];
      const known = new Set([...catalog.streams, ...catalog.tables].map((s) => s.name));
      this.columns.value = new Map();
      for (const name of open) if (known.has(name)) void this.describe(name);
    } catch (error) {
      if (generation === this.#generation) this.error.value = error instanceof Error ? error.message : String(error);
    } finally {
      if (generation === this.#generation) this.loading.value = false;
    }
  }

  /** Loads a source's columns (once per refresh). */
  async describe(name: string): Promise<void> {
    const current = this.columns.value.get(name);
    if (current !== undefined && current.state !== "failed") return;
    this.#setColumns(name, { state: "loading" });
    try {
      const [entity] = await runStatements(`DESCRIBE ${sqlName(name)};`);
      if (entity?.["@type"] !== "sourceDescription") throw new Error("DESCRIBE answered no source description");
      this.#setColumns(name, { state: "ready", fields: entity.sourceDescription.fields });
    } catch (error) {
      this.#setColumns(name, { state: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  }

  forget(name: string): void {
    const next = new Map(this.columns.value);
    next.delete(name);
    this.columns.value = next;
  }

  #setColumns(name: string, columns: Columns): void {
    const next = new Map(this.columns.value);
    next.set(name, columns);
    this.columns.value = next;
  }

  /** Every source's name with the columns known so far, for the editor's completion. */
  schema(): SQLNamespace {
    const catalog = this.catalog.value;
    if (catalog === null) return {};
    const schema: Record<string, string[]> = {};
    for (const source of [...catalog.streams, ...catalog.tables]) {
      const columns = this.columns.value.get(source.name);
      schema[source.name] = columns?.state === "ready" ? columns.fields.map((f) => f.name) : [];
    }
    return schema;
  }
}

function byName(sources: readonly SqlSourceInfo[]): SqlSourceInfo[] {
  return [...sources].sort((a, b) => a.name.localeCompare(b.name));
}
