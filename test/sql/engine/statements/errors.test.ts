// Every statement failure the client caused becomes ksqlDB's statement error; anything else stays a server error.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SqlAnalysisError } from "../../../../src/sql/analysis/errors.ts";
import { KsqlRequestError } from "../../../../src/sql/engine/entities.ts";
import { EngineError } from "../../../../src/sql/engine/errors.ts";
import { asRequestError, SqlStatementError } from "../../../../src/sql/engine/statements/errors.ts";
import { parseStatements } from "../../../../src/sql/language/parse-statements.ts";
import { SqlRuntimeError } from "../../../../src/sql/runtime/errors.ts";

const STATUS = {
  "@type": "currentStatus" as const,
  statementText: "CREATE STREAM a (x INT) WITH (kafka_topic='a');",
  warnings: [],
  commandId: "stream/`A`/create",
  commandStatus: { status: "SUCCESS" as const, message: "Stream created", queryId: null },
  commandSequenceNumber: 1,
};

function syntaxError(text: string): unknown {
  try {
    parseStatements(text);
  } catch (error) {
    return error;
  }
  assert.fail("expected a syntax error");
}

test("a syntax error is a 400 statement_error 40001 with line:column, the statement and the entities before it", () => {
  const text = "SELEC * FROM readings;";
  const mapped = asRequestError(syntaxError(text), text, [STATUS]);
  assert.ok(mapped instanceof KsqlRequestError);
  assert.equal(mapped.status, 400);
  assert.equal(mapped.body["@type"], "statement_error");
  assert.equal(mapped.body.error_code, 40001);
  assert.match(mapped.body.message, /^line 1:1: /);
  assert.equal(mapped.body.statementText, text);
  assert.deepEqual(mapped.body.entities, [STATUS]);
});

test("analysis, statement, engine and plan errors map alike; their messages pass through unchanged", () => {
  const span = { start: 14, end: 22 };
  const text = "SELECT * FROM readingz EMIT CHANGES;";
  for (const error of [
    new SqlAnalysisError("SQL_UNKNOWN_SOURCE", "unknown stream or table READINGZ", span, text),
    new SqlStatementError("SQL_UNKNOWN_QUERY", "Unknown queryId: X", { text, span }),
    new EngineError("SQL_TOPIC_MISSING", "topic t does not exist", { topic: "t" }),
    new SqlRuntimeError("SQL_PLAN_UNSUPPORTED", "the runtime cannot run that"),
  ]) {
    const mapped = asRequestError(error, text);
    assert.ok(mapped instanceof KsqlRequestError, error.name);
    assert.equal(mapped.body.message, error.message);
    assert.equal(mapped.cause, error);
  }
  assert.equal(
    new SqlStatementError("SQL_UNKNOWN_QUERY", "Unknown queryId: X", { text, span }).message,
    "line 1:15: Unknown queryId: X",
  );
});

test("a bug stays what it is, for the REST layer to log and answer 500", () => {
  const bug = new TypeError("cannot read properties of undefined");
  assert.equal(asRequestError(bug, "SHOW STREAMS;"), bug);
  // A record for a topic the pipeline never declared is the engine's mistake, not the client's.
  const misuse = new SqlRuntimeError("SQL_UNKNOWN_TOPIC", "topic t is not an input of this query");
  assert.equal(asRequestError(misuse, "SHOW STREAMS;"), misuse);
});

test("a KsqlRequestError keeps its body and gains the entities of the statements before it", () => {
  const original = new KsqlRequestError(400, { "@type": "statement_error", error_code: 40001, message: "no" });
  const mapped = asRequestError(original, "x;", [STATUS]) as KsqlRequestError;
  assert.equal(mapped.body.message, "no");
  assert.deepEqual(mapped.body.entities, [STATUS]);
  assert.equal(asRequestError(original, "x;"), original);
});
