// The option parsers every command shares: defaults, the accepted ranges, and usage errors naming command and option.
import assert from "node:assert/strict";
import { test } from "node:test";
import { numberOption, portOption, UsageError } from "../../src/cli/command.ts";
import { calendarOption } from "../../src/cli/sim.ts";
import { ROUND_THE_CLOCK, THREE_SHIFTS } from "../../src/sim/model/index.ts";

function usageError(message: string) {
  return (error: unknown) => error instanceof UsageError && error.code === "USAGE" && error.message === message;
}

test("portOption: the fallback when not given, 0 only where it picks a free port", () => {
  assert.equal(portOption("sql server", "--port", undefined, 8088), 8088);
  assert.equal(portOption("sql server", "--port", "0", 8088), 0);
  assert.equal(portOption("sql server", "--port", "65535", 8088), 65535);
  assert.equal(portOption("kafka", "--port", "1", 9092, false), 1);
  assert.throws(
    () => portOption("kafka", "--port", "0", 9092, false),
    usageError("kafka: --port '0' is not a port number (1-65535)"),
  );
  for (const value of ["65536", "-1", "80.5", "http", "", " 80", "0x50", "8e3"]) {
    assert.throws(
      () => portOption("connect", "--rest-port", value, 8083),
      usageError(`connect: --rest-port '${value}' is not a port number (0-65535)`),
      value,
    );
  }
});

test("numberOption: decimals unless whole; the message states the range it was held to", () => {
  assert.equal(numberOption("sim", "--speed", undefined, 1, { min: 0.01, max: 1000 }), 1);
  assert.equal(numberOption("sim", "--speed", "2.5", 1, { min: 0.01, max: 1000 }), 2.5);
  assert.equal(numberOption("sim", "--seed", "-7", 1, { min: -10, max: 10, whole: true }), -7);
  assert.equal(numberOption("kafka", "-n", "200000", 50, { min: 1, whole: true }), 200000);
  const cases: [string, Parameters<typeof numberOption>[4], string][] = [
    ["0", { min: 0.01, max: 1000 }, "a number in 0.01..1000"],
    ["Infinity", { min: 0 }, "a number of at least 0"],
    ["", { min: 0, max: 10 }, "a number in 0..10"],
    ["1.5", { min: -10, max: 10, whole: true }, "a whole number in -10..10"],
    ["0", { min: 1, whole: true }, "a positive whole number"],
    ["-1", { min: 0, whole: true }, "a whole number of at least 0"],
  ];
  for (const [value, range, expected] of cases) {
    assert.throws(
      () => numberOption("demo", "--x", value, 0, range),
      usageError(`demo: --x '${value}' is not ${expected}`),
      `${value} ${JSON.stringify(range)}`,
    );
  }
});

test("calendarOption: the command's default when not given; a mistake lists that default first", () => {
  assert.equal(calendarOption("sim", undefined, "three-shifts"), THREE_SHIFTS);
  assert.equal(calendarOption("demo", undefined, "round-the-clock"), ROUND_THE_CLOCK);
  assert.equal(calendarOption("demo", "three-shifts", "round-the-clock"), THREE_SHIFTS);
  assert.throws(
    () => calendarOption("sim", "weekends", "three-shifts"),
    usageError("sim: --calendar 'weekends' is not one of three-shifts, round-the-clock"),
  );
  assert.throws(
    () => calendarOption("demo", "toString", "round-the-clock"),
    usageError("demo: --calendar 'toString' is not one of round-the-clock, three-shifts"),
  );
});
