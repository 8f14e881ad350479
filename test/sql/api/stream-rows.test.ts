// Streaming a query to a response: rows pulled only as fast as the client takes them, a departed client closes the query.
import assert from "node:assert/strict";
import { once } from "node:events";
import { Writable } from "node:stream";
import { test } from "node:test";
import { delimitedFraming } from "../../../src/sql/api/framing.ts";
import { streamRows } from "../../../src/sql/api/stream-rows.ts";
import { KsqlRequestError } from "../../../src/sql/engine/entities.ts";
import { whenEvent } from "../../support/events.ts";
import { FakeQuery, ID_COLUMNS } from "./fake-service.ts";

/** A response whose client reads only when the test says: each written chunk waits until `release()`. */
class SlowClient extends Writable {
  readonly chunks: string[] = [];
  readonly #waiting: (() => void)[] = [];

  constructor() {
    super({ highWaterMark: 64, decodeStrings: false });
  }

  override _write(chunk: string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    this.#waiting.push(() => callback());
    this.emit("accepted");
  }

  /** The client reads everything written so far. */
  release(): void {
    for (const done of this.#waiting.splice(0)) done();
  }

  get text(): string {
    return this.chunks.join("");
  }
}

const noFailure = () => assert.fail("no failure expected");
const row = (i: number) => [`machine-${i}`.padEnd(80, "."), i];

test("a full buffer stops the pulling: no row is taken from the query until the client drains", async () => {
  const query = new FakeQuery({ queryId: "q", kind: "push", columns: ID_COLUMNS });
  for (let i = 0; i < 100; i++) query.push(row(i));
  const out = new SlowClient();
  const pumping = streamRows(query, delimitedFraming, out, noFailure);
  // Each row is larger than the buffer: after the header and one row the pump must wait for 'drain'.
  await whenEvent("the pump to wait for drain", [out], "accepted", () => out.listenerCount("drain") > 0);
  const pulledWhileFull = query.pulled;
  assert.ok(pulledWhileFull <= 2, `pulled ${pulledWhileFull} rows into a full buffer`);
  out.release();
  await whenEvent("the next row", [query], "pulled", () => query.pulled > pulledWhileFull);
  // Let it run to the end, releasing as it writes.
  out.on("accepted", () => out.release());
  out.release();
  query.end();
  assert.equal(await pumping, "ended");
  assert.equal(query.pulled, 100);
  assert.equal(out.text.trimEnd().split("\n").length, 101);
  assert.ok(query.closed, "the query is closed once streamed");
});

test("a client that leaves while the query waits for rows closes the query at once", async () => {
  const query = new FakeQuery({ queryId: "q", kind: "push", columns: ID_COLUMNS });
  const out = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const pumping = streamRows(query, delimitedFraming, out, noFailure);
  query.push(row(1));
  await once(query, "pulled");
  const closed = once(query, "closed");
  out.destroy();
  await closed;
  assert.equal(await pumping, "left");
});

test("a query failing after the header ends the stream with the service's error body", async () => {
  const query = new FakeQuery({ queryId: "q", kind: "push", columns: ID_COLUMNS });
  const out = new SlowClient();
  out.on("accepted", () => out.release());
  const failures: unknown[] = [];
  const body = { "@type": "statement_error", error_code: 40001, message: "source topic PLANT was deleted" } as const;
  query.push(row(1)).fail(new KsqlRequestError(400, body));
  assert.equal(await streamRows(query, delimitedFraming, out, (error) => failures.push(error)), "failed");
  assert.deepEqual(JSON.parse(out.text.trimEnd().split("\n").at(-1)!), body);
  assert.equal(failures.length, 1);
});

test("an unexpected failure is reported to the server, and the client sees no internals", async () => {
  const query = new FakeQuery({ queryId: "q", kind: "push", columns: ID_COLUMNS });
  const out = new SlowClient();
  out.on("accepted", () => out.release());
  let logged = false;
  query.fail(new Error("secret path /var/lib/fabrik broke"));
  const outcome = await streamRows(query, delimitedFraming, out, (_error, shaped) => {
    logged = shaped.unexpected;
  });
  assert.equal(outcome, "failed");
  assert.ok(logged);
  assert.doesNotMatch(out.text, /secret/);
  assert.match(out.text, /"error_code":50000/);
});
