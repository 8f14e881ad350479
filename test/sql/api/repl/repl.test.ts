// `fabrik sql`'s loop driven through streams against the real REST server over a fake service: multi-line statements,
// listings, SET/UNSET, RUN SCRIPT, streaming rows, Ctrl-C, errors without stack traces, history and leaving.
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { after, test } from "node:test";
import { SqlClient } from "../../../../src/sql/api/repl/client.ts";
import { HistoryFile } from "../../../../src/sql/api/repl/history.ts";
import { startRepl } from "../../../../src/sql/api/repl/repl.ts";
import { type OutputFormat, SqlSession } from "../../../../src/sql/api/repl/session.ts";
import { startSqlServer } from "../../../../src/sql/api/server.ts";
import { KsqlRequestError } from "../../../../src/sql/engine/entities.ts";
import { whenEvent } from "../../../support/events.ts";
import { FakeQuery, FakeSqlService, ID_COLUMNS } from "../fake-service.ts";

const scratch = await mkdtemp(join(tmpdir(), "fabrik-sql-repl-"));
after(() => rm(scratch, { recursive: true, force: true }));

/** A REPL on streams: `type` writes lines, `output` holds everything printed, `until` waits for some text. */
async function shell(
  t: { after: (fn: () => Promise<void> | void) => void },
  options: { terminal?: boolean; format?: OutputFormat; history?: string } = {},
) {
  const service = new FakeSqlService();
  const server = await startSqlServer(service, { port: 0, logger: { error: () => {} } });
  const client = new SqlClient(server.url);
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.setEncoding("utf8");
  output.on("data", (chunk: string) => {
    text += chunk;
  });
  const session = new SqlSession({
    client,
    output,
    format: options.format ?? "TABULAR",
    width: () => 40,
    baseDir: scratch,
  });
  const history = new HistoryFile(options.history ?? join(scratch, `history-${Math.random().toString(36).slice(2)}`));
  const repl = await startRepl({ session, input, output, terminal: options.terminal ?? false, history });
  t.after(async () => {
    input.end();
    await repl.done;
    client.close();
    await server.close();
  });
  return {
    service,
    session,
    repl,
    input,
    history,
    output: () => text,
    type: (...lines: string[]) => input.write(lines.map((l) => `${l}\n`).join("")),
    until: (what: string | RegExp) =>
      whenEvent(`output to show ${what}`, [output], "data", () =>
        typeof what === "string" ? text.includes(what) : what.test(text),
      ),
  };
}

test("a statement typed over several lines runs once its ';' comes, and its answer prints as a listing", async (t) => {
  const sh = await shell(t);
  sh.type(
    "CREATE STREAM readings (machine STRING KEY, speed DOUBLE)",
    "  WITH (kafka_topic='r;x', value_format='JSON');",
  );
  await sh.until("Stream created");
  assert.equal(
    sh.service.executed[0]!.text,
    "CREATE STREAM readings (machine STRING KEY, speed DOUBLE)\n  WITH (kafka_topic='r;x', value_format='JSON');",
  );
  assert.match(sh.output(), /\n Message {8}\n-{16}\n Stream created \n-{16}\n/);
});

test("SET and UNSET stay in the client and travel with later statements and queries", async (t) => {
  const sh = await shell(t);
  sh.type("SET 'auto.offset.reset'='earliest';", "SHOW STREAMS;");
  await sh.until("Stream created");
  assert.match(sh.output(), /Property 'auto.offset.reset' set to 'earliest'/);
  assert.deepEqual(
    sh.service.executed.map((e) => e.text),
    ["SHOW STREAMS;"],
  );
  assert.deepEqual(sh.service.executed[0]!.properties, { "auto.offset.reset": "earliest" });
  const started = once(sh.service, "query");
  sh.type("SELECT * FROM readings EMIT CHANGES LIMIT 1;");
  const [query] = (await started) as [FakeQuery];
  assert.deepEqual(query.properties, { "auto.offset.reset": "earliest" });
  query.end();
  await sh.until("Query terminated");
  sh.type("UNSET 'auto.offset.reset';", "UNSET 'auto.offset.reset';", "SHOW TABLES;");
  await whenEvent("SHOW TABLES to run", [sh.service], "executed", () => sh.service.executed.length === 2);
  assert.deepEqual(sh.service.executed[1]!.properties, {});
  assert.match(sh.output(), /Property 'auto.offset.reset' unset \(it was 'earliest'\)/);
  assert.match(sh.output(), /Property 'auto.offset.reset' is not set in this session/);
});

test("a push query streams rows into a grid as they arrive; Ctrl-C stops it and the shell goes on", async (t) => {
  const sh = await shell(t, { terminal: true });
  const started = once(sh.service, "query");
  sh.type("SELECT * FROM readings EMIT CHANGES;");
  const [query] = (await started) as [FakeQuery];
  await sh.until("|ID");
  query.push(["m1", 1.5]);
  await sh.until("|m1");
  query.push(["m2", null]);
  await sh.until("|m2");
  // Two columns share the 40 characters: 18 each, between three borders.
  assert.match(sh.output(), /\+-{18}\+-{18}\+\n\|ID {16}\|SPEED {13}\|\n\+-{18}\+-{18}\+\n/);
  assert.match(sh.output(), /\|m1 {16}\|1\.5 {15}\|\n\|m2 {16}\|null {14}\|\n/);
  const closed = once(query, "closed");
  sh.input.write("\x03");
  await closed;
  await sh.until("Query terminated");
  sh.type("SHOW STREAMS;");
  await sh.until("Stream created");
});

test("Ctrl-C drops a half-typed statement; outside a terminal an interrupt with nothing running leaves", async (t) => {
  const sh = await shell(t, { terminal: true });
  sh.type("SHOW");
  // The continuation prompt shows the line was read; a key pressed before that would race the line.
  await sh.until("     -> ");
  sh.input.write("\x03");
  await sh.until("^C");
  sh.type("SHOW TABLES;");
  await sh.until("Stream created");
  assert.deepEqual(
    sh.service.executed.map((e) => e.text),
    ["SHOW TABLES;"],
  );

  const plain = await shell(t);
  plain.repl.interrupt();
  await plain.repl.done;
});

test("a pull query prints its rows and ends without 'Query terminated'; JSON output prints header and arrays", async (t) => {
  const sh = await shell(t, { format: "JSON" });
  sh.service.onQuery = (text) =>
    new FakeQuery({ queryId: "pull_1", kind: "pull", columns: ID_COLUMNS, text }).push(["m1", 2]).end();
  sh.type("SELECT * FROM machines WHERE id = 'm1';", "SHOW STREAMS;");
  await sh.until('"Stream created"');
  assert.match(sh.output(), /^\{"columnNames":\["ID","SPEED"\],"columnTypes":\["STRING","DOUBLE"\]\}\n\["m1",2\]\n\[/);
  assert.doesNotMatch(sh.output(), /Query terminated/);
  assert.equal(JSON.parse(sh.output().slice(sh.output().indexOf("\n[\n") + 1))[0]["@type"], "currentStatus");
});

test("PRINT shows its lines as they are, not in a grid, as ksqlDB's CLI does", async (t) => {
  const sh = await shell(t);
  const line = 'rowtime: 2026/11/25 00:57:27.788 Z, key: press-1, value: {"TEMP":85.0}, partition: 0';
  sh.service.onQuery = (text) =>
    new FakeQuery({ queryId: "print_1", kind: "print", columns: [{ name: "HOT", type: "STRING", key: false }], text })
      .push(["Key format: KAFKA_STRING"])
      .push([line])
      .end();
  sh.type("PRINT 'HOT' FROM BEGINNING LIMIT 1;", "SHOW STREAMS;");
  await sh.until("Stream created");
  assert.match(sh.output(), new RegExp(`^Key format: KAFKA_STRING\n${line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\n`));
  assert.doesNotMatch(sh.output(), /\+-{3}/, "no grid");
});

test("errors print their message only: refused statements, failing queries, unreadable scripts", async (t) => {
  const sh = await shell(t);
  sh.service.onExecute = () => {
    throw new KsqlRequestError(400, {
      "@type": "statement_error",
      error_code: 40001,
      message: "line 1:15: unknown source PLANT; did you mean PLANTS?",
    });
  };
  sh.service.onQuery = (text) =>
    new FakeQuery({ queryId: "q", kind: "push", columns: ID_COLUMNS, text })
      .push(["m1", 1])
      .fail(
        new KsqlRequestError(400, { "@type": "generic_error", error_code: 50000, message: "source topic was deleted" }),
      );
  sh.type("DESCRIBE plant;", "SELECT * FROM plants EMIT CHANGES;", "RUN SCRIPT 'missing.sql';", "SET 'a' 'b';");
  await sh.until("line 1:9");
  assert.match(sh.output(), /^line 1:15: unknown source PLANT; did you mean PLANTS\?\n/);
  assert.match(sh.output(), /\|m1 .*\n\+-+\+-+\+\nsource topic was deleted\n/);
  assert.match(sh.output(), /RUN SCRIPT cannot read 'missing.sql': no such file\n/);
  assert.doesNotMatch(sh.output(), /\n\s+at /);
});

test("RUN SCRIPT runs a file's statements through the client, SET included", async (t) => {
  const sh = await shell(t);
  await writeFile(
    join(scratch, "plant.sql"),
    "-- the plant\nSET 'auto.offset.reset'='earliest';\nCREATE STREAM a (id STRING KEY) WITH (kafka_topic='a', value_format='JSON');\nSHOW STREAMS;\n",
  );
  sh.type("RUN SCRIPT 'plant.sql';");
  await whenEvent("the script to run", [sh.service], "executed", () => sh.service.executed.length === 2);
  assert.deepEqual(
    sh.service.executed.map((e) => [e.text.slice(0, 13), e.properties]),
    [
      ["CREATE STREAM", { "auto.offset.reset": "earliest" }],
      ["SHOW STREAMS;", { "auto.offset.reset": "earliest" }],
    ],
  );
});

test("history is kept in its file, one line per entry, and read back by the next session", async (t) => {
  const path = join(scratch, "kept-history");
  const first = await shell(t, { history: path });
  first.type("SHOW", "STREAMS;", "SHOW STREAMS;", "SHOW STREAMS;", "exit", "SHOW TABLES;");
  await first.repl.done;
  await first.history.flush();
  assert.equal(await readFile(path, "utf8"), "SHOW\nSTREAMS;\nSHOW STREAMS;\nexit\n");
  assert.deepEqual(first.service.executed.length, 3, "nothing after exit runs");
  const second = new HistoryFile(path, 3);
  assert.deepEqual(await second.load(), ["STREAMS;", "SHOW STREAMS;", "exit"]);
  assert.equal(await readFile(path, "utf8"), "STREAMS;\nSHOW STREAMS;\nexit\n");
});

test("the end of input (Ctrl-D) leaves once the running statement is done", async (t) => {
  const sh = await shell(t);
  sh.type("SHOW STREAMS;");
  sh.input.end();
  await sh.repl.done;
  assert.match(sh.output(), /Stream created/);
});
