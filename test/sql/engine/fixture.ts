// What the engine's integration tests share: a query task with test timings, waits on its events, topic helpers.
import type { TestContext } from "node:test";
import { compatibilityPartitioner } from "@platformatic/kafka";
import {
  type CommittedRecord,
  createAdmin,
  createProducer,
  type KafkaConfig,
  readCommitted,
} from "../../../src/kafka/index.ts";
import { QueryTask, type QueryTaskOptions, type QueryTaskStatus } from "../../../src/sql/engine/query-task.ts";
import { whenEvent } from "../../support/events.ts";
import { testKafka, uniqueTopic } from "../../support/kafka.ts";

export const kafka: KafkaConfig = testKafka();

/** A service id no other test uses (so its command, processing-log topics and groups are its own). */
export function uniqueService(prefix: string): string {
  return uniqueTopic(prefix).replace(/^test-/, "");
}

/** Starts a task with short timeouts (quick rebalances and retries); stopped when the test ends. */
export function startTask(
  t: TestContext,
  options: Omit<QueryTaskOptions, "kafka"> & Partial<Pick<QueryTaskOptions, "kafka">>,
): QueryTask {
  const task = QueryTask.start({
    kafka,
    offsetReset: "earliest",
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 300,
    maxWaitMs: 200,
    retryMs: 200,
    maxRetryMs: 1_000,
    ...options,
  });
  t.after(() => task.stop());
  return task;
}

/** Resolves with the task's status once `test` holds for it (checked now and at every state change). */
export function whenStatus(
  what: string,
  task: QueryTask,
  test: (status: QueryTaskStatus) => boolean,
  timeoutMs = 30_000,
): Promise<QueryTaskStatus> {
  return whenEvent(what, [task], "state", () => (test(task.status()) ? task.status() : undefined), timeoutMs);
}

/** How many input records the batches of `task` reported (produced and committed) from now on. */
export function committedRecords(task: QueryTask): () => number {
  let records = 0;
  task.on("batch", (report) => {
    records += report.records;
  });
  return () => records;
}

/** Resolves once `condition` holds, checked now and after every batch any of `tasks` commits. */
export function afterBatches<T>(what: string, tasks: readonly QueryTask[], condition: () => T | undefined | false) {
  return whenEvent(what, tasks, "batch", condition, 30_000);
}

export async function createTopics(names: readonly string[], partitions: number): Promise<void> {
  const admin = createAdmin(kafka);
  try {
    await admin.createTopics({ topics: [...names], partitions, replicas: 1 });
  } finally {
    await admin.close();
  }
}

export interface TestRecord {
  readonly partition?: number;
  readonly key: string | null;
  readonly value: string | null;
}

export async function produce(topic: string, records: readonly TestRecord[]): Promise<void> {
  const producer = createProducer(kafka);
  try {
    await producer.send({
      messages: records.map((r) => ({
        topic,
        ...(r.partition === undefined ? {} : { partition: r.partition }),
        key: r.key === null ? undefined : Buffer.from(r.key),
        value: r.value === null ? undefined : Buffer.from(r.value),
      })),
    });
  } finally {
    await producer.close();
  }
}

export async function readAll(topic: string): Promise<CommittedRecord[]> {
  const records: CommittedRecord[] = [];
  await readCommitted(kafka, topic, (record) => records.push(record));
  return records;
}

/** The partition Kafka's Java producer picks for `key` among `partitions`. */
export function javaPartition(key: string, partitions: number): number {
  const bytes = Buffer.from(key);
  return compatibilityPartitioner({ topic: "", key: bytes, value: bytes }, bytes) % partitions;
}

/** Per topic and partition, the offsets `groupId` has committed. */
export async function committedOffsets(groupId: string): Promise<Record<string, Record<number, bigint>>> {
  const admin = createAdmin(kafka);
  try {
    const [group] = await admin.listConsumerGroupOffsets({ groups: [groupId] });
    return Object.fromEntries(
      (group?.topics ?? []).map((topic) => [
        topic.name,
        Object.fromEntries(topic.partitions.map((p) => [p.partitionIndex, p.committedOffset])),
      ]),
    );
  } finally {
    await admin.close();
  }
}
