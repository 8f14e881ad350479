// The compiler's contracts beyond single values: the aggregate hook, user text kept out of generated code, errors.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type AggregateCall,
  compile,
  compiledSource,
  type EvalContext,
  type Scope,
  SqlEvalError,
  typeCheck,
} from "../../../src/sql/expressions/index.ts";
import { createBuiltinRegistry } from "../../../src/sql/functions/builtins.ts";
import { parseExpression } from "../../../src/sql/language/index.ts";
import { BIGINT, DOUBLE, formatType, INTEGER, STRING, structType } from "../../../src/sql/types/types.ts";

const registry = createBuiltinRegistry();
const ctx: EvalContext = { rowTime: 0, rowPartition: 0, rowOffset: 0n };

test("aggregate calls go to the hook, which says where their results are in the row", () => {
  const scope: Scope = { columns: [{ name: "V", type: INTEGER }] };
  const seen: AggregateCall[] = [];
  const typed = typeCheck(parseExpression("SUM(V) * 2 + COUNT(*)"), scope, registry, {
    onAggregate: (aggregate) => {
      seen.push(aggregate);
      return seen.length; // results live after the one input column
    },
  });
  assert.deepEqual(
    seen.map((a) => [a.resolved.name, a.args.length, formatType(a.resolved.returnType)]),
    [
      ["SUM", 1, "INTEGER"],
      ["COUNT", 0, "BIGINT"],
    ],
  );
  assert.equal(formatType(typed.type!), "BIGINT");
  assert.equal(compile(typed)([0, 21, 3n], ctx), 45n);
});

test("user text never reaches the generated source: strings and names go through the constants array", () => {
  const nasty = '"); globalThis.pwned = 1; ("';
  const fieldType = structType([{ name: nasty, type: STRING }]);
  const scope: Scope = { columns: [{ name: nasty, type: fieldType }] };
  const text = `CONCAT(\`${nasty}\`->\`${nasty}\`, '${nasty}') LIKE '%${nasty}'`;
  const typed = typeCheck(parseExpression(text), scope, registry, { text });
  const source = compiledSource(typed);
  assert.ok(!source.includes("pwned"), source);
  assert.equal(compile(typed)([{ [nasty]: "x" }], ctx), true);
  assert.equal((globalThis as { pwned?: number }).pwned, undefined);
});

test("one compiled function serves every row", () => {
  const scope: Scope = {
    columns: [
      { name: "A", type: BIGINT },
      { name: "B", type: DOUBLE },
    ],
  };
  const fn = compile(typeCheck(parseExpression("A * 2 > B"), scope, registry));
  assert.equal(fn([5n, 9.5], ctx), true);
  assert.equal(fn([4n, 9.5], ctx), false);
  assert.equal(fn([null, 9.5], ctx), null);
});

test("a failure on a row is a SqlEvalError naming the expression, with the original error as cause", () => {
  const scope: Scope = { columns: [{ name: "S", type: STRING }] };
  const fn = compile(typeCheck(parseExpression("CAST(s AS INTEGER) + 1"), scope, registry));
  assert.throws(
    () => fn(["twelve"], ctx),
    (error: unknown) =>
      error instanceof SqlEvalError &&
      error.code === "SQL_EVAL" &&
      error.expression === "CAST(S AS INT) + 1" &&
      (error.cause as { code?: string }).code === "SQL_CAST",
  );
  assert.equal(fn(["12"], ctx), 13);
});
