// Runs every analysis case in cases/*.json: statements in, a plan summary or an error (code, line:column) out.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseStatements } from "../../../src/sql/language/index.ts";
import type { JsonValue } from "../../../src/sql/types/json-value.ts";
import { TestCatalog } from "./catalog-fixture.ts";
import { summarize } from "./summary.ts";

/**
 * A file holds optional `setup` statements (applied after plant.sql, or to an empty catalog) and cases. A case's `sql` may hold several
 * statements: all but the last are applied to the catalog first, the last is analysed. It states either `expect`, a
 * subset of the summary (summary.ts): objects match on the keys given (null: the key is absent), arrays element by
 * element; or `error`: the code, and optionally line, column and a fragment of the message.
 */
interface CaseFile {
  /** "empty" starts from no sources at all instead of plant.sql. */
  catalog?: "plant" | "empty";
  setup?: string;
  cases: Case[];
}

interface Case {
  name: string;
  sql: string;
  expect?: JsonValue;
  error?: { code: string; line?: number; column?: number; message?: string };
}

const dir = join(import.meta.dirname, "cases");

for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  const spec = JSON.parse(readFileSync(join(dir, file), "utf8")) as CaseFile;
  for (const c of spec.cases) {
    test(`${file}: ${c.name}`, () => {
      const catalog = spec.catalog === "empty" ? new TestCatalog() : TestCatalog.plant();
      if (spec.setup) catalog.run(spec.setup);
      const statements = parseStatements(c.sql);
      assert.ok(statements.length > 0, "a case needs a statement");
      for (const earlier of statements.slice(0, -1)) catalog.apply(earlier, c.sql);
      const run = () => summarize(catalog.analyse(statements[statements.length - 1]!, c.sql));
      if (c.error) {
        const expected = c.error;
        assert.throws(run, (e: unknown) => {
          const error = e as { code?: string; message?: string; line?: number; column?: number };
          assert.equal(error.code, expected.code, String(error.message));
          if (expected.line !== undefined) assert.equal(error.line, expected.line, String(error.message));
          if (expected.column !== undefined) assert.equal(error.column, expected.column, String(error.message));
          if (expected.message) {
            assert.ok(error.message?.includes(expected.message), `"${error.message}" lacks "${expected.message}"`);
          }
          return true;
        });
        return;
      }
      assert.ok(c.expect !== undefined, "a case states expect or error");
      assertSubset(run(), c.expect, "summary");
    });
  }
}

function assertSubset(actual: unknown, expected: JsonValue, path: string): void {
  if (expected === null) {
    assert.ok(actual === undefined || actual === null, `${path}: expected absent, got ${JSON.stringify(actual)}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${path}: ${JSON.stringify(actual)}`);
    expected.forEach((item, i) => {
      assertSubset(actual[i], item, `${path}[${i}]`);
    });
    return;
  }
  if (typeof expected === "object") {
    assert.ok(
      typeof actual === "object" && actual !== null,
      `${path}: expected an object, got ${JSON.stringify(actual)}`,
    );
    for (const [key, value] of Object.entries(expected)) {
      assertSubset((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
    return;
  }
  assert.equal(actual, expected, path);
}
