// Reading pipeline scripts into steps: the demo's own pipeline, the statements a pipeline may not hold, canonical text.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { DemoError } from "../../src/demo/errors.ts";
import { canonicalStatement, pipelineTopics, readPipelineScript } from "../../src/demo/pipeline-script.ts";

const PIPELINE = new URL("../../examples/demo-plant/pipeline.sql", import.meta.url);
const CONNECTOR = new URL("../../examples/demo-plant/connect.yaml", import.meta.url);

describe("the demo plant's pipeline.sql", () => {
  const text = readFileSync(PIPELINE, "utf8");
  const script = readPipelineScript(text, "pipeline.sql");

  it("reads every statement, with the line it starts on", () => {
    const kinds = script.steps.map((s) => s.kind);
    assert.deepEqual(kinds.slice(0, 3), ["set", "create", "insert-values"]);
    assert.equal(kinds.filter((k) => k === "insert-values").length, 7, "a metadata row per machine");
    assert.equal(kinds.filter((k) => k === "insert-query").length, 7, "an INSERT into MACHINE_STATUS per machine");
    const machines = script.steps.find((s) => s.kind === "create" && s.name === "MACHINES")!;
    const line = text.slice(0, text.indexOf("CREATE TABLE MACHINES")).split("\n").length;
    assert.equal(machines.where, `pipeline.sql:${line}`);
    assert.equal(script.steps[0]!.kind === "set" && script.steps[0]!.value, "earliest");
  });

  it("gives every INSERT … SELECT a QUERY_ID, so that a second run can find it", () => {
    for (const step of script.steps) {
      if (step.kind === "insert-query") assert.match(step.queryId ?? "", /^STATUS_FROM_[A-Z]+$/, step.where);
    }
  });

  it("reads every topic the connector writes, and names each topic once", () => {
    const topics = pipelineTopics(script);
    const written = [...readFileSync(CONNECTOR, "utf8").matchAll(/^ {2}([a-z]+): # /gm)].map((m) => `plant.${m[1]}`);
    assert.equal(written.length, 7);
    for (const topic of written) assert.ok(topics.includes(topic), `${topic} is read by the pipeline`);
    assert.equal(new Set(topics).size, topics.length);
    // The OEE minutes are written by a table and read back by a stream: one topic, listed once.
    assert.equal(topics.filter((t) => t === "plant.oee.minutes").length, 1);
  });

  it("creates what the demo plant's results need", () => {
    const created = new Set(script.steps.flatMap((s) => (s.kind === "create" ? [s.name] : [])));
    for (const name of [
      "MACHINES",
      "MACHINE_STATUS",
      "MACHINE_STATUS_ENRICHED",
      "MACHINE_STATS_1M",
      "LIMIT_ALERTS",
      "STALE_MACHINES",
      "OEE_BY_SHIFT",
    ]) {
      assert.ok(created.has(name), name);
    }
  });
});

describe("readPipelineScript", () => {
  it("names the topic after the source when WITH gives none, and upper-cases a QUERY_ID as the engine does", () => {
    const script = readPipelineScript(
      "CREATE STREAM s (a INT) WITH (partitions=1);\nINSERT INTO s WITH (query_id='copy_it') SELECT a FROM t;",
      "x.sql",
    );
    const [create, insert] = script.steps;
    assert.equal(create!.kind === "create" && create!.topic, "S");
    assert.equal(insert!.kind === "insert-query" && insert!.queryId, "COPY_IT");
    assert.equal(insert!.where, "x.sql:2");
  });

  for (const [sql, what] of [
    ["SELECT * FROM s EMIT CHANGES;", "a SELECT statement"],
    ["drop stream s;", "a DROP statement"],
    ["TERMINATE ALL;", "a TERMINATE statement"],
  ] as const) {
    it(`refuses ${what}: applying the script on every start must leave the engine as the script says`, () => {
      assert.throws(
        () => readPipelineScript(`CREATE STREAM s (a INT) WITH (kafka_topic='s');\n\n${sql}`, "p.sql"),
        (error: unknown) =>
          error instanceof DemoError &&
          error.code === "DEMO_PIPELINE_INVALID" &&
          error.where === "p.sql:3" &&
          error.message.includes(`${what} does not belong in it`),
      );
    });
  }

  it("reports a syntax error with the file and line", () => {
    assert.throws(
      () => readPipelineScript("SET 'a'='b';\nCREATE STREM s (a INT);", "p.sql"),
      (error: unknown) =>
        error instanceof DemoError &&
        error.code === "DEMO_PIPELINE_INVALID" &&
        error.where === "p.sql:2" &&
        /STREM/.test(error.message),
    );
  });
});

describe("canonicalStatement", () => {
  it("is the same for one statement written with other spacing, case and comments", () => {
    const a = canonicalStatement("CREATE TABLE t AS SELECT id, COUNT(*) AS n FROM s GROUP BY id;");
    const b = canonicalStatement("create table T as\n  -- how many\n  select ID, count(*) as N\n  from S group by ID;");
    assert.equal(a, b);
    assert.notEqual(a, canonicalStatement("CREATE TABLE t AS SELECT id, COUNT(*) AS m FROM s GROUP BY id;"));
  });

  it("leaves text that does not parse as it is", () => {
    assert.equal(canonicalStatement("not sql at all"), "not sql at all");
  });
});
