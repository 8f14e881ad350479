// A `fabrik sql` session: runs statements against the server, keeps SET properties, and prints results as they come.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Writable } from "node:stream";
import type { JsonValue, KsqlEntity } from "../../engine/entities.ts";
import type { ClientQuery, SqlClient } from "./client.ts";
import { entityText } from "./entity-text.ts";
import { routeOf, splitStatements } from "./statements.ts";
import { ResultGrid } from "./text-table.ts";

export type OutputFormat = "TABULAR" | "JSON";

export interface SessionOptions {
  readonly client: SqlClient;
  /** Where results go. */
  readonly output: Writable;
  /** Where error messages go (default: `output`, as a terminal shows both in one place). */
  readonly errors?: Writable;
  readonly format?: OutputFormat;
  /** The width query grids share, read when a query starts (the terminal may have been resized). Default 80. */
  readonly width?: () => number;
  /** RUN SCRIPT paths resolve against this directory (default the working directory). */
  readonly baseDir?: string;
}

/** RUN SCRIPT inside RUN SCRIPT is allowed, a script that runs itself is not. */
const MAX_SCRIPT_DEPTH = 8;

export class SqlSession {
  /** SET properties, sent with every later request as ksqlDB's CLI does. */
  readonly properties = new Map<string, string>();
  format: OutputFormat;
  readonly #client: SqlClient;
  readonly #output: Writable;
  readonly #errors: Writable;
  readonly #width: () => number;
  readonly #baseDir: string;
  #running: ClientQuery | undefined;
  /** A query was sent and its header has not come back yet. */
  #starting = false;
  #interrupted = false;
  #stopped = false;
  #depth = 0;

  constructor(options: SessionOptions) {
    this.#client = options.client;
    this.#output = options.output;
    this.#errors = options.errors ?? options.output;
    this.format = options.format ?? "TABULAR";
    this.#width = options.width ?? (() => 80);
    this.#baseDir = options.baseDir ?? process.cwd();
  }

  /** Ctrl-C: stops the query that is streaming or starting, if one is; returns whether one was. */
  interrupt(): boolean {
    if (this.#running === undefined && !this.#starting) return false;
    this.#interrupted = true;
    this.#running?.close();
    return true;
  }

  /** Stops the running query and every statement not started yet (runText returns false). */
  stop(): void {
    this.#stopped = true;
    this.interrupt();
  }

  /** Runs every statement of `text` in order, stopping at the first that fails; false if one failed. */
  async runText(text: string): Promise<boolean> {
    const { statements, rest } = splitStatements(text);
    for (const statement of statements) {
      if (this.#stopped || !(await this.run(statement))) return false;
    }
    if (rest.trim().length > 0) {
      this.#fail(`The statement at the end does not end with ';': ${rest.trim().slice(0, 80)}`);
      return false;
    }
    return !this.#stopped;
  }

  /** Runs one statement (with its `;`) and prints its result; failures are printed too, never thrown. */
  async run(statement: string): Promise<boolean> {
    try {
      const route = routeOf(statement);
      switch (route.kind) {
        case "query":
          await this.#query(statement, route.print);
          return true;
        case "statement":
          this.#print(await this.#client.execute(statement, Object.fromEntries(this.properties)));
          return true;
        case "set":
          return this.#set(route.name, route.value);
        case "unset":
          return this.#unset(route.name);
        case "script":
          return await this.#script(route.path);
      }
    } catch (error) {
      this.#fail(error instanceof Error ? error.message : String(error));
      return false;
    }
  }

  #set(name: string, value: string): boolean {
    const before = this.properties.get(name);
    this.properties.set(name, value);
    const change = before === undefined ? `to '${value}'` : `from '${before}' to '${value}'`;
    this.#write(`Property '${name}' set ${change} for this session.\n`);
    return true;
  }

  #unset(name: string): boolean {
    const before = this.properties.get(name);
    if (before === undefined) {
      this.#fail(`Property '${name}' is not set in this session.`);
      return false;
    }
    this.properties.delete(name);
    this.#write(`Property '${name}' unset (it was '${before}').\n`);
    return true;
  }

  async #script(path: string): Promise<boolean> {
    if (this.#depth >= MAX_SCRIPT_DEPTH) {
      this.#fail(`RUN SCRIPT '${path}': scripts nest more than ${MAX_SCRIPT_DEPTH} deep; does one run itself?`);
      return false;
    }
    const text = await readFile(resolve(this.#baseDir, path), "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new Error(`RUN SCRIPT cannot read '${path}': ${error.code === "ENOENT" ? "no such file" : error.message}`);
    });
    this.#depth++;
    try {
      return await this.runText(text);
    } finally {
      this.#depth--;
    }
  }

  async #query(statement: string, print: boolean): Promise<void> {
    this.#interrupted = false;
    this.#starting = true;
    let query: ClientQuery;
    try {
      query = await this.#client.query(statement, Object.fromEntries(this.properties));
    } finally {
      this.#starting = false;
    }
    this.#running = query;
    // Ctrl-C while the query was starting: its header is shown, then it stops at once.
    if (this.#interrupted) query.close();
    const json = this.format === "JSON";
    const grid = json || print ? undefined : new ResultGrid(query.header.columnNames, this.#width());
    if (json) this.#write(`${JSON.stringify(query.header)}\n`);
    if (grid !== undefined) this.#write(`${grid.top()}\n`);
    const line = (row: readonly JsonValue[]): string =>
      grid !== undefined ? grid.row(row) : json ? JSON.stringify(row) : row.map(String).join(" ");
    let failure: unknown;
    try {
      for await (const row of query.rows) this.#write(`${line(row)}\n`);
    } catch (error) {
      failure = error;
    } finally {
      this.#running = undefined;
    }
    if (grid !== undefined) this.#write(`${grid.rule()}\n`);
    if (failure !== undefined) throw failure;
    // Push queries have an id and end only at their LIMIT or when stopped; pull queries just end.
    if (this.#interrupted || query.header.queryId !== undefined) this.#write("Query terminated\n");
    this.#interrupted = false;
  }

  #print(entities: readonly KsqlEntity[]): void {
    if (this.format === "JSON") {
      this.#write(`${JSON.stringify(entities, null, 2)}\n`);
      return;
    }
    for (const entity of entities) this.#write(`\n${entityText(entity)}\n`);
  }

  #write(text: string): void {
    this.#output.write(text);
  }

  #fail(message: string): void {
    this.#errors.write(`${message}\n`);
  }
}
