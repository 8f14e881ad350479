// Exactly once: each batch goes to Kafka in one transaction with the record of how far the buffer is delivered.
//
// A batch and its offset record (offsets.ts) commit together or not at all, so after any crash the committed offset
// says exactly which buffer records Kafka holds: the runner acknowledges those and sends the rest. The transactional id
// is the source's (one owner at a time); initialising it fences every earlier holder and aborts what it left open.
//
// Ownership is decided only where the producer is initialised. The first `resume` takes the id over (a new owner, as the
// worker group decided). After a failed send the sender never retries in the same transaction: the outcome may be
// unknown (a commit whose answer was lost), and the client's sequence numbers may no longer match the broker's. It
// makes a new producer and initialises it as the same owner (its producer id and epoch, KIP-360): the broker bumps the
// epoch, which aborts an open transaction, unless someone else took the id since, in which case it answers
// PRODUCER_FENCED and this sender is done for good. A transaction the coordinator aborted on its timeout also shows as
// "fenced" on send, but re-initialising as the same owner succeeds there, so only a real takeover stops the source.
// Then `resume` reads the committed offset again, which tells whether the failed batch was committed after all.
import { findErrorBy } from "@platformatic/kafka";
import { createProducer, type KafkaConfig } from "../../kafka/index.ts";
import type { BufferedRecord } from "../buffer/index.ts";
import { SourceFencedError } from "./errors.ts";
import { encodeSourceOffset, readSourceOffset, type SourceOffset, sourceOffsetKey } from "./offsets.ts";
import { type ByteProducer, HEADER_KEYS, type Sender, toProducerMessage } from "./sender.ts";

export interface TransactionalSenderOptions {
  readonly kafka: KafkaConfig;
  readonly clientId: string;
  readonly connector: string;
  readonly source: string;
  /** One per source and group, stable across restarts and workers: `fabrik-{group}-{connector}-{source}`. */
  readonly transactionalId: string;
  readonly offsetsTopic: string;
  /** The buffer whose positions the offset records count. */
  readonly bufferId: string;
}

/**
 * How long the coordinator lets a transaction stay open: long enough for a slow broker to answer, short enough that a
 * dead owner nobody replaces holds back read_committed readers of its partitions only this long.
 */
const TRANSACTION_TIMEOUT_MS = 30_000;

interface Identity {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

/** What InitProducerId gets for a fresh start: no earlier producer to continue, so the id is taken over. */
const TAKE_OVER: Identity = { producerId: -1n, producerEpoch: -1 };

export class TransactionalSender implements Sender {
  readonly #options: TransactionalSenderOptions;
  readonly #key: Buffer;
  #producer: ByteProducer | undefined;
  #identity: Identity | undefined;
  #fenced: SourceFencedError | undefined;
  /** Aborted by close: ends a resume's offset read, and every later resume or send rejects. */
  readonly #closed = new AbortController();

  constructor(options: TransactionalSenderOptions) {
    this.#options = options;
    this.#key = sourceOffsetKey(options.connector, options.source);
  }

  /** Set once another owner took the transactional id; every later call rejects with it. */
  get fenced(): SourceFencedError | undefined {
    return this.#fenced;
  }

  readonly resume = async (): Promise<SourceOffset | undefined> => {
    if (this.#fenced !== undefined) throw this.#fenced;
    const { kafka, clientId, transactionalId, offsetsTopic, connector, source } = this.#options;
    // A producer that failed is not reused (see the top of the file); closing it drops whatever it still had in flight.
    await this.#producer?.close(true).catch(() => {});
    // Checked after the await and before the new producer is kept, so a close meanwhile cannot miss the new producer.
    this.#closed.signal.throwIfAborted();
    const producer = createProducer<Buffer, Buffer, string, Buffer>(kafka, {
      clientId,
      transactionalId,
      serializers: HEADER_KEYS,
      timeout: TRANSACTION_TIMEOUT_MS,
      retryDelay,
    });
    this.#producer = producer;
    try {
      // The client initialises the transactional id when its first transaction begins; this one only does that.
      const transaction = await producer.beginTransaction(this.#identity ?? TAKE_OVER);
      await transaction.cancel();
    } catch (error) {
      if (isFenced(error)) this.#fenced = new SourceFencedError(connector, source, transactionalId, error);
      throw this.#fenced ?? error;
    }
    if (producer.producerId === undefined || producer.producerEpoch === undefined) {
      throw new Error(`${connector}/${source}: the producer of ${transactionalId} has no id after initialisation`);
    }
    this.#identity = { producerId: producer.producerId, producerEpoch: producer.producerEpoch };
    return readSourceOffset(kafka, offsetsTopic, connector, source, this.#closed.signal);
  };

  async send(records: readonly BufferedRecord[], position: number): Promise<void> {
    if (this.#fenced !== undefined) throw this.#fenced;
    this.#closed.signal.throwIfAborted();
    const producer = this.#producer;
    if (producer === undefined || this.#identity === undefined) {
      throw new Error(`${this.#options.connector}/${this.#options.source}: send before resume`);
    }
    const offset = encodeSourceOffset({ bufferId: this.#options.bufferId, position });
    const transaction = await producer.beginTransaction();
    await transaction.send({
      messages: [
        ...records.map(toProducerMessage),
        { topic: this.#options.offsetsTopic, key: this.#key, value: offset, timestamp: BigInt(Date.now()) },
      ],
    });
    await transaction.commit();
  }

  /**
   * Drops a transaction or a resume in progress (Kafka aborts the open transaction; its records stay in the buffer) and
   * refuses every later call: stop must not wait out a broker that does not answer.
   */
  async close(): Promise<void> {
    this.#closed.abort(new Error(`${this.#options.connector}/${this.#options.source}: the sender was closed`));
    await this.#producer?.close(true);
    this.#producer = undefined;
  }
}

/** The client's pause between retries when nothing says to hurry. */
const RETRY_DELAY_MS = 1_000;
const CONCURRENT_RETRY_MS = 5;

/**
 * The coordinator answers CONCURRENT_TRANSACTIONS while it still writes the previous transaction's markers, which takes
 * milliseconds; waiting the client's usual second before asking again capped a source at about one batch a second
 * (measured in batches of 100: 259 records/s; retried after 5 ms, doubling: 42k records/s, idempotent 63k).
 */
function retryDelay(_client: unknown, _operation: string, attempt: number, _retries: number, error: Error): number {
  if (findErrorBy(error, "apiId", "CONCURRENT_TRANSACTIONS") === null) return RETRY_DELAY_MS;
  return Math.min(CONCURRENT_RETRY_MS * 2 ** (attempt - 1), RETRY_DELAY_MS);
}

/** The broker's answers that mean a newer producer holds the transactional id (or an expired epoch, see above). */
function isFenced(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    findErrorBy(error, "apiId", "PRODUCER_FENCED") !== null ||
    findErrorBy(error, "apiId", "INVALID_PRODUCER_EPOCH") !== null
  );
}
