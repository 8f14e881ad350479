// Tests how a wrapped connection checks a driver's read answer: whole answers pass through, gaps get REMOTE_ERROR.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Driver, ReadResponse } from "../../src/plc/driver.ts";
import { DriverRegistry } from "../../src/plc/registry.ts";
import { createFakeDriver, type FakeAddress } from "./fake-driver.ts";

const good = (value: number) => ({ code: "OK", value, quality: "GOOD", sampledAt: 1 }) as const;

/** A connection whose driver answers every read with `answer`, whatever was asked. */
async function answering(answer: ReadResponse) {
  const { driver } = createFakeDriver();
  const scripted: Driver<FakeAddress> = {
    ...driver,
    async connect(url, context) {
      return { ...(await driver.connect(url, context)), read: async () => answer };
    },
  };
  return new DriverRegistry([scripted]).connect("fake://device", { clock: () => 1234 });
}

const missing = (alias: string) => ({
  code: "REMOTE_ERROR",
  message: `the driver returned no result for '${alias}'`,
  quality: "BAD",
  sampledAt: 1234,
});

describe("a wrapped connection's check of read answers", () => {
  it("passes the driver's answer through when it holds every tag, in any order", async () => {
    const inOrder: ReadResponse = { a: good(1), b: good(2), c: good(3) };
    assert.equal(await (await answering(inOrder)).read({ a: "R1", b: "R2", c: "R3" }), inOrder);
    const shuffled: ReadResponse = { c: good(3), a: good(1), b: good(2) };
    assert.equal(await (await answering(shuffled)).read({ a: "R1", b: "R2", c: "R3" }), shuffled);
  });

  it("sees a tag missing from an answer of the same size, and leaves out what was not asked", async () => {
    const connection = await answering({ a: good(1), x: good(9), c: good(3) });
    const result = await connection.read({ a: "R1", b: "R2", c: "R3" });
    assert.deepEqual(Object.keys(result), ["a", "b", "c"]);
    assert.deepEqual(result.b, missing("b"));
    assert.deepEqual(result.c, good(3));
  });

  it("treats a tag the driver answered with undefined as missing", async () => {
    const answer = { a: good(1), b: undefined, c: good(3) } as unknown as ReadResponse;
    const result = await (await answering(answer)).read({ a: "R1", b: "R2", c: "R3" });
    assert.deepEqual(result.b, missing("b"));
    assert.deepEqual(result.a, good(1));
  });
});
