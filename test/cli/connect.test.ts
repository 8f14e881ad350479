// `fabrik connect` without Kafka: help, usage mistakes, `check`, and `run` refusing an invalid file before starting.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { runFabrik } from "../support/cli.ts";

const manyErrors = new URL("../connect/config/cases/fabrik-many-errors/", import.meta.url).pathname;

// No cluster: a run that got past checking would fail to reach 127.0.0.1:9 instead of passing silently.
const fabrik = (...args: string[]) =>
  runFabrik(args, { env: { KAFKA_BOOTSTRAP_SERVERS: "127.0.0.1:9" }, timeoutMs: 20_000 });

test("fabrik connect --help documents the actions and options", () => {
  const { code, out } = fabrik("connect", "--help");
  assert.equal(code, 0);
  assert.match(out, /^Usage: fabrik connect <run\|worker\|check>/);
  for (const word of ["--bootstrap", "--group", "--rest-port", "--rest-token", "--session-timeout", "check <file"]) {
    assert.ok(out.includes(word), `help mentions ${word}`);
  }
  assert.match(fabrik("--help").out, /connect +run connectors/);
});

test("usage mistakes exit 2 and say what was wrong", () => {
  const mistakes: [string[], RegExp][] = [
    [[], /say what to do: run, worker or check/],
    [["start"], /unknown action 'start'/],
    [["run"], /name at least one connector file/],
    [["worker", "plant.yaml"], /unexpected argument 'plant.yaml'/],
    [["worker", "--rest-port", "70000"], /^fabrik: connect: --rest-port '70000' is not a port number \(0-65535\)\n/],
    [["worker", "--session-timeout", "soon"], /--session-timeout 'soon'/],
  ];
  for (const [args, message] of mistakes) {
    const { code, err } = fabrik("connect", ...args);
    assert.equal(code, 2, `connect ${args.join(" ")}`);
    assert.match(err, message);
  }
});

test("check prints every problem of an invalid file with its path and place, and exits 1", () => {
  const expected = JSON.parse(readFileSync(`${manyErrors}expected.json`, "utf8")) as { problems: string[] };
  const { code, out, err } = fabrik("connect", "check", "examples/connect/plant.yaml", `${manyErrors}config.yaml`);
  assert.equal(code, 1);
  assert.match(out, /plant.yaml: OK: connector plant \(2 sources, 1 sinks\)/);
  assert.match(err, new RegExp(`config.yaml: ${expected.problems.length} problem\\(s\\):`));
  for (const problem of expected.problems) assert.ok(err.includes(`  ${problem}\n`), `lists: ${problem}`);
});

test("run with an invalid file starts nothing: every problem, then exit 1 without touching Kafka", () => {
  const { code, err } = fabrik("connect", "run", "examples/connect/plant.yaml", `${manyErrors}config.yaml`);
  assert.equal(code, 1);
  assert.match(err, /nothing started; fix the problems above/);
  assert.doesNotMatch(err, /127\.0\.0\.1:9/);
});

test("run refuses two files defining the same connector", () => {
  const { code, err } = fabrik("connect", "run", "examples/connect/plant.yaml", "examples/connect/plant.yaml");
  assert.equal(code, 1);
  assert.match(err, /connector plant is also defined by an earlier file/);
});
