// Tests delivery through the on-disk buffer with a hand-driven clock and a fake Kafka: order, retries, stop, caps.
import assert from "node:assert/strict";
import { describe, it, test } from "node:test";
import type { BufferFullError } from "../../../src/connect/buffer/index.ts";
import { capBytes, Delivery, type DeliveryOptions } from "../../../src/connect/source/delivery.ts";
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

  it("tells send each batch's last buffer position", () =>
    withDir(async (dir) => {
      const time = new ManualTime();
      const { store } = await openStore(dir);
      await store.append(numbered(0, 2));
      await store.ack(1);
      const positions: [number, number][] = [];
      const delivery = deliveryOver(
        {
          buffer: store,
          send: async (records, position) => void positions.push([valuesOf(records).at(-1)!, position]),
        },
        time,
      );
      delivery.start();
      delivery.submit(numbered(2, 10));
      await delivery.drained();
      assert.deepEqual(positions, [
        [5, 5],
        [9, 9],
        [11, 11],
      ]);
      await delivery.stop();
      await store.close();
    }));
});

describe("delivery with a sender that resumes (exactly once)", () => {
  it("resumes before the first send and acknowledges what Kafka already holds instead of sending it", () =>
    withDir(async (dir) => {
      const time = new ManualTime();
      const { store } = await openStore(dir);
      await store.append(numbered(0, 10));
      const calls: string[] = [];
      const delivery = deliveryOver(
        {
          buffer: store,
          resume: async () => {
            calls.push("resume");
            return 5;
          },
          send: async (records) => void calls.push(`send ${valuesOf(records).join(",")}`),
        },
        time,
      );
      delivery.start();
      await delivery.drained();
      assert.deepEqual(calls, ["resume", "send 6,7,8,9"]);
      await delivery.stop();
      await store.close();
    }));

  it("resumes again after a failed send, and does not resend a batch Kafka turns out to hold", () =>
    withDir(async (dir) => {
      const time = new ManualTime();
      const { store } = await openStore(dir);
      await store.append(numbered(0, 8));
      const calls: string[] = [];
      const failed = signal();
      let kafkaHolds: number | undefined;
      const delivery = deliveryOver(
        {
          buffer: store,
          resume: async () => {
            calls.push(`resume ${kafkaHolds}`);
            return kafkaHolds;
          },
          send: async (records, position) => {
            calls.push(`send ${valuesOf(records).join(",")}`);
            if (kafkaHolds === undefined) {
              // The commit went through, but its answer was lost.
              kafkaHolds = position;
              throw new Error("request timed out");
            }
          },
          onSendError: () => failed.resolve(),
        },
        time,
      );
      delivery.start();
      const drained = delivery.drained();
      await failed.promise;
      await settle();
      assert.deepEqual(calls, ["resume undefined", "send 0,1,2,3"], "no resume before the backoff");
      await time.advance(50);
      await drained;
      assert.deepEqual(calls, ["resume undefined", "send 0,1,2,3", "resume 3", "send 4,5,6,7"]);
      assert.equal(store.depth.records, 0);
      await delivery.stop();
      await store.close();
    }));

  it("reports a resume that fails and tries again after the backoff", () =>
    withDir(async (dir) => {
      const time = new ManualTime();
      const { store } = await openStore(dir);
      await store.append(numbered(0, 2));
      let resumes = 0;
      const sent: number[] = [];
      const errors: unknown[] = [];
      const failed = signal();
      const delivery = deliveryOver(
        {
          buffer: store,
          resume: async () => {
            if (++resumes === 1) throw new Error("coordinator not available");
            return undefined;
          },
          send: async (records) => void sent.push(...valuesOf(records)),
          onSendError: (error) => {
            errors.push(error);
            failed.resolve();
          },
        },
        time,
      );
      delivery.start();
      const drained = delivery.drained();
      await failed.promise;
      await settle();
      assert.deepEqual([resumes, sent], [1, []]);
      await time.advance(50);
      await drained;
      assert.deepEqual([resumes, sent], [2, [0, 1]]);
      assert.equal((errors[0] as Error).message, "coordinator not available");
      await delivery.stop();
      await store.close();
    }));

  it("halts for good on a fatal error: nothing more is sent, drained rejects, the records stay in the buffer", () =>
    withDir(async (dir) => {
      const time = new ManualTime();
      const { store } = await openStore(dir);
      const fenced = new Error("fenced");
      const halted = signal<unknown>();
      const sendFailed = signal();
      let sends = 0;
      let resumes = 0;
      const reported: unknown[] = [];
      const delivery = deliveryOver(
        {
          buffer: store,
          resume: async () => {
            if (++resumes > 1) throw fenced;
            return undefined;
          },
          send: async () => {
            sends++;
            throw new Error("producer fenced: old epoch");
          },
          isFatal: (error) => error === fenced,
          onHalted: halted.resolve,
          onSendError: (error) => {
            reported.push(error);
            sendFailed.resolve();
          },
        },
        time,
      );
      delivery.start();
      delivery.submit(numbered(0, 3));
      const drained = assert.rejects(delivery.drained(), (error) => error === fenced);
      await sendFailed.promise;
      assert.deepEqual([sends, resumes], [1, 1]);
      await time.advance(50);
      assert.equal(await halted.promise, fenced, "after the backoff, the resume says the runner was fenced");
      await drained;
      await assert.rejects(delivery.drained(), (error) => error === fenced, "and so does a later drain");
      await time.advance(60_000);
      assert.deepEqual([sends, resumes], [1, 2], "no retry after the halt");
      assert.equal(reported.length, 1, "only the failed send was reported as a retryable failure");
      assert.equal(store.depth.records, 3);
      await delivery.stop();
      await store.close();
    }));
});

describe("records Kafka refuses for their size", () => {
  const tooLarge = new Error("MESSAGE_TOO_LARGE");

  it("halves the batch until the refused record is alone, sets it aside, and delivers the others in order", () =>
    withDir(async (dir) => {
      const time = new ManualTime();
      const { store } = await openStore(dir);
      const attempts: number[][] = [];
      const delivered: number[] = [];
      const setAside: number[] = [];
      const delivery = deliveryOver(
        {
          buffer: store,
          batchSize: 8,
          send: async (records) => {
            attempts.push(valuesOf(records));
            if (valuesOf(records).includes(5)) throw tooLarge;
            delivered.push(...valuesOf(records));
          },
          isTooLarge: (error) => error === tooLarge,
          setAside: async (record, error) => {
            assert.equal(error, tooLarge);
            setAside.push(...valuesOf([record]));
          },
        },
        time,
      );
      delivery.start();
      delivery.submit(numbered(0, 12));
      await delivery.drained();
      assert.deepEqual(delivered, [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11], "every other record, in order");
      assert.deepEqual(setAside, [5], "the refused record is set aside once");
      assert.deepEqual(
        attempts,
        [[0, 1, 2, 3, 4, 5, 6, 7], [0, 1, 2, 3], [4, 5, 6, 7], [4, 5], [4], [5], [6, 7, 8, 9, 10, 11]],
        "halving down to the refused record alone, sending the halves that pass, then full batches again",
      );
      assert.equal(time.pending, 0, "no backoff: a size refusal is not a broker outage");
      assert.equal(store.depth.records, 0);
      await delivery.stop();
      await store.close();
    }));

  it("sets nothing aside when only the batch is too large: sends stay at the size Kafka takes", () =>
    withDir(async (dir) => {
      const time = new ManualTime();
      const { store } = await openStore(dir);
      const attempts: number[][] = [];
      const delivered: number[] = [];
      const setAside: number[] = [];
      const delivery = deliveryOver(
        {
          buffer: store,
          batchSize: 8,
          // A topic whose size limit takes two of these records at most.
          send: async (records) => {
            attempts.push(valuesOf(records));
            if (records.length > 2) throw tooLarge;
            delivered.push(...valuesOf(records));
          },
          isTooLarge: (error) => error === tooLarge,
          setAside: async (record) => {
            setAside.push(...valuesOf([record]));
          },
        },
        time,
      );
      delivery.start();
      delivery.submit(numbered(0, 8));
      await delivery.drained();
      assert.deepEqual(delivered, [0, 1, 2, 3, 4, 5, 6, 7], "every record, in order");
      assert.deepEqual(setAside, [], "no record is set aside that Kafka takes alone");
      assert.deepEqual(
        attempts,
        [
          [0, 1, 2, 3, 4, 5, 6, 7],
          [0, 1, 2, 3],
          [0, 1],
          [2, 3],
          [4, 5],
          [6, 7],
        ],
        "halved until a send passes, then kept at that size",
      );
      assert.equal(time.pending, 0);
      await delivery.stop();
      await store.close();
    }));

  it("keeps the record in the buffer until setting it aside succeeded", () =>
    withDir(async (dir) => {
      const time = new ManualTime();
      const { store } = await openStore(dir);
      const readErrors = signal<unknown>();
      let asideCalls = 0;
      const delivery = deliveryOver(
        {
          buffer: store,
          send: async () => {
            throw tooLarge;
          },
          isTooLarge: (error) => error === tooLarge,
          setAside: async () => {
            if (++asideCalls === 1) throw new Error("disk full");
          },
          onBufferReadError: (error) => readErrors.resolve(error),
        },
        time,
      );
      delivery.start();
      delivery.submit(numbered(0, 1));
      await time.advance(50);
      assert.match(String(await readErrors.promise), /disk full/);
      assert.equal(store.depth.records, 1, "not acknowledged while it is kept nowhere");
      await settle();
      await time.advance(50);
      await delivery.drained();
      assert.equal(asideCalls, 2);
      assert.equal(store.depth.records, 0);
      await delivery.stop();
      await store.close();
    }));

  it("without a place to set records aside, a size refusal is retried like any failure", () =>
    withDir(async (dir) => {
      const time = new ManualTime();
      const { store } = await openStore(dir);
      const failed = signal<unknown>();
      const delivery = deliveryOver(
        {
          buffer: store,
          send: async () => {
            throw tooLarge;
          },
          isTooLarge: (error) => error === tooLarge,
          onSendError: (error) => failed.resolve(error),
        },
        time,
      );
      delivery.start();
      delivery.submit(numbered(0, 1));
      await time.advance(50);
      assert.equal(await failed.promise, tooLarge);
      assert.equal(store.depth.records, 1);
      await delivery.stop();
      await store.close();
    }));
});

test("a send is capped by bytes as well as records, so Kafka never refuses a batch for its size", () => {
  const record = (bytes: number) => ({ topic: "t", key: null, value: Buffer.alloc(bytes), timestamp: 0 });
  const batch = { first: 10, position: 13, records: [record(400), record(400), record(400), record(400)] };
  assert.deepEqual(
    ((b) => [b.first, b.position, b.records.length])(capBytes(batch, 1_000)),
    [10, 11, 2],
    "two records of 401 bytes fit in 1,000, the third does not",
  );
  assert.equal(capBytes(batch, 10_000), batch, "a batch within the cap is sent whole");
  const huge = { first: 5, position: 6, records: [record(5_000), record(10)] };
  assert.deepEqual(
    ((b) => [b.first, b.position, b.records.length])(capBytes(huge, 1_000)),
    [5, 5, 1],
    "a record over the cap goes alone",
  );
});
