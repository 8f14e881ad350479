// Tests the simulated driver end to end through connect(): RANDOM, STATE and STDOUT tags, writes, subscriptions, URLs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ReadResponse } from "../../../src/plc/driver.ts";
import {
  InvalidOptionError,
  InvalidUrlError,
  UnknownOptionError,
  UnsupportedOperationError,
} from "../../../src/plc/errors.ts";
import { connect, DriverRegistry } from "../../../src/plc/index.ts";
import { createSimulatedDriver } from "../../../src/plc/simulated/driver.ts";
import { okValue } from "../readings.ts";

const clock = () => 1_700_000_000_000;

describe("simulated driver", () => {
  it("is registered so connect('simulated://demo') works", async () => {
    const connection = await connect("simulated://demo");
    assert.deepEqual(connection.metadata, {
      protocol: "simulated",
      canRead: true,
      canWrite: true,
      subscriptionModes: ["cyclic", "change-of-state"],
      canBrowse: false,
    });
    await connection.ping();
    await connection.close();
  });

  it("answers RANDOM reads with the same sequence for the same seed", async () => {
    const tags = {
      i: "RANDOM/a:INT",
      r: "RANDOM/b:REAL",
      l: "RANDOM/c:LINT[2]",
      s: "RANDOM/d:STRING(6)",
      b: "RANDOM/e:BOOL",
    };
    const sample = async (seed: number) => {
      const connection = await connect(`simulated://demo?seed=${seed}`, { clock });
      const reads = [await connection.read(tags), await connection.read(tags)];
      await connection.close();
      return reads;
    };
    const first = await sample(42);
    assert.deepEqual(await sample(42), first);
    assert.notDeepEqual(await sample(43), first);
    assert.notDeepEqual(first[0], first[1], "every read draws fresh values");
    const reading = first[0]?.l;
    assert.ok(reading?.code === "OK" && Array.isArray(reading.value) && typeof reading.value[0] === "bigint");
    assert.equal(reading.sampledAt, clock());
    assert.equal(reading.quality, "GOOD");
  });

  it("reads STATE as the type's zero before any write, then as the last value written", async () => {
    const connection = await connect("simulated://demo");
    const zeros = await connection.read({
      b: "STATE/b:BOOL",
      i: "STATE/i:INT",
      l: "STATE/l:ULINT",
      r: "STATE/r:LREAL",
      s: "STATE/s:STRING",
      c: "STATE/c:CHAR",
      t: "STATE/t:TIME",
      n: "STATE/n:LTIME",
      d: "STATE/d:DATE",
      a: "STATE/a:INT[4]",
    });
    assert.deepEqual(Object.fromEntries(Object.entries(zeros).map(([alias, reading]) => [alias, okValue(reading)])), {
      b: false,
      i: 0,
      l: 0n,
      r: 0,
      s: "",
      c: "\u0000",
      t: { ms: 0 },
      n: { ns: 0n },
      d: new Date(0),
      a: [0, 0, 0, 0],
    });

    const written = await connection.write({
      i: { address: "STATE/i:INT", value: -7 },
      l: { address: "STATE/l:ULINT", value: "18446744073709551615" },
      r: { address: "STATE/r:REAL", value: 0.1 },
      a: { address: "STATE/a:INT[4]", value: [1, 2, 3, 4] },
    });
    assert.deepEqual(written, { i: { code: "OK" }, l: { code: "OK" }, r: { code: "OK" }, a: { code: "OK" } });
    const after = await connection.read({
      i: "STATE/i:INT",
      l: "STATE/l:ULINT",
      r: "STATE/r:REAL",
      a: "STATE/a:INT[4]",
    });
    assert.equal(okValue(after.i), -7);
    assert.equal(okValue(after.l), 18446744073709551615n);
    assert.equal(okValue(after.r), Math.fround(0.1));
    assert.deepEqual(okValue(after.a), [1, 2, 3, 4]);
    await connection.close();
  });

  it("keeps STATE per connection and per whole address, and forgets it on close", async () => {
    const one = await connect("simulated://demo");
    const two = await connect("simulated://demo");
    await one.write({ x: { address: "STATE/x:INT", value: 5 } });
    assert.equal(okValue((await one.read({ x: "STATE/x:INT" })).x), 5);
    assert.equal(okValue((await one.read({ x: "STATE/x:DINT" })).x), 0, "another type is another cell");
    assert.equal(okValue((await two.read({ x: "STATE/x:INT" })).x), 0, "another connection has its own memory");
    await one.close();
    await two.close();
  });

  it("refuses values that do not fit, per tag, and still writes the others", async () => {
    const connection = await connect("simulated://demo");
    const result = await connection.write({
      big: { address: "STATE/x:INT", value: 40000 },
      short: { address: "STATE/a:INT[3]", value: [1, 2] },
      text: { address: "RANDOM/r:BOOL", value: "yes" },
      bad: { address: "STATE/x:NOPE", value: 1 },
      good: { address: "STATE/y:UINT", value: 65535 },
    });
    assert.deepEqual(result, {
      big: { code: "INVALID_DATA", message: "40000 is out of range for INT (-32768..32767)" },
      short: { code: "INVALID_DATA", message: "expected 3 elements for INT[3], got 2" },
      text: { code: "INVALID_DATA", message: 'expected true or false (or 1/0) for BOOL, got "yes"' },
      bad: {
        code: "INVALID_ADDRESS",
        message:
          "STATE/x:NOPE: unknown data type 'NOPE' at column 9; expected one of BOOL, BYTE, WORD, DWORD, LWORD, SINT, INT, DINT, LINT, USINT, UINT, UDINT, ULINT, REAL, LREAL, CHAR, WCHAR, STRING, WSTRING, TIME, LTIME, DATE, TIME_OF_DAY, DATE_AND_TIME",
      },
      good: { code: "OK" },
    });
    assert.equal(okValue((await connection.read({ x: "STATE/x:INT" })).x), 0, "a refused write changes nothing");
    await connection.close();
  });

  it("prints STDOUT writes through the line sink and reads them back", async () => {
    const lines: string[] = [];
    const registry = new DriverRegistry([createSimulatedDriver({ lineSink: (line) => lines.push(line) })]);
    const connection = await registry.connect("simulated://press?seed=1");
    await connection.write({
      a: { address: "STDOUT/press.setpoint:REAL", value: 1.5 },
      b: { address: "STDOUT/press.recipe", value: "PN-42" },
      c: { address: "STDOUT/press.joints:INT[3]", value: [1, 2, 3] },
      d: { address: "STDOUT/press.bad:INT", value: 1.5 },
    });
    assert.deepEqual(lines, [
      "press: STDOUT/press.setpoint:REAL = 1.5",
      'press: STDOUT/press.recipe:STRING(254) = "PN-42"',
      "press: STDOUT/press.joints:INT[3] = [1, 2, 3]",
    ]);
    const read = await connection.read({ a: "STDOUT/press.setpoint:REAL", b: "STDOUT/press.recipe" });
    assert.equal(okValue(read.a), 1.5);
    assert.equal(okValue(read.b), "PN-42");
    await connection.close();
  });

  it("delivers cyclic subscriptions every interval until unsubscribed", async (t) => {
    t.mock.timers.enable({ apis: ["setInterval"] });
    const connection = await connect("simulated://demo?seed=3", { clock });
    const events: ReadResponse[] = [];
    const subscription = await connection.subscribe(
      { r: "RANDOM/r:INT", s: "STATE/s:INT", bad: "X" },
      (e) => events.push(e),
      {
        mode: "cyclic",
        intervalMs: 100,
      },
    );
    assert.deepEqual(Object.keys(subscription.rejected), ["bad"]);
    t.mock.timers.tick(99);
    assert.equal(events.length, 0);
    t.mock.timers.tick(1);
    t.mock.timers.tick(100);
    assert.equal(events.length, 2);
    assert.deepEqual(Object.keys(events[0] ?? {}), ["r", "s"]);
    await subscription.unsubscribe();
    t.mock.timers.tick(1000);
    assert.equal(events.length, 2);
    await connection.close();
  });

  it("delivers change-of-state subscriptions only for tags whose value changed", async (t) => {
    t.mock.timers.enable({ apis: ["setInterval"] });
    const connection = await connect("simulated://demo");
    const events: ReadResponse[] = [];
    await connection.subscribe({ a: "STATE/a:INT", b: "STATE/b:INT" }, (e) => events.push(e), {
      mode: "change-of-state",
      intervalMs: 50,
    });
    t.mock.timers.tick(50);
    t.mock.timers.tick(50);
    await connection.write({ b: { address: "STATE/b:INT", value: 9 } });
    t.mock.timers.tick(50);
    assert.equal(events.length, 2, "nothing changed in the second interval");
    assert.deepEqual(Object.keys(events[0] ?? {}), ["a", "b"]);
    assert.deepEqual(Object.keys(events[1] ?? {}), ["b"]);
    assert.equal(okValue(events[1]?.b), 9);
    await connection.close();
    t.mock.timers.tick(500);
    assert.equal(events.length, 2, "close stops every subscription");
  });

  it("does not browse or subscribe to events", async () => {
    const connection = await connect("simulated://demo");
    await assert.rejects(connection.browse(), UnsupportedOperationError);
    await assert.rejects(
      connection.subscribe({ a: "STATE/a:INT" }, () => {}, { mode: "event" }),
      UnsupportedOperationError,
    );
    await connection.close();
  });

  it("checks its URL: a name, no path, a uint32 seed, no unknown options, tcp only", async () => {
    await assert.rejects(connect("simulated://"), (error: unknown) => {
      assert.ok(error instanceof InvalidUrlError);
      assert.equal(error.message, "simulated://: no device name at column 13; expected a name, e.g. simulated://demo");
      return true;
    });
    await assert.rejects(connect("simulated://demo/x"), {
      message: "simulated://demo/x: path '/x' at column 17; expected no path after the device name",
    });
    await assert.rejects(connect("simulated://demo?seed=-1"), InvalidOptionError);
    await assert.rejects(connect("simulated://demo?seed=4294967296"), InvalidOptionError);
    await assert.rejects(connect("simulated://demo?sede=1"), (error: unknown) => {
      assert.ok(error instanceof UnknownOptionError);
      assert.equal(error.message, "simulated://demo?sede=1: unknown option 'sede' at column 18; expected one of seed");
      return true;
    });
    await assert.rejects(connect("simulated:udp://demo"), {
      message: "simulated:udp://demo: transport 'udp' at column 11; expected one of tcp",
    });
    const withPort = await connect("simulated:tcp://127.0.0.1:1234?seed=4294967295");
    await withPort.close();
  });
});
