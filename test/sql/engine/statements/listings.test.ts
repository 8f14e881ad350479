// SHOW FUNCTIONS, DESCRIBE FUNCTION, EXPLAIN's plan text and DESCRIBE's fields, built from the registry and plans.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sourceDescriptionInfo } from "../../../../src/sql/engine/statements/describe.ts";
import { executionPlan, topologyText } from "../../../../src/sql/engine/statements/explain.ts";
import { describeFunction, showFunctions } from "../../../../src/sql/engine/statements/functions.ts";
import { createBuiltinRegistry } from "../../../../src/sql/functions/builtins.ts";
import { CatalogHarness } from "./catalog-harness.ts";

test("SHOW FUNCTIONS names each function with ksqlDB's type", () => {
  const entity = showFunctions("SHOW FUNCTIONS;", createBuiltinRegistry());
  assert.equal(entity["@type"], "function_names");
  if (entity["@type"] !== "function_names") return;
  const byName = new Map(entity.functions.map((f) => [f.name, f]));
  assert.equal(byName.get("COUNT")?.type, "AGGREGATE");
  assert.equal(byName.get("EXPLODE")?.type, "TABLE");
  assert.equal(byName.get("SUBSTRING")?.type, "SCALAR");
});

test("DESCRIBE FUNCTION lists each variation's arguments, nested types, positional names and variadics", () => {
  const registry = createBuiltinRegistry();
  const entity = describeFunction("DESCRIBE FUNCTION substring;", registry, "substring");
  assert.equal(entity["@type"], "describe_function");
  if (entity["@type"] !== "describe_function") return;
  assert.equal(entity.name, "SUBSTRING");
  assert.equal(entity.path, "internal");
  const first = entity.functions[0];
  assert.deepEqual(first?.argumentTypes, ["STRING", "INTEGER"]);
  assert.deepEqual(
    first?.arguments.map((a) => a.name),
    ["str", "pos"],
  );
  assert.equal(first?.returnType, "STRING");
  const filter = describeFunction("", registry, "FILTER");
  if (filter["@type"] === "describe_function") {
    assert.deepEqual(filter.functions[0]?.argumentTypes.length, 2, JSON.stringify(filter.functions[0]));
  }
  const coalesce = describeFunction("", registry, "COALESCE");
  if (coalesce["@type"] === "describe_function") {
    assert.deepEqual(
      coalesce.functions[0]?.arguments.map((a) => [a.name, a.isVariadic]),
      [
        ["arg1", false],
        ["arg2", true],
      ],
    );
  }
  // Every variation of every function has arguments whose types have balanced brackets.
  for (const info of registry.list()) {
    const described = describeFunction("", registry, info.name);
    if (described["@type"] !== "describe_function") continue;
    for (const variation of described.functions) {
      for (const type of variation.argumentTypes) {
        const closing = type.replaceAll("=>", "");
        assert.equal((type.match(/</g) ?? []).length, (closing.match(/>/g) ?? []).length, `${info.name}: ${type}`);
        assert.equal((type.match(/\(/g) ?? []).length, (type.match(/\)/g) ?? []).length, `${info.name}: ${type}`);
      }
    }
  }
  assert.throws(() => describeFunction("", registry, "SUBSTRNG"), {
    code: "SQL_UNKNOWN_FUNCTION",
    message: /did you mean SUBSTRING/,
  });
});

test("EXPLAIN draws the stages from the sink down to the source, and the topics by role", async () => {
  const h = new CatalogHarness();
  await h.apply(
    "CREATE STREAM readings (machine STRING KEY, temp DOUBLE) WITH (kafka_topic='readings');\n" +
      "CREATE TABLE hot AS SELECT machine, COUNT(*) AS n FROM readings WINDOW TUMBLING (SIZE 1 MINUTE) " +
      "WHERE temp > 50 GROUP BY machine HAVING COUNT(*) > 2 EMIT CHANGES;",
  );
  const query = h.catalog.query("CTAS_HOT_2")!;
  assert.equal(
    executionPlan(query.id, query.plan),
    [
      " > [ SINK ] | Topic: HOT | Logger: CTAS_HOT_2.Sink",
      "\t\t > [ PROJECT ] | Schema: MACHINE STRING KEY, N BIGINT",
      "\t\t\t\t > [ FILTER ] | HAVING COUNT(*) > 2",
      "\t\t\t\t\t\t > [ AGGREGATE ] | COUNT(*) | Window: TUMBLING | Emit: CHANGES",
      "\t\t\t\t\t\t\t\t > [ GROUP_BY ] | MACHINE",
      "\t\t\t\t\t\t\t\t\t\t > [ FILTER ] | TEMP > 50",
      "\t\t\t\t\t\t\t\t\t\t\t\t > [ SOURCE ] | READINGS | Schema: MACHINE STRING, TEMP DOUBLE",
    ].join("\n"),
  );
  assert.equal(
    topologyText(query.id, [
      { name: "readings", role: "source" },
      { name: "_x-CTAS_HOT_2-Aggregate-changelog", role: "changelog" },
      { name: "HOT", role: "sink" },
    ]),
    "Topology of CTAS_HOT_2:\n  Source: readings\n  Changelog: _x-CTAS_HOT_2-Aggregate-changelog\n  Sink: HOT",
  );
  const info = sourceDescriptionInfo(h.catalog.source("HOT")!, true, h.catalog, h.tasks);
  assert.equal(info.windowType, "TUMBLING");
  assert.deepEqual(
    info.fields.map((f) => [f.name, f.schema.type, f.type ?? ""]),
    [
      ["MACHINE", "STRING", "KEY"],
      ["N", "BIGINT", ""],
    ],
  );
  assert.deepEqual(
    info.writeQueries.map((q) => [q.id, q.state]),
    [["CTAS_HOT_2", "NOT_RUNNING"]],
  );
  const readings = sourceDescriptionInfo(h.catalog.source("READINGS")!, false, h.catalog, h.tasks);
  assert.deepEqual(readings.sourceConstraints, ["HOT"]);
});
