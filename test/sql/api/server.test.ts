// The server on a real port: /query and /query-stream over HTTP/1.1 chunked and over h2c on the same port, rows
// flushed one by one, a departing client closing its query, shutdown ending streams, and the bind rule.
import assert from "node:assert/strict";
import { once } from "node:events";
import { type IncomingMessage, request } from "node:http";
import { connect as connectHttp2 } from "node:http2";
import { connect as connectTcp } from "node:net";
import { test } from "node:test";
import { type SqlServer, startSqlServer } from "../../../src/sql/api/server.ts";
import { whenEvent } from "../../support/events.ts";
import { type FakeQuery, FakeSqlService } from "./fake-service.ts";

const silent = { error: () => {} };

async function serve(t: { after: (fn: () => Promise<void>) => void }) {
  const service = new FakeSqlService();
  const server = await startSqlServer(service, { port: 0, logger: silent });
  t.after(() => server.close());
  return { service, server };
}

/** Collects a response body as it arrives, so a test can wait for a given piece before the next is produced. */
class Body {
  text = "";
  readonly source: NodeJS.EventEmitter;

  constructor(source: NodeJS.ReadableStream) {
    this.source = source;
    source.setEncoding("utf8");
    source.on("data", (chunk: string) => {
      this.text += chunk;
    });
  }

  lines(): string[] {
    return this.text.split("\n").filter((l) => l.length > 0);
  }

  has(lineCount: number): Promise<boolean> {
    return whenEvent(`${lineCount} lines`, [this.source], "data", () => this.lines().length >= lineCount);
  }
}

function post(server: SqlServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  const req = request(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
  });
  req.end(JSON.stringify(body));
  return { req, response: once(req, "response").then(([r]) => r as IncomingMessage) };
}

async function nextQuery(service: FakeSqlService): Promise<FakeQuery> {
  const [query] = (await once(service, "query")) as [FakeQuery];
  return query;
}

test("HTTP/1.1 /query-stream: delimited header, then each row flushed as it comes; the stream ends with the rows", async (t) => {
  const { service, server } = await serve(t);
  const started = nextQuery(service);
  const { response } = post(server, "/query-stream", {
    sql: "SELECT * FROM s EMIT CHANGES LIMIT 2;",
    properties: { "auto.offset.reset": "earliest" },
  });
  const query = await started;
  assert.deepEqual(query.properties, { "auto.offset.reset": "earliest" });
  const res = await response;
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers["content-type"], "application/vnd.ksqlapi.delimited.v1");
  assert.equal(res.headers["transfer-encoding"], "chunked");
  const body = new Body(res);
  await body.has(1);
  query.push(["m1", 1.5]);
  await body.has(2);
  assert.deepEqual(JSON.parse(body.lines()[1]!), ["m1", 1.5]);
  query.push(["m2", 2.5]).end();
  await once(res, "end");
  assert.deepEqual(
    body.lines().map((l) => JSON.parse(l)),
    [
      { queryId: "transient_1", columnNames: ["ID", "SPEED"], columnTypes: ["STRING", "DOUBLE"] },
      ["m1", 1.5],
      ["m2", 2.5],
    ],
  );
});

test("HTTP/1.1 /query: the chunked JSON array, header first, ending with the final message", async (t) => {
  const { service, server } = await serve(t);
  const started = nextQuery(service);
  const { response } = post(server, "/query", { ksql: "SELECT * FROM s EMIT CHANGES LIMIT 1;", streamsProperties: {} });
  const query = await started;
  const res = await response;
  const body = new Body(res);
  await body.has(1);
  assert.match(body.text, /^\[\{"header":\{"queryId":"transient_1","schema":"`ID` STRING KEY, `SPEED` DOUBLE"\}\}/);
  query.push(["m1", 7]).end();
  await once(res, "end");
  assert.deepEqual(JSON.parse(body.text), [
    { header: { queryId: "transient_1", schema: "`ID` STRING KEY, `SPEED` DOUBLE" } },
    { row: { columns: ["m1", 7] } },
    { finalMessage: "Limit Reached" },
  ]);
});

test("an HTTP/1.1 client that disconnects closes its push query", async (t) => {
  const { service, server } = await serve(t);
  const started = nextQuery(service);
  const { req, response } = post(server, "/query-stream", { sql: "SELECT * FROM s EMIT CHANGES;" });
  const query = await started;
  const body = new Body(await response);
  query.push(["m1", 1]);
  await body.has(2);
  const closed = once(query, "closed");
  req.destroy();
  await closed;
  assert.equal(query.closed, true);
});

test("HTTP/2 with prior knowledge on the same port: /query-stream as delimited and as JSON, /ksql, /info", async (t) => {
  const { service, server } = await serve(t);
  const session = connectHttp2(server.url);
  t.after(() => new Promise<void>((resolve) => session.close(() => resolve())));

  const started = nextQuery(service);
  const stream = session.request({ ":method": "POST", ":path": "/query-stream" });
  stream.end(JSON.stringify({ sql: "SELECT * FROM s EMIT CHANGES;" }));
  const [headers] = (await once(stream, "response")) as [Record<string, string | number>];
  assert.equal(headers[":status"], 200);
  assert.equal(headers["content-type"], "application/vnd.ksqlapi.delimited.v1");
  const query = await started;
  const body = new Body(stream);
  await body.has(1);
  query.push(["m1", 1]);
  await body.has(2);
  assert.deepEqual(JSON.parse(body.lines()[1]!), ["m1", 1]);
  // Closing the HTTP/2 stream (not the connection) closes the query.
  const closed = once(query, "closed");
  stream.close();
  await closed;

  const pulled = nextQuery(service);
  const json = session.request({ ":method": "POST", ":path": "/query-stream", accept: "application/json" });
  json.end(JSON.stringify({ sql: "SELECT * FROM t WHERE id = 'm1';" }));
  const pull = await pulled;
  const jsonBody = new Body(json);
  pull.push(["m1", 3]).end();
  await once(json, "end");
  assert.deepEqual(JSON.parse(jsonBody.text), [
    { queryId: "transient_2", columnNames: ["ID", "SPEED"], columnTypes: ["STRING", "DOUBLE"] },
    ["m1", 3],
  ]);

  const ksql = session.request({ ":method": "POST", ":path": "/ksql", "content-type": "application/json" });
  ksql.end(JSON.stringify({ ksql: "SHOW STREAMS;", streamsProperties: {} }));
  const ksqlBody = new Body(ksql);
  await once(ksql, "end");
  assert.equal(JSON.parse(ksqlBody.text)[0]["@type"], "currentStatus");
  assert.equal(service.executed[0]!.text, "SHOW STREAMS;");

  const info = session.request({ ":method": "GET", ":path": "/info" });
  info.end();
  const infoBody = new Body(info);
  await once(info, "end");
  assert.equal(JSON.parse(infoBody.text).KsqlServerInfo.ksqlServiceId, "fabrik_");
});

test("an HTTP/2 preface split over several packets still reaches the HTTP/2 server", async (t) => {
  const { server } = await serve(t);
  const socket = connectTcp(server.port, "127.0.0.1");
  t.after(() => {
    socket.destroy();
  });
  await once(socket, "connect");
  const answered = once(socket, "data") as Promise<[Buffer]>;
  socket.write("PRI * HTTP/2.0\r\n");
  // Two writes with a turn of the event loop between them (no Nagle on either side): the server almost always reads
  // the first piece alone; either way the rest of the preface and an empty SETTINGS frame follow.
  await new Promise((resolve) => setImmediate(resolve));
  socket.write(Buffer.concat([Buffer.from("\r\nSM\r\n\r\n", "latin1"), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]));
  const [first] = await answered;
  assert.equal(first[3], 4, "the server's first frame is its SETTINGS");
});

test("a connection that trickles its head is dropped: HTTP/1.1 with a 408, one that never shows its protocol at once", async (t) => {
  const service = new FakeSqlService();
  const server = await startSqlServer(service, { port: 0, logger: silent, headersTimeoutMs: 100 });
  t.after(() => server.close());
  const slow = connectTcp(server.port, "127.0.0.1");
  const silentClient = connectTcp(server.port, "127.0.0.1");
  t.after(() => {
    slow.destroy();
    silentClient.destroy();
  });
  let answer = "";
  slow.on("data", (chunk: Buffer) => {
    answer += chunk.toString("latin1");
  });
  await Promise.all([once(slow, "connect"), once(silentClient, "connect")]);
  // Past the protocol decision, then never the blank line that ends the head.
  slow.write("POST /ksql HTTP/1.1\r\nHost: x\r\n");
  const closed = () => slow.closed && silentClient.closed;
  await whenEvent("the server to drop both connections", [slow, silentClient], "close", closed, 10_000);
  assert.match(answer, /^HTTP\/1\.1 408 /);
});

test("a paused HTTP/1.1 client still receives every row, in order, once it reads", async (t) => {
  const { service, server } = await serve(t);
  const started = nextQuery(service);
  const { response } = post(server, "/query-stream", { sql: "SELECT * FROM s EMIT CHANGES LIMIT 2000;" });
  const query = await started;
  const res = await response;
  res.pause();
  const wide = "x".repeat(2000);
  for (let i = 0; i < 2000; i++) query.push([`${wide}${i}`, i]);
  query.end();
  // The server streams into the paused client's sockets (how far it may pull is test/sql/api/stream-rows.test.ts's
  // concern: the kernel's buffer sizes make it untestable here)...
  await whenEvent("the server to stream to the paused client", [query], "pulled", () => query.pulled > 10);
  res.resume();
  const body = new Body(res);
  await once(res, "end");
  const rows = body
    .lines()
    .slice(1)
    .map((l) => JSON.parse(l) as [string, number]);
  assert.equal(rows.length, 2000);
  assert.deepEqual(
    rows.map((r) => r[1]),
    Array.from({ length: 2000 }, (_, i) => i),
  );
});

test("closing the server ends open streams properly and closes their queries", async () => {
  const service = new FakeSqlService();
  const server = await startSqlServer(service, { port: 0, logger: silent });
  const started = nextQuery(service);
  const { response } = post(server, "/query-stream", { sql: "SELECT * FROM s EMIT CHANGES;" });
  const query = await started;
  const res = await response;
  const body = new Body(res);
  await body.has(1);
  const ended = once(res, "end");
  await server.close();
  await ended;
  assert.equal(query.closed, true);
  assert.equal(body.lines().length, 1);
});

test("refuses a non-loopback address without auth, before listening", async () => {
  await assert.rejects(startSqlServer(new FakeSqlService(), { host: "0.0.0.0", port: 0 }), (error: Error) => {
    assert.equal((error as Error & { code: string }).code, "INSECURE_BIND");
    assert.match(error.message, /SQL REST API on 0\.0\.0\.0 without authentication/);
    return true;
  });
  await assert.rejects(
    startSqlServer(new FakeSqlService(), { host: "0.0.0.0", port: 0, auth: { token: "" } }),
    /token is empty/,
  );
});
