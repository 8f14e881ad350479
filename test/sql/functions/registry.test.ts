// The registry: overload resolution and widening, lambdas, errors, DESCRIBE/SHOW data and user-function loading.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { createBuiltinRegistry } from "../../../src/sql/functions/builtins.ts";
import type { ResolvedFunction } from "../../../src/sql/functions/registry.ts";
import type { ArgType } from "../../../src/sql/functions/signature.ts";
import { loadUserFunctions } from "../../../src/sql/functions/udf-loader.ts";
import { Decimal } from "../../../src/sql/types/decimal.ts";
import { SqlFunctionError } from "../../../src/sql/types/errors.ts";
import {
  arrayType,
  BIGINT,
  BOOLEAN,
  DOUBLE,
  decimalType,
  formatType,
  INTEGER,
  mapType,
  STRING,
} from "../../../src/sql/types/types.ts";
import type { SqlLambda, SqlValue } from "../../../src/sql/types/values.ts";

const registry = createBuiltinRegistry();

function scalar(name: string, args: ArgType[]): Extract<ResolvedFunction, { kind: "scalar" }> {
  const resolved = registry.lookup(name, args);
  assert.equal(resolved.kind, "scalar");
  return resolved as Extract<ResolvedFunction, { kind: "scalar" }>;
}

const lambda = (arity: number, returns: ArgType | null = null): ArgType =>
  ({ kind: "LAMBDA", arity, returns }) as ArgType;

test("exact variations win over widened ones", () => {
  assert.equal(formatType(scalar("ABS", [INTEGER]).returnType), "INTEGER");
  assert.equal(formatType(scalar("ABS", [BIGINT]).returnType), "BIGINT");
  assert.equal(formatType(scalar("ABS", [decimalType(7, 3)]).returnType), "DECIMAL(7, 3)");
});

test("widened arguments are converted before the implementation runs", () => {
  const sqrt = scalar("SQRT", [BIGINT]);
  assert.equal(sqrt.invoke(16n), 4);
  const power = scalar("POWER", [decimalType(3, 1), INTEGER]);
  assert.equal(power.invoke(new Decimal(15n, 1), 2), 2.25);
});

test("function names are case-insensitive and unknown names suggest the closest", () => {
  assert.equal(scalar("ucase", [STRING]).invoke("a"), "A");
  assert.throws(
    () => registry.lookup("SUBSTRNG", [STRING, INTEGER]),
    (e: unknown) =>
      e instanceof SqlFunctionError && e.code === "SQL_UNKNOWN_FUNCTION" && /did you mean SUBSTRING\?/.test(e.message),
  );
  assert.throws(
    () => registry.lookup("XYZZY_PLUGH", []),
    (e: unknown) =>
      e instanceof SqlFunctionError && e.code === "SQL_UNKNOWN_FUNCTION" && !/did you mean/.test(e.message),
  );
});

test("argument mismatches list the expected signatures", () => {
  assert.throws(
    () => registry.lookup("SUBSTRING", [INTEGER]),
    (e: unknown) =>
      e instanceof SqlFunctionError &&
      e.code === "SQL_FUNCTION_ARGS" &&
      e.message.includes("SUBSTRING(str STRING, pos INTEGER) => STRING"),
  );
});

test("lambda inputs are typed from the collection, then the return type from the body", () => {
  const args = [arrayType(INTEGER), lambda(1)];
  assert.deepEqual(registry.lambdaInputTypes("TRANSFORM", args), [null, [INTEGER]]);
  const transform = scalar("TRANSFORM", [arrayType(INTEGER), lambda(1, STRING)]);
  assert.equal(formatType(transform.returnType), "ARRAY<STRING>");
  const toText: SqlLambda = (x) => `#${String(x)}`;
  assert.deepEqual(transform.invoke([1, 2], toText), ["#1", "#2"]);
  assert.equal(transform.invoke(null, toText), null);

  const mapArgs = [mapType(STRING, DOUBLE), lambda(2), lambda(2)];
  assert.deepEqual(registry.lambdaInputTypes("TRANSFORM", mapArgs), [null, [STRING, DOUBLE], [STRING, DOUBLE]]);
  const mapTransform = scalar("TRANSFORM", [mapType(STRING, DOUBLE), lambda(2, STRING), lambda(2, BOOLEAN)]);
  assert.equal(formatType(mapTransform.returnType), "MAP<STRING, BOOLEAN>");
  const out = mapTransform.invoke(
    new Map<SqlValue, SqlValue>([
      ["a", 1.5],
      ["b", -1],
    ]),
    ((k: SqlValue) => (k as string).toUpperCase()) as SqlLambda,
    ((_k: SqlValue, v: SqlValue) => (v as number) > 0) as SqlLambda,
  );
  assert.deepEqual(
    [...(out as Map<SqlValue, SqlValue>)],
    [
      ["A", true],
      ["B", false],
    ],
  );
});

test("FILTER treats a NULL predicate result as false; REDUCE folds and honours a NULL state", () => {
  const filter = scalar("FILTER", [arrayType(INTEGER), lambda(1, BOOLEAN)]);
  const even: SqlLambda = (x) => (x === null ? null : (x as number) % 2 === 0);
  assert.deepEqual(filter.invoke([1, 2, null, 4], even), [2, 4]);
  const mapFilter = scalar("FILTER", [mapType(STRING, INTEGER), lambda(2, BOOLEAN)]);
  const big: SqlLambda = (_k, v) => (v as number) > 1;
  assert.deepEqual(
    [
      ...(mapFilter.invoke(
        new Map<SqlValue, SqlValue>([
          ["a", 1],
          ["b", 2],
        ]),
        big,
      ) as Map<SqlValue, SqlValue>),
    ],
    [["b", 2]],
  );

  const reduce = scalar("REDUCE", [arrayType(BIGINT), BIGINT, lambda(2, BIGINT)]);
  assert.equal(formatType(reduce.returnType), "BIGINT");
  const sum: SqlLambda = (s, x) => (s as bigint) + (x as bigint);
  assert.equal(reduce.invoke([1n, 2n, 3n], 10n, sum), 16n);
  assert.equal(reduce.invoke([1n], null, sum), null);
  assert.equal(reduce.invoke(null, 5n, sum), 5n);
  const mapReduce = scalar("REDUCE", [mapType(STRING, INTEGER), STRING, lambda(3, STRING)]);
  const join: SqlLambda = (s, k, v) => `${s as string}${k as string}${v as number}`;
  assert.equal(
    mapReduce.invoke(
      new Map<SqlValue, SqlValue>([
        ["a", 1],
        ["b", 2],
      ]),
      ">",
      join,
    ),
    ">a1b2",
  );
});

test("lambdas of the wrong arity match no signature", () => {
  assert.throws(() => registry.lookup("FILTER", [arrayType(INTEGER), lambda(2, BOOLEAN)]), {
    code: "SQL_FUNCTION_ARGS",
  });
  assert.throws(() => registry.lookup("FILTER", [arrayType(INTEGER), lambda(1, STRING)]), {
    code: "SQL_FUNCTION_ARGS",
  });
});

test("table functions return the rows an input row expands to", () => {
  const explode = registry.lookup("EXPLODE", [arrayType(STRING)]);
  assert.equal(explode.kind, "table");
  if (explode.kind !== "table") return;
  assert.equal(formatType(explode.returnType), "STRING");
  assert.deepEqual(explode.invoke(["a", null, "b"]), ["a", null, "b"]);
  assert.deepEqual(explode.invoke(null), []);
  const cube = registry.lookup("CUBE_EXPLODE", [arrayType(STRING)]);
  if (cube.kind !== "table") throw new Error("not a table function");
  assert.deepEqual(cube.invoke(["A", "B"]), [
    [null, null],
    [null, "B"],
    ["A", null],
    ["A", "B"],
  ]);
});

test("RANDOM and UUID produce values of the right shape", () => {
  const random = scalar("RANDOM", []).invoke() as number;
  assert.ok(random >= 0 && random < 1);
  const uuid = scalar("UUID", []).invoke() as string;
  assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(uuid, scalar("UUID", []).invoke());
});

test("DESCRIBE FUNCTION and SHOW FUNCTIONS data come from the registry", () => {
  const info = registry.describe("substring");
  assert.equal(info.name, "SUBSTRING");
  assert.equal(info.kind, "scalar");
  assert.equal(info.category, "string");
  assert.deepEqual(info.source, { kind: "builtin" });
  assert.ok(info.signatures.some((s) => s.text === "SUBSTRING(str STRING, pos INTEGER, len INTEGER) => STRING"));
  const list = registry.list();
  const names = list.map((f) => f.name);
  assert.deepEqual(names, [...names].sort());
  for (const name of ["COUNT", "EXPLODE", "TRANSFORM", "EXTRACTJSONFIELD", "FORMAT_TIMESTAMP", "LATEST_BY_OFFSET"]) {
    assert.ok(names.includes(name), name);
  }
  assert.equal(list.find((f) => f.name === "COUNT")?.kind, "aggregate");
});

test("registering a name twice fails unless replacing", () => {
  const local = createBuiltinRegistry();
  const description = {
    name: "abs",
    kind: "scalar" as const,
    description: "x",
    signatures: [{ params: [], returns: INTEGER, impl: () => 1 }],
  };
  assert.throws(() => local.register(description), { code: "SQL_FUNCTION_EXISTS" });
  local.register(description, { kind: "builtin" }, true);
  assert.equal(local.lookup("ABS", []).returnType, INTEGER);
});

test("user functions load from a folder of modules", async () => {
  const local = createBuiltinRegistry();
  const names = await loadUserFunctions(join(import.meta.dirname, "udf"), local);
  assert.deepEqual(names, ["ANOMALY_SCORE", "VALUE_RANGE"]);
  const score = local.lookup("ANOMALY_SCORE", [DOUBLE, DOUBLE, INTEGER]);
  if (score.kind !== "scalar") throw new Error("not scalar");
  assert.equal(score.invoke(14, 10, 2), 2);
  assert.equal(score.invoke(14, 10, 0), null);
  const info = local.describe("anomaly_score");
  assert.equal(info.source.kind, "user");
  assert.equal(info.category, "user");
  const range = local.lookup("VALUE_RANGE", [INTEGER]);
  if (range.kind !== "aggregate") throw new Error("not aggregate");
  const agg = range.create([]);
  let state = agg.init();
  for (const v of [3, null, 9, 5]) state = agg.add(state, v);
  assert.equal(agg.result(state), 6);
});

test("a broken user module is a typed error naming the file and the problem", async () => {
  await assert.rejects(
    loadUserFunctions(join(import.meta.dirname, "udf-broken"), createBuiltinRegistry()),
    (e: unknown) => {
      return (
        e instanceof SqlFunctionError &&
        e.code === "SQL_UDF_INVALID" &&
        /no-impl\.ts/.test(e.message) &&
        /impl/.test(e.message)
      );
    },
  );
  await assert.rejects(loadUserFunctions(join(import.meta.dirname, "no-such-folder"), createBuiltinRegistry()), {
    code: "SQL_UDF_INVALID",
  });
});
