// Servers of one service id: a restarted server resumes every query, and two servers split a query's partitions.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createAdmin } from "../../../src/kafka/index.ts";
import { queryGroupId } from "../../../src/sql/engine/index.ts";
import { createTopic, eventually } from "../../support/kafka.ts";
import { javaPartition, produce, type TestRecord } from "./fixture.ts";
import {
  kafka,
  recordsOf,
  rowsOf,
  run,
  startEngine,
  text,
  uniqueService,
  whenQueryState,
} from "./statements/engine-fixture.ts";

function batch(from: number, count: number, key: (i: number) => string): TestRecord[] {
  return Array.from({ length: count }, (_, i) => ({ key: key(from + i), value: JSON.stringify({ SEQ: from + i }) }));
}

function sequences(records: readonly { value: Buffer | null }[]): number[] {
  return records.map((r) => (JSON.parse(text(r.value) ?? "{}") as { SEQ: number }).SEQ).sort((a, b) => a - b);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

test("a restarted server resumes its queries from their committed offsets and restores their state", async (t) => {
  const service = uniqueService("restart");
  const properties = { "ksql.output.topic.name.prefix": `${service}-`, "auto.offset.reset": "earliest" };
  const topic = await createTopic(kafka, "restart-readings", 2);
  const first = await startEngine(t, service, properties);
  await run(first.engine, `CREATE STREAM readings (machine STRING KEY, seq INT) WITH (kafka_topic='${topic}');`);
  const { queryId: copyId } = await run(first.engine, "CREATE STREAM copy AS SELECT * FROM readings EMIT CHANGES;");
  const { queryId: countId } = await run(
    first.engine,
    "CREATE TABLE counts AS SELECT machine, COUNT(*) AS n FROM readings GROUP BY machine EMIT CHANGES;",
  );
  await produce(
    topic,
    batch(0, 10, (i) => `m${i % 4}`),
  );
  assert.deepEqual(sequences(await recordsOf(`${service}-COPY`, 10)), range(0, 10));
  await eventually("the counts of the first batch", async () => {
    const rows = await rowsOf(await first.engine.query("SELECT * FROM counts WHERE machine = 'm0';"));
    return rows[0]?.[1] === 3;
  });
  await first.engine.close();

  // Written while no server runs: the next one must take them from where the first stopped, once each.
  await produce(
    topic,
    batch(10, 10, (i) => `m${i % 4}`),
  );
  const second = await startEngine(t, service, properties);
  await whenQueryState(second.engine, copyId!, "RUNNING");
  await whenQueryState(second.engine, countId!, "RUNNING");
  const copied = await recordsOf(`${service}-COPY`, 20);
  assert.deepEqual(sequences(copied), range(0, 20), "every record copied once: a clean stop committed its work");
  // m0 had 3 records in the first batch and 2 in the second: the count went on from the restored state.
  const rows = await eventually("the restored count of m0", async () => {
    const found = await rowsOf(await second.engine.query("SELECT * FROM counts WHERE machine = 'm0';"));
    return found[0]?.[1] === 5 ? found : undefined;
  });
  assert.deepEqual(rows, [["m0", 5]]);
});

test("two servers of one service split a query's partitions, and one takes all when the other stops", async (t) => {
  const service = uniqueService("scale");
  const properties = { "ksql.output.topic.name.prefix": `${service}-`, "auto.offset.reset": "earliest" };
  const topic = await createTopic(kafka, "scale-readings", 2);
  const a = await startEngine(t, service, properties);
  await run(a.engine, `CREATE STREAM readings (machine STRING KEY, seq INT) WITH (kafka_topic='${topic}');`);
  const { queryId } = await run(a.engine, "CREATE STREAM copy AS SELECT * FROM readings EMIT CHANGES;");
  const b = await startEngine(t, service, properties);
  // The second server replayed the catalog, so it runs the query too.
  await whenQueryState(b.engine, queryId!, "RUNNING");

  const group = queryGroupId(service, queryId!);
  const split = await eventually("each server owning one partition", async () => {
    const admin = createAdmin(kafka);
    try {
      const described = (await admin.describeGroups({ groups: [group] })).get(group);
      const owned = [...(described?.members.values() ?? [])].map((m) =>
        [...(m.assignments?.values() ?? [])].flatMap((a) => (a.topic === topic ? a.partitions : [])),
      );
      return owned.length === 2 && owned.every((p) => p.length === 1) ? owned.flat().sort() : undefined;
    } finally {
      await admin.close();
    }
  });
  assert.deepEqual(split, [0, 1]);

  // Keys for both partitions (as the Java partitioner places them), processed between the two servers once each.
  const keys = ["m0", "m1", "m2", "m3", "m4", "m5"];
  assert.ok(new Set(keys.map((k) => javaPartition(k, 2))).size === 2);
  await produce(
    topic,
    batch(0, 30, (i) => keys[i % keys.length]!),
  );
  assert.deepEqual(sequences(await recordsOf(`${service}-COPY`, 30)), range(0, 30));

  await a.engine.close();
  await produce(
    topic,
    batch(30, 10, (i) => keys[i % keys.length]!),
  );
  assert.deepEqual(sequences(await recordsOf(`${service}-COPY`, 40)), range(0, 40));
  assert.equal(
    (
      await rowsOf(
        await b.engine.query("SELECT * FROM copy EMIT CHANGES LIMIT 1;", { "auto.offset.reset": "earliest" }),
      )
    ).length,
    1,
  );
});
