// Delivers a source's records to Kafka through its on-disk buffer, so sampling never waits on Kafka and nothing is lost.
import { Backoff, type Schedule } from "../../plc/index.ts";
import { type BufferBatch, type BufferedRecord, BufferFullError, type StoreAndForward } from "../buffer/index.ts";

/**
 * Sends one batch to Kafka, resolving once every record is acknowledged (acks=all). `position` is the buffer position of
 * the batch's last record, for senders that keep in Kafka how far the buffer is delivered.
 */
export type SendBatch = (records: readonly BufferedRecord[], position: number) => Promise<void>;

/**
 * Readies a sender before the first send and again after every failed one, before the retry. Resolves with the last
 * buffer position whose record Kafka already holds (delivery acknowledges up to it), or undefined when it cannot say.
 */
export type ResumeDelivery = () => Promise<number | undefined>;

export interface DeliveryOptions {
  readonly buffer: StoreAndForward;
  readonly send: SendBatch;
  /** Absent: nothing to ready, and a failed send is simply sent again. */
  readonly resume?: ResumeDelivery;
  /**
   * Whether a failure of `send` or `resume` means retrying cannot succeed (this runner was fenced): delivery then stops
   * for good, records stay in the buffer, `onHalted` is told and `drained` rejects with the error.
   */
  readonly isFatal?: (error: unknown) => boolean;
  readonly onHalted?: (error: unknown) => void;
  /** Most records per send. */
  readonly batchSize: number;
  /**
   * Most bytes per send (keys, values, headers), default MAX_SEND_BYTES: Kafka refuses a produce request over its
   * limit, and a batch refused for its size would be retried forever. A single larger record is still sent alone.
   */
  readonly maxBatchBytes?: number;
  /**
   * Whether a failed send means Kafka refuses a record for its size (MESSAGE_TOO_LARGE), which no retry can fix. Then a
   * batch of several records is sent again in halves, and a single refused record goes to `setAside`.
   */
  readonly isTooLarge?: (error: unknown) => boolean;
  /**
   * Keeps a record Kafka refuses for its size somewhere durable, with the reason; it is acknowledged in the buffer only
   * once this resolves (a rejection counts as a buffer error: delivery backs off and tries again).
   */
  readonly setAside?: (record: BufferedRecord, error: unknown) => Promise<void>;
  /** How long submitted records may wait to be written with others. */
  readonly lingerMs: number;
  readonly schedule: Schedule;
  /** Retries of a failed send; jittered so that many workers do not hammer a returning broker together. */
  readonly retryBackoff?: Backoff;
  /** A batch was written to the buffer (its depth grew). */
  readonly onStored?: (records: readonly BufferedRecord[]) => void;
  /** A batch reached Kafka and was acknowledged in the buffer. */
  readonly onDelivered?: (records: readonly BufferedRecord[]) => void;
  /**
   * A send (or resume) failed; the batch stays in the buffer and is sent again. Called on every failure that is not
   * fatal (the caller rate-limits).
   */
  readonly onSendError?: (error: unknown) => void;
  /** A batch was refused by the buffer at a cap under the stop-sampling policy; the error says how many records. */
  readonly onRefused?: (error: BufferFullError) => void;
  /** Writing to the buffer failed for another reason (disk full, permissions): the records are lost, loudly. */
  readonly onBufferError?: (count: number, error: unknown) => void;
  /**
   * Reading the buffer or recording an acknowledgement failed (I/O error, damaged data): delivery waits a backoff and
   * tries again from the oldest unacknowledged record, so a failed ack may send its batch a second time.
   */
  readonly onBufferReadError?: (error: unknown) => void;
}

/**
 * Every record goes through the buffer: `submit` only queues in memory (sampling never waits), a linger timer writes
 * the queue to disk in one append, and one pump sends the buffer's oldest records in order and acknowledges them only
 * once Kafka has. While Kafka is away the pump retries the same batch with backoff and the buffer grows on disk within
 * its caps; a process that dies replays from the disk what Kafka did not acknowledge. With `resume` (an exactly-once
 * sender) the pump first readies the sender and acknowledges what Kafka turns out to hold already, and again after every
 * failed send: a batch whose fate is unknown is then never sent twice.
 */
export class Delivery {
  readonly #options: DeliveryOptions;
  readonly #backoff: Backoff;
  #queue: BufferedRecord[] = [];
  #cancelLinger: (() => void) | undefined;
  #writing: Promise<void> = Promise.resolve();
  /** Set while the pump sleeps on an empty buffer: an append, a drain or stop wakes it. */
  #wake: (() => void) | undefined;
  /** Set while the pump waits out a retry backoff: only stop cuts it short. */
  #endPause: (() => void) | undefined;
  /** Counts appends, so the pump never sleeps on an append that finished while it was looking. */
  #appends = 0;
  #pumping: Promise<void> | undefined;
  #stopping = false;
  /** Set when the sender must be readied (again) before the next send. */
  #needsResume: boolean;
  #halted: { readonly error: unknown } | undefined;
  /** Most records per send since Kafka refused a batch for its size; cleared once a refused record is set aside. */
  #splitLimit: number | undefined;
  #idle: { readonly resolve: () => void; readonly reject: (error: unknown) => void }[] = [];

  constructor(options: DeliveryOptions) {
    this.#options = options;
    this.#backoff = options.retryBackoff ?? new Backoff({ baseMs: 100, factor: 2, capMs: 5_000 }, Math.random);
    this.#needsResume = options.resume !== undefined;
  }

  /** False while the buffer refuses records (stop-sampling at a cap, until acks make room): the caller should not sample. */
  get accepting(): boolean {
    return !this.#options.buffer.full;
  }

  start(): void {
    this.#pumping ??= this.#pump();
  }

  /** Queues records for the buffer; never waits. */
  submit(records: readonly BufferedRecord[]): void {
    if (records.length === 0) return;
    for (const record of records) this.#queue.push(record);
    if (this.#queue.length >= this.#options.batchSize) this.#flush();
    else this.#cancelLinger ??= this.#options.schedule(() => this.#flush(), this.#options.lingerMs);
  }

  /** Resolves once everything submitted so far is in Kafka (or stop was called); rejects if delivery halted. */
  async drained(): Promise<void> {
    this.#flush();
    await this.#writing;
    if (this.#halted !== undefined) throw this.#halted.error;
    if (this.#stopping || this.#options.buffer.depth.records === 0) return;
    await new Promise<void>((resolve, reject) => {
      this.#idle.push({ resolve, reject });
      this.#wake?.();
    });
  }

  /** Writes what is queued to the buffer and stops sending; what Kafka has not acknowledged stays on disk. */
  async stop(): Promise<void> {
    this.#flush();
    await this.#writing;
    this.#stopping = true;
    this.#wake?.();
    this.#endPause?.();
    await this.#pumping;
    for (const waiter of this.#idle.splice(0)) waiter.resolve();
  }

  #flush(): void {
    this.#cancelLinger?.();
    this.#cancelLinger = undefined;
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    // Appends are chained so batches reach the disk in submission order.
    this.#writing = this.#writing.then(() => this.#write(batch));
  }

  async #write(batch: readonly BufferedRecord[]): Promise<void> {
    const { buffer, onStored, onRefused, onBufferError } = this.#options;
    try {
      await buffer.append(batch);
      this.#appends++;
      this.#wake?.();
      onStored?.(batch);
    } catch (error) {
      if (error instanceof BufferFullError) onRefused?.(error);
      else onBufferError?.(batch.length, error);
    }
  }

  async #pump(): Promise<void> {
    while (!this.#stopping && this.#halted === undefined) {
      try {
        await this.#deliverOldest();
      } catch (error) {
        if (this.#stopping) return;
        this.#options.onBufferReadError?.(error);
        await this.#pause(this.#backoff.next());
      }
    }
  }

  /** Sends the buffer's oldest batch and acknowledges it, or sleeps until there is one. Rejects on buffer errors only. */
  async #deliverOldest(): Promise<void> {
    const { buffer, send, batchSize, onDelivered } = this.#options;
    if (this.#needsResume && !(await this.#resume())) return;
    const appends = this.#appends;
    const batch = capBytes(
      await buffer.peek(Math.min(batchSize, this.#splitLimit ?? batchSize)),
      this.#options.maxBatchBytes ?? MAX_SEND_BYTES,
    );
    if (batch.records.length === 0) {
      if (appends !== this.#appends) return;
      for (const waiter of this.#idle.splice(0)) waiter.resolve();
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
      return;
    }
    if (this.#stopping) return;
    try {
      await send(batch.records, batch.position);
    } catch (error) {
      this.#needsResume = this.#options.resume !== undefined;
      if (this.#options.isTooLarge?.(error) === true && this.#options.setAside !== undefined) {
        await this.#tooLarge(batch, error, this.#options.setAside);
        return;
      }
      await this.#failed(error);
      return;
    }
    this.#backoff.reset();
    await buffer.ack(batch.position);
    onDelivered?.(batch.records);
  }

  /**
   * Kafka refused the batch for a record's size: halve the batch until the record is alone (sending the halves that pass
   * meanwhile), then set it aside and move past it at full batch size again. That costs about 2·log2(batch size) extra
   * sends per refused record, and nothing otherwise. When no record is refused alone (the topic's limit is below
   * maxBatchBytes, so only whole batches are too large) the sends stay at the halved size that passes.
   */
  async #tooLarge(
    batch: BufferBatch,
    error: unknown,
    setAside: NonNullable<DeliveryOptions["setAside"]>,
  ): Promise<void> {
    if (batch.records.length > 1) {
      this.#splitLimit = Math.ceil(batch.records.length / 2);
      return;
    }
    await setAside(batch.records[0]!, error);
    this.#splitLimit = undefined;
    await this.#options.buffer.ack(batch.position);
  }

  /** Readies the sender and acknowledges what Kafka already holds; false when that failed (reported, backed off). */
  async #resume(): Promise<boolean> {
    let held: number | undefined;
    try {
      held = await this.#options.resume?.();
    } catch (error) {
      await this.#failed(error);
      return false;
    }
    if (this.#stopping) return false;
    if (held !== undefined) await this.#options.buffer.ack(held);
    // Only now: were the ack lost to a buffer error, the next attempt asks Kafka again instead of sending duplicates.
    this.#needsResume = false;
    return true;
  }

  /** A send or resume failed: halt on a fatal error, else report it and wait out a backoff before the retry. */
  async #failed(error: unknown): Promise<void> {
    if (this.#stopping) return;
    if (this.#options.isFatal?.(error) === true) {
      this.#halted = { error };
      this.#options.onHalted?.(error);
      for (const waiter of this.#idle.splice(0)) waiter.reject(error);
      return;
    }
    this.#options.onSendError?.(error);
    await this.#pause(this.#backoff.next());
  }

  /** Waits `ms`, or less if stop is called meanwhile. */
  async #pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const cancel = this.#options.schedule(resolve, ms);
      this.#endPause = () => {
        cancel();
        resolve();
      };
    });
    this.#endPause = undefined;
  }
}

/** Kafka's default `message.max.bytes` is 1 MiB per record batch; leave room for the batch's own overhead. */
const MAX_SEND_BYTES = 900 * 1024;

/** The longest prefix of `batch` within `maxBytes` (at least its first record), with the position to ack it. */
export function capBytes(batch: BufferBatch, maxBytes: number): BufferBatch {
  let bytes = 0;
  for (let i = 0; i < batch.records.length; i++) {
    const record = batch.records[i]!;
    bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0) + record.topic.length;
    for (const [name, value] of record.headers ?? []) bytes += name.length + value.length;
    if (bytes > maxBytes && i > 0) {
      return { first: batch.first, position: batch.first + i - 1, records: batch.records.slice(0, i) };
    }
  }
  return batch;
}
