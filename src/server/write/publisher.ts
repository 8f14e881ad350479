// The server's one Kafka producer for writes from the UI: made at the first write (a server nobody writes through
// never connects it), idempotent with acks=all, closed with the server.
import { createProducer, ensureTopics, type KafkaConfig, type Producer } from "../../kafka/index.ts";

/** One write as a record for a sink's topic. */
export interface WriteRecord {
  readonly topic: string;
  readonly key: string;
  /** JSON text: the job format a sink reads. */
  readonly value: string;
  /** The record's timestamp, epoch ms. */
  readonly timestamp: number;
}

/** Where Kafka put the record. */
export interface Published {
  readonly partition: number;
  readonly offset: bigint;
}

/** Produces write records; replaceable in tests, where no Kafka is reached. */
export interface WritePublisher {
  /** Resolves once every in-sync replica has the record. */
  publish(record: WriteRecord): Promise<Published>;
  close(): Promise<void>;
}

export class KafkaWritePublisher implements WritePublisher {
  readonly #kafka: KafkaConfig;
  readonly #ensured = new Set<string>();
  #producer: Producer | undefined;
  #closed = false;

  constructor(kafka: KafkaConfig) {
    this.#kafka = kafka;
  }

  async publish(record: WriteRecord): Promise<Published> {
    if (this.#closed) throw new Error("the server is stopping");
    // The sink's task creates its topics when it starts; a write made before (or while its connector is stopped)
    // would otherwise wait on a topic the broker may never create by itself.
    if (!this.#ensured.has(record.topic)) {
      await ensureTopics(this.#kafka, [{ name: record.topic }], "fabrik-server-writes");
      this.#ensured.add(record.topic);
    }
    this.#producer ??= createProducer(this.#kafka, { clientId: "fabrik-server-writes" });
    const result = await this.#producer.send({
      messages: [
        {
          topic: record.topic,
          key: Buffer.from(record.key, "utf8"),
          value: Buffer.from(record.value, "utf8"),
          timestamp: BigInt(Math.trunc(record.timestamp)),
        },
      ],
    });
    const sent = result.offsets?.[0];
    if (sent === undefined) throw new Error(`Kafka acknowledged the record for ${record.topic} without an offset`);
    return { partition: sent.partition, offset: sent.offset };
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#producer?.close();
  }
}
