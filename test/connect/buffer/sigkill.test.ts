// Kills a process appending to the buffer with SIGKILL at seeded moments, usually in the middle of a write: every append
// it saw resolve must replay, in order, once, and acks made between the kills must hold.
import assert from "node:assert/strict";
import { fork } from "node:child_process";
import { once } from "node:events";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { SeededRandom } from "../../../src/plc/simulated/random.ts";
import { drain, openStore, range, withDir } from "./fixture.ts";

const CHILD = fileURLToPath(new URL("append-child.ts", import.meta.url));
const ROUNDS = 6;
const MiB = 1024 * 1024;

interface Report {
  readonly value: number;
  readonly position: number;
}

/** Bytes in the log's segment files; a write of megabytes shows here while it is under way. */
function logBytes(dir: string): number {
  let bytes = 0;
  for (const name of readdirSync(dir)) if (name.endsWith(".seg")) bytes += statSync(join(dir, name)).size;
  return bytes;
}

/**
 * Runs the child from `first`, and once the log has grown by `growth` bytes past its first resolved append, kills it.
 * Watching the size synchronously (no timers, no event loop turns) puts the kill within microseconds of the log
 * reaching that size, which is most often in the middle of a write. Returns the child's last resolved append.
 */
async function appendUntilKilled(dir: string, first: number, seed: number, growth: number): Promise<Report> {
  const child = fork(CHILD, [dir, String(first), String(seed)], {
    execArgv: [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let highest: Report = { value: first - 1, position: -1 };
  child.on("message", (message) => {
    const report = message as Report;
    assert.ok(report.value > highest.value, "resolutions arrive in append order");
    highest = report;
  });
  const exited = once(child, "exit");
  const ended = exited.then(([code]) => {
    throw new Error(`the append child exited with code ${code} before its first append resolved`);
  });
  await Promise.race([once(child, "message"), ended]);
  ended.catch(() => {});
  const target = logBytes(dir) + growth;
  const giveUp = Date.now() + 30_000;
  while (logBytes(dir) < target && Date.now() < giveUp) {}
  child.kill("SIGKILL");
  const [code, signal] = await exited;
  assert.equal(signal, "SIGKILL", `the append child exited on its own (code ${code})`);
  return highest;
}

describe("store-and-forward under SIGKILL", () => {
  it("replays every resolved append in order, without duplicates, across kills and restarts", (t) =>
    withDir(async (dir) => {
      const random = new SeededRandom(20_240_611);
      let acked = 0;
      let next = 0;
      let torn = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const reported = await appendUntilKilled(dir, next, random.uint32(), random.intBetween(0, 24 * MiB));
        const { store } = await openStore(dir);
        if (store.recovery.tornBytes > 0) torn++;
        const head = await store.peek(1);
        assert.equal(head.first, acked, `round ${round}: replay starts right after the last ack`);
        const { values, last } = await drain(store, 4096);
        assert.deepEqual(values, range(acked, values.length), `round ${round}: in order, no gaps, no duplicates`);
        assert.ok(values.at(-1)! >= reported.value, `round ${round}: reported ${reported.value} was lost`);
        assert.equal(last, values.at(-1), "positions are the values: the torn tail's positions were reused");
        const ackCount = random.intBetween(0, values.length);
        if (ackCount > 0) await store.ack(acked + ackCount - 1);
        await store.close();
        acked += ackCount;
        next = values.at(-1)! + 1;
      }
      t.diagnostic(`${torn} of ${ROUNDS} kills tore a write`);
    }));
});
