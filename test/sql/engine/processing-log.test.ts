// The processing log's records and the statement that declares them as KSQL_PROCESSING_LOG.
import assert from "node:assert/strict";
import { test } from "node:test";
import { processingLogTopic } from "../../../src/sql/engine/internal-names.ts";
import {
  PROCESSING_LOG_STREAM,
  processingLogRecords,
  processingLogStreamSql,
} from "../../../src/sql/engine/processing-log.ts";
import { parseStatements } from "../../../src/sql/language/index.ts";

test("an entry becomes one JSON record keyed by the query id, its fields named like the stream's columns", () => {
  const [record, late] = processingLogRecords(
    "_fabrik-sql-x-processing-log",
    "CSAS_BELT_1",
    [
      {
        code: "SQL_SERDE",
        message: 'value.SPEED: expected DOUBLE, found "fast"',
        topic: "belts",
        partition: 2,
        offset: 41n,
      },
      { code: "SQL_LATE_RECORD", message: "window closed", topic: "belts", partition: 0, offset: 7n },
    ],
    1_764_000_000_000,
  );
  assert.equal(record?.topic, "_fabrik-sql-x-processing-log");
  assert.equal(record?.key?.toString(), "CSAS_BELT_1");
  assert.equal(record?.timestamp, 1_764_000_000_000);
  assert.deepEqual(JSON.parse(record?.value?.toString() ?? "null"), {
    LOGGER: "processing.CSAS_BELT_1",
    LEVEL: "ERROR",
    TIME: 1_764_000_000_000,
    QUERY_ID: "CSAS_BELT_1",
    CODE: "SQL_SERDE",
    MESSAGE: 'value.SPEED: expected DOUBLE, found "fast"',
    TOPIC: "belts",
    PARTITION: 2,
    OFFSET: 41,
  });
  assert.equal(JSON.parse(late?.value?.toString() ?? "null").LEVEL, "WARN", "a late record was valid data");
});

test("the declaring statement parses, names the service's topic and has a column for every field", () => {
  const sql = processingLogStreamSql("plant");
  const [parsed] = parseStatements(sql);
  const statement = parsed?.statement;
  assert.ok(statement?.kind === "CreateSource");
  assert.equal(statement.sourceType, "STREAM");
  assert.equal(statement.name.value, PROCESSING_LOG_STREAM);
  assert.deepEqual(
    statement.columns.map((c) => c.name.value),
    ["LOGGER", "LEVEL", "TIME", "QUERY_ID", "CODE", "MESSAGE", "TOPIC", "PARTITION", "OFFSET"],
  );
  assert.ok(sql.includes(`KAFKA_TOPIC='${processingLogTopic("plant")}'`));
});
