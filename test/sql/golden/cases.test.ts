// Checks every golden case without Kafka: its statements parse and plan (or fail as the case says), its topics exist.

import assert from "node:assert/strict";
import { test } from "node:test";
import { processingLogTopic } from "../../../src/sql/engine/index.ts";
import { processingLogStreamSql } from "../../../src/sql/engine/processing-log.ts";
import { parseStatements } from "../../../src/sql/language/index.ts";
import {
  type CaseFile,
  caseRegistry,
  caseStatements,
  type ErrorSpec,
  errorStatement,
  type GoldenCase,
  type InputSpec,
  inputsPosition,
  loadCaseFiles,
  type OutputSpec,
  type QuerySpec,
  scriptStatements,
  timeOf,
} from "./case-file.ts";
import { PlanCatalog } from "./plan-catalog.ts";
import { encodeBytes } from "./record-bytes.ts";

const SERVICE = "golden";

for (const file of loadCaseFiles()) {
  for (const c of file.cases) {
    test(`${file.file}: ${c.name}`, async () => {
      await checkCase(file, c);
    });
  }
}

test("the case files cover every statement kind, window type and join type of issue 5", () => {
  const seen = new Set<string>();
  for (const file of loadCaseFiles()) {
    for (const c of file.cases) {
      const texts = [
        ...caseStatements(c).map((s) => s.text),
        ...[c.pull, c.push, c.print].flatMap((q) => (q ?? []).map((s) => s.query)),
        ...(c.then ?? []).flatMap((s) => ("statement" in s ? [s.statement] : [])),
      ];
      for (const text of texts) for (const feature of FEATURES) if (feature.pattern.test(text)) seen.add(feature.name);
    }
  }
  assert.deepEqual(
    FEATURES.map((f) => f.name).filter((name) => !seen.has(name)),
    [],
  );
});

const FEATURES: readonly { name: string; pattern: RegExp }[] = [
  ["CREATE STREAM", /^CREATE\s+STREAM\s+\w+\s*\(/i],
  ["CREATE TABLE", /^CREATE\s+TABLE\s+\w+\s*\(/i],
  ["CREATE OR REPLACE", /^CREATE\s+OR\s+REPLACE/i],
  ["CREATE STREAM AS SELECT", /^CREATE\s+STREAM\s+\w+(\s+WITH\s*\([^)]*\))?\s+AS\s+SELECT/i],
  ["CREATE TABLE AS SELECT", /^CREATE\s+TABLE\s+\w+(\s+WITH\s*\([^)]*\))?\s+AS\s+SELECT/i],
  ["INSERT INTO SELECT", /^INSERT\s+INTO\s+\w+(\s+WITH\s*\([^)]*\))?\s+SELECT/i],
  ["INSERT VALUES", /^INSERT\s+INTO\s+\w+\s*(\([^)]*\))?\s*VALUES/i],
  ["DROP", /^DROP\s+(STREAM|TABLE)\s+\w+/i],
  ["DROP IF EXISTS", /^DROP\s+(STREAM|TABLE)\s+IF\s+EXISTS/i],
  ["DROP DELETE TOPIC", /DELETE\s+TOPIC\s*;?$/i],
  ["SHOW STREAMS", /^(SHOW|LIST)\s+STREAMS/i],
  ["SHOW TABLES", /^(SHOW|LIST)\s+TABLES/i],
  ["SHOW TOPICS", /^(SHOW|LIST)\s+TOPICS/i],
  ["SHOW QUERIES", /^(SHOW|LIST)\s+QUERIES/i],
  ["SHOW FUNCTIONS", /^(SHOW|LIST)\s+FUNCTIONS/i],
  ["SHOW PROPERTIES", /^(SHOW|LIST)\s+PROPERTIES/i],
  ["DESCRIBE", /^DESCRIBE\s+(?!FUNCTION|EXTENDED)\w+/i],
  ["DESCRIBE EXTENDED", /^DESCRIBE\s+EXTENDED/i],
  ["DESCRIBE FUNCTION", /^DESCRIBE\s+FUNCTION/i],
  ["EXPLAIN", /^EXPLAIN/i],
  ["TERMINATE", /^TERMINATE/i],
  ["PRINT", /^PRINT/i],
  ["SET", /^SET\s/i],
  ["UNSET", /^UNSET\s/i],
  ["RUN SCRIPT", /^RUN\s+SCRIPT/i],
  ["pull query", /^SELECT(?![\s\S]*EMIT)/i],
  ["push query", /^SELECT[\s\S]*EMIT\s+CHANGES/i],
  ["WINDOW TUMBLING", /WINDOW\s+TUMBLING/i],
  ["WINDOW HOPPING", /WINDOW\s+HOPPING/i],
  ["WINDOW SESSION", /WINDOW\s+SESSION/i],
  ["GRACE PERIOD", /GRACE\s+PERIOD/i],
  ["RETENTION", /RETENTION\s+\d/i],
  ["EMIT FINAL", /EMIT\s+FINAL/i],
  ["INNER JOIN", /(?<!LEFT\s+(OUTER\s+)?)\bJOIN\b/i],
  ["LEFT JOIN", /LEFT\s+(OUTER\s+)?JOIN/i],
  ["PARTITION BY", /PARTITION\s+BY/i],
  ["HAVING", /HAVING/i],
  ["EXPLODE", /EXPLODE\s*\(/i],
  ["KEY_FORMAT KAFKA", /FORMAT\s*=\s*'KAFKA'/i],
  ["DELIMITED", /FORMAT\s*=\s*'DELIMITED'/i],
  ["TIMESTAMP_FORMAT", /TIMESTAMP_FORMAT/i],
].map(([name, pattern]) => ({ name: name as string, pattern: pattern as RegExp }));

async function checkCase(file: CaseFile, c: GoldenCase): Promise<void> {
  const registry = await caseRegistry(file.registry === "udf");
  const catalog = new PlanCatalog(registry, { ...c.topics, [processingLogTopic(SERVICE)]: 1 });
  const [log] = parseStatements(processingLogStreamSql(SERVICE));
  catalog.apply(log!.statement, log!.text);

  const statements = caseStatements(c);
  const failing = errorStatement(c, statements.length);
  const produceAt = inputsPosition(c, statements);
  const sinks = new Set<string>();
  for (const [i, statement] of statements.entries()) {
    const where = `statement ${i}: ${statement.text}`;
    // Producing to a topic that does not exist yet would wait for it forever.
    if (i === produceAt) checkInputs(c.inputs ?? [], catalog);
    if (i === failing) {
      assert.equal(i, statements.length - 1, "the failing statement is the case's last");
      checkFailure(c.error!, () => {
        if (statement.parsed === undefined) parseStatements(statement.text);
        else catalog.apply(statement.parsed.statement, statement.text);
      });
      return;
    }
    assert.ok(statement.parsed, `${where}: does not parse`);
    const { statement: parsed } = statement.parsed;
    assert.ok(parsed.kind !== "Query" && parsed.kind !== "Print", `${where}: queries go in pull, push or print`);
    const inner = parsed.kind === "RunScript" ? scriptStatements(parsed.path) : [statement];
    for (const one of inner) {
      const checked = catalog.apply(one.parsed!.statement, one.text);
      if (checked.sink) sinks.add(checked.sink.topic);
    }
  }
  if (produceAt >= statements.length) checkInputs(c.inputs ?? [], catalog);
  checkOutputs(c.outputs ?? {}, catalog, sinks);
  for (const query of [...(c.pull ?? []), ...(c.push ?? [])]) checkQuery(query, catalog);
  for (const step of c.then ?? []) {
    if ("statement" in step) {
      const run = () => {
        for (const parsed of parseStatements(step.statement)) catalog.apply(parsed.statement, parsed.text);
      };
      if (step.error === undefined || step.error.by === "engine") run();
      else checkFailure(step.error, run);
    } else if ("inputs" in step) checkInputs(step.inputs, catalog);
    else if ("outputs" in step) checkOutputs(step.outputs, catalog, sinks);
    else if ("pull" in step) for (const query of step.pull) checkQuery(query, catalog);
    else if ("push" in step) for (const query of step.push) checkQuery(query, catalog);
  }
}

function checkQuery(query: QuerySpec, catalog: PlanCatalog): void {
  const [parsed] = parseStatements(query.query);
  assert.ok(parsed, `no statement in ${query.query}`);
  const { statement } = parsed;
  if (statement.kind !== "Query") return;
  const run = () => catalog.query(statement, parsed.text);
  if (query.error === undefined || query.error.by === "engine") run();
  else checkFailure(query.error, run);
}

function checkFailure(expected: ErrorSpec, run: () => void): void {
  if (expected.by === "engine") {
    run();
    return;
  }
  assert.throws(run, (e: unknown) => {
    const error = e as { code?: string; message?: string; line?: number; column?: number };
    const message = String(error.message);
    if (expected.code !== undefined) assert.equal(error.code, expected.code, message);
    if (expected.line !== undefined) assert.equal(error.line, expected.line, message);
    if (expected.column !== undefined) assert.equal(error.column, expected.column, message);
    if (expected.message !== undefined) assert.ok(message.includes(expected.message), `"${message}" lacks it`);
    return true;
  });
}

function checkInputs(inputs: readonly InputSpec[], catalog: PlanCatalog): void {
  for (const input of inputs) {
    assert.ok(catalog.hasTopic(input.topic), `input topic ${input.topic} is neither declared nor created`);
    encodeBytes(input.key);
    encodeBytes(input.value);
    if (input.timestamp !== undefined) timeOf(input.timestamp);
  }
}

function checkOutputs(
  outputs: Readonly<Record<string, readonly OutputSpec[]>>,
  catalog: PlanCatalog,
  sinks: ReadonlySet<string>,
): void {
  for (const [topic, records] of Object.entries(outputs)) {
    assert.ok(sinks.has(topic) || catalog.hasTopic(topic), `output topic ${topic} is no sink of the case`);
    for (const record of records) {
      encodeBytes(record.key);
      encodeBytes(record.value);
      if (record.timestamp !== undefined) timeOf(record.timestamp);
    }
  }
}
