// Producing the engine's records: Kafka's Java partitioner for keyed records, so every client agrees on partitions.
import type { MessageToProduce, Partitioner, Producer } from "@platformatic/kafka";
import { createProducer, type KafkaConfig, partitionHash } from "../../kafka/index.ts";
import type { OutputRecord } from "../runtime/pipeline.ts";

type ByteMessage = MessageToProduce<Buffer, Buffer, Buffer, Buffer>;
export type ByteProducer = Producer<Buffer, Buffer, Buffer, Buffer>;

/**
 * The partition Kafka's Java client picks for a key: murmur2 with the sign bit masked off, modulo the partition count
 * (the producer applies the modulo). The library's default partitioner turns the hash unsigned instead, which puts
 * about half of all keys in another partition than the Java client, Kafka Streams or ksqlDB would: a table joined on
 * its key must be partitioned the way its (often Java) producer partitioned it. Records without a key go round robin
 * per topic, as the library does when no partitioner is given.
 */
export function javaPartitioner(): Partitioner<Buffer, Buffer, Buffer, Buffer> {
  const next = new Map<string, number>();
  return (message, key) => {
    if (Buffer.isBuffer(key)) return partitionHash(key);
    const turn = next.get(message.topic) ?? 0;
    next.set(message.topic, (turn + 1) & 0x7fffffff);
    return turn;
  };
}

/** An idempotent producer (acks=all) with the Java partitioner: what query tasks and the engine write with. */
export function createRecordProducer(kafka: KafkaConfig, clientId: string): ByteProducer {
  return createProducer<Buffer, Buffer, Buffer, Buffer>(kafka, { clientId, partitioner: javaPartitioner() });
}

/** A pipeline's record as the client takes it; null key and value stay null on the wire (a tombstone for values). */
export function toMessage(record: OutputRecord): ByteMessage {
  const message: ByteMessage = {
    topic: record.topic,
    key: record.key ?? undefined,
    value: record.value ?? undefined,
    timestamp: BigInt(Math.trunc(record.timestamp)),
  };
  if (record.partition !== undefined) message.partition = record.partition;
  if (record.headers !== undefined && record.headers.length > 0) {
    message.headers = new Map(record.headers.map(([name, value]) => [Buffer.from(name, "utf8"), value]));
  }
  return message;
}

/** Produces `records` and resolves once Kafka acknowledged every one of them. */
export async function produceAll(producer: ByteProducer, records: readonly OutputRecord[]): Promise<void> {
  if (records.length === 0) return;
  await producer.send({ messages: records.map(toMessage) });
}
