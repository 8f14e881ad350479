// The job sampler's clock: fixed-rate ticks, and no second read right after a late one.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { JobConfig } from "../../../src/connect/config/model.ts";
import { type JobSample, JobSampler } from "../../../src/connect/source/job-sampler.ts";
import type { ManagedConnection, Schedule } from "../../../src/plc/index.ts";

const JOB: JobConfig = {
  name: "fast",
  tags: [{ alias: "sequence", address: "RANDOM/sequence:DINT" }],
  sampling: { kind: "poll", intervalMs: 20 },
  topic: "t",
  format: "job",
};

/** A clock the test moves, and timers it fires by hand. */
function manualTime() {
  let now = 0;
  const pending: { at: number; callback: () => void }[] = [];
  const schedule: Schedule = (callback, delayMs) => {
    const entry = { at: now + delayMs, callback };
    pending.push(entry);
    return () => pending.splice(pending.indexOf(entry), 1);
  };
  return {
    clock: () => now,
    schedule,
    /** Moves the clock to `to` and runs the one timer due by then, late if `to` is past its time. */
    fireAt(to: number) {
      now = to;
      const entry = pending.shift();
      assert.ok(entry !== undefined && entry.at <= to, `a timer is due by ${to}`);
      entry.callback();
    },
    nextAt: () => pending[0]?.at,
  };
}

test("a late tick reads, and the grid's next tick a moment later does not read again", async () => {
  const time = manualTime();
  const samples: JobSample[] = [];
  let overruns = 0;
  const connection = { read: async () => ({}) } as unknown as ManagedConnection;
  const sampler = new JobSampler({
    job: JOB,
    connection,
    clock: time.clock,
    schedule: time.schedule,
    onSample: (sample) => samples.push(sample),
    onOverrun: () => overruns++,
  });
  await sampler.start();
  await Promise.resolve();
  assert.equal(time.nextAt(), 20);
  // The event loop stalls: the tick due at 20 runs at 39.9, and the next one on the grid (40) follows 0.1 ms later.
  time.fireAt(39.9);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(time.nextAt(), 40);
  time.fireAt(40);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(time.nextAt(), 60, "the grid goes on");
  time.fireAt(60);
  await new Promise((resolve) => setImmediate(resolve));
  await sampler.stop();
  assert.deepEqual(
    samples.map((s) => s.sampledAt),
    [0, 39.9, 60],
    "the tick at 40 came 0.1 ms after a read had started: skipped, not read twice",
  );
  assert.equal(overruns, 0, "a skipped tick is no overrun: nothing was still reading");
});
