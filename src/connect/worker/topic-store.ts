// A compacted Kafka topic read into memory and followed: the latest value per key, what every worker of a group shares.
import { randomUUID } from "node:crypto";
import type { Consumer, Message, MessagesStream, Producer } from "@platformatic/kafka";
import { createConsumer, createProducer, type KafkaConfig } from "../../kafka/index.ts";

export type StoreListener = (key: string, value: Buffer | undefined) => void;

/**
 * Reads `topic` from its start and keeps following it: `get` answers the latest value of a key, a tombstone removes
 * it. Writes go through Kafka and count once read back (`write` resolves then), so every worker, this one included,
 * sees the same history in the same order.
 */
export class TopicStore {
  readonly topic: string;
  readonly #consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;
  readonly #producer: Producer<Buffer, Buffer, Buffer, Buffer>;
  readonly #values = new Map<string, Buffer>();
  readonly #listeners: StoreListener[] = [];
  /** Per partition, the offset of the next record to read. */
  readonly #next = new Map<number, bigint>();
  #waiters: { partition: number; offset: bigint; resolve: () => void; reject: (error: Error) => void }[] = [];
  #stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined;
  #failure: Error | undefined;

  private constructor(kafka: KafkaConfig, topic: string, clientId: string) {
    this.topic = topic;
    // A group of its own, never committed: the store always reads the whole topic. The group only exists because the
    // client reads through one.
    this.#consumer = createConsumer(kafka, {
      clientId,
      groupId: `${clientId}-${randomUUID()}`,
      sessionTimeout: 10_000,
      heartbeatInterval: 3_000,
    });
    this.#producer = createProducer(kafka, { clientId });
  }

  /** Opens the store and reads the topic up to its current end. */
  static async open(kafka: KafkaConfig, topic: string, clientId: string): Promise<TopicStore> {
    const store = new TopicStore(kafka, topic, clientId);
    try {
      store.#stream = await store.#consumer.consume({ topics: [topic], mode: "earliest", autocommit: false });
      store.#stream.on("data", (message: Message<Buffer, Buffer, Buffer, Buffer>) => store.#read(message));
      store.#stream.on("error", (error: Error) => store.#fail(error));
      await store.caughtUp();
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  get(key: string): Buffer | undefined {
    return this.#values.get(key);
  }

  entries(): IterableIterator<[string, Buffer]> {
    return this.#values.entries();
  }

  /** Called for every record read after this call, in topic order, tombstones with `undefined`. */
  onChange(listener: StoreListener): void {
    this.#listeners.push(listener);
  }

  /** Writes a value (undefined: a tombstone) and resolves once this store has read it back. */
  async write(key: string, value: Buffer | undefined): Promise<void> {
    await this.writeAll([[key, value]]);
  }

  /** Writes records in one batch; resolves once all were read back. */
  async writeAll(entries: readonly (readonly [string, Buffer | undefined])[]): Promise<void> {
    if (entries.length === 0) return;
    const result = await this.#producer.send({
      messages: entries.map(([key, value]) => ({ topic: this.topic, key: Buffer.from(key), value })),
    });
    const offsets = result.offsets ?? [];
    await Promise.all(offsets.map(({ partition, offset }) => this.#reached(partition, offset + 1n)));
  }

  /** Resolves once everything the topic held when called has been read. */
  async caughtUp(): Promise<void> {
    const ends = await this.#consumer.listOffsets({ topics: [this.topic] });
    const partitions = ends.get(this.topic) ?? [];
    await Promise.all(partitions.map((end, partition) => this.#reached(partition, end)));
  }

  async close(): Promise<void> {
    this.#fail(new Error(`the store of ${this.topic} is closed`));
    await this.#stream?.close();
    await this.#consumer.close();
    await this.#producer.close();
  }

  #reached(partition: number, offset: bigint): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if ((this.#next.get(partition) ?? 0n) >= offset) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ partition, offset, resolve, reject }));
  }

  #read(message: Message<Buffer, Buffer, Buffer, Buffer>): void {
    const key = message.key?.toString("utf8");
    if (key !== undefined) {
      const value =
        message.value === undefined || message.value === null || message.value.length === 0 ? undefined : message.value;
      if (value === undefined) this.#values.delete(key);
      else this.#values.set(key, value);
      for (const listener of this.#listeners) listener(key, value);
    }
    const next = message.offset + 1n;
    this.#next.set(message.partition, next);
    if (this.#waiters.length === 0) return;
    const waiting = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiting) {
      if (waiter.partition === message.partition && waiter.offset <= next) waiter.resolve();
      else this.#waiters.push(waiter);
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#failure);
  }
}
