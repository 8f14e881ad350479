// Tests delivery through the on-disk buffer with a hand-driven clock and a fake Kafka: order, retries, stop, caps.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BufferFullError } from "../../../src/connect/buffer/index.ts";
import { Delivery, type DeliveryOptions } from "../../../src/connect/source/delivery.ts";
import { Backoff } from "../../../src/plc/index.ts";
import { ManualTime, settle, watch } from "../../plc/manager-time.ts";
import { numbered, openStore, range, valuesOf, withDir } from "../buffer/fixture.ts";

/** A promise with its resolver, to await a callback the code under test makes. */
function signal<T = void>(): { readonly promise: Promise<T>; readonly resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Every retry waits exactly half its ceiling: 50 ms, then 100 ms, ... */
const halfBackoff = (baseMs: number) => new Backoff({ baseMs, factor: 2, capMs: 60_000 }, () => 0.5);

function deliveryOver(
  options: Pick<DeliveryOptions, "buffer" | "send"> & Partial<DeliveryOptions>,
  time: ManualTime,
): Delivery {
  return new Delivery({
    batchSize: 4,
    lingerMs: 50,
    schedule: time.schedule,
    retryBackoff: halfBackoff(100),
    ...options,
  });
}

describe("delivery", () => {
  it("sends submitted records in order, in batches, and drained waits for Kafka's acknowledgement", () =>
    withDir(async (dir) => {
      const time = new ManualTime();
      const { store } = await openStore(dir);
      const batches: number[][] = [];
      let stored = 0;
      const delivery = deliveryOver(
        {
          buffer: store,
          send: async (records) => void batches.push(valuesOf(records)),
          onStored: () => stored++,
        },
        time,
      );
      delivery.start();
      delivery.submit(numbered(0, 3));
      assert.equal(time.pending, 1, "fewer records than a batch wait for the linger timer");
      delivery.submit(numbered(3, 7));
      await delivery.drained();
      assert.deepEqual(batches.flat(), range(0, 10));
      assert.ok(
        batches.every((batch) => batch.length <= 4),
        `batches of at most batchSize: ${JSON.stringify(batches)}`,
      );
      assert.equal(store.depth.records, 0, "every record acknowledged in the buffer");
      assert.equal(stored, 1, "one append for the ten records");
      await delivery.stop();
      await store.close();
    }));

  it("keeps a batch Kafka refused and sends it again after the backoff, not before", () =>
    withDir(async (dir) => {
      const time = new ManualTime();
      const { store } = await openStore(dir);
      const sent: number[] = [];
      const errors: unknown[] = [];
      const failed = signal();
      let calls = 0;
      const delivery = deliveryOver(
        {
          buffer: store,
          send: async (records) => {
            if (++calls === 1) throw new Error("broker away");
            sent.push(...valuesOf(records));
          },
          onSendError: (error) => {
            errors.push(error);
            failed.resolve();
          },
        },
        time,
      );
      delivery.start();
      delivery.submit(numbered(0, 3));
      const drained = delivery.drained();
      await failed.promise;
      await settle();
      assert.equal(calls, 1, "no retry before the backoff");
      assert.equal(store.depth.records, 3, "the refused batch stays in the buffer");
      await time.advance(50);
      await drained;
      assert.equal(calls, 2);
      assert.deepEqual(sent, [0, 1, 2]);
      assert.equal((errors[0] as Error).message, "broker away");
      await delivery.stop();
      await store.close();
    }));

  it("a buffer that cannot be read is reported, and delivery tries again after the backoff instead of dying", () =>
    withDir(async (dir) => {
      const time = new ManualTime();
      const { store } = await openStore(dir);
      const realPeek = store.peek.bind(store);
      let peeks = 0;
      store.peek = (max, after) =>
        ++peeks === 1 ? Promise.reject(new Error("EIO: segment unreadable")) : realPeek(max, after);
      const sent: number[] = [];
      const reported = signal<unknown>();
      const delivery = deliveryOver(
        {
          buffer: store,
          send: async (records) => void sent.push(...valuesOf(records)),
          onBufferReadError: reported.resolve,
        },
        time,
      );
      delivery.start();
      assert.equal(((await reported.promise) as Error).message, "EIO: segment unreadable");
      delivery.submit(numbered(0, 3));
      const drained = delivery.drained();
      await settle();
      assert.deepEqual(sent, [], "nothing read before the backoff");
      await time.advance(50);
      await drained;
      assert.deepEqual(sent, [0, 1, 2]);
      await delivery.stop();
      await store.close();
    }));

  it("stop cuts a backoff short and leaves what Kafka did not take in the buffer", () =>
    withDir(async (dir) => {
      const time = new ManualTime();
      const { store } = await openStore(dir);
      const failed = signal();
      const delivery = deliveryOver(
        {
          buffer: store,
          send: () => Promise.reject(new Error("broker away")),
          onSendError: () => failed.resolve(),
          retryBackoff: halfBackoff(60_000),
        },
        time,
      );
      delivery.start();
      delivery.submit(numbered(0, 3));
      const drained = watch(delivery.drained());
      await failed.promise;
      assert.equal(time.pending, 1, "the retry waits on its backoff timer");
      await delivery.stop();
      assert.equal(time.pending, 0, "stop cancelled the backoff timer");
      await settle();
      assert.equal(drained.outcome.state, "resolved", "a drain waiting at stop is let go");
      assert.equal(store.depth.records, 3, "unsent records wait on disk");
      const late = watch(delivery.drained());
      await settle();
      assert.equal(late.outcome.state, "resolved", "a drain after stop does not wait for a pump that is gone");
      await store.close();
    }));

  it("stops accepting at a stop-sampling cap and accepts again once acks made room", () =>
    withDir(async (dir) => {
      const time = new ManualTime();
      // A numbered record's frame is 69 bytes: two fit, a third does not.
      const { store } = await openStore(dir, { whenFull: "stop-sampling", maxBytes: 150 });
      const kafkaBack = signal();
      const stored = signal();
      const refused = signal<BufferFullError>();
      const delivered = signal();
      const sent: number[] = [];
      const delivery = deliveryOver(
        {
          buffer: store,
          batchSize: 2,
          send: async (records) => {
            await kafkaBack.promise;
            sent.push(...valuesOf(records));
          },
          onStored: () => stored.resolve(),
          onRefused: (error) => refused.resolve(error),
          onDelivered: () => delivered.resolve(),
        },
        time,
      );
      delivery.start();
      delivery.submit(numbered(0, 2));
      await stored.promise;
      assert.equal(delivery.accepting, true);
      delivery.submit(numbered(2, 2));
      const error = await refused.promise;
      assert.equal(error.code, "BUFFER_FULL");
      assert.match(error.message, /2 records rejected/);
      assert.equal(delivery.accepting, false, "a refused batch stops sampling");
      kafkaBack.resolve();
      await delivered.promise;
      assert.equal(delivery.accepting, true, "acks made room: sampling resumes without another append first");
      delivery.submit(numbered(4, 1));
      await delivery.drained();
      assert.deepEqual(sent, [0, 1, 4], "the refused batch is gone, everything else arrived in order");
      await delivery.stop();
      await store.close();
    }));
});
