// How a source's batches reach Kafka: the sender contract, and the idempotent sender of at-least-once delivery.
import type { MessageToProduce, Producer } from "@platformatic/kafka";
import { createProducer, type KafkaConfig, stringSerializers } from "../../kafka/index.ts";
import type { BufferedRecord } from "../buffer/index.ts";
import type { SourceOffset } from "./offsets.ts";

export interface Sender {
  /**
   * Present when the sender knows what Kafka holds: run before the first send and after every failed one, it readies the
   * producer and answers the offset Kafka committed for this source (undefined: none).
   */
  readonly resume?: () => Promise<SourceOffset | undefined>;
  /** Sends one batch, resolving once Kafka acknowledged all of it; `position` is the batch's last buffer position. */
  send(records: readonly BufferedRecord[], position: number): Promise<void>;
  close(): Promise<void>;
}

export type ByteProducer = Producer<Buffer, Buffer, string, Buffer>;

/** The producer message of a buffered record; the Kafka timestamp is the sample time. */
export function toProducerMessage(record: BufferedRecord): MessageToProduce<Buffer, Buffer, string, Buffer> {
  return {
    topic: record.topic,
    key: record.key ?? undefined,
    value: record.value ?? undefined,
    timestamp: BigInt(record.timestamp),
    ...(record.headers === undefined ? {} : { headers: Object.fromEntries(record.headers) }),
  };
}

/** Header names are strings in buffered records; the client writes them as bytes only with a serializer. */
export const HEADER_KEYS = { headerKey: stringSerializers.headerKey };

/**
 * At least once: the idempotent producer keeps its sequence numbers through its own retries, so the broker drops a
 * duplicate of a retried batch; a crash between Kafka's ack and the buffer's ack still sends the batch again.
 */
export class IdempotentSender implements Sender {
  readonly #producer: ByteProducer;

  constructor(kafka: KafkaConfig, clientId: string) {
    this.#producer = createProducer<Buffer, Buffer, string, Buffer>(kafka, { clientId, serializers: HEADER_KEYS });
  }

  async send(records: readonly BufferedRecord[]): Promise<void> {
    await this.#producer.send({ messages: records.map(toProducerMessage) });
  }

  /** Drops a send still in flight (its records stay in the buffer): stop must not wait out a broker that is away. */
  close(): Promise<void> {
    return this.#producer.close(true);
  }
}
