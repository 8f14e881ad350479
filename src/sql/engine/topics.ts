// Kafka topics as SQL statements see them: SHOW [ALL] TOPICS, a sink topic for CREATE … AS, DROP … DELETE TOPIC.
import { type Admin, findErrorBy } from "@platformatic/kafka";
import { createAdmin, explainKafkaError, type KafkaConfig } from "../../kafka/index.ts";
import { EngineError } from "./errors.ts";

export interface TopicInfo {
  readonly name: string;
  readonly partitions: number;
  /** The replication factor (of partition 0). */
  readonly replicas: number;
  /** Per partition, how many replicas it has: ksqlDB's `replicaInfo`. */
  readonly replicaInfo: readonly number[];
}

const CLIENT_ID = "fabrik-sql-topics";

/**
 * Topics SHOW TOPICS leaves out (SHOW ALL TOPICS lists them): every name that starts with an underscore, which
 * covers Kafka's own (`__consumer_offsets`), Fabrik's (`_fabrik-sql-…`, `_fabrik-connect-…`) and Confluent's.
 */
function isInternalTopic(name: string): boolean {
  return name.startsWith("_");
}

/** The cluster's topics by name; internal ones (see isInternalTopic) only with `includeInternal`. */
export async function listTopics(kafka: KafkaConfig, { includeInternal = false } = {}): Promise<TopicInfo[]> {
  return withAdmin(kafka, "listing topics", async (admin) => {
    const names = (await admin.listTopics({ includeInternals: includeInternal }))
      .filter((name) => includeInternal || !isInternalTopic(name))
      .sort();
    if (names.length === 0) return [];
    return [...(await describe(admin, names)).values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  });
}

/** What the cluster knows of `names`; a topic that does not exist is absent from the answer. */
export async function describeTopics(kafka: KafkaConfig, names: readonly string[]): Promise<Map<string, TopicInfo>> {
  if (names.length === 0) return new Map();
  return withAdmin(kafka, `describing ${names.join(", ")}`, async (admin) => {
    const existing = new Set(await admin.listTopics({ includeInternals: true }));
    return describe(
      admin,
      names.filter((name) => existing.has(name)),
    );
  });
}

export interface SinkTopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** The replication factor; absent or -1: the cluster's default. */
  readonly replicas?: number;
  /** Topic configs for a new topic, e.g. `cleanup.policy=compact` for a table's topic. */
  readonly configs?: Readonly<Record<string, string>>;
}

/**
 * The topic a CREATE … AS SELECT or CREATE STREAM|TABLE writes to: created when missing; an existing one must have
 * the partition count asked for (and the replication factor, when one is asked for), else SQL_TOPIC_CONFLICT.
 */
export async function ensureSinkTopic(kafka: KafkaConfig, spec: SinkTopicSpec): Promise<TopicInfo> {
  return withAdmin(kafka, `creating topic ${spec.name}`, async (admin) => {
    const existing = new Set(await admin.listTopics({ includeInternals: true }));
    if (!existing.has(spec.name)) {
      try {
        await admin.createTopics({
          topics: [spec.name],
          partitions: spec.partitions,
          replicas: spec.replicas ?? -1,
          configs: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
        });
      } catch (error) {
        // Created meanwhile by another server applying the same command: checked below like any existing topic.
        if (!findErrorBy(error as Error, "apiId", "TOPIC_ALREADY_EXISTS")) throw error;
      }
    }
    const info = await describeWhenReady(admin, spec.name);
    if (info === undefined) {
      throw new EngineError("SQL_KAFKA", `topic ${spec.name} was created but the cluster does not describe it`, {
        topic: spec.name,
      });
    }
    const wantsReplicas = spec.replicas !== undefined && spec.replicas !== -1;
    if (info.partitions !== spec.partitions || (wantsReplicas && info.replicas !== spec.replicas)) {
      throw new EngineError(
        "SQL_TOPIC_CONFLICT",
        `topic ${spec.name} already exists with ${info.partitions} partitions and replication factor ` +
          `${info.replicas}, but ${spec.partitions} partitions` +
          `${wantsReplicas ? ` and replication factor ${spec.replicas}` : ""} are required`,
        { topic: spec.name },
      );
    }
    return info;
  });
}

/**
 * Deletes `name` (DROP … DELETE TOPIC); false when it did not exist, so that replaying the command is harmless. The
 * controller answers, not a broker's metadata cache: a topic created a moment ago may not be listed yet, and one deleted
 * a moment ago may still be.
 */
export async function deleteTopic(kafka: KafkaConfig, name: string): Promise<boolean> {
  return withAdmin(kafka, `deleting topic ${name}`, async (admin) => {
    try {
      await admin.deleteTopics({ topics: [name] });
      return true;
    } catch (error) {
      if (findErrorBy(error as Error, "apiId", "UNKNOWN_TOPIC_OR_PARTITION")) return false;
      throw error;
    }
  });
}

async function describe(admin: Admin, names: readonly string[]): Promise<Map<string, TopicInfo>> {
  const metadata = await admin.metadata({ topics: [...names], forceUpdate: true });
  const infos = new Map<string, TopicInfo>();
  for (const name of names) {
    const topic = metadata.topics.get(name);
    if (topic === undefined) continue;
    const replicaInfo = Array.from(
      { length: topic.partitionsCount },
      (_, p) => topic.partitions[p]?.replicas.length ?? 0,
    );
    infos.set(name, { name, partitions: topic.partitionsCount, replicas: replicaInfo[0] ?? 0, replicaInfo });
  }
  return infos;
}

/** A topic just created can take a moment to show in the metadata with its leaders. */
async function describeWhenReady(admin: Admin, name: string): Promise<TopicInfo | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      const info = (await describe(admin, [name])).get(name);
      if (info !== undefined || attempt >= 5) return info;
    } catch (error) {
      if (attempt >= 5) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
  }
}

async function withAdmin<T>(kafka: KafkaConfig, doing: string, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = createAdmin(kafka, { clientId: CLIENT_ID });
  try {
    return await work(admin);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError("SQL_KAFKA", `${doing}: ${explainKafkaError(error)}`, { cause: error });
  } finally {
    await admin.close();
  }
}
