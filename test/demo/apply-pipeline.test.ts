// Applying a pipeline to an engine that may hold it already: what runs, what is kept, what is written again.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { applyPipeline } from "../../src/demo/apply-pipeline.ts";
import { DemoError } from "../../src/demo/errors.ts";
import { readPipelineScript } from "../../src/demo/pipeline-script.ts";
import { type KsqlEntity, KsqlRequestError, type RunningQuery } from "../../src/sql/engine/index.ts";
import { parseStatements } from "../../src/sql/language/index.ts";

/**
 * An engine's catalog as far as applying needs it: sources and persistent queries made by the statements it ran,
 * listings in ksqlDB's entity shapes, and a record of every statement with the properties it came with.
 */
class FakeEngine {
  readonly sources = new Map<string, { type: "STREAM" | "TABLE"; statement: string }>();
  readonly queries = new Map<string, RunningQuery>();
  readonly executed: { text: string; properties: Readonly<Record<string, unknown>> }[] = [];
  readonly rows: string[] = [];
  /** A statement text fragment the engine refuses, as a failing CREATE would. */
  refuse: string | undefined;
  #sequence = 0;

  async execute(text: string, properties: Readonly<Record<string, unknown>> = {}): Promise<KsqlEntity[]> {
    const base = { statementText: text, warnings: [] };
    if (text.startsWith("SHOW STREAMS; SHOW TABLES; SHOW QUERIES;")) {
      const list = (type: "STREAM" | "TABLE") =>
        [...this.sources].filter(([, s]) => s.type === type).map(([name]) => this.#info(name, type));
      return [
        { ...base, "@type": "streams", streams: list("STREAM") },
        { ...base, "@type": "tables", tables: list("TABLE") },
        { ...base, "@type": "queries", queries: [...this.queries.values()] },
      ];
    }
    const describe = /^DESCRIBE `(.+)`;$/.exec(text);
    if (describe) {
      const source = this.sources.get(describe[1]!)!;
      return [{ ...base, "@type": "sourceDescription", sourceDescription: this.#description(source.statement) }];
    }
    if (this.refuse !== undefined && text.includes(this.refuse)) {
      const body = { "@type": "statement_error", error_code: 40001, message: "line 1:8: no such thing" } as const;
      throw new KsqlRequestError(400, body);
    }
    this.executed.push({ text, properties: { ...properties } });
    const [{ statement }] = parseStatements(text) as [ReturnType<typeof parseStatements>[0]];
    const sequence = this.#sequence++;
    if (statement.kind === "CreateSource" || statement.kind === "CreateAsSelect") {
      this.sources.set(statement.name.value, { type: statement.sourceType, statement: text });
      if (statement.kind === "CreateAsSelect") {
        const prefix = statement.sourceType === "STREAM" ? "CSAS" : "CTAS";
        this.#addQuery(`${prefix}_${statement.name.value}_${sequence}`, text, statement.name.value);
      }
    } else if (statement.kind === "InsertInto") {
      const id = statement.properties.find((p) => p.name.value === "QUERY_ID")?.value;
      const queryId = id?.kind === "StringLiteral" ? id.value.toUpperCase() : `INSERTQUERY_${sequence}`;
      this.#addQuery(queryId, text, statement.target.value);
    } else if (statement.kind === "InsertValues") this.rows.push(text);
    return [];
  }

  #addQuery(id: string, queryString: string, sink: string): void {
    this.queries.set(id, {
      id,
      queryString,
      sinks: [sink],
      sinkKafkaTopics: [sink],
      statusCount: { RUNNING: 1 },
      queryType: "PERSISTENT",
      state: "RUNNING",
    });
  }

  #info(name: string, type: "STREAM" | "TABLE") {
    return { type, name, topic: name, keyFormat: "KAFKA", valueFormat: "JSON", isWindowed: false };
  }

  #description(statement: string) {
    return { statement } as Extract<KsqlEntity, { "@type": "sourceDescription" }>["sourceDescription"];
  }
}

const SCRIPT = `SET 'auto.offset.reset'='earliest';
CREATE TABLE machines (id STRING PRIMARY KEY, name STRING) WITH (kafka_topic='machines', partitions=1);
INSERT INTO machines (id, name) VALUES ('press', 'Press P1');
CREATE STREAM readings (id STRING KEY, temp DOUBLE) WITH (kafka_topic='readings', partitions=1);
CREATE STREAM hot AS SELECT id, temp FROM readings WHERE temp > 60 EMIT CHANGES;
INSERT INTO hot WITH (QUERY_ID='hot_from_backup') SELECT id, temp FROM backup WHERE temp > 60 EMIT CHANGES;
INSERT INTO hot SELECT id, temp FROM spare WHERE temp > 60 EMIT CHANGES;
INSERT INTO readings (id, temp) VALUES ('press', 20.0);
`;

const script = () => readPipelineScript(SCRIPT, "p.sql");

describe("applyPipeline", () => {
  it("runs every statement on an empty engine, each with the properties SET before it", async () => {
    const engine = new FakeEngine();
    const report = await applyPipeline(engine, script());
    assert.deepEqual(report.applied, ["p.sql:2", "p.sql:3", "p.sql:4", "p.sql:5", "p.sql:6", "p.sql:7", "p.sql:8"]);
    assert.deepEqual(report.kept, []);
    assert.equal(engine.queries.size, 3);
    for (const { properties } of engine.executed) assert.deepEqual(properties, { "auto.offset.reset": "earliest" });
  });

  it("on a second run keeps every source and query, writes table rows again and stream rows not", async () => {
    const engine = new FakeEngine();
    await applyPipeline(engine, script());
    const queriesBefore = [...engine.queries.keys()];
    engine.executed.length = 0;
    const report = await applyPipeline(engine, script());
    assert.deepEqual(report.applied, []);
    assert.deepEqual(report.kept, ["MACHINES", "READINGS", "HOT", "HOT_FROM_BACKUP", "INSERTQUERY_5"]);
    assert.deepEqual(report.differing, []);
    assert.equal(report.upserted, 1);
    assert.equal(report.skippedRows, 1);
    assert.deepEqual([...engine.queries.keys()], queriesBefore, "no query started twice");
    assert.deepEqual(
      engine.executed.map((e) => e.text),
      ["INSERT INTO machines (id, name) VALUES ('press', 'Press P1');"],
    );
  });

  it("applies only what is missing: a query terminated since, and rows of a stream created now", async () => {
    const engine = new FakeEngine();
    await applyPipeline(engine, script());
    engine.queries.delete("HOT_FROM_BACKUP");
    engine.sources.delete("READINGS");
    engine.executed.length = 0;
    const report = await applyPipeline(engine, script());
    assert.deepEqual(report.applied, ["p.sql:4", "p.sql:6", "p.sql:8"]);
    assert.equal(report.skippedRows, 0);
    assert.deepEqual(
      engine.executed.map((e) => e.text.split(" ").slice(0, 3).join(" ")),
      ["INSERT INTO machines", "CREATE STREAM readings", "INSERT INTO hot", "INSERT INTO readings"],
    );
  });

  it("finds an INSERT without QUERY_ID by its statement, however it is spaced", async () => {
    const engine = new FakeEngine();
    await applyPipeline(engine, script());
    const respaced = SCRIPT.replace("FROM spare WHERE", "FROM spare\n  WHERE");
    const report = await applyPipeline(engine, readPipelineScript(respaced, "p.sql"));
    assert.ok(report.kept.includes("INSERTQUERY_5"));
    assert.equal(engine.queries.size, 3);
  });

  it("says which kept statements differ from the script, and leaves them running", async () => {
    const engine = new FakeEngine();
    await applyPipeline(engine, script());
    const changed = SCRIPT.replace(
      "WHERE temp > 60 EMIT CHANGES;\nINSERT INTO hot WITH",
      "WHERE temp > 70 EMIT CHANGES;\nINSERT INTO hot WITH",
    ).replace("FROM backup WHERE temp > 60", "FROM backup WHERE temp > 65");
    const report = await applyPipeline(engine, readPipelineScript(changed, "p.sql"));
    assert.deepEqual(report.differing, ["HOT (p.sql:5)", "HOT_FROM_BACKUP (p.sql:6)"]);
    assert.match(engine.sources.get("HOT")!.statement, /temp > 60/);
  });

  it("stops at a statement the engine refuses, naming it and the engine's reason", async () => {
    const engine = new FakeEngine();
    engine.refuse = "CREATE STREAM hot";
    await assert.rejects(
      applyPipeline(engine, script()),
      (error: unknown) =>
        error instanceof DemoError &&
        error.code === "DEMO_STATEMENT_FAILED" &&
        error.message === "p.sql:5: line 1:8: no such thing",
    );
    assert.equal(engine.queries.size, 0, "nothing after it ran");
  });

  it("applies the demo plant's whole pipeline once, and nothing but its table rows the second time", async () => {
    const text = readFileSync(new URL("../../examples/demo-plant/pipeline.sql", import.meta.url), "utf8");
    const pipeline = readPipelineScript(text, "pipeline.sql");
    const engine = new FakeEngine();
    const first = await applyPipeline(engine, pipeline);
    assert.equal(first.applied.length, pipeline.steps.filter((s) => s.kind !== "set").length);
    const queries = engine.queries.size;
    const second = await applyPipeline(engine, pipeline);
    assert.deepEqual(second.applied, []);
    assert.equal(second.upserted, 7);
    assert.equal(engine.queries.size, queries);
  });
});
