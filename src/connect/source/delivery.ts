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
  /** A batch reached Kafka: how many records, and how long after the oldest was submitted... its sample time. */
  readonly onDelivered?: (records: readonly BufferedRecord[]) => void;
  /** A send failed; the batch stays in the buffer and is sent again. Called on every failure (the caller rate-limits). */
  readonly onSendError?: (error: unknown, attempt: number) => void;
  /** Records were refused by the buffer at a cap under the stop-sampling policy. */
  readonly onRefused?: (count: number, error: BufferFullError) => void;
  /** Writing to the buffer failed for another reason (disk full, permissions): the records are lost, loudly. */
  readonly onBufferError?: (count: number, error: unknown) => void;
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
  #wake: (() => void) | undefined;
  /** Counts appends, so the pump never sleeps on an append that finished while it was looking. */
  #appends = 0;
  #pumping: Promise<void> | undefined;
  #stopping = false;
  #refusing = false;
  #idle: (() => void)[] = [];

  constructor(options: DeliveryOptions) {
    this.#options = options;
    this.#backoff = options.retryBackoff ?? new Backoff({ baseMs: 100, factor: 2, capMs: 5_000 }, Math.random);
  }

  /** False while the buffer refuses records (stop-sampling at a cap): the caller should not sample. */
  get accepting(): boolean {
    return !this.#refusing && !this.#options.buffer.full;
  }

  /** Records submitted and not yet written to the buffer. */
  get queued(): number {
    return this.#queue.length;
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
    if (this.#options.buffer.depth.records === 0) return;
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
    const { buffer, onRefused, onBufferError } = this.#options;
    try {
      await buffer.append(batch);
      this.#appends++;
      this.#refusing = false;
      this.#wake?.();
    } catch (error) {
      if (error instanceof BufferFullError) {
        this.#refusing = true;
        onRefused?.(batch.length, error);
      } else {
        onBufferError?.(batch.length, error);
      }
    }
  }

  async #pump(): Promise<void> {
    const { buffer, send, batchSize, onDelivered, onSendError } = this.#options;
    while (!this.#stopping) {
      const appends = this.#appends;
      const batch = await buffer.peek(batchSize);
      if (batch.records.length === 0) {
        if (appends !== this.#appends) continue;
        for (const resolve of this.#idle.splice(0)) resolve();
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        continue;
      }
      try {
        await send(batch.records);
      } catch (error) {
        if (this.#stopping) return;
        onSendError?.(error, this.#backoff.attempt + 1);
        await this.#pause(this.#backoff.next());
        continue;
      }
      this.#backoff.reset();
      await buffer.ack(batch.position);
      onDelivered?.(batch.records);
    }
  }

  /** Waits `ms`, or less if stop is called meanwhile. */
  #pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const cancel = this.#options.schedule(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        if (!this.#stopping) return;
        cancel();
        resolve();
      };
    });
  }
}
