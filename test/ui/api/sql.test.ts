// The UI's SQL client against a stubbed fetch: statements and their errors with positions, query streams read line by
// line across chunk boundaries, rows batched per flush, mid-stream failures, and stopping.
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import { closeQuery, locateMessage, readLines, runStatements, SqlError, streamQuery } from "../../../ui/src/api/sql.ts";

interface Call {
  readonly url: string;
  readonly init: RequestInit;
}

/** Replaces fetch for one test: each call gets the next answer. */
function stubFetch(t: TestContext, ...answers: ((call: Call) => Response)[]): Call[] {
  const calls: Call[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const call = { url: String(input), init };
    calls.push(call);
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`unexpected fetch ${call.url}`);
    if (init.signal?.aborted) throw new DOMException("aborted", "AbortError");
    return answer(call);
  }) as typeof fetch;
  t.after(() => {
    globalThis.fetch = original;
  });
  return calls;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** A streamed body whose chunks are these strings, in order, split wherever the test says. */
function chunked(chunks: readonly string[], hold?: Promise<void>): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (hold !== undefined) await hold;
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "application/vnd.ksqlapi.delimited.v1" } });
}

test("locateMessage takes the line:column prefix apart and leaves other messages whole", () => {
  assert.deepEqual(locateMessage("line 3:14: unknown column BELT_SPED; did you mean BELT_SPEED?"), {
    position: { line: 3, column: 14 },
    detail: "unknown column BELT_SPED; did you mean BELT_SPEED?",
  });
  assert.deepEqual(locateMessage("Query terminated."), { position: undefined, detail: "Query terminated." });
  assert.deepEqual(locateMessage("line 1:1: a\nmultiline message").detail, "a\nmultiline message");
});

test("runStatements posts the text and properties and answers the entities", async (t) => {
  const entities = [{ "@type": "streams", statementText: "SHOW STREAMS;", warnings: [], streams: [] }];
  const calls = stubFetch(t, () => json(200, entities));
  assert.deepEqual(await runStatements("SHOW STREAMS;", { "auto.offset.reset": "earliest" }), entities);
  assert.equal(calls[0]!.url, "/api/sql/ksql");
  assert.equal(calls[0]!.init.method, "POST");
  assert.deepEqual(JSON.parse(String(calls[0]!.init.body)), {
    ksql: "SHOW STREAMS;",
    streamsProperties: { "auto.offset.reset": "earliest" },
  });
  assert.equal(new Headers(calls[0]!.init.headers).get("X-Requested-With"), "fabrik-ui");
});

test("a refused statement rejects with SqlError carrying the position, the statement and the earlier answers", async (t) => {
  const before = { "@type": "streams", statementText: "SHOW STREAMS;", warnings: [], streams: [] };
  stubFetch(t, () =>
    json(400, {
      "@type": "statement_error",
      error_code: 40001,
      message: "line 4:27: unknown column BELT_SPED; did you mean BELT_SPEED?",
      statementText: "CREATE STREAM Y AS SELECT BELT_SPED FROM CONVEYOR_READINGS;",
      entities: [before],
    }),
  );
  const error = await runStatements("SHOW STREAMS;\n…").catch((e: unknown) => e);
  assert.ok(error instanceof SqlError);
  assert.equal(error.code, "SQL_STATEMENT");
  assert.equal(error.errorCode, 40001);
  assert.equal(error.status, 400);
  assert.deepEqual(error.position, { line: 4, column: 27 });
  assert.equal(error.detail, "unknown column BELT_SPED; did you mean BELT_SPEED?");
  assert.equal(error.statementText, "CREATE STREAM Y AS SELECT BELT_SPED FROM CONVEYOR_READINGS;");
  assert.deepEqual(error.entities, [before]);
});

test("a server that cannot be reached is SQL_UNREACHABLE, a 500 SQL_SERVER", async (t) => {
  stubFetch(
    t,
    () => {
      throw new TypeError("fetch failed");
    },
    () => json(500, { "@type": "generic_error", error_code: 50000, message: "The server failed" }),
  );
  const unreachable = await runStatements("SHOW TOPICS;").catch((e: unknown) => e);
  assert.ok(unreachable instanceof SqlError);
  assert.equal(unreachable.code, "SQL_UNREACHABLE");
  const failed = await runStatements("SHOW TOPICS;").catch((e: unknown) => e);
  assert.ok(failed instanceof SqlError);
  assert.equal(failed.code, "SQL_SERVER");
  assert.equal(failed.errorCode, 50000);
});

test("readLines joins lines split across chunks, skips blank lines and keeps a last line without a newline", async () => {
  const body = chunked(['{"a":', '1}\n["x",', "2]\n\n", "[3]\r\n[4", "]"]).body!;
  const lines: string[] = [];
  await readLines(body, (line) => lines.push(line));
  assert.deepEqual(lines, ['{"a":1}', '["x",2]', "[3]", "[4]"]);
});

test("readLines decodes UTF-8 characters split between chunks", async () => {
  const bytes = new TextEncoder().encode('["°C"]\n');
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, 3));
      controller.enqueue(bytes.slice(3));
      controller.close();
    },
  });
  const lines: string[] = [];
  await readLines(body, (line) => lines.push(line));
  assert.deepEqual(lines, ['["°C"]']);
});

test("streamQuery hands over the header, then rows in batches per flush, and completes", async (t) => {
  const header = { queryId: "transient_X_1", columnNames: ["ID", "N"], columnTypes: ["STRING", "INTEGER"] };
  const calls = stubFetch(t, () => chunked([`${JSON.stringify(header)}\n["a",1]\n["b",`, '2]\n["c",3]\n']));
  const flushes: (() => void)[] = [];
  const batches: unknown[][] = [];
  let seen: unknown;
  const end = streamQuery("SELECT * FROM X EMIT CHANGES;", {
    properties: { "auto.offset.reset": "earliest" },
    onHeader: (h) => {
      seen = h;
    },
    onRows: (rows) => batches.push(rows),
    schedule: (flush) => flushes.push(flush),
  });
  assert.equal(await end, "completed");
  assert.deepEqual(seen, header);
  // One flush was scheduled for the first row; the end delivered everything that was still waiting in one batch.
  assert.equal(flushes.length, 1);
  assert.deepEqual(batches, [
    [
      ["a", 1],
      ["b", 2],
      ["c", 3],
    ],
  ]);
  assert.equal(calls[0]!.url, "/api/sql/query-stream");
  assert.equal(new Headers(calls[0]!.init.headers).get("Accept"), "application/vnd.ksqlapi.delimited.v1");
  assert.deepEqual(JSON.parse(String(calls[0]!.init.body)), {
    sql: "SELECT * FROM X EMIT CHANGES;",
    properties: { "auto.offset.reset": "earliest" },
  });
});

test("streamQuery delivers each scheduled batch when its flush runs", async (t) => {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  stubFetch(t, () => chunked(['{"queryId":"q","columnNames":["N"],"columnTypes":["INTEGER"]}\n[1]\n[2]\n'], held));
  const batches: unknown[][] = [];
  let flush: (() => void) | undefined;
  const end = streamQuery("SELECT N FROM X EMIT CHANGES;", {
    onRows: (rows) => batches.push(rows),
    schedule: (f) => {
      flush = f;
    },
  });
  while (flush === undefined) await new Promise((resolve) => setImmediate(resolve));
  flush();
  assert.deepEqual(batches, [[[1], [2]]]);
  release();
  assert.equal(await end, "completed");
  assert.deepEqual(batches, [[[1], [2]]]);
});

test("a query refused before its header rejects with its position; one failing mid-stream is SQL_QUERY_FAILED", async (t) => {
  stubFetch(
    t,
    () =>
      json(400, {
        "@type": "statement_error",
        error_code: 40001,
        message: "line 1:15: unknown stream or table NOPE",
        statementText: "SELECT * FROM NOPE EMIT CHANGES;",
      }),
    () =>
      chunked([
        '{"queryId":"q","columnNames":["N"],"columnTypes":["INTEGER"]}\n[1]\n',
        '{"@type":"generic_error","error_code":50000,"message":"query q stopped: topic t does not exist"}\n',
      ]),
  );
  const refused = await streamQuery("SELECT * FROM NOPE EMIT CHANGES;").catch((e: unknown) => e);
  assert.ok(refused instanceof SqlError);
  assert.equal(refused.code, "SQL_STATEMENT");
  assert.deepEqual(refused.position, { line: 1, column: 15 });

  const rows: unknown[] = [];
  const failed = await streamQuery("SELECT N FROM T EMIT CHANGES;", {
    onRows: (batch) => rows.push(...batch),
    schedule: () => {},
  }).catch((e: unknown) => e);
  assert.ok(failed instanceof SqlError);
  assert.equal(failed.code, "SQL_QUERY_FAILED");
  assert.equal(failed.message, "query q stopped: topic t does not exist");
  assert.deepEqual(rows, [[1]], "rows that came before the failure are still handed over");
});

test("aborting a running query resolves 'stopped' after handing over the rows it had", async (t) => {
  const controller = new AbortController();
  const never = new Promise<void>(() => {});
  stubFetch(t, (call) => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(stream) {
        stream.enqueue(encoder.encode('{"queryId":"q","columnNames":["N"],"columnTypes":["INTEGER"]}\n[7]\n'));
        call.init.signal?.addEventListener("abort", () => stream.error(new DOMException("aborted", "AbortError")));
        await never;
      },
    });
    return new Response(body, { status: 200 });
  });
  const rows: unknown[] = [];
  const end = streamQuery("SELECT N FROM T EMIT CHANGES;", {
    signal: controller.signal,
    onHeader: () => queueMicrotask(() => setImmediate(() => controller.abort())),
    onRows: (batch) => rows.push(...batch),
    schedule: () => {},
  });
  assert.equal(await end, "stopped");
  assert.deepEqual(rows, [[7]]);
});

test("closeQuery says whether the server still had the query", async (t) => {
  const calls = stubFetch(
    t,
    () => new Response(null, { status: 200 }),
    () => json(400, { "@type": "generic_error", error_code: 40400, message: "No query with id q is running" }),
  );
  assert.equal(await closeQuery("q"), true);
  assert.equal(await closeQuery("q"), false);
  assert.equal(calls[0]!.url, "/api/sql/close-query");
  assert.deepEqual(JSON.parse(String(calls[0]!.init.body)), { queryId: "q" });
});
