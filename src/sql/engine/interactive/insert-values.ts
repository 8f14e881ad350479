// INSERT INTO … VALUES: the planned row encoded in the source's formats and produced to its topic.
import { explainKafkaError } from "../../../kafka/index.ts";
import type { InsertValuesPlan } from "../../analysis/insert-values.ts";
import { keySerde, valueSerde } from "../../runtime/source-decoder.ts";
import { KsqlRequestError } from "../entities.ts";
import { EngineError } from "../errors.ts";
import { type ByteProducer, produceAll } from "../record-producer.ts";

/**
 * Encodes the row with the serdes the runtime reads the source with (so what is inserted is what a query decodes),
 * and resolves once Kafka acknowledged the record. The record's time is the statement's ROWTIME, else `now()`, as in
 * ksqlDB; it has no headers. The producer's partitioner decides the partition: keyed records go where Kafka's Java
 * client would put them (record-producer.ts), key-less ones round robin. Windowed sources never get here: the analysis
 * refuses them. A Kafka failure rejects with EngineError SQL_KAFKA naming the source and topic.
 */
export async function insertValues(
  producer: ByteProducer,
  plan: InsertValuesPlan,
  now: () => number = Date.now,
): Promise<void> {
  const { source } = plan;
  const timestamp = plan.timestamp ?? now();
  if (timestamp < 0) {
    // Kafka reserves negative times (-1 means "none"); the broker's refusal would not say which value was wrong.
    throw new KsqlRequestError(400, {
      "@type": "statement_error",
      error_code: 40001,
      message: `ROWTIME ${timestamp} is before 1970-01-01: Kafka record timestamps cannot be negative`,
    });
  }
  const key = keySerde(source).encode(plan.key);
  const value = valueSerde(source).encode(plan.value);
  try {
    await produceAll(producer, [{ topic: source.topic, key: asBuffer(key), value: asBuffer(value), timestamp }]);
  } catch (error) {
    throw new EngineError(
      "SQL_KAFKA",
      `inserting into ${source.name}: writing to topic ${source.topic} failed: ${explainKafkaError(error)}`,
      { topic: source.topic, cause: error },
    );
  }
}

function asBuffer(bytes: Uint8Array | null): Buffer | null {
  if (bytes === null) return null;
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
