// Creating the topics Fabrik writes to when they do not exist yet, as Kafka Connect does for its sources.
import { findErrorBy } from "@platformatic/kafka";
import { createAdmin, type KafkaConfig } from "./client.ts";
import { explainKafkaError, KafkaError } from "./errors.ts";

export interface TopicSpec {
  readonly name: string;
  /** Default 1. */
  readonly partitions?: number;
  /** Topic configs, e.g. `cleanup.policy=compact`. */
  readonly configs?: Readonly<Record<string, string>>;
}

/**
 * Creates each topic that does not exist, with the cluster's default replication factor. Several processes may race
 * to create the same topic: one that exists by the time it is created is fine.
 */
export async function ensureTopics(
  kafka: KafkaConfig,
  topics: readonly TopicSpec[],
  clientId = "fabrik",
): Promise<void> {
  if (topics.length === 0) return;
  const admin = createAdmin(kafka, { clientId });
  try {
    const existing = new Set(await admin.listTopics());
    for (const topic of topics) {
      if (existing.has(topic.name)) continue;
      try {
        await admin.createTopics({
          topics: [topic.name],
          partitions: topic.partitions ?? 1,
          replicas: -1,
          configs: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })),
        });
      } catch (error) {
        // Created meanwhile by another task or worker: what was wanted.
        if (findErrorBy(error as Error, "apiId", "TOPIC_ALREADY_EXISTS")) continue;
        throw new KafkaError(
          "TOPIC_CREATION_FAILED",
          `cannot create topic ${topic.name}: ${explainKafkaError(error)}`,
          {
            cause: error,
          },
        );
      }
    }
  } finally {
    await admin.close();
  }
}
