// Reading sink topics from their start until a golden case's expected records are there, and comparing them.

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createConsumer, type KafkaConfig } from "../../../src/kafka/index.ts";
import { type ByteConsumer, PartitionFetcher } from "../../../src/sql/engine/fetcher.ts";
import type { InputRecord } from "../../../src/sql/runtime/pipeline.ts";
import { type OutputSpec, timeOf } from "./case-file.ts";
import { describeBytes, matchBytes } from "./record-bytes.ts";

/**
 * Fetches every partition of `topics` from the start until `done` holds for what arrived (checked after each fetch,
 * and a fetch waits on the broker, never on a timer) or `timeoutMs` passed; answers what arrived, per topic, in
 * offset order per partition.
 */
export async function readTopicsUntil(
  kafka: KafkaConfig,
  topics: readonly string[],
  done: (records: ReadonlyMap<string, readonly InputRecord[]>) => boolean,
  timeoutMs: number,
): Promise<{ records: Map<string, InputRecord[]>; complete: boolean }> {
  const clientId = `fabrik-golden-reader-${randomUUID()}`;
  const consumer: ByteConsumer = createConsumer(kafka, { clientId, groupId: clientId });
  const fetcher = new PartitionFetcher(consumer, { maxWaitMs: 200 });
  const records = new Map(topics.map((t) => [t, [] as InputRecord[]]));
  try {
    const counts = await fetcher.partitionCounts(topics);
    for (const topic of topics) {
      const starts = await fetcher.offsets(topic, "earliest");
      for (let p = 0; p < (counts.get(topic) ?? 0); p++) fetcher.seek(topic, p, starts[p] ?? 0n);
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (done(records)) return { records, complete: true };
      if (Date.now() > deadline) return { records, complete: false };
      for (const record of await fetcher.poll()) records.get(record.topic)?.push(record);
    }
  } finally {
    await consumer.close(true);
  }
}

/** A sink topic and what it should hold. */
export interface ExpectedTopic {
  readonly topic: string;
  /** The name the case uses, for reports. */
  readonly local: string;
  readonly expected: readonly OutputSpec[];
}

/** Reads the topics until each holds what it should (or the time is up), then asserts it record by record. */
export async function assertOutputs(
  kafka: KafkaConfig,
  topics: readonly ExpectedTopic[],
  timeoutMs: number,
): Promise<void> {
  if (topics.length === 0) return;
  const { records, complete } = await readTopicsUntil(
    kafka,
    topics.map((t) => t.topic),
    (arrived) => topics.every((t) => (arrived.get(t.topic)?.length ?? 0) >= t.expected.length),
    timeoutMs,
  );
  const problems = topics.flatMap((t) => {
    const actual = records.get(t.topic) ?? [];
    const found = compareRecords(t.expected, actual);
    if (found.length === 0) return [];
    return [
      `${t.local}:\n    ${found.join("\n    ")}\n` +
        `  expected:\n${t.expected.map((r) => `    ${describeSpec(r)}`).join("\n") || "    (nothing)"}\n` +
        `  actual:\n${actual.map((r) => `    ${describeRecord(r)}`).join("\n") || "    (nothing)"}`,
    ];
  });
  if (problems.length > 0) {
    assert.fail(`${complete ? "" : `after ${timeoutMs} ms of waiting, `}outputs differ:\n${problems.join("\n")}`);
  }
}

/** What differs between the expected and actual records, compared per key in order. */
export function compareRecords(expected: readonly OutputSpec[], actual: readonly InputRecord[]): string[] {
  const wanted = groupBy(expected, (r) => JSON.stringify(r.key ?? null));
  const unpaired = groupBy(actual, (r) => r.key?.toString("hex") ?? "null");
  const problems: string[] = [];
  for (const records of wanted.values()) {
    const key = records[0]!.key;
    const match = [...unpaired].find(([, got]) => matchBytes(key, got[0]!.key));
    if (match === undefined) {
      problems.push(`no record has the key ${JSON.stringify(key ?? null)}`);
      continue;
    }
    unpaired.delete(match[0]);
    const got = match[1];
    if (got.length !== records.length) {
      problems.push(`key ${JSON.stringify(key ?? null)}: ${records.length} record(s) expected, ${got.length} arrived`);
    }
    records.forEach((want, i) => {
      const record = got[i];
      if (record === undefined) return;
      if (!matchBytes(want.value, record.value)) {
        problems.push(`key ${JSON.stringify(key ?? null)} #${i}: value ${describeBytes(record.value)}`);
      } else if (want.timestamp !== undefined && timeOf(want.timestamp) !== record.timestamp) {
        const at = new Date(record.timestamp).toISOString();
        problems.push(`key ${JSON.stringify(key ?? null)} #${i}: timestamp ${at} (${record.timestamp})`);
      }
    });
  }
  for (const got of unpaired.values()) problems.push(`unexpected key ${describeBytes(got[0]!.key)}`);
  return problems;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

function describeSpec(record: OutputSpec): string {
  const at = record.timestamp === undefined ? "" : ` @ ${new Date(timeOf(record.timestamp)).toISOString()}`;
  return `${JSON.stringify(record.key ?? null)} → ${JSON.stringify(record.value)}${at}`;
}

function describeRecord(record: InputRecord): string {
  const at = new Date(record.timestamp).toISOString();
  return `${describeBytes(record.key)} → ${describeBytes(record.value)} @ ${at} [p${record.partition}@${record.offset}]`;
}
