// Runs every expression case in cases/*.json: parse, type-check against the file's scope, compile, evaluate, compare.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { compile, type EvalContext, type Scope, typeCheck } from "../../../src/sql/expressions/index.ts";
import { createBuiltinRegistry } from "../../../src/sql/functions/builtins.ts";
import { parseExpression } from "../../../src/sql/language/index.ts";
import { Decimal } from "../../../src/sql/types/decimal.ts";
import { type JsonValue, toJsonText } from "../../../src/sql/types/json-value.ts";
import { parseTypeText } from "../../../src/sql/types/type-text.ts";
import { formatType } from "../../../src/sql/types/types.ts";
import { caseValue } from "../types/json-case-values.ts";

/**
 * A file holds a scope (columns with types as text, an optional source alias), a default row (column name → JSON
 * value read in the column's type), the record context, and cases. A case gives the expression text and either the
 * expected value (JSON read in the result type; DECIMALs as text, compared with their scale) and optionally the
 * expected result type, or an expected error code and a fragment of its message. `row` in a case overrides columns.
 */
interface CaseFile {
  columns: { name: string; type: string; source?: string }[];
  windowed?: boolean;
  row?: Record<string, JsonValue>;
  ctx?: { rowTime: number; rowPartition: number; rowOffset: string; windowStart?: number; windowEnd?: number };
  cases: Case[];
}

interface Case {
  expr: string;
  row?: Record<string, JsonValue>;
  expected?: JsonValue;
  type?: string;
  error?: { code: string; message?: string };
  note?: string;
}

const registry = createBuiltinRegistry();
const dir = join(import.meta.dirname, "cases");

for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  const spec = JSON.parse(readFileSync(join(dir, file), "utf8")) as CaseFile;
  const columns = spec.columns.map((c) => ({
    name: c.name,
    type: parseTypeText(c.type),
    ...(c.source ? { source: c.source } : {}),
  }));
  const scope: Scope = { columns, windowed: spec.windowed ?? false };
  const context: EvalContext = {
    rowTime: spec.ctx?.rowTime ?? 0,
    rowPartition: spec.ctx?.rowPartition ?? 0,
    rowOffset: BigInt(spec.ctx?.rowOffset ?? "0"),
    ...(spec.ctx?.windowStart === undefined ? {} : { windowStart: spec.ctx.windowStart }),
    ...(spec.ctx?.windowEnd === undefined ? {} : { windowEnd: spec.ctx.windowEnd }),
  };
  for (const c of spec.cases) {
    test(`${file}: ${c.expr}${c.note ? ` — ${c.note}` : ""}`, () => {
      const values = { ...spec.row, ...c.row };
      const row = columns.map((column) => {
        const json = values[column.source ? `${column.source}.${column.name}` : column.name] ?? values[column.name];
        return json === undefined ? null : caseValue(json, column.type);
      });
      const run = () => {
        const typed = typeCheck(parseExpression(c.expr), scope, registry, { text: c.expr });
        return { typed, value: compile(typed)(row, context) };
      };
      if (c.error) {
        const { code, message } = c.error;
        assert.throws(run, (e: unknown) => {
          const error = e as { code?: string; message?: string };
          assert.equal(error.code, code, String(error.message));
          if (message) assert.ok(error.message?.includes(message), `"${error.message}" lacks "${message}"`);
          return true;
        });
        return;
      }
      const { typed, value } = run();
      if (c.type)
        assert.equal(typed.type === null ? "NULL" : formatType(typed.type), formatType(parseTypeText(c.type)));
      if (c.expected === null || c.expected === undefined) {
        assert.equal(value, null);
        return;
      }
      assert.ok(typed.type !== null, "a non-null value needs a typed expression");
      if (typed.type.kind === "DECIMAL") {
        assert.ok(value instanceof Decimal, `expected a Decimal, got ${typeof value}`);
        assert.equal(value.toString(), c.expected);
        return;
      }
      const expected = caseValue(c.expected, typed.type);
      assert.equal(typeof value, typeof expected, "runtime representation");
      assert.equal(toJsonText(value, typed.type), toJsonText(expected, typed.type));
    });
  }
}
