// `fabrik kafka start|status|logs|stop` on a real broker, as a user runs them from a shell.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { isProcessRunning as processAlive } from "../../src/kafka/index.ts";
import { FABRIK_MAIN, runFabrik } from "../support/cli.ts";
import { whenEvent } from "../support/events.ts";
import { freePort } from "../support/ports.ts";

const dir = await mkdtemp(join(tmpdir(), "fabrik-cli-kafka-"));

function fabrikIn(brokerDir: string, ...args: string[]) {
  return runFabrik(["kafka", ...args, "--dir", brokerDir], { env: { KAFKA_BOOTSTRAP_SERVERS: undefined } });
}

const fabrik = (...args: string[]) => fabrikIn(dir, ...args);

after(async () => {
  fabrik("stop");
  await rm(dir, { recursive: true, force: true });
});

test("a broker started in the background answers, logs, and stops with nothing left behind", async () => {
  const port = await freePort();
  const started = fabrik("start", "--port", String(port));
  assert.equal(started.code, 0, started.err);
  assert.match(started.out, new RegExp(`^Kafka is ready at 127\\.0\\.0\\.1:${port} `));

  const again = fabrik("start", "--port", String(port));
  assert.match(again.out, new RegExp(`^Kafka is already running at 127\\.0\\.0\\.1:${port} \\(pid (\\d+)`));

  const status = fabrik("status");
  assert.equal(status.code, 0);
  const pid = Number(/pid (\d+)/.exec(status.out)?.[1]);
  assert.match(status.out, new RegExp(`^Kafka [\\d.]+ is running at 127\\.0\\.0\\.1:${port}\\n`));
  assert.ok(processAlive(pid));

  assert.match(fabrik("logs", "-n", "200").out, /Kafka Server started/);

  const stopped = fabrik("stop");
  assert.equal(stopped.out, "Kafka stopped.\n");
  assert.ok(!processAlive(pid), "the JVM is gone once stop returns");
  assert.equal(fabrik("status").code, 3);
});

test("Ctrl-C on a foreground broker (SIGINT to the whole process group) exits 0 with the JVM already gone", async () => {
  const port = await freePort();
  const env = { ...process.env };
  delete env.KAFKA_BOOTSTRAP_SERVERS;
  // detached: its own process group, which is what a terminal signals on Ctrl-C.
  const foreground = spawn(
    process.execPath,
    [FABRIK_MAIN, "kafka", "start", "--foreground", "--port", String(port), "--dir", join(dir, "fg")],
    { detached: true, stdio: ["ignore", "pipe", "pipe"], env },
  );
  let output = "";
  foreground.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = once(foreground, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  await whenEvent(
    "the foreground broker to be ready",
    [foreground.stdout],
    "data",
    () => output.includes("Press Ctrl-C to stop it."),
    90_000,
  );
  const pid = Number(/pid (\d+)/.exec(fabrikIn(join(dir, "fg"), "status").out)?.[1]);
  assert.ok(processAlive(pid), "the JVM runs");

  process.kill(-(foreground.pid ?? 0), "SIGINT");
  const [code] = await exit;
  assert.equal(code, 0);
  assert.ok(!processAlive(pid), "the JVM is gone by the time the command exits");
});
