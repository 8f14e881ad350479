// Pull queries over a materialized view that a real pipeline built: lookups, scans, WHERE, order, windows, refusals.
import assert from "node:assert/strict";
import { test } from "node:test";
import { KsqlRequestError, type QueryStream } from "../../../../src/sql/engine/entities.ts";
import { runPullQuery } from "../../../../src/sql/engine/interactive/index.ts";
import { parseStatements } from "../../../../src/sql/language/index.ts";
import type { PullPlan } from "../../../../src/sql/plan/pull-plan.ts";
import { createPipeline } from "../../../../src/sql/runtime/index.ts";
import type { InputRecord, MaterializedView, Pipeline } from "../../../../src/sql/runtime/pipeline.ts";
import { TestCatalog } from "../../analysis/catalog-fixture.ts";

const CATALOG = `
CREATE STREAM READINGS (MACHINE_ID STRING KEY, SENSOR STRING, READING DOUBLE)
  WITH (KAFKA_TOPIC='readings', VALUE_FORMAT='JSON');
CREATE TABLE TOTALS AS SELECT MACHINE_ID, COUNT(*) AS N, SUM(READING) AS TOTAL FROM READINGS GROUP BY MACHINE_ID;
CREATE TABLE PER_MINUTE AS SELECT MACHINE_ID, COUNT(*) AS N FROM READINGS
  WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY MACHINE_ID;
`;

const MINUTE = 60_000;

/** The catalog, and each table's pipeline fed the same readings: m1 ×3 (two in minute 0, one in minute 1), m2, m3. */
function fixture(): { catalog: TestCatalog; views: Record<"TOTALS" | "PER_MINUTE", MaterializedView>; feed: Feed } {
  const catalog = new TestCatalog();
  const pipelines: Pipeline[] = [];
  for (const analysis of catalog.run(CATALOG)) {
    if (analysis.kind !== "query") continue;
    const pipeline = createPipeline(analysis.result.plan, {
      queryId: `CTAS_${pipelines.length}`,
      internalTopicPrefix: "_test_",
      coalesce: false,
    });
    for (let p = 0; p < 3; p++) pipeline.assign(p);
    pipelines.push(pipeline);
  }
  let offset = 0n;
  const feed: Feed = (readings) => {
    const records = readings.map(
      ([machine, reading, time]): InputRecord => ({
        topic: "readings",
        partition: Number(machine.at(-1)) % 3,
        offset: offset++,
        timestamp: time,
        key: Buffer.from(machine),
        value: Buffer.from(JSON.stringify({ SENSOR: "temp", READING: reading })),
        headers: [],
      }),
    );
    for (const pipeline of pipelines) assert.deepEqual(pipeline.process(records).errors, []);
  };
  feed([
    ["m1", 10, 1_000],
    ["m1", 20.5, 2_000],
    ["m2", 7, 3_000],
    ["m3", 1, 4_000],
    ["m1", 5, MINUTE + 500],
  ]);
  const [totals, perMinute] = pipelines.map((p) => p.materialized!);
  return { catalog, views: { TOTALS: totals!, PER_MINUTE: perMinute! }, feed };
}

type Feed = (readings: readonly (readonly [string, number, number])[]) => void;

const { catalog, views } = fixture();

function pull(sql: string): { plan: PullPlan; view: MaterializedView } {
  const [parsed] = parseStatements(sql);
  const analysis = catalog.analyse(parsed!, sql);
  assert.equal(analysis.kind, "pull");
  const plan = analysis.result as PullPlan;
  return { plan, view: views[plan.source.source.name as keyof typeof views] };
}

function run(sql: string): QueryStream {
  const { plan, view } = pull(sql);
  return runPullQuery(plan, view, "pull_1");
}

async function rowsOf(query: QueryStream): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const row of query.rows) rows.push([...row]);
  return rows;
}

test("a key lookup answers that key's row with the key column marked, then ends", async () => {
  const query = run("SELECT * FROM TOTALS WHERE MACHINE_ID = 'm1';");
  assert.equal(query.kind, "pull");
  assert.equal(query.queryId, "pull_1");
  assert.deepEqual(query.columns, [
    { name: "MACHINE_ID", type: "STRING", key: true },
    { name: "N", type: "BIGINT", key: false },
    { name: "TOTAL", type: "DOUBLE", key: false },
  ]);
  assert.deepEqual(await rowsOf(query), [["m1", 3, 35.5]]);
});

test("IN looks up each key; keys the table lacks give nothing", async () => {
  const rows = await rowsOf(run("SELECT MACHINE_ID, N FROM TOTALS WHERE MACHINE_ID IN ('m2', 'm9', 'm3');"));
  assert.deepEqual(rows, [
    ["m2", 1],
    ["m3", 1],
  ]);
});

test("a scan keeps the rows whose WHERE is true and shows columns in SELECT order", async () => {
  const query = run("SELECT TOTAL * 2 AS DOUBLED, MACHINE_ID FROM TOTALS WHERE TOTAL > 5;");
  assert.deepEqual(query.columns, [
    { name: "DOUBLED", type: "DOUBLE", key: false },
    { name: "MACHINE_ID", type: "STRING", key: true },
  ]);
  const rows = await rowsOf(query);
  assert.deepEqual(
    rows.sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    [
      [71, "m1"],
      [14, "m2"],
    ],
  );
});

test("LIMIT stops the answer after that many rows", async () => {
  assert.equal((await rowsOf(run("SELECT * FROM TOTALS LIMIT 2;"))).length, 2);
  assert.equal((await rowsOf(run("SELECT * FROM TOTALS;"))).length, 3);
});

test("ROWTIME is the row's timestamp: the latest event time aggregated into it", async () => {
  assert.deepEqual(await rowsOf(run("SELECT MACHINE_ID, ROWTIME FROM TOTALS WHERE MACHINE_ID = 'm2';")), [
    ["m2", 3_000],
  ]);
});

test("a windowed table answers every window of the key, with WINDOWSTART and WINDOWEND", async () => {
  const all = run("SELECT * FROM PER_MINUTE WHERE MACHINE_ID = 'm1';");
  assert.deepEqual(
    all.columns.map((c) => `${c.name} ${c.type}${c.key ? " KEY" : ""}`),
    ["MACHINE_ID STRING KEY", "WINDOWSTART BIGINT", "WINDOWEND BIGINT", "N BIGINT"],
  );
  assert.deepEqual(await rowsOf(all), [
    ["m1", 0, MINUTE, 2],
    ["m1", MINUTE, 2 * MINUTE, 1],
  ]);
  const later = run(`SELECT N, WINDOWEND FROM PER_MINUTE WHERE MACHINE_ID = 'm1' AND WINDOWSTART >= ${MINUTE};`);
  assert.deepEqual(await rowsOf(later), [[1, 2 * MINUTE]]);
  const scanned = run(`SELECT MACHINE_ID FROM PER_MINUTE WHERE WINDOWEND <= ${MINUTE};`);
  assert.deepEqual((await rowsOf(scanned)).sort(), [["m1"], ["m2"], ["m3"]]);
});

test("the answer is the table when the query ran, whatever changes before it is read", async () => {
  const { feed: feedOwn, catalog: own, views: ownViews } = fixture();
  const sql = "SELECT N FROM TOTALS WHERE MACHINE_ID = 'm2';";
  const [parsed] = parseStatements(sql);
  const plan = own.analyse(parsed!, sql).result as PullPlan;
  const query = runPullQuery(plan, ownViews.TOTALS, "pull_2");
  feedOwn([["m2", 1, 5_000]]);
  assert.deepEqual(await rowsOf(query), [[1]]);
  assert.deepEqual(await rowsOf(runPullQuery(plan, ownViews.TOTALS, "pull_3")), [[2]]);
});

test("close() before reading ends the rows at once", async () => {
  const query = run("SELECT * FROM TOTALS;");
  query.close();
  query.close();
  assert.deepEqual(await rowsOf(query), []);
});

test("ROWPARTITION and ROWOFFSET are refused: a table row is not one record", () => {
  for (const sql of [
    "SELECT MACHINE_ID, ROWPARTITION FROM TOTALS;",
    "SELECT MACHINE_ID FROM TOTALS WHERE ROWOFFSET > 3;",
  ]) {
    assert.throws(
      () => run(sql),
      (error: unknown) =>
        error instanceof KsqlRequestError &&
        error.status === 400 &&
        error.body.error_code === 40001 &&
        /cannot read ROW(PARTITION|OFFSET)/.test(error.body.message),
    );
  }
});

test("an expression failing on a row fails the query, naming the row's key", () => {
  assert.throws(
    () => run("SELECT MACHINE_ID, N / (N - 1) AS Q FROM TOTALS WHERE MACHINE_ID = 'm3';"),
    (error: unknown) =>
      error instanceof KsqlRequestError &&
      error.status === 400 &&
      error.body["@type"] === "statement_error" &&
      /^the pull query failed on the row with key m3: .*division by zero/.test(error.body.message),
  );
});
