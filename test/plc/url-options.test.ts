// Tests the typed option accessors drivers use, and that their errors name the option and its column.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidOptionError, UnknownOptionError } from "../../src/plc/errors.ts";
import { parseConnectionUrl } from "../../src/plc/url.ts";
import type { UrlOptions } from "../../src/plc/url-options.ts";

const options = (query: string) => parseConnectionUrl(`s7://plc?${query}`).options;

/** Asserts the exact error for option `name` of `s7://plc?{query}`, whose value starts at `valueAt` in the query. */
function invalid(query: string, read: (o: UrlOptions) => unknown, name: string, expected: string): void {
  const url = `s7://plc?${query}`;
  const value = parseConnectionUrl(url).options.string(name) ?? "";
  const column = url.indexOf(`${name}=`, 9) + name.length + 2;
  assert.throws(
    () => read(options(query)),
    (error: unknown) => {
      assert.ok(error instanceof InvalidOptionError);
      assert.equal(error.code, "INVALID_OPTION");
      assert.equal(error.option, name);
      assert.equal(error.column, column);
      assert.equal(error.message, `${url}: option '${name}' is '${value}' at column ${column}; expected ${expected}`);
      return true;
    },
  );
}

describe("UrlOptions", () => {
  it("returns the fallback, or undefined, for absent options", () => {
    const o = options("a=1");
    assert.equal(o.integer("rack", { min: 0, max: 7 }), undefined);
    assert.equal(o.integer("rack", { min: 0, max: 7 }, 0), 0);
    assert.equal(o.boolean("discovery"), undefined);
    assert.equal(o.boolean("discovery", true), true);
    assert.equal(o.string("name", "x"), "x");
    assert.equal(o.oneOf("mode", ["A", "B"] as const, "B"), "B");
    assert.equal(o.durationMs("request-timeout", undefined, 1000), 1000);
    assert.equal(o.has("a"), true);
    assert.equal(o.size, 1);
  });

  it("reads integers within bounds and names the column of a bad one", () => {
    assert.equal(options("remote-rack=7").integer("remote-rack", { min: 0, max: 7 }), 7);
    invalid(
      "remote-rack=0&remote-slot=-1",
      (o) => o.integer("remote-slot", { min: 0, max: 31 }),
      "remote-slot",
      "an integer in 0..31",
    );
    invalid("remote-rack=8", (o) => o.integer("remote-rack", { min: 0, max: 7 }), "remote-rack", "an integer in 0..7");
    invalid(
      "unit-identifier=1.5",
      (o) => o.integer("unit-identifier", { min: 0, max: 255 }),
      "unit-identifier",
      "an integer in 0..255",
    );
  });

  it("reads booleans in any case", () => {
    const o = options("a=TRUE&b=false");
    assert.equal(o.boolean("a"), true);
    assert.equal(o.boolean("b"), false);
    invalid("a=1&c=yes", (o) => o.boolean("c"), "c", "true or false");
  });

  it("reads one-of enumerations exactly", () => {
    const types = ["S7_300", "S7_400", "S7_1200", "S7_1500"] as const;
    assert.equal(options("controller-type=S7_1500").oneOf("controller-type", types), "S7_1500");
    invalid(
      "controller-type=s7_300",
      (o) => o.oneOf("controller-type", types),
      "controller-type",
      "one of S7_300, S7_400, S7_1200, S7_1500",
    );
  });

  it("reads durations as milliseconds, with or without a unit", () => {
    const o = options("a=2000&b=2s&c=1.5s&d=5m&e=1h&f=250ms");
    assert.deepEqual(
      ["a", "b", "c", "d", "e", "f"].map((name) => o.durationMs(name)),
      [2000, 2000, 1500, 300_000, 3_600_000, 250],
    );
    const expected = "a duration in 0..2147483647 ms, e.g. 2000 or 2s (units ms, s, m, h)";
    invalid("t=0.0001s", (o) => o.durationMs("t"), "t", expected);
    invalid("t=-1", (o) => o.durationMs("t"), "t", expected);
    invalid("t=2d", (o) => o.durationMs("t"), "t", expected);
    invalid("t=600h", (o) => o.durationMs("t"), "t", expected);
    invalid(
      "t=2000",
      (o) => o.durationMs("t", { min: 1, max: 1000 }),
      "t",
      "a duration in 1..1000 ms, e.g. 2000 or 2s (units ms, s, m, h)",
    );
  });

  it("never echoes the value of a password-like option", () => {
    const url = parseConnectionUrl("opcua:tcp://h?password=hunter2");
    assert.throws(
      () => url.options.integer("password", { min: 0, max: 1 }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidOptionError);
        assert.equal(
          error.message,
          "opcua:tcp://h?password=****: option 'password' has an invalid value (hidden) at column 24; expected an integer in 0..1",
        );
        return true;
      },
    );
  });

  it("lets a driver reject options it does not know, listing the known ones", () => {
    const known = ["remote-rack", "remote-slot"];
    options("remote-rack=0&remote-slot=1").rejectUnknown(known);
    assert.throws(
      () => options("remote-rack=0&remote-slto=1").rejectUnknown(known),
      (error: unknown) => {
        assert.ok(error instanceof UnknownOptionError);
        assert.equal(error.code, "UNKNOWN_OPTION");
        assert.equal(error.option, "remote-slto");
        assert.deepEqual(error.known, known);
        assert.equal(
          error.message,
          "s7://plc?remote-rack=0&remote-slto=1: unknown option 'remote-slto' at column 24; expected one of remote-rack, remote-slot",
        );
        return true;
      },
    );
    assert.throws(() => options("x=1").rejectUnknown([]), {
      message: "s7://plc?x=1: unknown option 'x' at column 10; expected no options",
    });
  });
});
