// Runs the editor's script statement by statement, as the shell does: statements through /ksql, queries streamed (push
// queries keep running beside what follows), SET/UNSET kept for what follows, and a stop at the first failure.
import { type Signal, signal } from "@preact/signals";
import type { QueryHeader, SqlEntity, SqlValue } from "../../api/sql.ts";
import { runStatements, SqlError, type SqlProperties, streamQuery } from "../../api/sql.ts";
import { errorRange, lineColumnAt, type ScriptStatement, sendable, splitStatements } from "./statements.ts";

export interface ResultRow {
  /** Arrival number, 1-based: the row's key in tables. */
  readonly seq: number;
  readonly values: readonly SqlValue[];
}

export type QueryState = "starting" | "running" | "completed" | "stopped" | "failed";

export interface QueryResult {
  readonly header: QueryHeader | undefined;
  /** Push queries and PRINT: newest first, at most the cap; pull queries: in the order the server sent them. */
  readonly rows: readonly ResultRow[];
  /** Every row received, including those the cap let go. */
  readonly total: number;
  readonly state: QueryState;
  readonly error: SqlError | undefined;
  readonly startedAt: number;
  readonly endedAt: number | undefined;
}

interface ResultBase {
  readonly id: number;
  readonly statement: ScriptStatement;
}

export type RunResult =
  | (ResultBase & { readonly kind: "entities"; readonly entities: readonly SqlEntity[]; readonly ms: number })
  | (ResultBase & {
      readonly kind: "error";
      readonly error: SqlError;
      /** Where in the document the error is: offsets, and the line and column an editor shows. */
      readonly range: { from: number; to: number };
      readonly at: { line: number; column: number } | undefined;
    })
  | (ResultBase & { readonly kind: "query"; readonly query: Signal<QueryResult>; readonly stop: () => void })
  | (ResultBase & { readonly kind: "property"; readonly name: string; readonly value: string | undefined });

export interface RunHooks {
  /** After every statement that ran (the catalog may have changed). */
  readonly onStatementDone?: (statement: ScriptStatement, ok: boolean) => void;
}

let nextId = 1;

/**
 * One run of a script (or of the selected part of it). `results` fills as statements run; `skipped` counts the
 * statements left out after a failure; `stopAll` ends every query the run started.
 */
export class ScriptRun {
  readonly results = signal<readonly RunResult[]>([]);
  readonly running = signal(true);
  readonly skipped = signal(0);
  readonly #controllers = new Set<AbortController>();
  #stopped = false;

  /** The whole document: error positions are offsets in it. */
  readonly #script: string;
  readonly #range: { from: number; to: number };
  readonly #properties: Signal<SqlProperties>;
  readonly #rowCap: number;
  readonly #hooks: RunHooks;

  constructor(
    script: string,
    range: { from: number; to: number },
    properties: Signal<SqlProperties>,
    rowCap: number,
    hooks: RunHooks = {},
  ) {
    this.#script = script;
    this.#range = range;
    this.#properties = properties;
    this.#rowCap = rowCap;
    this.#hooks = hooks;
  }

  statements(): ScriptStatement[] {
    const base = this.#range.from;
    return splitStatements(this.#script.slice(this.#range.from, this.#range.to)).map((s) => ({
      ...s,
      from: s.from + base,
      to: s.to + base,
    }));
  }

  async run(): Promise<void> {
    const statements = this.statements();
    try {
      for (const [index, statement] of statements.entries()) {
        if (this.#stopped) break;
        const ok = await this.#runOne(statement);
        this.#hooks.onStatementDone?.(statement, ok);
        if (!ok) {
          this.skipped.value = statements.length - index - 1;
          break;
        }
      }
    } finally {
      this.running.value = false;
    }
  }

  /** Stops every query of this run and runs no further statement. */
  stopAll(): void {
    this.#stopped = true;
    for (const controller of this.#controllers) controller.abort();
    this.#controllers.clear();
  }

  #add(result: RunResult): void {
    this.results.value = [...this.results.value, result];
  }

  #fail(statement: ScriptStatement, error: unknown): false {
    const sqlError =
      error instanceof SqlError
        ? error
        : new SqlError("SQL_UNREACHABLE", error instanceof Error ? error.message : String(error));
    const range = errorRange(this.#script, statement, sqlError.position);
    const at = sqlError.position === undefined ? undefined : lineColumnAt(this.#script, range.from);
    this.#add({ id: nextId++, kind: "error", statement, error: sqlError, range, at });
    return false;
  }

  async #runOne(statement: ScriptStatement): Promise<boolean> {
    switch (statement.kind) {
      case "set":
      case "unset":
        return this.#setProperty(statement);
      case "push":
      case "pull":
      case "print":
        return this.#query(statement);
      case "statement":
        return this.#statement(statement);
    }
  }

  #setProperty(statement: ScriptStatement): boolean {
    const property = statement.property!;
    const next = { ...this.#properties.value };
    if (statement.kind === "set" && property.value !== undefined) next[property.name] = property.value;
    else delete next[property.name];
    this.#properties.value = next;
    this.#add({ id: nextId++, kind: "property", statement, name: property.name, value: property.value });
    return true;
  }

  async #statement(statement: ScriptStatement): Promise<boolean> {
    const started = performance.now();
    try {
      const entities = await runStatements(sendable(statement), this.#properties.value);
      this.#add({ id: nextId++, kind: "entities", statement, entities, ms: performance.now() - started });
      return true;
    } catch (error) {
      return this.#fail(statement, error);
    }
  }

  /**
   * Streams a query into its result. Resolves once a push query has started (it goes on running beside the next
   * statements) or a pull query has ended; false when the query was refused.
   */
  #query(statement: ScriptStatement): Promise<boolean> {
    const controller = new AbortController();
    this.#controllers.add(controller);
    const newestFirst = statement.kind !== "pull";
    const query = signal<QueryResult>({
      header: undefined,
      rows: [],
      total: 0,
      state: "starting",
      error: undefined,
      startedAt: Date.now(),
      endedAt: undefined,
    });
    const update = (changes: Partial<QueryResult>) => {
      query.value = { ...query.value, ...changes };
    };
    const id = nextId++;
    const cap = this.#rowCap;
    return new Promise<boolean>((resolve) => {
      let added = false;
      const show = () => {
        if (added) return;
        added = true;
        this.#add({ id, kind: "query", statement, query, stop: () => controller.abort() });
      };
      const onHeader = (header: QueryHeader) => {
        update({ header, state: "running" });
        show();
        if (statement.kind !== "pull") resolve(true);
      };
      const onRows = (batch: SqlValue[][]) => {
        const current = query.value;
        let seq = current.total;
        const rows = batch.map((values) => ({ seq: ++seq, values }));
        const kept = newestFirst
          ? [...rows.reverse(), ...current.rows].slice(0, cap)
          : [...current.rows, ...rows].slice(0, cap);
        update({ rows: kept, total: seq });
      };
      streamQuery(sendable(statement), {
        properties: this.#properties.value,
        signal: controller.signal,
        onHeader,
        onRows,
      })
        .then((end) => {
          update({ state: end, endedAt: Date.now() });
          show();
          resolve(true);
        })
        .catch((error: unknown) => {
          if (!added) {
            resolve(this.#fail(statement, error));
            return;
          }
          update({ state: "failed", error: error instanceof SqlError ? error : undefined, endedAt: Date.now() });
          resolve(false);
        })
        .finally(() => this.#controllers.delete(controller));
    });
  }
}
