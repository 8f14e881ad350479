// Commands applied to the catalog: query ids, DROP's rules, TERMINATE, source tables, OR REPLACE, re-checks at apply.
import assert from "node:assert/strict";
import { test } from "node:test";
import { commandIdOf, isCatalogStatement } from "../../../../src/sql/engine/statements/prepare.ts";
import { parseStatements } from "../../../../src/sql/language/parse-statements.ts";
import { CatalogHarness } from "./catalog-harness.ts";

const READINGS = "CREATE STREAM readings (machine STRING KEY, temp DOUBLE) WITH (kafka_topic='readings');";
const HOT = "CREATE STREAM hot AS SELECT machine, temp FROM readings WHERE temp > 50 EMIT CHANGES;";

function refusal(run: () => unknown, code: string): string {
  try {
    run();
  } catch (error) {
    assert.equal((error as { code?: string }).code, code, (error as Error).message);
    return (error as Error).message;
  }
  assert.fail(`expected ${code}`);
}

test("CREATE … AS SELECT starts a query named after its sink and the command's sequence number", async () => {
  const h = new CatalogHarness();
  assert.deepEqual(await h.apply(`${READINGS}\n${HOT}`), []);
  const [query] = h.catalog.queries();
  assert.equal(query?.id, "CSAS_HOT_2");
  assert.equal(query?.kind, "CSAS");
  assert.deepEqual(query?.sources, ["READINGS"]);
  assert.equal(query?.sql, HOT);
  assert.equal(h.catalog.ownerOf("HOT"), "CSAS_HOT_2");
  assert.equal(h.catalog.source("HOT")?.topic, "HOT");
  await h.apply("CREATE TABLE counts AS SELECT machine, COUNT(*) AS n FROM readings GROUP BY machine EMIT CHANGES;");
  assert.equal(h.catalog.ownerOf("COUNTS"), "CTAS_COUNTS_3");
  await h.apply("INSERT INTO hot SELECT machine, temp FROM readings WHERE temp < -20 EMIT CHANGES;");
  assert.ok(h.catalog.query("INSERTQUERY_4"));
  assert.deepEqual(
    h.catalog.writers("HOT").map((q) => q.id),
    ["CSAS_HOT_2", "INSERTQUERY_4"],
  );
});

test("the output topic prefix names sink topics that KAFKA_TOPIC does not", async () => {
  const h = new CatalogHarness({ "ksql.output.topic.name.prefix": "plant." });
  await h.apply(`${READINGS}\n${HOT}`);
  assert.equal(h.catalog.source("HOT")?.topic, "plant.HOT");
  await h.apply("CREATE STREAM cold WITH (KAFKA_TOPIC='cold-ones') AS SELECT * FROM readings EMIT CHANGES;");
  assert.equal(h.catalog.source("COLD")?.topic, "cold-ones");
  // A request's SET wins over the server's value.
  await h.apply("CREATE STREAM warm AS SELECT * FROM readings EMIT CHANGES;", { "ksql.output.topic.name.prefix": "" });
  assert.equal(h.catalog.source("WARM")?.topic, "WARM");
});

test("DROP is refused while other queries read or write the source, naming them, and ends the source's own query", async () => {
  const h = new CatalogHarness();
  await h.apply(`${READINGS}\n${HOT}`);
  await h.apply("INSERT INTO hot SELECT machine, temp FROM readings WHERE temp < -20 EMIT CHANGES;");
  assert.equal(
    refusal(() => h.prepare("DROP STREAM readings;"), "SQL_DROP_REFUSED"),
    "line 1:13: Cannot drop READINGS.\nThe following queries read from this source: [CSAS_HOT_2, INSERTQUERY_3].\n" +
      "The following queries write into this source: [].\nYou need to terminate them before dropping READINGS.",
  );
  assert.match(
    refusal(() => h.prepare("DROP STREAM hot;"), "SQL_DROP_REFUSED"),
    /write into this source: \[INSERTQUERY_3\]/,
  );
  // Applied anyway (as another server would, having checked an older catalog): refused alike, nothing changes.
  const warnings = await h.apply("DROP STREAM hot;");
  assert.match(warnings[0] ?? "", /Cannot drop HOT/);
  assert.ok(h.catalog.source("HOT"));
  await h.apply("TERMINATE INSERTQUERY_3;");
  assert.equal(h.catalog.query("INSERTQUERY_3"), undefined);
  const change = h.prepare("DROP STREAM hot DELETE TOPIC;");
  assert.equal(change.kind, "drop");
  assert.equal(change.message, "Source `HOT` (topic: HOT) was dropped.");
  await h.apply("DROP STREAM hot DELETE TOPIC;");
  assert.equal(h.catalog.source("HOT"), undefined);
  assert.equal(h.catalog.query("CSAS_HOT_2"), undefined, "the CSAS ended with its sink");
  await h.apply("DROP STREAM readings;");
  assert.deepEqual(h.catalog.sources(), []);
});

test("DROP checks the kind, read-only topics and existence", async () => {
  const h = new CatalogHarness();
  await h.apply("CREATE SOURCE STREAM readings (machine STRING KEY, temp DOUBLE) WITH (kafka_topic='readings');");
  assert.match(
    refusal(() => h.prepare("DROP TABLE readings;"), "SQL_DROP_INVALID"),
    /type is STREAM, but statement was DROP TABLE/,
  );
  assert.match(
    refusal(() => h.prepare("DROP STREAM readings DELETE TOPIC;"), "SQL_DROP_INVALID"),
    /read-only source/,
  );
  assert.match(
    refusal(() => h.prepare("DROP STREAM readingz;"), "SQL_UNKNOWN_SOURCE"),
    /Did you mean READINGS\?/,
  );
  assert.deepEqual(h.prepare("DROP STREAM IF EXISTS nothing;"), {
    kind: "none",
    message: "Source `NOTHING` does not exist.",
  });
});

test("a source table is materialized by a CST query that only DROP TABLE ends", async () => {
  const h = new CatalogHarness();
  await h.apply("CREATE SOURCE TABLE machines (id STRING PRIMARY KEY, line STRING) WITH (kafka_topic='machines');");
  const query = h.catalog.query("CST_MACHINES_1");
  assert.equal(query?.kind, "CST");
  assert.equal(query?.plan.output.kind, "client");
  assert.equal(h.catalog.ownerOf("MACHINES"), "CST_MACHINES_1");
  assert.match(
    refusal(() => h.prepare("TERMINATE CST_MACHINES_1;"), "SQL_TERMINATE_REFUSED"),
    /DROP TABLE MACHINES/,
  );
  assert.deepEqual(h.prepare("TERMINATE ALL;"), { kind: "terminate", ids: [], message: "Query terminated." });
  await h.apply("DROP TABLE machines;");
  assert.deepEqual(h.catalog.queries(), []);
  // A plain table has no query: pull queries cannot read it.
  await h.apply("CREATE TABLE machines (id STRING PRIMARY KEY, line STRING) WITH (kafka_topic='machines');");
  assert.equal(h.catalog.ownerOf("MACHINES"), undefined);
});

test("CREATE OR REPLACE … AS SELECT keeps the query's id; IF NOT EXISTS does nothing for an existing name", async () => {
  const h = new CatalogHarness();
  await h.apply(`${READINGS}\n${HOT}`);
  await h.apply("CREATE OR REPLACE STREAM hot AS SELECT machine, temp FROM readings WHERE temp > 60 EMIT CHANGES;");
  assert.deepEqual(
    h.catalog.queries().map((q) => [q.id, q.sql.includes("60")]),
    [["CSAS_HOT_2", true]],
  );
  assert.equal(h.prepare(`CREATE STREAM IF NOT EXISTS hot AS SELECT * FROM readings EMIT CHANGES;`).kind, "none");
  assert.match(
    refusal(() => h.prepare(HOT), "SQL_SOURCE_EXISTS"),
    /already exists/,
  );
});

test("INSERT INTO takes its id from QUERY_ID, upper-cased, and refuses one in use", async () => {
  const h = new CatalogHarness();
  await h.apply(`${READINGS}\n${HOT}`);
  const insert = "INSERT INTO hot WITH (QUERY_ID='cold_path') SELECT machine, temp FROM readings EMIT CHANGES;";
  await h.apply(insert);
  assert.ok(h.catalog.query("COLD_PATH"));
  assert.match(
    refusal(() => h.prepare(insert), "SQL_QUERY_EXISTS"),
    /COLD_PATH already runs/,
  );
  assert.ok(h.catalog.query("COLD_PATH"));
  const bad = "INSERT INTO hot WITH (QUERY_ID='no way') SELECT machine, temp FROM readings EMIT CHANGES;";
  assert.ok(refusal(() => h.prepare(bad), "SQL_INVALID_PROPERTY_VALUE"));
});

test("a failing command changes nothing, whatever it got to check first", async () => {
  const h = new CatalogHarness();
  await h.apply(READINGS);
  const before = JSON.stringify(h.catalog.sources());
  const warnings = await h.apply(`${READINGS}\nCREATE STREAM bad AS SELECT nosuch FROM readings EMIT CHANGES;`);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0] ?? "", /already exists/);
  assert.match(warnings[1] ?? "", /unknown column NOSUCH/);
  assert.equal(JSON.stringify(h.catalog.sources()), before);
  assert.deepEqual(h.catalog.queries(), []);
});

test("a replayed CREATE whose topic is gone keeps the source with the partitions its issuer recorded", async () => {
  const h = new CatalogHarness();
  const statement = "CREATE STREAM gone (id STRING KEY, v INT) WITH (kafka_topic='vanished');";
  const vanished = { vanished: { partitions: 4, replicas: 1 } };
  assert.deepEqual(await h.apply(statement, {}, vanished), []);
  assert.equal(h.catalog.source("GONE")?.partitions, 4);
  // Without the record the statement cannot be checked: the topic needs PARTITIONS to be created.
  const warnings = await h.apply(statement.replace("gone", "gone2"));
  assert.match(warnings[0] ?? "", /does not exist: give PARTITIONS/);
  // A client's properties are no record: only what the issuing server looked up counts.
  const smuggled = await h.apply(statement.replace("gone", "gone3"), { topics: vanished, "__fabrik.topics": vanished });
  assert.match(smuggled[0] ?? "", /does not exist: give PARTITIONS/);
});

test("command ids follow ksqlDB's type/`NAME`/action form", () => {
  const ids = parseStatements(
    `${READINGS} ${HOT} INSERT INTO hot SELECT * FROM readings EMIT CHANGES; DROP TABLE t; TERMINATE CSAS_X_1; TERMINATE ALL;`,
  ).map((p) => (isCatalogStatement(p.statement) ? commandIdOf(p.statement) : "?"));
  assert.deepEqual(ids, [
    "stream/`READINGS`/create",
    "stream/`HOT`/create",
    "stream/`HOT`/create",
    "table/`T`/drop",
    "terminate/CSAS_X_1/execute",
    "terminate/ALL/execute",
  ]);
});
