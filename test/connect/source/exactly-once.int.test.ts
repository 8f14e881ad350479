// Kills a source with exactly-once delivery by SIGKILL at seeded moments, inside transactions too, and restarts it on
// the same buffer: a read_committed reader finds every sample once, and every sample the source had stored.
import assert from "node:assert/strict";
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { BUFFER_ID_FILE } from "../../../src/connect/buffer/buffer-id.ts";
import { readSourceOffset } from "../../../src/connect/source/offsets.ts";
import { SeededRandom } from "../../../src/plc/simulated/random.ts";
import { testKafka, uniqueTopic } from "../../support/kafka.ts";
import { assertEachSampleOnce, createTopic, readSamples, type SequenceSample, startPlant } from "./fixture.ts";

const CHILD = fileURLToPath(new URL("eos-child.ts", import.meta.url));
/** Where killed runs are stopped, in turn: at a seeded moment, or frozen inside their n-th transaction. */
const KILL_POINTS = ["anywhere", "before-commit", "after-commit"] as const;
const KILLS = 9;

type Child = ChildProcessByStdio<Writable, Readable, null>;

interface Run {
  readonly child: Child;
  /** Resolves with the first stdout line `until` accepts; rejects if the child exits first. */
  readonly waitFor: (until: (line: string) => boolean) => Promise<void>;
}

function startChild(args: readonly string[], stored: SequenceSample[]): Run {
  const child = spawn(process.execPath, [CHILD, ...args], { stdio: ["pipe", "pipe", "inherit"] });
  let waiting: { until: (line: string) => boolean; resolve: () => void } | undefined;
  const exited = once(child, "exit");
  createInterface({ input: child.stdout }).on("line", (line) => {
    const [word, sequence, timestamp] = line.split(" ");
    if (word === "stored") stored.push({ sequence: Number(sequence), timestamp: Number(timestamp) });
    if (waiting?.until(line)) waiting.resolve();
  });
  return {
    child,
    waitFor: (until) =>
      new Promise<void>((resolve, reject) => {
        waiting = { until, resolve };
        exited.then(([code, signal]) => reject(new Error(`the child exited (${code ?? signal}) while awaited`)));
      }),
  };
}

test("across SIGKILLs at any moment, inside transactions too, every stored sample reaches Kafka exactly once", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "eos-data");
  const offsetsTopic = await createTopic(kafka, "eos-offsets", 3);
  const { sim, port } = await startPlant(5);
  const bufferDir = await mkdtemp(join(tmpdir(), "fabrik-eos-"));
  const children: Child[] = [];
  t.after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await sim.stop();
    await rm(bufferDir, { recursive: true, force: true });
  });
  const common = [String(port), kafka.bootstrapServers[0]!, bufferDir, topic, offsetsTopic, uniqueTopic("txn")];
  const random = new SeededRandom(20_250_807);
  const stored: SequenceSample[] = [];

  for (let round = 0; round < KILLS; round++) {
    const kill = KILL_POINTS[round % KILL_POINTS.length]!;
    const at = random.intBetween(1, 60);
    const hold = kill === "anywhere" ? "none" : kill;
    const run = startChild([...common, hold, String(at)], stored);
    children.push(run.child);
    let lines = 0;
    // "anywhere": after a seeded number of stored samples, wherever delivery stands then.
    await run.waitFor((line) => (hold === "none" ? line.startsWith("stored") && ++lines === at : line === "hold"));
    const exited = once(run.child, "exit");
    run.child.kill("SIGKILL");
    const [, signal] = await exited;
    assert.equal(signal, "SIGKILL", `round ${round}: the child died of the kill`);
  }

  const last = startChild([...common, "none", "0"], stored);
  children.push(last.child);
  let lines = 0;
  await last.waitFor((line) => line.startsWith("stored") && ++lines === 5);
  const finished = last.waitFor((line) => line === "finished");
  last.child.stdin.write("finish\n");
  await finished;

  const { samples, stats } = await readSamples(kafka, topic);
  assertEachSampleOnce(samples);
  const delivered = new Set(samples.map((s) => `${s.sequence}@${s.timestamp}`));
  const missing = stored.filter((s) => !delivered.has(`${s.sequence}@${s.timestamp}`));
  assert.deepEqual(missing, [], "every sample a run had stored before it was killed reached Kafka");
  assert.ok(stats.aborted > 0, "kills inside transactions left aborted records, which a committed read leaves out");
  const bufferId = (await readFile(join(bufferDir, "line", "conveyor", BUFFER_ID_FILE), "utf8")).trim();
  const offset = await readSourceOffset(kafka, offsetsTopic, "line", "conveyor");
  assert.equal(offset?.bufferId, bufferId, "the committed offset counts this buffer's positions");
  t.diagnostic(
    `${KILLS} kills; ${samples.length} samples committed, ${stored.length} stores reported, ` +
      `${stats.aborted} aborted records left out; offset at position ${offset?.position}`,
  );
});
