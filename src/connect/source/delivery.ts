// Delivers a source's records to Kafka through its on-disk buffer, so sampling never waits on Kafka and nothing is lost.
import { Backoff, type Schedule } from "../../plc/index.ts";
import { type BufferedRecord, BufferFullError, type StoreAndForward } from "../buffer/index.ts";

/** Sends one batch to Kafka, resolving once every record is acknowledged (acks=all). */
export type SendBatch = (records: readonly BufferedRecord[]) => Promise<void>;

export interface DeliveryOptions {
  readonly buffer: StoreAndForward;
  readonly send: SendBatch;
  /** Most records per send. */
  readonly batchSize: number;
  /** How long submitted records may wait to be written with others. */
  readonly lingerMs: number;
  readonly schedule: Schedule;
  /** Retries of a failed send; jittered so that many workers do not hammer a returning broker together. */
  readonly retryBackoff?: Backoff;
  /** A batch was written to the buffer (its depth grew). */
  readonly onStored?: () => void;
  /** A batch reached Kafka and was acknowledged in the buffer. */
  readonly onDelivered?: (records: readonly BufferedRecord[]) => void;
  /** A send failed; the batch stays in the buffer and is sent again. Called on every failure (the caller rate-limits). */
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
 * its caps; a process that dies replays from the disk what Kafka did not acknowledge.
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
  #idle: (() => void)[] = [];

  constructor(options: DeliveryOptions) {
    this.#options = options;
    this.#backoff = options.retryBackoff ?? new Backoff({ baseMs: 100, factor: 2, capMs: 5_000 }, Math.random);
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

  /** Resolves once everything submitted so far is in Kafka (or stop was called). */
  async drained(): Promise<void> {
    this.#flush();
    await this.#writing;
    if (this.#stopping || this.#options.buffer.depth.records === 0) return;
    await new Promise<void>((resolve) => {
      this.#idle.push(resolve);
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
    for (const resolve of this.#idle.splice(0)) resolve();
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
      onStored?.();
    } catch (error) {
      if (error instanceof BufferFullError) onRefused?.(error);
      else onBufferError?.(batch.length, error);
    }
  }

  async #pump(): Promise<void> {
    while (!this.#stopping) {
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
    const { buffer, send, batchSize, onDelivered, onSendError } = this.#options;
    const appends = this.#appends;
    const batch = await buffer.peek(batchSize);
    if (batch.records.length === 0) {
      if (appends !== this.#appends) return;
      for (const resolve of this.#idle.splice(0)) resolve();
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
      return;
    }
    if (this.#stopping) return;
    try {
      await send(batch.records);
    } catch (error) {
      if (this.#stopping) return;
      onSendError?.(error);
      await this.#pause(this.#backoff.next());
      return;
    }
    this.#backoff.reset();
    await buffer.ack(batch.position);
    onDelivered?.(batch.records);
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
