// What integration tests share: the test broker's config, unique topic names, and waiting for conditions.
import { randomBytes } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { createAdmin, type KafkaConfig, kafkaConfigFromEnv } from "../../src/kafka/index.ts";

/** The broker `npm test` started, or the cluster in KAFKA_BOOTSTRAP_SERVERS. */
export function testKafka(): KafkaConfig {
  const config = kafkaConfigFromEnv();
  if (!config) {
    throw new Error("integration tests need Kafka: run them with `npm test` (or set KAFKA_BOOTSTRAP_SERVERS)");
  }
  return config;
}

/** A topic name no other test (or earlier run against the same cluster) uses. */
export function uniqueTopic(prefix: string): string {
  return `test-${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

/** A new topic named after `prefix` (uniquely), with `partitions` partitions. */
export async function createTopic(kafka: KafkaConfig, prefix: string, partitions = 1): Promise<string> {
  const topic = uniqueTopic(prefix);
  const admin = createAdmin(kafka);
  await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
  await admin.close();
  return topic;
}

/**
 * Polls `condition` until it holds; fails with `what` after `timeoutMs`. Only for what no event reports (a broker's
 * metadata catching up with its controller, a process that is not this one's child ending): wait on an event with
 * `whenEvent` (events.ts) wherever there is one.
 */
export async function eventually<T>(
  what: string,
  condition: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    }
    await delay(100);
  }
}
