// The session store and cookie helpers: ids, idle expiry on an injected clock, the bound on how many are kept.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SESSION_IDLE_MS, SessionStore, sessionCookie, sessionIdOf } from "../../src/server/sessions.ts";

test("a session lives while used, and dies 12 h after its last use", () => {
  let now = 0;
  const store = new SessionStore({ now: () => now });
  const id = store.create("alice");
  assert.match(id, /^[A-Za-z0-9_-]{43}$/, "256 random bits, base64url");
  assert.notEqual(store.create(), id);
  now = SESSION_IDLE_MS - 1;
  assert.equal(store.use(id)?.user, "alice");
  now += SESSION_IDLE_MS - 1;
  assert.ok(store.use(id));
  now += SESSION_IDLE_MS;
  assert.equal(store.use(id), undefined);
  assert.equal(store.use(id), undefined, "and it stays gone");
});

test("unknown, malformed and deleted ids find nothing", () => {
  const store = new SessionStore();
  const id = store.create();
  assert.equal(store.use(`${id.slice(0, -1)}${id.endsWith("A") ? "B" : "A"}`), undefined);
  assert.equal(store.use("short"), undefined);
  assert.equal(store.use(`${id}x`), undefined);
  store.delete(id);
  assert.equal(store.use(id), undefined);
});

test("past the bound the least recently used session goes; expired ones go first", () => {
  let now = 0;
  const store = new SessionStore({ now: () => now, maxSessions: 3 });
  const [a, b, c] = [store.create(), store.create(), store.create()];
  now = 10;
  assert.ok(store.use(a), "a is now the most recently used");
  const d = store.create();
  assert.equal(store.size, 3);
  assert.equal(store.use(b), undefined, "b was the least recently used");
  assert.ok(store.use(a) && store.use(c) && store.use(d));
  now += SESSION_IDLE_MS;
  store.create();
  assert.equal(store.size, 1, "creating sweeps the expired");
});

test("the cookie is HttpOnly, SameSite=Strict, for the whole site; the id is read back from a Cookie header", () => {
  assert.equal(sessionCookie("abc"), "fabrik_session=abc; HttpOnly; SameSite=Strict; Path=/");
  assert.equal(sessionIdOf("theme=dark; fabrik_session=xyz ; other=1"), "xyz");
  assert.equal(sessionIdOf("fabrik_sessionx=1"), undefined);
  assert.equal(sessionIdOf(undefined), undefined);
});
