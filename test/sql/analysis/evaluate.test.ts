// Runs the expressions of planned queries on rows laid out as the plan says, as the runtime will.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { PlannedQuery } from "../../../src/sql/analysis/index.ts";
import { compile } from "../../../src/sql/expressions/compile.ts";
import type { EvalContext, Row } from "../../../src/sql/expressions/scope.ts";
import type { TypedExpression } from "../../../src/sql/expressions/typed.ts";
import type { QueryPlan } from "../../../src/sql/plan/plan.ts";
import type { PullPlan } from "../../../src/sql/plan/pull-plan.ts";
import type { SqlValue } from "../../../src/sql/types/values.ts";
import { TestCatalog } from "./catalog-fixture.ts";

const ctx: EvalContext = { rowTime: 1_000, rowPartition: 0, rowOffset: 0n };
const run = (e: TypedExpression, row: Row, context: EvalContext = ctx): SqlValue => compile(e)(row, context);

function plan(sql: string, setup = ""): QueryPlan {
  const catalog = TestCatalog.plant();
  if (setup) catalog.run(setup);
  const [analysis] = catalog.run(sql);
  assert.equal(analysis?.kind, "query");
  return (analysis.result as PlannedQuery).plan;
}

test("an aggregation's projection reads group keys and aggregates from their slots in the aggregated row", () => {
  const p = plan(
    "CREATE TABLE X AS SELECT SENSOR, CONCAT(SENSOR, '!') AS LOUD, MAX(READING) - MIN(READING) AS SPREAD FROM READINGS GROUP BY SENSOR;",
  );
  const aggregate = p.aggregate!;
  assert.deepEqual(
    aggregate.scope.columns.map((c) => c.type.kind),
    ["STRING", "DOUBLE", "DOUBLE"],
  );
  // The aggregated row: [SENSOR, MAX(READING), MIN(READING)]; READINGS' own columns are gone.
  const aggregated: Row = ["oil", 10, 2.5];
  assert.equal(run(p.project.key[0]!.expression, aggregated), "oil");
  assert.equal(run(p.project.value[0]!.expression, aggregated), "oil!");
  assert.equal(run(p.project.value[1]!.expression, aggregated), 7.5);
});

test("a GROUP BY rekey computes the key from the input row; the aggregate reads it from the appended slot", () => {
  const p = plan("CREATE TABLE X AS SELECT SENSOR, AVG(READING) AS MEAN FROM READINGS GROUP BY SENSOR;");
  const input: Row = ["P1", "oil", 61.5, 7];
  const rekey = p.rekey!;
  assert.equal(run(rekey.key[0]!, input), "oil");
  const rekeyed: Row = [...input, "oil"];
  assert.equal(rekey.scope.columns.length, 5);
  assert.equal(run(p.aggregate!.groupBy[0]!, rekeyed), "oil");
  const spec = p.aggregate!.aggregates[0]!;
  const aggregator = spec.create();
  let state = aggregator.init();
  state = aggregator.add(state, run(spec.argument!, rekeyed));
  state = aggregator.add(state, 38.5);
  assert.equal(aggregator.result(state), 50);
});

test("stale-machine detection subtracts the last sample time from the window end", () => {
  const p = plan(
    "CREATE TABLE STALE AS SELECT MACHINE_ID, WINDOWEND - LATEST_BY_OFFSET(ROWTIME) AS SILENT_MS FROM READINGS WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY MACHINE_ID HAVING WINDOWEND - LATEST_BY_OFFSET(ROWTIME) > 30000;",
  );
  const aggregate = p.aggregate!;
  assert.equal(aggregate.scope.windowed, true);
  const latest = aggregate.aggregates[0]!;
  assert.equal(run(latest.argument!, ["P1", "oil", 1, 1], { ...ctx, rowTime: 45_000 }), 45_000n);
  const windowed: EvalContext = { ...ctx, windowStart: 0, windowEnd: 60_000 };
  assert.equal(run(p.project.value[0]!.expression, ["P1", 45_000n], windowed), 15_000n);
  assert.equal(run(aggregate.having!, ["P1", 45_000n], windowed), false);
  assert.equal(run(aggregate.having!, ["P1", 20_000n], windowed), true);
});

test("a join key of the stream is widened to the table key's type before the lookup", () => {
  const p = plan(
    "SELECT S.V, U.UNIT FROM SAMPLES S JOIN UNITS U ON S.ID_NUM + 1 = U.ID EMIT CHANGES;",
    "CREATE STREAM SAMPLES (SEQ INT KEY, ID_NUM INT, V DOUBLE) WITH (KAFKA_TOPIC='s', PARTITIONS=3); CREATE TABLE UNITS (ID BIGINT PRIMARY KEY, UNIT STRING) WITH (KAFKA_TOPIC='u', PARTITIONS=3);",
  );
  const join = p.join!;
  assert.equal(run(join.streamKey, [9, 4, 0.5]), 5n);
  // Join scope: SAMPLES' columns, the rekey slot, then UNITS' columns.
  assert.deepEqual(
    join.scope.columns.map((c) => c.name),
    ["SEQ", "ID_NUM", "V", join.rekey!.scope.columns[3]!.name, "ID", "UNIT"],
  );
  const joined: Row = [9, 4, 0.5, 5n, 5n, "bar"];
  assert.deepEqual(
    p.project.value.map((c) => run(c.expression, joined)),
    [0.5, "bar"],
  );
});

test("a join result's key is the join key even when the table side is selected (a LEFT join may miss)", () => {
  const p = plan(
    "CREATE STREAM X AS SELECT M.MACHINE_ID AS ID, R.READING FROM READINGS R LEFT JOIN MACHINES M ON R.MACHINE_ID = M.MACHINE_ID;",
  );
  const unmatched: Row = ["P9", "oil", 1.5, 3, null, null, null, null, null];
  assert.equal(run(p.project.key[0]!.expression, unmatched), "P9");
});

test("PARTITION BY computes the key once; the projection reads it from the rekey slot", () => {
  const p = plan("CREATE STREAM X AS SELECT UCASE(SENSOR) AS S, READING FROM READINGS PARTITION BY UCASE(SENSOR);");
  const input: Row = ["P1", "oil", 61.5, 7];
  assert.equal(run(p.rekey!.key[0]!, input), "OIL");
  const key = p.project.key[0]!.expression;
  assert.equal(key.kind, "Column");
  assert.equal(run(key, [...input, "FROM-SLOT"]), "FROM-SLOT");
});

test("EXPLODE's implementation and the column the projection reads", () => {
  const p = plan("SELECT JOB, EXPLODE(TAGS->JOINT_TEMPERATURES) AS T FROM PLANT_RECORDS EMIT CHANGES;");
  const fn = p.explode!.functions[0]!;
  const tags = { JOINT_TEMPERATURES: [40.5, 41] } as unknown as SqlValue;
  const job = { SOURCENAME: "R1", JOBNAME: "fast" } as unknown as SqlValue;
  const input: Row = [job, tags, 0n, null, null];
  assert.deepEqual(fn.invoke(...fn.args.map((a) => run(a, input))), [40.5, 41]);
  assert.equal(run(p.project.value[0]!.expression, [...input, 41]), 41);
  assert.equal(run(p.project.key[0]!.expression, [...input, 41]), job);
});

test("pull-query keys and INSERT VALUES rows hold values in the columns' runtime types", () => {
  const catalog = TestCatalog.plant();
  const setup =
    "CREATE TABLE UNITS (ID BIGINT PRIMARY KEY, UNIT STRING, SCALE DECIMAL(4, 2)) WITH (KAFKA_TOPIC='u', PARTITIONS=1);";
  catalog.run(setup);
  const [pull] = catalog.run("SELECT * FROM UNITS WHERE ID IN (5, 6);");
  assert.deepEqual((pull!.result as PullPlan).keys, [[5n], [6n]]);
  const [values] = catalog.run("INSERT INTO UNITS VALUES (7, 'bar', 1.5);");
  assert.equal(values!.kind, "values");
  const row = values!.result as { key: Row; value: Row };
  assert.deepEqual(row.key, [7n]);
  assert.equal(String(row.value[1]), "1.50");
});
