// Tests the wrapper every connection goes through: per-tag address errors, caching, closed state, subscriptions.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ReadResponse } from "../../src/plc/driver.ts";
import { ConnectionClosedError, InvalidRequestError, UnsupportedOperationError } from "../../src/plc/errors.ts";
import { DriverRegistry } from "../../src/plc/registry.ts";
import { createFakeDriver, type FakeDriverOptions } from "./fake-driver.ts";

async function open(options: FakeDriverOptions = {}) {
  const { driver, log } = createFakeDriver(options);
  const connection = await new DriverRegistry([driver]).connect("fake://device", { clock: () => 1234 });
  return { connection, log };
}

describe("a wrapped connection", () => {
  it("reads good tags through the driver and reports bad addresses per tag, in request order", async () => {
    const { connection, log } = await open();
    const result = await connection.read({ bad: "X9", a: "R1", b: "R2" });
    assert.deepEqual(Object.keys(result), ["bad", "a", "b"]);
    assert.deepEqual(result.bad, {
      code: "INVALID_ADDRESS",
      message: "X9: 'X' at column 1; expected R and a number",
      quality: "BAD",
      sampledAt: 1234,
    });
    assert.deepEqual(result.a, { code: "OK", value: 10, quality: "GOOD", sampledAt: 1 });
    assert.deepEqual(
      [...(log.reads[0]?.entries() ?? [])],
      [
        ["a", { register: 1 }],
        ["b", { register: 2 }],
      ],
    );
  });

  it("does not call the driver when no tag is valid", async () => {
    const { connection, log } = await open();
    assert.deepEqual(await connection.read({}), {});
    const result = await connection.read({ x: "nope" });
    assert.equal(result.x?.code, "INVALID_ADDRESS");
    assert.equal(log.reads.length, 0);
  });

  it("parses each address once per connection", async () => {
    const { connection, log } = await open();
    await connection.read({ a: "R1", bad: "zz" });
    await connection.read({ again: "R1", bad2: "zz", b: "R2" });
    assert.deepEqual(log.parsed, ["R1", "zz", "R2"]);
  });

  it("lets a driver's own bugs surface instead of reporting them as bad addresses", async () => {
    const { connection } = await open();
    await assert.rejects(connection.read({ a: "BUG" }), TypeError);
  });

  it("answers REMOTE_ERROR for a tag the driver forgot", async () => {
    const { connection } = await open({ forget: ["b"] });
    const read = await connection.read({ a: "R1", b: "R2" });
    assert.deepEqual(read.b, {
      code: "REMOTE_ERROR",
      message: "the driver returned no result for 'b'",
      quality: "BAD",
      sampledAt: 1234,
    });
    const write = await connection.write({ b: { address: "R2", value: 1 } });
    assert.deepEqual(write.b, { code: "REMOTE_ERROR", message: "the driver returned no result for 'b'" });
  });

  it("writes per tag, passing values through and refusing addresses that are not strings", async () => {
    const { connection, log } = await open();
    const request = JSON.parse(
      '{"a":{"address":"R3","value":42},"b":{"address":7,"value":1},"c":{"address":"Q","value":1}}',
    );
    const result = await connection.write(request);
    assert.deepEqual(result, {
      a: { code: "OK" },
      b: { code: "INVALID_ADDRESS", message: "expected an address string, got number" },
      c: { code: "INVALID_ADDRESS", message: "Q: 'Q' at column 1; expected R and a number" },
    });
    assert.deepEqual([...(log.writes[0]?.entries() ?? [])], [["a", { address: { register: 3 }, value: 42 }]]);
  });

  it("refuses operations the connection does not support", async () => {
    const { connection } = await open({ metadata: { canWrite: false, canRead: false } });
    await assert.rejects(connection.read({ a: "R1" }), UnsupportedOperationError);
    await assert.rejects(connection.write({ a: { address: "R1", value: 1 } }), {
      code: "UNSUPPORTED_OPERATION",
      message: "fake connections do not support write",
    });
    await assert.rejects(connection.browse(), { message: "fake connections do not support browse" });
    await assert.rejects(
      connection.subscribe({ a: "R1" }, () => {}, { mode: "change-of-state", intervalMs: 10 }),
      {
        message: "fake connections do not support subscribe: mode 'change-of-state' (supported: cyclic, event)",
      },
    );
  });

  it("browses when the driver can", async () => {
    const { connection } = await open({ metadata: { canBrowse: true } });
    assert.equal((await connection.browse())[0]?.address, "R1");
  });

  it("checks subscription intervals", async () => {
    const { connection } = await open();
    for (const intervalMs of [0, 1.5, -1, 2 ** 31]) {
      await assert.rejects(
        connection.subscribe({ a: "R1" }, () => {}, { mode: "cyclic", intervalMs }),
        InvalidRequestError,
      );
    }
  });

  it("subscribes to valid tags, reports refused ones, and stops delivery on unsubscribe", async () => {
    const { connection, log } = await open();
    const events: ReadResponse[] = [];
    const subscription = await connection.subscribe({ a: "R1", bad: "??" }, (r) => events.push(r), {
      mode: "cyclic",
      intervalMs: 5,
    });
    assert.deepEqual(subscription.aliases, ["a"]);
    assert.deepEqual(subscription.rejected, {
      bad: { code: "INVALID_ADDRESS", message: "??: '?' at column 1; expected R and a number" },
    });
    const emit = log.handlers[0];
    assert.ok(emit);
    const reading = { a: { code: "OK", value: 1, quality: "GOOD", sampledAt: 5 } } as const;
    emit(reading);
    await subscription.unsubscribe();
    await subscription.unsubscribe();
    emit(reading);
    assert.deepEqual(events, [reading]);
    assert.equal(log.unsubscribes, 1);
  });

  it("does not bother the driver for a subscription without valid tags", async () => {
    const { connection, log } = await open();
    const subscription = await connection.subscribe({ bad: "??" }, () => {}, { mode: "event" });
    assert.deepEqual(subscription.aliases, []);
    await subscription.unsubscribe();
    assert.equal(log.handlers.length, 0);
    assert.equal(log.unsubscribes, 0);
  });

  it("closes once, silences subscriptions and refuses further calls", async () => {
    const { connection, log } = await open();
    const events: ReadResponse[] = [];
    const subscription = await connection.subscribe({ a: "R1" }, (r) => events.push(r), { mode: "event" });
    assert.equal(connection.closed, false);
    await Promise.all([connection.close(), connection.close()]);
    assert.equal(connection.closed, true);
    assert.equal(log.closes, 1);
    log.handlers[0]?.({ a: { code: "OK", value: 1, quality: "GOOD", sampledAt: 5 } });
    assert.deepEqual(events, []);
    await subscription.unsubscribe();
    assert.equal(log.unsubscribes, 0, "close already released the driver's subscriptions");
    await assert.rejects(connection.read({ a: "R1" }), ConnectionClosedError);
    await assert.rejects(connection.ping(), { message: "cannot ping: the connection to fake://device is closed" });
  });

  it("releases a subscription that completes after close", async () => {
    const { connection, log } = await open();
    const pending = connection.subscribe({ a: "R1" }, () => {}, { mode: "event" });
    const closing = connection.close();
    await assert.rejects(pending, ConnectionClosedError);
    await closing;
    assert.equal(log.unsubscribes, 1);
  });
});

describe("repeated reads of the same tags (the parsed request is reused)", () => {
  it("sees a changed address, added or removed alias, even in the same request object", async () => {
    const { connect } = await import("../../src/plc/index.ts");
    const plc = await connect("simulated://reuse");
    await plc.write({ x: { address: "STATE/x:INT", value: 1 }, y: { address: "STATE/y:INT", value: 2 } });
    const tags: Record<string, string> = { a: "STATE/x:INT" };
    assert.deepEqual(readValue(await plc.read(tags), "a"), 1);
    tags.a = "STATE/y:INT";
    assert.deepEqual(readValue(await plc.read(tags), "a"), 2, "the new address of the same alias is read");
    tags.b = "STATE/x:INT";
    assert.deepEqual(Object.keys(await plc.read(tags)), ["a", "b"], "an added alias is answered");
    delete tags.a;
    assert.deepEqual(Object.keys(await plc.read(tags)), ["b"], "a removed alias is not");
    tags.b = "STATE/x:FOO";
    assert.equal((await plc.read(tags)).b?.code, "INVALID_ADDRESS", "a bad address is still reported per tag");
    await plc.close();
  });
});

describe("pollers taking turns on one connection", () => {
  it("parse each address once and hand the driver the same parsed request every cycle, per poller", async () => {
    const { connection, log } = await open();
    const first = Object.freeze({ a: "R1", b: "R2" });
    const second = Object.freeze({ c: "R3", d: "R4", bad: "zz" });
    for (let cycle = 0; cycle < 3; cycle++) {
      assert.deepEqual(Object.keys(await connection.read(first)), ["a", "b"]);
      const answer = await connection.read(second);
      assert.deepEqual(Object.keys(answer), ["c", "d", "bad"]);
      assert.equal(answer.bad?.code, "INVALID_ADDRESS");
    }
    assert.deepEqual(log.parsed, ["R1", "R2", "R3", "R4", "zz"]);
    assert.equal(log.reads.length, 6);
    const [one, two] = log.reads;
    assert.notEqual(one, two);
    for (const [index, request] of log.reads.entries())
      assert.equal(request, index % 2 === 0 ? one : two, `read ${index}`);
  });

  it("keep parsed addresses for a device with more tags than one poller asks for", async () => {
    const { connection, log } = await open();
    const tags = (from: number) =>
      Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`t${i}`, `R${from + i}`]));
    await connection.read(tags(0));
    await connection.read(tags(0));
    assert.equal(log.parsed.length, 6000, "a new request object of the same tags reuses the parse");
    await connection.read(tags(1));
    assert.equal(log.parsed.length, 6001, "a request of shifted addresses parses only the one address not seen");
  });
});

function readValue(response: ReadResponse, alias: string): unknown {
  const reading = response[alias];
  return reading?.code === "OK" ? reading.value : reading;
}
