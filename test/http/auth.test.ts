// Authentication: Bearer token and HTTP Basic users, refusals with a reason, one WWW-Authenticate challenge per scheme.
import assert from "node:assert/strict";
import { test } from "node:test";
import { authChallenges, authenticator, checkAuth, type HttpAuth, HttpServerError } from "../../src/http/index.ts";

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

test("authenticator: the right token or user/password passes, anything else is refused with a reason", () => {
  const check = authenticator({ token: "s3cret-token", users: { alice: "pa:ss", bob: "hunter2" } });
  assert.deepEqual(check("Bearer s3cret-token"), { ok: true });
  assert.deepEqual(check("bearer s3cret-token"), { ok: true }, "the scheme is case-insensitive");
  assert.deepEqual(check(basic("alice", "pa:ss")), { ok: true }, "a password may contain ':'");
  assert.deepEqual(check(basic("bob", "hunter2")), { ok: true });
  const refusals: [string | undefined, RegExp][] = [
    [undefined, /Authentication required/],
    ["", /Authentication required/],
    ["Bearer s3cret-toke", /Invalid bearer token/],
    ["Bearer", /Invalid bearer token/],
    [basic("bob", "hunter3"), /Invalid user name or password/],
    [basic("mallory", "hunter2"), /Invalid user name or password/],
    [basic("alice", "hunter2"), /Invalid user name or password/],
    [`Basic ${Buffer.from("nocolon").toString("base64")}`, /Malformed Basic/],
    ["Digest username=x", /scheme "digest" is not accepted/],
  ];
  for (const [header, reason] of refusals) {
    const outcome = check(header);
    assert.equal(outcome.ok, false, String(header));
    assert.match(outcome.ok ? "" : outcome.message, reason, String(header));
  }
});

test("authenticator: an unknown user is refused even with the password unknown users are compared against", () => {
  assert.equal(authenticator({ users: { u: "p" } })(basic("mallory", "fabrik: no such user")).ok, false);
});

test("authenticator: a scheme that is not configured is refused even with a matching secret", () => {
  assert.equal(authenticator({ token: "t" })(basic("t", "t")).ok, false);
  assert.equal(authenticator({ users: { u: "p" } })("Bearer p").ok, false);
});

test("checkAuth refuses credentials that let anyone in or can never match", () => {
  const bad: HttpAuth[] = [
    {},
    { token: "" },
    { users: {} },
    { users: { "": "p" } },
    { users: { "a:b": "p" } },
    { users: { a: "" } },
  ];
  for (const auth of bad) {
    assert.throws(
      () => checkAuth(auth),
      (e: unknown) => e instanceof HttpServerError && e.code === "INVALID_AUTH",
      JSON.stringify(auth),
    );
  }
});

test("authChallenges: one per configured scheme", () => {
  assert.deepEqual(authChallenges({ token: "t" }, "Fabrik Connect"), ['Bearer realm="Fabrik Connect"']);
  assert.deepEqual(authChallenges({ token: "t", users: { u: "p" } }, "Fabrik Connect"), [
    'Basic realm="Fabrik Connect", charset="UTF-8"',
    'Bearer realm="Fabrik Connect"',
  ]);
});
