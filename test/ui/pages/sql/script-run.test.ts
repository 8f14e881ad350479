// The SQL page's script runner against a stubbed fetch: statements in order with the properties SET before them,
// queries streamed (push queries run on beside later statements), a stop at the first failure with the error placed
// in the document, a selection run on its own, and the row cap.
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import { signal } from "@preact/signals";
import type { SqlProperties } from "../../../../ui/src/api/sql.ts";
import { ScriptRun } from "../../../../ui/src/pages/sql/script-run.ts";

interface Sent {
  readonly url: string;
  readonly body: Record<string, unknown>;
}

/** Answers /ksql with a status entity (or the error for a text containing "BAD") and /query-stream with `rows`. */
function stubServer(t: TestContext, rows: unknown[][] = [[1], [2], [3]], hold?: Promise<void>): Sent[] {
  const sent: Sent[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = String(input);
    const body = JSON.parse(String(init.body)) as Record<string, unknown>;
    sent.push({ url, body });
    if (url.endsWith("/ksql")) {
      const text = String(body.ksql);
      if (text.includes("BAD")) {
        return Response.json(
          {
            "@type": "statement_error",
            error_code: 40001,
            message: "line 2:3: unknown column BAD",
            statementText: text,
          },
          { status: 400 },
        );
      }
      return Response.json([
        {
          "@type": "currentStatus",
          statementText: text,
          warnings: [],
          commandId: "c",
          commandStatus: { status: "SUCCESS", message: "ok", queryId: null },
        },
      ]);
    }
    const lines = [
      JSON.stringify({ queryId: "q1", columnNames: ["N"], columnTypes: ["INTEGER"] }),
      ...rows.map((r) => JSON.stringify(r)),
    ];
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode(`${lines.join("\n")}\n`));
        if (hold !== undefined) {
          init.signal?.addEventListener("abort", () => controller.error(new DOMException("aborted", "AbortError")));
          await hold;
        }
        controller.close();
      },
    });
    return new Response(stream, { status: 200 });
  }) as typeof fetch;
  t.after(() => {
    globalThis.fetch = original;
  });
  return sent;
}

function properties(initial: SqlProperties = {}) {
  return signal<SqlProperties>(initial);
}

test("statements run in order; SET applies to what follows and is kept", async (t) => {
  const sent = stubServer(t);
  const props = properties({ "auto.offset.reset": "latest" });
  const script = "CREATE STREAM a (x INT) WITH (KAFKA_TOPIC='a');\nSET 'auto.offset.reset'='earliest';\nSHOW QUERIES";
  const run = new ScriptRun(script, { from: 0, to: script.length }, props, 100);
  await run.run();
  assert.deepEqual(
    sent.map((s) => [s.body.ksql, s.body.streamsProperties]),
    [
      ["CREATE STREAM a (x INT) WITH (KAFKA_TOPIC='a');", { "auto.offset.reset": "latest" }],
      ["SHOW QUERIES;", { "auto.offset.reset": "earliest" }],
    ],
  );
  assert.deepEqual(
    run.results.value.map((r) => r.kind),
    ["entities", "property", "entities"],
  );
  assert.equal(props.value["auto.offset.reset"], "earliest");
  assert.equal(run.running.value, false);
});

test("the first failure stops the run; its range is in the document, its line and column as an editor counts", async (t) => {
  const sent = stubServer(t);
  const failing = "SHOW TOPICS;\n\nDESCRIBE y\n  BAD;\nCREATE STREAM BAD_TOO;\nSHOW TABLES;";
  const done: boolean[] = [];
  const run = new ScriptRun(failing, { from: 0, to: failing.length }, properties(), 100, {
    onStatementDone: (_, ok) => done.push(ok),
  });
  await run.run();
  assert.deepEqual(done, [true, false]);
  assert.equal(run.skipped.value, 2, "the two statements after the failure did not run");
  assert.equal(sent.length, 2);
  const error = run.results.value[1];
  assert.equal(error?.kind, "error");
  if (error?.kind !== "error") return;
  assert.equal(failing.slice(error.range.from, error.range.to), "BAD");
  assert.deepEqual(error.at, { line: 4, column: 3 });
  assert.equal(error.error.detail, "unknown column BAD");
});

test("a selection runs alone, and its errors are placed in the whole document", async (t) => {
  stubServer(t);
  const script = "SHOW TOPICS;\nDESCRIBE x\n  BAD;\n";
  const from = script.indexOf("DESCRIBE");
  const run = new ScriptRun(script, { from, to: script.length }, properties(), 100);
  await run.run();
  const [only] = run.results.value;
  assert.equal(only?.kind, "error");
  if (only?.kind !== "error") return;
  assert.equal(only.statement.from, from);
  assert.equal(script.slice(only.range.from, only.range.to), "BAD");
  assert.deepEqual(only.at, { line: 3, column: 3 });
});

test("a pull query completes before the next statement; rows keep their order and the cap keeps the first", async (t) => {
  const sent = stubServer(t, [[1], [2], [3]]);
  const script = "SELECT * FROM t;\nSHOW TABLES;";
  const run = new ScriptRun(script, { from: 0, to: script.length }, properties(), 2);
  await run.run();
  const [query] = run.results.value;
  assert.equal(query?.kind, "query");
  if (query?.kind !== "query") return;
  assert.equal(query.query.value.state, "completed");
  assert.equal(query.query.value.total, 3);
  assert.deepEqual(
    query.query.value.rows.map((r) => r.values),
    [[1], [2]],
  );
  assert.deepEqual(
    sent.map((s) => s.url),
    ["/api/sql/query-stream", "/api/sql/ksql"],
  );
});

test("a push query runs on beside the next statements, newest rows first, until stopped", async (t) => {
  let release = () => {};
  const hold = new Promise<void>((resolve) => {
    release = resolve;
  });
  t.after(() => release());
  const sent = stubServer(t, [[1], [2], [3]], hold);
  const script = "SELECT * FROM s EMIT CHANGES;\nSHOW STREAMS;";
  const run = new ScriptRun(script, { from: 0, to: script.length }, properties(), 100);
  await run.run();
  assert.deepEqual(
    sent.map((s) => s.url),
    ["/api/sql/query-stream", "/api/sql/ksql"],
    "SHOW STREAMS ran while the push query was still open",
  );
  const [query] = run.results.value;
  if (query?.kind !== "query") throw new Error("expected a query result first");
  assert.equal(query.query.value.state, "running");
  run.stopAll();
  while (query.query.value.state === "running") await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(query.query.value.state, "stopped");
  assert.deepEqual(
    query.query.value.rows.map((r) => r.values),
    [[3], [2], [1]],
  );
});
