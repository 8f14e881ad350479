// Where servers may listen: which hosts count as loopback, the refusal to serve elsewhere without auth, free ports.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:net";
import { test } from "node:test";
import { assertSafeBind, freePort, HttpServerError, isLoopback, urlHost } from "../../src/http/index.ts";

test("isLoopback: localhost, 127.0.0.0/8 and ::1 in any spelling; nothing else", () => {
  for (const host of [
    "127.0.0.1",
    "127.1.2.3",
    "localhost",
    "LOCALHOST",
    "::1",
    "0:0:0:0:0:0:0:1",
    "::ffff:127.0.0.1",
  ]) {
    assert.equal(isLoopback(host), true, host);
  }
  for (const host of ["0.0.0.0", "::", "10.0.0.5", "192.168.1.10", "fabrik.local", "128.0.0.1", "::2"]) {
    assert.equal(isLoopback(host), false, host);
  }
});

test("assertSafeBind: loopback or auth passes; another host without auth is refused naming the API and the risk", () => {
  assertSafeBind("127.0.0.1", undefined, "SQL API", "run queries");
  assertSafeBind("0.0.0.0", { token: "t" }, "SQL API", "run queries");
  assert.throws(
    () => assertSafeBind("0.0.0.0", undefined, "SQL API", "run queries"),
    (e: unknown) =>
      e instanceof HttpServerError &&
      e.code === "INSECURE_BIND" &&
      e.message.includes("SQL API on 0.0.0.0") &&
      e.message.includes("could run queries"),
  );
});

test("urlHost brackets IPv6 addresses only", () => {
  assert.equal(urlHost("::1"), "[::1]");
  assert.equal(urlHost("127.0.0.1"), "127.0.0.1");
  assert.equal(urlHost("localhost"), "localhost");
});

test("freePort: a real port, released again so that a server can listen on it", async () => {
  const port = await freePort("127.0.0.1");
  assert.ok(Number.isInteger(port) && port > 0 && port <= 65535, String(port));
  const server = createServer();
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  server.close();
  await once(server, "close");
});
