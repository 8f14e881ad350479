// Tests the buffer's byte and age caps under both policies: what is dropped or refused, that it is said, and nothing else.
import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { frameSize } from "../../../src/connect/buffer/frame.ts";
import { BufferFullError } from "../../../src/connect/buffer/index.ts";
import { SeededRandom } from "../../../src/plc/simulated/random.ts";
import { drain, ManualClock, numbered, openStore, range, segmentFiles, withDir } from "./fixture.ts";

const SEGMENT_BYTES = 4096;

describe("byte cap", () => {
  it("drop-oldest drops whole oldest segments, only as far as needed, and says so", () =>
    withDir(async (dir) => {
      const maxBytes = 20_000;
      const { store, caps } = await openStore(dir, { maxBytes, segmentBytes: SEGMENT_BYTES });
      const random = new SeededRandom(3);
      let appended = 0;
      while (appended < 1000) {
        const batch = numbered(appended, Math.min(1000 - appended, random.intBetween(1, 30)), 20);
        const batchBytes = batch.reduce((sum, record, i) => sum + frameSize(record, i), 0);
        await store.append(batch);
        appended += batch.length;
        const depth = store.depth;
        assert.ok(depth.bytes <= maxBytes, `${depth.bytes} bytes held`);
        assert.equal(store.dropped + depth.records, appended, "every record is held or counted as dropped");
        if (store.dropped > 0)
          assert.ok(depth.bytes > maxBytes - SEGMENT_BYTES - batchBytes, "dropped more than needed");
      }
      assert.ok(store.dropped > 0);
      assert.ok(
        caps.every((event) => event.cap === "bytes" && event.policy === "drop-oldest" && event.limit === maxBytes),
      );
      assert.equal(
        caps.reduce((sum, event) => sum + event.dropped, 0),
        store.dropped,
      );
      assert.deepEqual((await drain(store)).values, range(store.dropped, 1000 - store.dropped));
      let onDisk = 0;
      for (const name of await segmentFiles(dir)) onDisk += (await stat(join(dir, name))).size;
      assert.equal(onDisk, store.depth.bytes, "dropped segments are deleted");
      await store.close();
    }));

  it("stop-sampling refuses the batch that would pass the cap, stores nothing of it, and says which cap", () =>
    withDir(async (dir) => {
      const maxBytes = 5000;
      const { store, caps } = await openStore(dir, {
        maxBytes,
        whenFull: "stop-sampling",
        segmentBytes: SEGMENT_BYTES,
      });
      let accepted = 0;
      let refusal: unknown;
      while (refusal === undefined) {
        try {
          await store.append(numbered(accepted, 1));
          accepted++;
        } catch (error) {
          refusal = error;
        }
      }
      assert.ok(refusal instanceof BufferFullError);
      assert.equal(refusal.code, "BUFFER_FULL");
      assert.equal(refusal.cap, "bytes");
      const held = store.depth.bytes;
      assert.equal(refusal.measured, held + frameSize(numbered(accepted, 1)[0]!, 0));
      assert.ok(refusal.measured > maxBytes && held <= maxBytes);
      assert.match(
        refusal.message,
        new RegExp(`bytes cap\\): holding the batch would take it to ${refusal.measured} bytes`),
      );
      assert.match(refusal.message, /over maxBytes 5000; 1 records rejected/);
      assert.equal(store.full, true);

      await assert.rejects(store.append(numbered(accepted, 1)), BufferFullError);
      assert.equal(store.depth.records, accepted, "refused batches take no room");
      assert.deepEqual(caps, [
        { cap: "bytes", policy: "stop-sampling", dropped: 0, measured: refusal.measured, limit: maxBytes },
      ]);
      assert.equal(store.dropped, 0);

      const batch = await store.peek(10);
      await store.ack(batch.position);
      assert.equal(store.full, false, "acks made room");
      assert.equal(await store.append(numbered(accepted, 1)), accepted, "refused records took no positions");
      assert.deepEqual((await drain(store)).values, range(10, accepted - 9));
      await store.close();
    }));
});

describe("cap listeners", () => {
  it("a listener that throws changes nothing: the batch that reached the cap is stored and counted", () =>
    withDir(async (dir) => {
      const warnings: string[] = [];
      const onWarning = (warning: Error) => warnings.push(warning.message);
      process.on("warning", onWarning);
      try {
        const { store } = await openStore(dir, {
          maxBytes: 6000,
          segmentBytes: SEGMENT_BYTES,
          onCapReached: () => {
            throw new Error("listener broke");
          },
        });
        for (let i = 0; i < 200; i += 10) assert.equal(await store.append(numbered(i, 10, 20)), i + 9);
        assert.ok(store.dropped > 0);
        assert.equal(store.dropped + store.depth.records, 200);
        await store.close();
        await new Promise((resolve) => setImmediate(resolve));
        assert.ok(warnings.some((message) => message.includes("listener broke")));
      } finally {
        process.off("warning", onWarning);
      }
    }));
});

describe("age cap", () => {
  it("drop-oldest drops segments whose newest record is past maxAgeMs, and nothing younger", () =>
    withDir(async (dir) => {
      const clock = new ManualClock();
      const start = clock.now;
      const maxAgeMs = 16_000;
      const every = 250;
      const { store, caps } = await openStore(dir, { maxAgeMs, clock: clock.read });
      for (let i = 0; i < 200; i++) {
        clock.now = start + i * every;
        await store.append(numbered(i, 1));
        const dropped = store.dropped;
        if (dropped > 0) {
          assert.ok(start + (dropped - 1) * every < clock.now - maxAgeMs, `record ${dropped - 1} was within the cap`);
        }
        // A segment spans at most maxAgeMs/16 (plus one append interval), the most that can outlive the cap.
        assert.ok(clock.now - (start + dropped * every) <= maxAgeMs + maxAgeMs / 16 + every, `kept too long at ${i}`);
        assert.equal(store.depth.oldestTimestamp, start + dropped * every);
        assert.equal(store.depth.records, i + 1 - dropped);
      }
      assert.ok(store.dropped > 100);
      assert.ok(
        caps.every((event) => event.cap === "age" && event.policy === "drop-oldest" && event.limit === maxAgeMs),
      );

      clock.now += 60_000;
      const late = await store.peek(100);
      assert.deepEqual(late.records, [], "peek does not deliver what aged out while nobody appended");
      assert.equal(store.dropped, 200);
      assert.equal(
        caps.reduce((sum, event) => sum + event.dropped, 0),
        200,
      );
      assert.equal(await store.append(numbered(200, 1)), 200);
      await store.close();
    }));

  it("stop-sampling refuses once the oldest record is past maxAgeMs, until it is acked", () =>
    withDir(async (dir) => {
      const clock = new ManualClock();
      const { store, caps } = await openStore(dir, { maxAgeMs: 1000, whenFull: "stop-sampling", clock: clock.read });
      await store.append(numbered(0, 1));
      clock.now += 1000;
      await store.append(numbered(1, 1));
      clock.now += 1;
      await assert.rejects(
        store.append(numbered(2, 1)),
        (error: unknown) =>
          error instanceof BufferFullError &&
          error.cap === "age" &&
          error.measured === 1001 &&
          /\(age cap\): its oldest unacknowledged record is 1001 ms old, over maxAgeMs 1000/.test(error.message),
      );
      assert.equal(store.full, true);
      assert.deepEqual(caps, [{ cap: "age", policy: "stop-sampling", dropped: 0, measured: 1001, limit: 1000 }]);
      await store.ack(0);
      assert.equal(store.full, false);
      assert.equal(store.depth.oldestTimestamp, clock.now - 1);
      assert.equal(await store.append(numbered(2, 1)), 2);
      assert.deepEqual((await drain(store)).values, [1, 2]);
      await store.close();
    }));
});
