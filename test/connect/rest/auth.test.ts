// Authentication on the connect REST API: refusals in Connect's body with a WWW-Authenticate challenge per scheme.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fixture } from "./app-fixture.ts";

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

test("with auth, every resource answers 401 Connect-shaped with WWW-Authenticate until credentials are right", async (t) => {
  const f = await fixture(t, { auth: { token: "s3cret-token", users: { admin: "admin-pw" } } });
  for (const url of ["/", "/connectors", "/metrics", "/sources/press/tags", "/no/such/route"]) {
    const refused = await f.request("GET", url, undefined, { authorization: "Bearer wrong" });
    assert.equal(refused.status, 401, url);
    assert.deepEqual(refused.body, { error_code: 401, message: "Invalid bearer token" });
    assert.deepEqual(refused.headers["www-authenticate"], [
      'Basic realm="Fabrik Connect", charset="UTF-8"',
      'Bearer realm="Fabrik Connect"',
    ]);
  }
  const anonymous = await f.request("POST", "/connectors", { name: "a", config: {} });
  assert.equal(anonymous.status, 401);
  assert.equal(f.service.calls.length, 0, "a refused request never reaches the service");
  assert.equal(
    (await f.request("GET", "/connectors", undefined, { authorization: "Bearer s3cret-token" })).status,
    200,
  );
  assert.equal(
    (await f.request("GET", "/connectors", undefined, { authorization: basic("admin", "admin-pw") })).status,
    200,
  );
});
