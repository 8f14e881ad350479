// Every /ksql answer kind printed as ksqlDB's CLI lays it out: each cases/<name>.json entity against <name>.txt.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { entityText, schemaTypeText } from "../../../../src/sql/api/repl/entity-text.ts";
import type { KsqlEntity } from "../../../../src/sql/engine/entities.ts";

const cases = new URL("./cases/", import.meta.url);

for (const file of readdirSync(cases).filter((f) => f.endsWith(".json"))) {
  const name = file.slice(0, -".json".length);
  test(`prints ${name} as cases/${name}.txt`, () => {
    const entity = JSON.parse(readFileSync(new URL(file, cases), "utf8")) as KsqlEntity;
    const expected = readFileSync(new URL(`${name}.txt`, cases), "utf8");
    assert.equal(`${entityText(entity)}\n`, expected);
  });
}

test("every answer kind has a case", () => {
  const kinds = new Set(
    readdirSync(cases)
      .filter((f) => f.endsWith(".json"))
      .map((f) => (JSON.parse(readFileSync(new URL(f, cases), "utf8")) as KsqlEntity)["@type"]),
  );
  for (const kind of [
    "currentStatus",
    "streams",
    "tables",
    "queries",
    "kafka_topics",
    "properties",
    "function_names",
  ]) {
    assert.ok(kinds.has(kind as KsqlEntity["@type"]), kind);
  }
  for (const kind of ["describe_function", "sourceDescription", "queryDescription"]) {
    assert.ok(kinds.has(kind as KsqlEntity["@type"]), kind);
  }
});

test("source_descriptions prints each description; an unknown kind prints as JSON", () => {
  const one = JSON.parse(readFileSync(new URL("describe.json", cases), "utf8"));
  const many = {
    "@type": "source_descriptions",
    statementText: "DESCRIBE TABLES;",
    warnings: [],
    sourceDescriptions: [one.sourceDescription, { ...one.sourceDescription, name: "LINES" }],
  } as KsqlEntity;
  const text = entityText(many);
  assert.match(text, /Name {17}: MACHINES[\s\S]*\n\nName {17}: LINES/);
  const future = { "@type": "assert_topic", statementText: "x", warnings: [], exists: true };
  assert.equal(entityText(future as unknown as KsqlEntity), JSON.stringify(future, null, 2));
});

test("schema types read as ksqlDB's CLI writes them, nested", () => {
  const leaf = (type: string) => ({ type, fields: null, memberSchema: null });
  assert.equal(schemaTypeText(leaf("STRING")), "VARCHAR(STRING)");
  assert.equal(
    schemaTypeText({
      type: "ARRAY",
      fields: null,
      memberSchema: { type: "MAP", fields: null, memberSchema: leaf("STRING") },
    }),
    "ARRAY<MAP<STRING, VARCHAR(STRING)>>",
  );
});
