// Tests the store-and-forward buffer's log: order, acks, replay after close and after simulated crashes, and the lock.
import assert from "node:assert/strict";
import { readFile, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { checkFrame } from "../../../src/connect/buffer/frame.ts";
import {
  BufferAckError,
  BufferClosedError,
  BufferIoError,
  BufferLockedError,
  BufferOptionsError,
  type CorruptionEvent,
} from "../../../src/connect/buffer/index.ts";
import { SeededRandom } from "../../../src/plc/simulated/random.ts";
import { drain, numbered, openStore, range, segmentFiles, valuesOf, withDir } from "./fixture.ts";

/** Start offsets of the frames of a segment file's contents. */
function frameStarts(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (let at = 0; at < bytes.length; ) {
    const check = checkFrame(bytes, at);
    assert.equal(check.kind, "frame");
    starts.push(at);
    at = check.kind === "frame" ? check.end : bytes.length;
  }
  return starts;
}

/** Appends 0..count-1 in seeded batch sizes, awaiting each, into small segments. */
async function fill(dir: string, count: number) {
  const opened = await openStore(dir, { segmentBytes: 4096 });
  const random = new SeededRandom(11);
  for (let next = 0; next < count; ) {
    const size = Math.min(count - next, random.intBetween(1, 40));
    assert.equal(await opened.store.append(numbered(next, size)), next + size - 1);
    next += size;
  }
  return opened;
}

describe("store-and-forward log", () => {
  it("gives records back in order across segments, positions consecutive", () =>
    withDir(async (dir) => {
      const { store } = await fill(dir, 1000);
      assert.ok((await segmentFiles(dir)).length > 5, "the records span several segments");
      assert.deepEqual(store.depth.records, 1000);
      assert.deepEqual((await drain(store, 37)).values, range(0, 1000));
      await store.close();
    }));

  it("reads ahead of acks with `after`, and acks what was produced", () =>
    withDir(async (dir) => {
      const { store } = await fill(dir, 100);
      const first = await store.peek(10);
      const second = await store.peek(10, first.position);
      assert.deepEqual([first.first, first.position, second.first, second.position], [0, 9, 10, 19]);
      assert.deepEqual(valuesOf(second.records), range(10, 10));
      await store.ack(second.position);
      assert.equal(store.depth.records, 80);
      assert.deepEqual(valuesOf((await store.peek(3)).records), [20, 21, 22]);
      await store.close();
    }));

  it("deletes segments once every record in them is acked, and keeps the rest", () =>
    withDir(async (dir) => {
      const { store } = await fill(dir, 1000);
      const before = await segmentFiles(dir);
      await store.ack(499);
      const held = store.depth;
      const after = await segmentFiles(dir);
      assert.ok(after.length < before.length);
      assert.deepEqual(after, before.slice(before.length - after.length), "only the oldest went");
      assert.ok(Number(after[0]!.slice(0, 20)) <= 500, "the segment holding 500 stays");
      await store.close();
      const { store: reopened } = await openStore(dir, { segmentBytes: 4096 });
      assert.deepEqual(reopened.depth, held, "the depth after an ack is what a fresh scan finds");
      await reopened.ack(999);
      assert.deepEqual(await segmentFiles(dir), before.slice(-1), "the last segment stays for appends");
      assert.deepEqual(reopened.depth, { records: 0, bytes: 0, oldestTimestamp: undefined });
      await reopened.close();
    }));

  it("ignores an ack of what was already acked, and refuses one of what was never written", () =>
    withDir(async (dir) => {
      const { store } = await fill(dir, 10);
      await store.ack(4);
      await store.ack(2);
      assert.equal(store.depth.records, 5);
      await assert.rejects(store.ack(10), (error: unknown) => error instanceof BufferAckError && error.position === 10);
      await store.close();
    }));

  it("replays unacked records after a close and continues their positions", () =>
    withDir(async (dir) => {
      const { store } = await fill(dir, 300);
      await store.ack(119);
      await store.close();
      const { store: reopened } = await openStore(dir, { segmentBytes: 4096 });
      assert.deepEqual(reopened.recovery, {
        records: 180,
        segments: reopened.recovery.segments,
        tornBytes: 0,
        nextPosition: 300,
      });
      assert.equal(await reopened.append(numbered(300, 5)), 304);
      assert.deepEqual((await drain(reopened)).values, range(120, 185));
      await reopened.close();
    }));

  it("never reuses a position, even when every segment was acked and deleted", () =>
    withDir(async (dir) => {
      const { store } = await fill(dir, 300);
      await store.ack(299);
      await store.close();
      const { store: reopened } = await openStore(dir, { segmentBytes: 4096 });
      assert.equal(reopened.depth.records, 0);
      assert.equal(await reopened.append(numbered(300, 1)), 300);
      await reopened.close();
    }));

  it("resolves an empty append with the last position and writes nothing", () =>
    withDir(async (dir) => {
      const { store } = await fill(dir, 3);
      assert.equal(await store.append([]), 2);
      assert.equal(store.depth.records, 3);
      await store.close();
    }));

  it("refuses work after close", () =>
    withDir(async (dir) => {
      const { store } = await fill(dir, 3);
      await store.close();
      await assert.rejects(store.append(numbered(3, 1)), BufferClosedError);
      await assert.rejects(store.peek(1), BufferClosedError);
    }));

  it("stops taking records after a failed write, and says why", () =>
    withDir(async (dir) => {
      const { store } = await fill(dir, 100);
      await rm(dir, { recursive: true });
      const failed = store.append(numbered(100, 200, 40));
      await assert.rejects(
        failed,
        (error: unknown) =>
          error instanceof BufferIoError && error.code === "BUFFER_IO" && /ENOENT/.test(error.message),
      );
      await assert.rejects(store.append(numbered(300, 1)), /broken by an earlier I\/O error/);
      await store.close();
    }));

  it("refuses options it cannot honour, naming the option", async () => {
    await assert.rejects(
      openStore("/nonexistent", { maxBytes: 0 }),
      (error: unknown) => error instanceof BufferOptionsError && error.option === "maxBytes",
    );
  });
});

describe("store-and-forward recovery after a crash", () => {
  /** Writes 0..count-1, closes, and hands back the last segment's path and frame offsets to damage. */
  async function crashed(dir: string, count: number) {
    const { store } = await fill(dir, count);
    await store.close();
    const path = join(dir, (await segmentFiles(dir)).at(-1)!);
    const bytes = await readFile(path);
    return { path, bytes, starts: frameStarts(bytes), base: Number((await segmentFiles(dir)).at(-1)!.slice(0, 20)) };
  }

  it("drops a last frame cut in the middle and replays everything before it", () =>
    withDir(async (dir) => {
      const { path, bytes, starts } = await crashed(dir, 200);
      const lastStart = starts.at(-1)!;
      await truncate(path, lastStart + 11);
      const { store } = await openStore(dir, { segmentBytes: 4096 });
      assert.equal(store.recovery.tornBytes, 11);
      assert.deepEqual((await drain(store)).values, range(0, 199));
      assert.equal(bytes.length - lastStart > 11, true);
      // The torn record's append never resolved, so its position is free; the log continues cleanly after it.
      assert.equal(await store.append(numbered(500, 2)), 200);
      await store.close();
      const { store: again } = await openStore(dir, { segmentBytes: 4096 });
      assert.deepEqual((await drain(again)).values, [...range(0, 199), 500, 501]);
      await again.close();
    }));

  it("drops a last frame with a flipped byte", () =>
    withDir(async (dir) => {
      const { path, bytes, starts } = await crashed(dir, 200);
      bytes[starts.at(-1)! + 30]! ^= 0x10;
      await writeFile(path, bytes);
      const { store } = await openStore(dir, { segmentBytes: 4096 });
      assert.deepEqual((await drain(store)).values, range(0, 199));
      await store.close();
    }));

  it("replays nothing after a damaged frame of the last segment", () =>
    withDir(async (dir) => {
      const { path, bytes, starts, base } = await crashed(dir, 200);
      const victim = Math.floor(starts.length / 2);
      bytes[starts[victim]! + 9]! ^= 0x01;
      await writeFile(path, bytes);
      const { store } = await openStore(dir, { segmentBytes: 4096 });
      assert.equal(store.recovery.tornBytes, bytes.length - starts[victim]!);
      assert.deepEqual((await drain(store)).values, range(0, base + victim));
      await store.close();
    }));

  it("skips damage inside an older segment, reports it, and delivers the segments after it", () =>
    withDir(async (dir) => {
      const { store } = await fill(dir, 1000);
      await store.close();
      const files = await segmentFiles(dir);
      const victim = join(dir, files[2]!);
      const bytes = await readFile(victim);
      const starts = frameStarts(bytes);
      bytes[starts[3]! + 20]! ^= 0xff;
      await writeFile(victim, bytes);
      const reports: CorruptionEvent[] = [];
      const { store: reopened } = await openStore(dir, { segmentBytes: 4096, onCorruption: (e) => reports.push(e) });
      const base = Number(files[2]!.slice(0, 20));
      const next = Number(files[3]!.slice(0, 20));
      const values = (await drain(reopened, 100)).values;
      assert.deepEqual(values, [...range(0, base + 3), ...range(next, 1000 - next)]);
      assert.equal(reopened.corrupted, next - base - 3);
      assert.equal(reports.length, 1);
      assert.deepEqual(
        { ...reports[0]!, reason: "" },
        { file: victim, offset: starts[3]!, reason: "", lost: next - base - 3 },
      );
      await reopened.close();
    }));

  it("falls back to replaying when the checkpoint is lost: duplicates, never loss", () =>
    withDir(async (dir) => {
      const { store } = await fill(dir, 300);
      await store.ack(149);
      await store.close();
      await writeFile(join(dir, "checkpoint"), Buffer.alloc(48));
      const { store: reopened } = await openStore(dir, { segmentBytes: 4096 });
      const values = (await drain(reopened)).values;
      assert.ok(values[0]! <= 150, `replay starts at ${values[0]}`);
      assert.deepEqual(values, range(values[0]!, 300 - values[0]!));
      await reopened.close();
    }));
});

describe("store-and-forward directory lock", () => {
  it("refuses a second open of the same directory", () =>
    withDir(async (dir) => {
      const { store } = await openStore(dir);
      await assert.rejects(openStore(dir), BufferLockedError);
      await store.close();
      const { store: again } = await openStore(dir);
      await again.close();
    }));

  it("takes over the lock of a process that is gone", () =>
    withDir(async (dir) => {
      await writeFile(join(dir, "LOCK"), "2147483646\n");
      const { store } = await openStore(dir);
      assert.equal((await readFile(join(dir, "LOCK"), "utf8")).trim(), String(process.pid));
      await store.close();
    }));

  it("refuses a directory locked by a live process, naming it", () =>
    withDir(async (dir) => {
      await writeFile(join(dir, "LOCK"), `${process.ppid}\n`);
      await assert.rejects(
        openStore(dir),
        (error: unknown) => error instanceof BufferLockedError && error.pid === process.ppid,
      );
    }));
});
