// The golden case files' format (cases/*.yaml): what a case states, read and checked for typos before anything runs.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import type { JsonValue } from "../../../src/sql/engine/entities.ts";
import { createBuiltinRegistry } from "../../../src/sql/functions/builtins.ts";
import { loadUserFunctions } from "../../../src/sql/functions/index.ts";
import type { FunctionRegistry } from "../../../src/sql/functions/registry.ts";
import { type ParsedStatement, parseStatements } from "../../../src/sql/language/index.ts";

/**
 * The bytes of a record's key or value: a string is its UTF-8 text, null no bytes at all (a tombstone value, a null
 * key), any other JSON value its JSON text. Markers, objects with one `$` key: `{$int: 7}` and `{$bigint: "7"}`
 * (KAFKA format, big-endian), `{$double: 1.5}`, `{$base64: "…"}`; in expected records also windowed keys,
 * `{$windowed: <key>, start: ms}` (the key, then the window start as 8 bytes) and `{$session: <key>, start, end}`.
 * YAML reads numbers as doubles: write JSON with integers beyond 2^53 as text to keep every digit.
 */
export type BytesSpec = JsonValue;

/** Milliseconds since the epoch, or ISO-8601 text (`2026-11-24T10:00:00Z`). */
export type TimeSpec = number | string;

export interface InputSpec {
  /** The topic as the case names it; the runner makes it unique. */
  readonly topic: string;
  readonly key?: BytesSpec;
  readonly value: BytesSpec;
  readonly timestamp?: TimeSpec;
  readonly partition?: number;
  readonly headers?: readonly (readonly [string, string])[];
}

export interface OutputSpec {
  readonly key?: BytesSpec;
  readonly value: BytesSpec;
  readonly timestamp?: TimeSpec;
}

/**
 * A failure the case expects. `statement` indexes the case's statements (0-based, after splitting; default: the
 * last); `code` is Fabrik's stable code (SQL_UNKNOWN_COLUMN …), `error_code` ksqlDB's REST code (40001 …), `message` a
 * fragment of the message, `line`/`column` the position within the statement's own text. `by: engine` marks errors
 * only the engine can find (Kafka state, running queries), which the static check cannot see.
 */
export interface ErrorSpec {
  readonly statement?: number;
  readonly code?: string;
  readonly error_code?: number;
  readonly message?: string;
  readonly line?: number;
  readonly column?: number;
  readonly by?: "engine";
}

/** A pull or push query (or PRINT) and what it answers: rows of JSON values, unordered unless `ordered`. */
export interface QuerySpec {
  readonly query: string;
  readonly columns?: readonly string[];
  readonly rows?: readonly JsonValue[][];
  readonly ordered?: boolean;
  /** PRINT: one fragment (or `~regex`) per line printed. */
  readonly lines?: readonly string[];
  readonly error?: ErrorSpec;
  /** A pull query whose table has no sink to wait on (a SOURCE table): ask again until it answers these rows. */
  readonly eventually?: boolean;
}

/** A statement run after the outputs are in; `entity` is matched against the first entity of its response. */
export interface StatementStep {
  readonly statement: string;
  readonly entity?: JsonValue;
  /** The response may take a while to say so (a query's state): ask again until it does. */
  readonly eventually?: boolean;
  readonly error?: ErrorSpec;
}

export type Step =
  | StatementStep
  | { readonly inputs: readonly InputSpec[] }
  /** The whole expected contents of these topics so far. */
  | { readonly outputs: Readonly<Record<string, readonly OutputSpec[]>> }
  | { readonly pull: readonly QuerySpec[] }
  | { readonly push: readonly QuerySpec[] }
  /** Closes the engine and starts it again with the same service id: the catalog and queries must come back. */
  | { readonly restart: true }
  | { readonly deleteTopic: string };

export interface GoldenCase {
  readonly name: string;
  /** Topics that exist before the statements run (case name → partitions). */
  readonly topics?: Readonly<Record<string, number>>;
  /** KSQL text, or a list of texts; each is split into its statements (one that does not parse stays whole). */
  readonly statements: string | readonly string[];
  /** Properties sent with every statement and query, over the runner's (auto.offset.reset=earliest). */
  readonly properties?: Readonly<Record<string, string>>;
  readonly inputs?: readonly InputSpec[];
  /** The statement before which the inputs are produced; default: the first persistent query (else after all). */
  readonly inputsBefore?: number;
  /** Per sink topic (as the case names it), the records in order per key. */
  readonly outputs?: Readonly<Record<string, readonly OutputSpec[]>>;
  /** Matched against the first entity answered to statement `statement`. */
  readonly responses?: readonly { readonly statement: number; readonly entity: JsonValue }[];
  readonly pull?: readonly QuerySpec[];
  readonly push?: readonly QuerySpec[];
  readonly print?: readonly QuerySpec[];
  /** The processing-log entries this case's queries wrote, in any order (subsets of the log's JSON values). */
  readonly processingLog?: readonly JsonValue[];
  readonly error?: ErrorSpec;
  readonly then?: readonly Step[];
  /** Needs an engine of its own (it restarts it, or reads something engine-wide). */
  readonly fresh?: boolean;
}

export interface CaseFile {
  readonly file: string;
  /** `udf`: the engine also loads test/sql/functions/udf. */
  readonly registry?: "builtin" | "udf";
  readonly cases: readonly GoldenCase[];
}

/** One statement of a case: its text, and its parse when it parses. */
export interface CaseStatement {
  readonly text: string;
  readonly parsed?: ParsedStatement;
}

const CASES_DIR = join(import.meta.dirname, "cases");
const UDF_DIR = join(import.meta.dirname, "..", "functions", "udf");

/** A fresh function registry for a file's cases: the built-ins, and the test UDFs when the file asks for them. */
export async function caseRegistry(udf: boolean): Promise<FunctionRegistry> {
  const registry = createBuiltinRegistry();
  if (udf) await loadUserFunctions(UDF_DIR, registry);
  return registry;
}

export function loadCaseFiles(dir: string = CASES_DIR): CaseFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((file) => checkCaseFile(file, parseYaml(readFileSync(join(dir, file), "utf8"))));
}

/**
 * The case's statements one by one: each text split where it parses, kept whole where it does not. Each is parsed
 * again on its own, as the runner sends it, so that positions count from the statement's start.
 */
export function caseStatements(c: Pick<GoldenCase, "statements">): CaseStatement[] {
  const texts = typeof c.statements === "string" ? [c.statements] : c.statements;
  return texts.flatMap((text) => {
    try {
      return parseStatements(text).map(({ text }) => ({ text, parsed: parseStatements(text)[0]! }));
    } catch {
      return [{ text: text.trim() }];
    }
  });
}

/** The statements of a RUN SCRIPT file (relative to cases/), as a case's statements. */
export function scriptStatements(path: string): CaseStatement[] {
  return caseStatements({ statements: readFileSync(join(CASES_DIR, path), "utf8") });
}

/** The index of the statement a case's error names (default: the last). */
export function errorStatement(c: GoldenCase, count: number): number | undefined {
  if (c.error === undefined) return undefined;
  return c.error.statement ?? count - 1;
}

/** Where the inputs go in: before `inputsBefore`, else before the first persistent query, else after everything. */
export function inputsPosition(c: GoldenCase, statements: readonly CaseStatement[]): number {
  if (c.inputsBefore !== undefined) return c.inputsBefore;
  const first = statements.findIndex((s) => {
    const kind = s.parsed?.statement.kind;
    return kind === "CreateAsSelect" || kind === "InsertInto";
  });
  return first === -1 ? statements.length : first;
}

export function timeOf(spec: TimeSpec): number {
  if (typeof spec === "number") return spec;
  const ms = Date.parse(spec);
  if (Number.isNaN(ms)) throw new Error(`not a time: ${spec}`);
  return ms;
}

const CASE_KEYS = new Set([
  "name",
  "topics",
  "statements",
  "properties",
  "inputs",
  "inputsBefore",
  "outputs",
  "responses",
  "pull",
  "push",
  "print",
  "processingLog",
  "error",
  "then",
  "fresh",
]);
const INPUT_KEYS = new Set(["topic", "key", "value", "timestamp", "partition", "headers"]);
const OUTPUT_KEYS = new Set(["key", "value", "timestamp"]);
const ERROR_KEYS = new Set(["statement", "code", "error_code", "message", "line", "column", "by"]);
const QUERY_KEYS = new Set(["query", "columns", "rows", "ordered", "lines", "error", "eventually"]);
const STEP_KEYS = new Set(["statement", "entity", "eventually", "error"]);

type Json = Record<string, unknown>;

/** Checks the shape of a parsed file (unknown keys are typos) and answers it typed; throws naming the place. */
function checkCaseFile(file: string, data: unknown): CaseFile {
  const root = object(data, file);
  keys(root, new Set(["registry", "cases"]), file);
  if (root.registry !== undefined && root.registry !== "builtin" && root.registry !== "udf") {
    throw new Error(`${file}: registry is builtin or udf`);
  }
  const cases = array(root.cases, `${file}: cases`);
  const names = new Set<string>();
  cases.forEach((item, i) => {
    const c = object(item, `${file}: cases[${i}]`);
    const where = `${file}: ${typeof c.name === "string" ? c.name : `cases[${i}]`}`;
    keys(c, CASE_KEYS, where);
    if (typeof c.name !== "string" || names.has(c.name)) throw new Error(`${where}: a case needs a unique name`);
    names.add(c.name);
    if (typeof c.statements !== "string" && !Array.isArray(c.statements)) {
      throw new Error(`${where}: statements is KSQL text or a list of texts`);
    }
    if (c.inputs !== undefined) checkInputs(c.inputs, `${where}: inputs`);
    if (c.outputs !== undefined) checkOutputs(c.outputs, `${where}: outputs`);
    if (c.error !== undefined) keys(object(c.error, `${where}: error`), ERROR_KEYS, `${where}: error`);
    for (const part of ["pull", "push", "print"] as const) {
      if (c[part] !== undefined) checkQueries(c[part], `${where}: ${part}`);
    }
    if (c.then !== undefined) {
      array(c.then, `${where}: then`).forEach((step, j) => {
        checkStep(step, `${where}: then[${j}]`);
      });
    }
  });
  return { file, ...(root as { registry?: "builtin" | "udf" }), cases: cases as GoldenCase[] };
}

function checkStep(data: unknown, where: string): void {
  const step = object(data, where);
  if ("inputs" in step) checkInputs(step.inputs, `${where}.inputs`);
  else if ("outputs" in step) checkOutputs(step.outputs, `${where}.outputs`);
  else if ("pull" in step || "push" in step) checkQueries(step.pull ?? step.push, where);
  else if ("restart" in step || "deleteTopic" in step) keys(step, new Set(["restart", "deleteTopic"]), where);
  else keys(step, STEP_KEYS, where);
}

function checkInputs(data: unknown, where: string): void {
  array(data, where).forEach((item, i) => {
    const input = object(item, `${where}[${i}]`);
    keys(input, INPUT_KEYS, `${where}[${i}]`);
    if (typeof input.topic !== "string" || !("value" in input)) throw new Error(`${where}[${i}]: needs topic, value`);
  });
}

function checkOutputs(data: unknown, where: string): void {
  for (const [topic, records] of Object.entries(object(data, where))) {
    array(records, `${where}.${topic}`).forEach((item, i) => {
      const record = object(item, `${where}.${topic}[${i}]`);
      keys(record, OUTPUT_KEYS, `${where}.${topic}[${i}]`);
      if (!("value" in record)) throw new Error(`${where}.${topic}[${i}]: needs a value (null for a tombstone)`);
    });
  }
}

function checkQueries(data: unknown, where: string): void {
  array(data, where).forEach((item, i) => {
    const query = object(item, `${where}[${i}]`);
    keys(query, QUERY_KEYS, `${where}[${i}]`);
    if (typeof query.query !== "string") throw new Error(`${where}[${i}]: needs a query`);
  });
}

function object(data: unknown, where: string): Json {
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new Error(`${where}: expected a map`);
  return data as Json;
}

function array(data: unknown, where: string): unknown[] {
  if (!Array.isArray(data)) throw new Error(`${where}: expected a list`);
  return data;
}

function keys(data: Json, allowed: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(data)) {
    if (!allowed.has(key)) throw new Error(`${where}: unknown key '${key}' (known: ${[...allowed].join(", ")})`);
  }
}
