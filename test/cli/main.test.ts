// The `fabrik` command line: help on every level, and usage mistakes answered with exit code 2 and a pointer to help.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runFabrik } from "../support/cli.ts";
import { freePort } from "../support/ports.ts";

const scratch = await mkdtemp(join(tmpdir(), "fabrik-cli-"));
after(() => rm(scratch, { recursive: true, force: true }));

const fabrik = (...args: string[]) =>
  runFabrik(args, { env: { FABRIK_STATE_DIR: scratch, KAFKA_BOOTSTRAP_SERVERS: undefined } });

test("fabrik --help lists the commands", () => {
  const { code, out } = fabrik("--help");
  assert.equal(code, 0);
  assert.match(out, /^Usage: fabrik <command>/);
  assert.match(out, /\n {2}kafka +run a local Apache Kafka broker/);
});

test("fabrik with no command prints the usage and exits 2", () => {
  const { code, out } = fabrik();
  assert.equal(code, 2);
  assert.match(out, /Usage: fabrik/);
});

test("an unknown command is named, with the known ones", () => {
  const { code, err } = fabrik("frobnicate");
  assert.equal(code, 2);
  assert.match(
    err,
    /^fabrik: unknown command 'frobnicate'\. Known commands: ([a-z]+, )*kafka(, [a-z]+)*\nRun 'fabrik --help' for usage\.\n$/,
  );
});

test("fabrik kafka --help documents every action and option", () => {
  const { code, out } = fabrik("kafka", "--help");
  assert.equal(code, 0);
  for (const word of [
    "start",
    "stop",
    "status",
    "logs",
    "--port",
    "--dir",
    "--foreground",
    "KAFKA_BOOTSTRAP_SERVERS",
    "KAFKA_HOME",
  ]) {
    assert.ok(out.includes(word), `help mentions ${word}`);
  }
});

test("fabrik kafka usage mistakes say what is wrong", () => {
  const cases: [string[], string][] = [
    [["kafka"], "fabrik: kafka: say what to do: start, stop, status or logs\n"],
    [["kafka", "restart"], "fabrik: kafka: unknown action 'restart'; expected start, stop, status or logs\n"],
    [["kafka", "start", "--port", "http"], "fabrik: kafka: --port 'http' is not a port number (1-65535)\n"],
    [["kafka", "logs", "-n", "0"], "fabrik: kafka: -n '0' is not a positive whole number\n"],
    [["kafka", "start", "--verbose"], "fabrik: kafka: Unknown option '--verbose'\n"],
    [["kafka", "stop", "now"], "fabrik: kafka: unexpected argument 'now'\n"],
    [
      ["kafka", "status", "--bootstrap", "kafka-1"],
      "fabrik: kafka: --bootstrap: 'kafka-1' is not host:port (e.g. 127.0.0.1:9092).\n",
    ],
  ];
  for (const [args, message] of cases) {
    const { code, err } = fabrik(...args);
    assert.equal(code, 2, args.join(" "));
    assert.equal(err, `${message}Run 'fabrik kafka --help' for usage.\n`, args.join(" "));
  }
});

test("status, stop and logs with no broker say so", () => {
  assert.deepEqual(fabrik("kafka", "status"), {
    code: 3,
    out: `Kafka is not running (folder ${join(scratch, "kafka")}). Start it with 'fabrik kafka start'.\n`,
    err: "",
  });
  assert.equal(fabrik("kafka", "stop").out, `No Kafka broker is running from ${join(scratch, "kafka")}.\n`);
  assert.equal(fabrik("kafka", "logs").out, `There is no broker log yet at ${join(scratch, "kafka", "server.log")}.\n`);
});

test("--bootstrap uses an existing cluster: start starts nothing, status asks that cluster", async () => {
  const port = await freePort();
  const start = fabrik("kafka", "start", "--bootstrap", `127.0.0.1:${port}`);
  assert.equal(start.code, 0);
  assert.equal(
    start.out,
    `Using the Kafka cluster at 127.0.0.1:${port} (KAFKA_BOOTSTRAP_SERVERS); no local broker is started.\n`,
  );
  const status = fabrik("kafka", "status", "--bootstrap", `127.0.0.1:${port}`);
  assert.equal(status.code, 1);
  assert.equal(status.out, `Using the cluster at 127.0.0.1:${port} (KAFKA_BOOTSTRAP_SERVERS): does not answer.\n`);
});
