// WarningLimiter: the first warning at once, then one summary per window for as long as warnings keep coming.
import assert from "node:assert/strict";
import { test } from "node:test";
import { WarningLimiter } from "../../../src/connect/sink/warning-limiter.ts";
import { ManualTime } from "../../plc/manager-time.ts";

function limiter(time: ManualTime, said: string[]): WarningLimiter {
  return new WarningLimiter({
    warn: (message) => said.push(message),
    windowMs: 1000,
    schedule: time.schedule,
    summary: (count, latest) => `${count} more; latest: ${latest}`,
  });
}

test("a burst is one line and one summary; a quiet window ends the run", async () => {
  const time = new ManualTime();
  const said: string[] = [];
  const subject = limiter(time, said);
  subject.warn("a");
  subject.warn("b");
  subject.warn("c");
  assert.deepEqual(said, ["a"]);
  await time.advance(1000);
  assert.deepEqual(said, ["a", "2 more; latest: c"]);
  await time.advance(1000);
  assert.equal(time.pending, 0, "a window without warnings schedules nothing more");
  subject.warn("d");
  assert.deepEqual(said, ["a", "2 more; latest: c", "d"], "after a quiet window the next warning is said at once");
});

test("stop says what is held back and leaves no timer", async () => {
  const time = new ManualTime();
  const said: string[] = [];
  const subject = limiter(time, said);
  subject.warn("a");
  subject.warn("b");
  subject.stop();
  assert.deepEqual(said, ["a", "1 more; latest: b"]);
  assert.equal(time.pending, 0);
});
