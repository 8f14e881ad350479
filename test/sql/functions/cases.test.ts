// Runs every scalar case in cases/*.json through the registry: lookup by argument types, call, compare.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { createBuiltinRegistry } from "../../../src/sql/functions/builtins.ts";
import type { ArgType } from "../../../src/sql/functions/signature.ts";
import { SqlFunctionError } from "../../../src/sql/types/errors.ts";
import { type JsonValue, toJsonText } from "../../../src/sql/types/json-value.ts";
import { parseTypeText } from "../../../src/sql/types/type-text.ts";
import { formatType } from "../../../src/sql/types/types.ts";
import { type SqlValue, valuesEqual } from "../../../src/sql/types/values.ts";
import { caseValue } from "../types/json-case-values.ts";

/** One case: argument types as text ("NULL" for an untyped NULL literal), argument values as JSON, and either the
 * expected value (JSON, read in the return type) or the error code expected. */
interface Case {
  fn: string;
  types: string[];
  args: JsonValue[];
  expected?: JsonValue;
  returns?: string;
  error?: string;
  note?: string;
}

const registry = createBuiltinRegistry();
const dir = join(import.meta.dirname, "cases");

for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  const cases = JSON.parse(readFileSync(join(dir, file), "utf8")) as Case[];
  for (const c of cases) {
    const label = `${file}: ${c.fn}(${c.args.map((a) => JSON.stringify(a)).join(", ")})${c.note ? ` — ${c.note}` : ""}`;
    test(label, () => {
      const argTypes: ArgType[] = c.types.map((t) => (t === "NULL" ? { kind: "NULL" } : parseTypeText(t)));
      const values = c.args.map((a, i) => {
        const type = argTypes[i]!;
        return type.kind === "NULL" || type.kind === "LAMBDA" ? null : caseValue(a, type);
      });
      const run = () => {
        const resolved = registry.lookup(c.fn, argTypes);
        if (resolved.kind !== "scalar") throw new Error(`${c.fn} is not scalar`);
        return { resolved, value: resolved.invoke(...values) };
      };
      if (c.error) {
        assert.throws(run, (e: unknown) => e instanceof SqlFunctionError && e.code === c.error);
        return;
      }
      const { resolved, value } = run();
      if (c.returns) assert.equal(formatType(resolved.returnType), formatType(parseTypeText(c.returns)));
      const expected: SqlValue = c.expected === null ? null : caseValue(c.expected!, resolved.returnType);
      const got = toJsonText(value, resolved.returnType);
      const want = toJsonText(expected, resolved.returnType);
      assert.equal(got, want);
      assert.ok(valuesEqual(value, expected), `runtime type of ${got}`);
    });
  }
}
