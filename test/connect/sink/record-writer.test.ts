// RecordWriter against a scripted device on hand-driven time: one batched write, bounded retries, deadlines, expiry.
import assert from "node:assert/strict";
import { test } from "node:test";
import { RecordWriter, type WriteOutcome } from "../../../src/connect/sink/record-writer.ts";
import type { WritePlan } from "../../../src/connect/sink/write-plan.ts";
import { Backoff, UnsupportedOperationError, type WriteRequest, type WriteResponse } from "../../../src/plc/index.ts";
import { ManualTime, watch } from "../../plc/manager-time.ts";

/** Each call takes the next answer: a response, an error to throw, or "hang" for a device that never answers. */
type Answer = WriteResponse | Error | "hang";

class ScriptedDevice {
  readonly calls: WriteRequest[] = [];
  readonly #answers: Answer[];

  constructor(answers: Answer[]) {
    this.#answers = answers;
  }

  write = (tags: WriteRequest): Promise<WriteResponse> => {
    this.calls.push(tags);
    const answer = this.#answers.shift();
    if (answer === undefined) throw new Error(`unscripted write #${this.calls.length}`);
    if (answer === "hang") return new Promise(() => {});
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve(answer);
  };
}

const BASE_MS = 100;
const TIMEOUT_MS = 500;

function writer(device: ScriptedDevice, time: ManualTime, retries: number): RecordWriter {
  return new RecordWriter({
    connection: device,
    retries,
    timeoutMs: TIMEOUT_MS,
    // Just under 1 makes every jittered delay its ceiling: 100, 200, 400 ms.
    backoff: new Backoff({ baseMs: BASE_MS, factor: 2, capMs: 1000 }, () => 0.999),
    schedule: time.schedule,
    clock: time.clock,
  });
}

function plan(expiresAt?: number): WritePlan {
  return {
    shape: "job",
    writes: {
      speed: { address: "holding-register:11:REAL", value: 20 },
      count: { address: "holding-register:21:DINT", value: 3 },
    },
    expiresAt,
  };
}

const OK = { code: "OK" } as const;

test("a record the device takes is one batched write", async () => {
  const time = new ManualTime();
  const device = new ScriptedDevice([{ speed: OK, count: OK }]);
  const outcome = await writer(device, time, 3).write(plan());
  assert.deepEqual(outcome, { kind: "written", attempts: 1, written: 2 });
  assert.deepEqual(device.calls, [plan().writes]);
});

test("a retriable failure is retried after the backoff, for the failed tags only", async () => {
  const time = new ManualTime();
  const device = new ScriptedDevice([{ speed: OK, count: { code: "REMOTE_BUSY", message: "busy" } }, { count: OK }]);
  const outcome = watch(writer(device, time, 3).write(plan()));
  await time.advance(BASE_MS - 1);
  assert.equal(device.calls.length, 1, "no second attempt before the backoff is over");
  await time.advance(1);
  assert.deepEqual(outcome.value(), { kind: "written", attempts: 2, written: 2 });
  assert.deepEqual(device.calls[1], { count: plan().writes.count }, "the tag written once is not written again");
});

test("a retry writes only allow-listed tags the record asked for, whatever the device answered", async () => {
  const time = new ManualTime();
  const busy = { code: "REMOTE_BUSY", message: "busy" } as const;
  // The first answer leaves `count` out and names a tag nobody asked for; a retry must not write that one.
  const device = new ScriptedDevice([
    { speed: busy, mode: busy },
    { speed: OK, count: OK },
  ]);
  const outcome = watch(writer(device, time, 3).write(plan()));
  await time.advance(BASE_MS);
  assert.deepEqual(outcome.value(), { kind: "written", attempts: 2, written: 2 });
  assert.deepEqual(device.calls[1], plan().writes, "both asked tags again, and nothing else");
});

test("after its retries a record fails with every tag's last outcome", async () => {
  const time = new ManualTime();
  const down = { code: "REMOTE_ERROR", message: "not written: the device is away" } as const;
  const device = new ScriptedDevice([
    { speed: down, count: down },
    { speed: down, count: down },
    { speed: OK, count: down },
  ]);
  const outcome = watch(writer(device, time, 2).write(plan()));
  await time.advance(BASE_MS + 2 * BASE_MS);
  const failed = outcome.value();
  assert.equal(failed.kind, "failed");
  assert.equal(device.calls.length, 3, "the first attempt and two retries");
  if (failed.kind !== "failed") return;
  assert.equal(failed.attempts, 3);
  assert.equal(failed.written, 1);
  assert.deepEqual(failed.error.tags, { speed: "OK", count: "REMOTE_ERROR" });
  assert.equal(
    failed.error.message,
    "1 of 2 tags not written after 3 attempts: count: REMOTE_ERROR (not written: the device is away)",
  );
});

test("a code that a retry cannot fix fails the record at once", async () => {
  const time = new ManualTime();
  const refused = { code: "INVALID_DATA", message: "Modbus exception 0x03 ILLEGAL DATA VALUE" } as const;
  const device = new ScriptedDevice([{ speed: refused, count: OK }]);
  const outcome = await writer(device, time, 3).write(plan());
  assert.equal(outcome.kind, "failed");
  assert.equal(device.calls.length, 1);
  assert.equal(time.pending, 0, "nothing is left scheduled");
});

test("an attempt without an answer within timeoutMs is a TIMEOUT", async () => {
  const time = new ManualTime();
  const device = new ScriptedDevice(["hang"]);
  const outcome = watch(writer(device, time, 0).write(plan()));
  await time.advance(TIMEOUT_MS - 1);
  assert.equal(outcome.outcome.state, "pending");
  await time.advance(1);
  const failed = outcome.value();
  assert.ok(failed.kind === "failed");
  assert.deepEqual(failed.error.tags, { speed: "TIMEOUT", count: "TIMEOUT" });
  assert.match(
    failed.error.message,
    /speed: TIMEOUT \(no answer within 500 ms; the write may or may not have taken effect\)/,
  );
});

test("a write that throws fails each of its tags: retried unless the connection cannot write at all", async () => {
  const time = new ManualTime();
  const device = new ScriptedDevice([new Error("socket reset"), { speed: OK, count: OK }]);
  const retried = watch(writer(device, time, 1).write(plan()));
  await time.advance(BASE_MS);
  assert.deepEqual(retried.value(), { kind: "written", attempts: 2, written: 2 });

  const readOnly = new ScriptedDevice([new UnsupportedOperationError("write", "Example")]);
  const outcome = await writer(readOnly, time, 3).write(plan());
  assert.ok(outcome.kind === "failed");
  assert.deepEqual(outcome.error.tags, { speed: "UNSUPPORTED", count: "UNSUPPORTED" });
  assert.equal(readOnly.calls.length, 1);
});

test("a record that expires while the device is away is not written when it comes back", async () => {
  const time = new ManualTime();
  const down = { code: "REMOTE_ERROR", message: "not written: the device is away" } as const;
  const device = new ScriptedDevice([
    { speed: down, count: down },
    { speed: down, count: down },
  ]);
  const outcome = watch(writer(device, time, 5).write(plan(time.now + 250)));
  await time.advance(BASE_MS + 2 * BASE_MS);
  const expired = outcome.value();
  assert.ok(expired.kind === "expired", `got ${expired.kind}`);
  assert.equal(expired.attempts, 2);
  assert.equal(device.calls.length, 2, "no write after the expiry");
  assert.match(expired.error.message, /^expired at .*, 50 ms before it could be written; before that, 2 of 2 tags/);
});

test("abandon ends a write in progress, and later writes at once, without touching the device again", async () => {
  const time = new ManualTime();
  const device = new ScriptedDevice(["hang"]);
  const subject = writer(device, time, 3);
  const outcome = watch(subject.write(plan()));
  await time.advance(10);
  subject.abandon();
  await time.advance(0);
  assert.deepEqual(outcome.value(), { kind: "abandoned" } satisfies WriteOutcome);
  assert.deepEqual(await subject.write(plan()), { kind: "abandoned" });
  assert.equal(device.calls.length, 1);
  assert.equal(time.pending, 0, "the deadline timer is gone");
});

test("abandon cuts a backoff short", async () => {
  const time = new ManualTime();
  const device = new ScriptedDevice([{ speed: { code: "TIMEOUT", message: "slow" }, count: OK }]);
  const subject = writer(device, time, 3);
  const outcome = watch(subject.write(plan()));
  await time.advance(1);
  assert.equal(time.pending, 1, "waiting out the backoff");
  subject.abandon();
  await time.advance(0);
  assert.deepEqual(outcome.value(), { kind: "abandoned" });
  assert.equal(time.pending, 0);
});
