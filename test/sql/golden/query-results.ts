// Running a golden case's pull and push queries and PRINTs through SqlService.query, and checking what they answer.

import assert from "node:assert/strict";
import type { JsonValue, QueryStream, SqlService } from "../../../src/sql/engine/entities.ts";
import { eventually } from "../../support/kafka.ts";
import type { QuerySpec } from "./case-file.ts";
import { assertError, errorFacts, type PrefixedText } from "./error-facts.ts";
import { matchValue } from "./value-match.ts";

/** How long a query may take to answer all its rows (push queries end at their LIMIT). */
const QUERY_TIMEOUT_MS = 30_000;

export interface QueryRun {
  readonly service: SqlService;
  readonly properties: Readonly<Record<string, unknown>>;
  /** The query with the case's topics prefixed. */
  readonly prefixed: (text: string) => PrefixedText;
  /** Takes the prefix out of answered values. */
  readonly unprefix: (value: unknown) => unknown;
  /** Told every query id the engine gave (for the processing log). */
  readonly onQueryId: (id: string) => void;
}

export async function checkQuery(run: QueryRun, spec: QuerySpec, what: string): Promise<void> {
  if (!spec.eventually) return checkOnce(run, spec, what);
  await eventually(`${what} ${spec.query}`, () => checkOnce(run, spec, what).then(() => true), QUERY_TIMEOUT_MS);
}

async function checkOnce(run: QueryRun, spec: QuerySpec, what: string): Promise<void> {
  const text = run.prefixed(spec.query);
  let stream: QueryStream;
  try {
    stream = await run.service.query(text.text, run.properties);
  } catch (error) {
    if (spec.error === undefined) throw new Error(`${what} ${spec.query} failed: ${String(error)}`, { cause: error });
    assertError(spec.error, errorFacts(error, text), `${what} ${spec.query}`);
    return;
  }
  run.onQueryId(stream.queryId);
  let rows: JsonValue[][];
  try {
    rows = await collectRows(stream);
  } catch (error) {
    if (spec.error === undefined) throw error;
    assertError(spec.error, errorFacts(error, text), `${what} ${spec.query}`);
    return;
  }
  assert.equal(spec.error, undefined, `${what} ${spec.query} answered ${JSON.stringify(rows)} instead of failing`);
  const answered = run.unprefix(rows) as JsonValue[][];
  if (spec.columns !== undefined) {
    assert.deepEqual(
      stream.columns.map((c) => c.name),
      spec.columns,
      `${what} ${spec.query}: columns`,
    );
  }
  if (spec.rows !== undefined) {
    const expected: JsonValue = spec.ordered ? [...spec.rows] : { $unordered: [...spec.rows] };
    const miss = matchValue(expected, answered, "exact");
    assert.equal(miss, undefined, `${what} ${spec.query}: ${miss}\n  rows: ${JSON.stringify(answered)}`);
  }
  if (spec.lines !== undefined) {
    const lines = answered.map((row) => String(row[0]));
    assert.equal(lines.length, spec.lines.length, `${what} ${spec.query}: lines\n  ${lines.join("\n  ")}`);
    spec.lines.forEach((fragment, i) => {
      const line = lines[i]!;
      const ok = fragment.startsWith("~") ? new RegExp(fragment.slice(1)).test(line) : line.includes(fragment);
      assert.ok(ok, `${what} ${spec.query}: line ${i} "${line}" lacks "${fragment}"`);
    });
  }
}

/** Every row until the stream ends; a stream still open after QUERY_TIMEOUT_MS is closed and reported. */
async function collectRows(stream: QueryStream): Promise<JsonValue[][]> {
  const rows: JsonValue[][] = [];
  const iterator = stream.rows[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), QUERY_TIMEOUT_MS);
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next === "timeout") {
        throw new Error(`the query did not end within ${QUERY_TIMEOUT_MS} ms; rows so far: ${JSON.stringify(rows)}`);
      }
      if (next.done) return rows;
      rows.push([...next.value]);
    }
  } finally {
    clearTimeout(timer);
    stream.close();
  }
}
