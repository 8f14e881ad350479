// Fabrik's /sources/{name}/tags: live values with quality and health, written as records carry them.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { LiveSource } from "../../../../src/connect/service.ts";
import { fixture } from "../app-fixture.ts";

const PRESS: LiveSource = {
  source: "press",
  connector: "plant",
  worker_id: "worker-1:8083",
  health: "degraded",
  tags: [
    {
      alias: "strokes",
      address: "%DB1.DBX0:ULINT",
      job: "fast",
      code: "OK",
      quality: "GOOD",
      value: 18446744073709551615n,
      sampledAt: 1_700_000_000_000,
    },
    {
      alias: "uptime",
      address: "%DB1.DBX8:LTIME",
      job: "fast",
      code: "OK",
      quality: "UNCERTAIN",
      value: { ns: 9007199254740993n },
      sampledAt: 1_700_000_000_000,
    },
    {
      alias: "oil",
      address: "%DB1.DBD16:REAL",
      job: "slow",
      code: "TIMEOUT",
      quality: "BAD",
      value: null,
      sampledAt: 1_700_000_000_100,
      message: "no answer in 1000 ms",
    },
    {
      alias: "shift",
      address: "%DB1.DBX20:DATE_AND_TIME",
      job: "slow",
      code: "OK",
      quality: "GOOD",
      value: new Date(Date.UTC(2024, 2, 1, 6)),
      sampledAt: 1_700_000_000_100,
    },
    {
      alias: "flow",
      address: "%DB1.DBD28:REAL[2]",
      job: "slow",
      code: "OK",
      quality: "GOOD",
      value: [Number.NaN, 1.5],
      sampledAt: 1_700_000_000_100,
    },
  ],
};

test("GET /sources/{name}/tags answers the live source; values as in records, bigints with their exact digits", async (t) => {
  const f = await fixture(t);
  f.service.live.set("press", PRESS);
  const answer = await f.request("GET", "/sources/press/tags");
  assert.equal(answer.status, 200);
  assert.match(answer.text, /"value":18446744073709551615,/);
  // LTIME as nanoseconds, as records carry it (docs/connect.md, Records).
  assert.match(answer.text, /"value":9007199254740993,/);
  const body = answer.body as {
    health: string;
    tags: { alias: string; quality: string; value: unknown; message?: string; nonFinite?: unknown }[];
  };
  assert.equal(body.health, "degraded");
  assert.deepEqual(
    body.tags.map((tag) => [tag.alias, tag.quality, tag.message]),
    [
      ["strokes", "GOOD", undefined],
      ["uptime", "UNCERTAIN", undefined],
      ["oil", "BAD", "no answer in 1000 ms"],
      ["shift", "GOOD", undefined],
      ["flow", "GOOD", undefined],
    ],
  );
  assert.equal(body.tags[2]?.value, null);
  assert.equal(body.tags[3]?.value, "2024-03-01T06:00:00.000Z");
  assert.deepEqual(
    [body.tags[4]?.value, body.tags[4]?.nonFinite],
    [
      [null, 1.5],
      ["NaN", null],
    ],
  );
  assert.equal(body.tags[0]?.nonFinite, undefined);
});

test("GET /sources/{name}/tags: 404 Connect-shaped for an unknown source", async (t) => {
  const f = await fixture(t);
  const answer = await f.request("GET", "/sources/nope/tags");
  assert.deepEqual(answer.body, { error_code: 404, message: "Source nope not found" });
});
