// The UI's files: cache and security headers, the client-side routes' fallback, missing files, and no way out of the
// folder (tested on the wire too, where no client library tidies the path first).
import assert from "node:assert/strict";
import { symlink } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { startFabrikServer } from "../../src/server/index.ts";
import { NO_KAFKA, quietLog, serverApp, UI_FILES, uiFolder } from "./fixture.ts";

const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

test("index.html for / and every client-side route, never cached, with the CSP", async (t) => {
  const app = await serverApp(t, { uiDir: await uiFolder(t) });
  for (const url of ["/", "/trends", "/alerts?machine=press", "/sql/", "/connectors/demo-plant", "/assets"]) {
    const response = await app.inject({ url });
    assert.equal(response.statusCode, 200, url);
    assert.equal(response.body, UI_FILES["index.html"], url);
    assert.equal(response.headers["content-type"], "text/html; charset=utf-8");
    assert.equal(response.headers["cache-control"], "no-cache");
    assert.equal(response.headers["content-security-policy"], CSP);
    assert.equal(response.headers["x-content-type-options"], "nosniff");
    assert.equal(response.headers["referrer-policy"], "no-referrer");
  }
});

test("hashed assets are cached for a year; other files are revalidated; no CSP on non-HTML", async (t) => {
  const app = await serverApp(t, { uiDir: await uiFolder(t) });
  const js = await app.inject({ url: "/assets/index-abc123.js" });
  assert.equal(js.statusCode, 200);
  assert.equal(js.body, UI_FILES["assets/index-abc123.js"]);
  assert.equal(js.headers["content-type"], "text/javascript; charset=utf-8");
  assert.equal(js.headers["cache-control"], "public, max-age=31536000, immutable");
  assert.equal(js.headers["content-security-policy"], undefined);
  assert.equal(js.headers["x-content-type-options"], "nosniff");
  assert.equal(
    (await app.inject({ url: "/assets/index-abc123.css" })).headers["content-type"],
    "text/css; charset=utf-8",
  );
  const svg = await app.inject({ url: "/favicon.svg" });
  assert.equal(svg.headers["content-type"], "image/svg+xml");
  assert.equal(svg.headers["cache-control"], "no-cache");

  const etag = String(js.headers.etag);
  const again = await app.inject({ url: "/assets/index-abc123.js", headers: { "if-none-match": etag } });
  assert.equal(again.statusCode, 304);
  assert.equal(again.body, "");
  const head = await app.inject({ method: "HEAD", url: "/assets/index-abc123.js" });
  assert.equal(head.statusCode, 200);
  assert.equal(head.body, "");
  assert.equal(Number(head.headers["content-length"]), UI_FILES["assets/index-abc123.js"]!.length);
});

test("a missing file with an extension is a 404, not the index; other methods are refused", async (t) => {
  const app = await serverApp(t, { uiDir: await uiFolder(t) });
  for (const url of ["/assets/index-gone.js", "/robots.txt", "/trends/chart.png"]) {
    const response = await app.inject({ url });
    assert.equal(response.statusCode, 404, url);
    assert.equal(response.body, `Not found: ${url}\n`);
  }
  const post = await app.inject({ method: "POST", url: "/trends", payload: {} });
  assert.equal(post.statusCode, 405);
  assert.equal(post.headers.allow, "GET, HEAD");
});

test("without a built UI, / answers 503 saying how to build it; the APIs still answer", async (t) => {
  const app = await serverApp(t, { uiDir: await uiFolder(t, {}) });
  const page = await app.inject({ url: "/" });
  assert.equal(page.statusCode, 503);
  assert.match(page.body, /npm run build:ui/);
  assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
  assert.equal((await app.inject({ url: "/trends" })).statusCode, 503);
  assert.equal((await app.inject({ url: "/assets/index-abc123.js" })).statusCode, 404);
  assert.equal((await app.inject({ url: "/api/info" })).statusCode, 200);
});

/** GET of a raw request target, written on the socket as is. */
async function rawGet(port: number, target: string): Promise<{ status: number; body: string }> {
  const socket = connect(port, "127.0.0.1");
  socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  let text = "";
  for await (const chunk of socket) text += chunk.toString("utf8");
  const [head = "", body = ""] = text.split("\r\n\r\n");
  return { status: Number(head.split(" ")[1]), body };
}

test("no path leaves the UI folder: dot segments, encoded ones, encoded slashes, links out", async (t) => {
  const uiDir = await uiFolder(t);
  await symlink(join(uiDir, "..", "secret.txt"), join(uiDir, "link.txt"));
  const server = await startFabrikServer({ kafka: NO_KAFKA, uiDir, port: 0, log: quietLog });
  t.after(() => server.close());
  for (const target of [
    "/../secret.txt",
    "/assets/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/assets/..%2f..%2fsecret.txt",
    "/%2e%2e%2fsecret.txt",
    "/..%5csecret.txt",
    "/.%2e/secret.txt",
    "/link.txt",
    "/%00/secret.txt",
    "/../package.json",
    "/%2e%2e/%2e%2e/package.json",
  ]) {
    const { status, body } = await rawGet(server.port, target);
    assert.ok(status === 404 || status === 400, `${target}: ${status}`);
    assert.doesNotMatch(body, /TOP SECRET|"name": "fabrik"/, target);
  }
  const ok = await rawGet(server.port, "/assets/index-abc123.js");
  assert.equal(ok.status, 200);
});
