// `fabrik demo`'s command line: its help, and mistakes refused with exit code 2 before anything starts.
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runFabrik } from "../support/cli.ts";

const scratch = await mkdtemp(join(tmpdir(), "fabrik-demo-cli-"));
after(() => rm(scratch, { recursive: true, force: true }));

const fabrik = (...args: string[]) =>
  runFabrik(args, {
    env: { FABRIK_STATE_DIR: scratch, KAFKA_BOOTSTRAP_SERVERS: undefined, FABRIK_UI_TOKEN: undefined },
  });

test("fabrik demo --help names every step and option", () => {
  const { code, out } = fabrik("demo", "--help");
  assert.equal(code, 0);
  for (const word of ["Kafka", "simulator", "connector", "SQL engine", "examples/demo-plant/pipeline.sql", "web UI"]) {
    assert.ok(out.includes(word), word);
  }
  for (const option of ["--seed", "--speed", "--fault", "--calendar", "--fresh", "--bootstrap", "--kafka-port"]) {
    assert.match(out, new RegExp(`\\n  ${option} `), option);
  }
  for (const option of ["--modbus-port", "--connect-port", "--sql-port", "--ui-port", "--host", "--token"]) {
    assert.match(out, new RegExp(`\\n  ${option} `), option);
  }
  assert.match(out, /FABRIK_UI_TOKEN/);
});

test("fabrik --help lists demo", () => {
  assert.match(fabrik("--help").out, /\n {2}demo +run the demo plant/);
});

test("fabrik demo refuses mistakes before starting anything", async () => {
  for (const [args, message] of [
    [["--sql-port", "http"], "demo: --sql-port 'http' is not a port number (0-65535)"],
    [["--ui-port", "8o8o"], "demo: --ui-port '8o8o' is not a port number (0-65535)"],
    [["--host", "0.0.0.0"], "demo: --host 0.0.0.0 needs --token <t> (or FABRIK_UI_TOKEN): anyone who reaches"],
    [["--host", "192.168.1.20", "--token", ""], "demo: --token (or FABRIK_UI_TOKEN) is empty"],
    [["--host", ""], "demo: --host is empty"],
    [["--modbus-port", "70000"], "demo: --modbus-port '70000' is not a port number (0-65535)"],
    [["--kafka-port", ""], "demo: --kafka-port '' is not a port number (0-65535)"],
    [["--speed", "0"], "demo: --speed '0' is not a number in 0.01..1000"],
    [["--seed", "1.5"], "demo: --seed '1.5' is not a whole number"],
    [["--calendar", "weekends"], "demo: --calendar 'weekends' is not one of round-the-clock, three-shifts"],
    [["--fault", "conveyor.belt"], 'demo: unknown fault "conveyor.belt" (known: press.cooler'],
    [["--bootstrap", "kafka-1"], "demo: --bootstrap: 'kafka-1' is not host:port"],
    [["now"], "demo: unexpected argument 'now'"],
  ] as const) {
    const { code, err, out } = fabrik("demo", ...args);
    assert.equal(code, 2, args.join(" "));
    assert.equal(out, "", "no step started");
    assert.ok(err.startsWith(`fabrik: ${message}`), `${args.join(" ")}: ${err}`);
    assert.ok(err.endsWith("Run 'fabrik demo --help' for usage.\n"), err);
  }
  assert.deepEqual(await readdir(scratch), [], "nothing written: no broker folder, no demo log");
});
