// One run of a persistent query in its consumer group: join, restore state, then poll → process → produce → commit.
import { once } from "node:events";
import { FetchIsolationLevels, type GroupAssignment } from "@platformatic/kafka";
import {
  createConsumer,
  ensureTopics,
  type KafkaConfig,
  leaveGroupAndClose,
  type TopicSpec,
} from "../../kafka/index.ts";
import type { InputRecord, OutputRecord, Pipeline, PipelineOutput, PipelineTopicRole } from "../runtime/pipeline.ts";
import { coPartitionAssigner, encodeOwned } from "./co-partition-assigner.ts";
import { type ByteConsumer, type OffsetReset, PartitionFetcher, standaloneFetcher } from "./fetcher.ts";
import { processingLogRecords } from "./processing-log.ts";
import { type ByteProducer, createRecordProducer, toMessage } from "./record-producer.ts";
import { key, type RestoreRange, restorePartitions } from "./restore.ts";

/** What one commit covered: everything processed and produced since the previous report. */
export interface BatchReport {
  /** Input records handed to the pipeline. */
  readonly records: number;
  /** Records produced: output, repartition and changelog records, and processing-log entries. */
  readonly produced: number;
  /** Processing-log entries among them. */
  readonly errors: number;
  /** What was committed after the batch: per topic partition, the offset of the next record to read. */
  readonly committed: readonly { readonly topic: string; readonly partition: number; readonly offset: bigint }[];
  /** Why the task settled (sent what was held and committed) when it did. */
  readonly settled: SettleReason;
}

/**
 * limit: the query reached its LIMIT; caught-up: a poll found nothing new; interval: `commit.interval.ms` elapsed;
 * bound: the held updates passed `cache.max.bytes.buffering`; revoke: partitions are moving away; stop: a clean stop.
 */
export type SettleReason = "limit" | "caught-up" | "interval" | "bound" | "revoke" | "stop";

export interface SessionOptions {
  readonly kafka: KafkaConfig;
  readonly queryId: string;
  readonly groupId: string;
  readonly clientId: string;
  readonly pipeline: Pipeline;
  readonly processingLogTopic: string;
  /** Where a source partition without a committed offset starts (internal topics always start at the beginning). */
  readonly offsetReset: OffsetReset;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** The longest a poll waits for records. */
  readonly maxWaitMs: number;
  /** How often held table updates go out and the input is committed (ksqlDB's `commit.interval.ms`). */
  readonly commitIntervalMs: number;
  /** Held updates beyond this estimate go out early (ksqlDB's `cache.max.bytes.buffering`). */
  readonly maxHeldBytes: number;
  readonly clock: () => number;
  /** The group is assigning partitions again; processing pauses. */
  readonly onRebalancing: () => void;
  /** The partition numbers this member owns now, their state restored; processing goes on. */
  readonly onAssigned: (partitions: readonly number[]) => void;
  readonly onBatch: (report: BatchReport) => void;
}

/** Read from their start on every assignment: a state store's changes, and a joined table. */
const STATE_ROLES: ReadonlySet<PipelineTopicRole> = new Set(["changelog", "table"]);
/** Read from the committed offset (restored up to it first for a source table) and committed at each settle. */
const POSITIONED_ROLES: ReadonlySet<PipelineTopicRole> = new Set(["source", "source-table", "repartition"]);
const INPUT_ROLES: ReadonlySet<PipelineTopicRole> = new Set(["source", "source-table", "table"]);
/**
 * Sends not yet acknowledged before the next one waits for the oldest. The idempotent producer writes them to the wire
 * one at a time, in order, so keeping several in flight only overlaps processing with the broker's round trips.
 */
const MAX_SENDS_IN_FLIGHT = 5;

/**
 * A session ends when `stop` aborts (the batch in flight is finished and committed first), when the pipeline says
 * it is done (LIMIT), or by rejecting on the first failure; either way it revokes every partition from the pipeline
 * and leaves the group, so the query task can start a new session from a clean slate.
 */
export class TaskSession {
  readonly #o: SessionOptions;
  readonly #roles: Map<string, PipelineTopicRole>;
  /** Partition numbers this member owns and has restored. */
  readonly #owned = new Set<number>();
  readonly #committed = new Map<string, bigint>();
  #counts = new Map<string, number>();
  /** Sends not yet acknowledged, oldest first; offsets are committed only once every one of them is. */
  #sends: Promise<void>[] = [];
  #sendFailure: { readonly error: unknown } | undefined;
  /** When held updates last went out and the input was committed. */
  #settledAt = 0;
  /** Records, produced records and processing-log entries since the last settle, for its BatchReport. */
  #since = { records: 0, produced: 0, errors: 0 };

  constructor(options: SessionOptions) {
    this.#o = options;
    this.#roles = new Map(options.pipeline.topics.map((t) => [t.name, t.role]));
  }

  async run(stop: AbortSignal): Promise<"stopped" | "done"> {
    const { kafka, clientId, groupId } = this.#o;
    const restorer = standaloneFetcher(kafka, `${clientId}-restore`, { maxWaitMs: 200 });
    let consumer: ByteConsumer | undefined;
    const producer = createRecordProducer(kafka, clientId);
    try {
      await this.#prepareTopics(restorer);
      consumer = createConsumer<Buffer, Buffer, Buffer, Buffer>(kafka, {
        clientId,
        groupId,
        sessionTimeout: this.#o.sessionTimeoutMs,
        rebalanceTimeout: this.#o.sessionTimeoutMs,
        heartbeatInterval: this.#o.heartbeatIntervalMs,
        isolationLevel: FetchIsolationLevels.READ_COMMITTED,
        partitionAssigner: coPartitionAssigner,
        // Members tell the leader what they own, so that a rebalance moves (and restores) as little as it can.
        protocolsMetadata: () => encodeOwned(this.#owned),
      });
      return await this.#consume(consumer, restorer, producer, stop);
    } finally {
      for (const partition of this.#owned) this.#o.pipeline.revoke(partition);
      this.#owned.clear();
      // Leaving the group hands the partitions over at once instead of after the session timeout.
      if (consumer !== undefined) await leaveGroupAndClose(consumer);
      await producer.close().catch(() => {});
      await restorer.close();
    }
  }

  /** Checks that the inputs exist (SQL_TOPIC_MISSING otherwise) and creates the internal topics alike partitioned. */
  async #prepareTopics(restorer: PartitionFetcher): Promise<void> {
    const topics = this.#o.pipeline.topics;
    const inputs = topics.filter((t) => INPUT_ROLES.has(t.role)).map((t) => t.name);
    const inputCounts = await restorer.partitionCounts(inputs);
    const primary = topics.filter((t) => t.role !== "table" && inputCounts.has(t.name));
    const counts = primary.length > 0 ? primary.map((t) => inputCounts.get(t.name) ?? 0) : [...inputCounts.values()];
    // The analysis says how many partitions an internal topic gets; else as many as the query's input has.
    const partitions = Math.max(1, ...counts);
    const internal: TopicSpec[] = topics
      .filter((t) => t.role === "repartition" || t.role === "changelog")
      .map(
        (t): TopicSpec =>
          t.role === "changelog"
            ? { name: t.name, partitions: t.partitions ?? partitions, configs: { "cleanup.policy": "compact" } }
            : { name: t.name, partitions: t.partitions ?? partitions },
      );
    internal.push({ name: this.#o.processingLogTopic, partitions: 1 });
    await ensureTopics(this.#o.kafka, internal, this.#o.clientId);
    const read = topics.filter((t) => t.role !== "sink").map((t) => t.name);
    this.#counts = await restorer.partitionCounts(read);
  }

  async #consume(
    consumer: ByteConsumer,
    restorer: PartitionFetcher,
    producer: ByteProducer,
    stop: AbortSignal,
  ): Promise<"stopped" | "done"> {
    const failed = new AbortController();
    consumer.on("error", (error: Error) => failed.abort(error));
    const fetcher = new PartitionFetcher(consumer, { maxWaitMs: this.#o.maxWaitMs, reset: this.#o.offsetReset });
    for (const [topic, role] of this.#roles) {
      if (POSITIONED_ROLES.has(role) || role === "table") consumer.topics.track(topic);
    }
    this.#o.onRebalancing();
    await consumer.joinGroup({});
    let seen: GroupAssignment[] | null = null;
    const wake = AbortSignal.any([stop, failed.signal]);
    while (!stop.aborted) {
      if (failed.signal.aborted) throw failed.signal.reason;
      if (consumer.assignments !== seen) {
        seen = consumer.assignments;
        await this.#rebalance(seen ?? [], consumer, fetcher, restorer, producer, stop);
        continue;
      }
      if (fetcher.idle) {
        // Nothing assigned to this member: wait for the next rebalance (or the end).
        await once(consumer, "consumer:group:join", { signal: wake }).catch(() => {});
        continue;
      }
      let records = await fetcher.poll();
      // A rebalance during the poll may have given some of these partitions to another member already.
      if (consumer.assignments !== seen) records = records.filter(owns(consumer.assignments));
      const done = await this.#process(records, consumer, fetcher, producer);
      if (done) return "done";
    }
    // A clean stop sends what is held and commits everything processed: the next owner repeats nothing.
    await this.#settle(consumer, fetcher, producer, "stop");
    return "stopped";
  }

  /**
   * Processes a batch, holding its table updates, and sends what came out without waiting for the acknowledgement;
   * settles when the commit interval elapsed, when the held updates pass their bound, when the input is caught up
   * (an empty poll: nothing more to coalesce with soon) and at a LIMIT.
   */
  async #process(
    records: readonly InputRecord[],
    consumer: ByteConsumer,
    fetcher: PartitionFetcher,
    producer: ByteProducer,
  ): Promise<boolean> {
    const pipeline = this.#o.pipeline;
    let done = false;
    if (records.length > 0) {
      const output = pipeline.process(records, { hold: true });
      this.#since.records += records.length;
      await this.#send(producer, output);
      done = output.done;
    }
    const reason: SettleReason | undefined = done
      ? "limit"
      : records.length === 0
        ? "caught-up"
        : this.#o.clock() - this.#settledAt >= this.#o.commitIntervalMs
          ? "interval"
          : (pipeline.heldBytes ?? 0) > this.#o.maxHeldBytes
            ? "bound"
            : undefined;
    if (reason !== undefined) done = (await this.#settle(consumer, fetcher, producer, reason)) || done;
    return done;
  }

  /**
   * Sends the held updates, waits until Kafka acknowledged everything sent so far and only then commits the input
   * offsets (at-least-once: no input is committed while its output is held or unacknowledged). True at a LIMIT.
   */
  async #settle(
    consumer: ByteConsumer,
    fetcher: PartitionFetcher,
    producer: ByteProducer,
    settled: SettleReason,
  ): Promise<boolean> {
    const held = this.#o.pipeline.flush?.();
    if (held !== undefined) await this.#send(producer, held);
    await this.#acknowledged();
    this.#settledAt = this.#o.clock();
    const committed = await this.#commit(consumer, fetcher);
    const since = this.#since;
    if (since.records > 0 || committed.length > 0) {
      this.#since = { records: 0, produced: 0, errors: 0 };
      this.#o.onBatch({ ...since, committed, settled });
    }
    return held?.done === true;
  }

  /** Sends a pipeline output and its processing-log entries; waits for the oldest send when too many are in flight. */
  async #send(producer: ByteProducer, output: PipelineOutput): Promise<void> {
    const log = processingLogRecords(this.#o.processingLogTopic, this.#o.queryId, output.errors, this.#o.clock());
    const records: readonly OutputRecord[] = log.length === 0 ? output.records : [...output.records, ...log];
    if (records.length === 0) return;
    this.#since.produced += records.length;
    this.#since.errors += log.length;
    // The failure is kept, not thrown here: the next wait for acknowledgements rethrows it and the session ends.
    const sent = producer.send({ messages: records.map(toMessage) }).then(
      () => {},
      (error: unknown) => {
        this.#sendFailure ??= { error };
      },
    );
    this.#sends.push(sent);
    if (this.#sends.length > MAX_SENDS_IN_FLIGHT) await this.#sends.shift();
    if (this.#sendFailure !== undefined) throw this.#sendFailure.error;
  }

  async #acknowledged(): Promise<void> {
    const sends = this.#sends;
    this.#sends = [];
    await Promise.all(sends);
    if (this.#sendFailure !== undefined) throw this.#sendFailure.error;
  }

  /** Commits the positions of owned source and repartition partitions that moved (tables are always restored). */
  async #commit(consumer: ByteConsumer, fetcher: PartitionFetcher): Promise<BatchReport["committed"]> {
    const owned = owns(consumer.assignments);
    const offsets = fetcher
      .positions()
      .filter((p) => this.#roles.get(p.topic) !== "table" && owned(p))
      .filter((p) => this.#committed.get(key(p.topic, p.partition)) !== p.offset);
    if (offsets.length === 0) return [];
    await consumer.commit({ offsets: offsets.map((p) => ({ ...p, leaderEpoch: -1 })) });
    for (const p of offsets) this.#committed.set(key(p.topic, p.partition), p.offset);
    return offsets;
  }

  /** Drops the state of partitions that moved away; restores and positions the ones that arrived. */
  async #rebalance(
    assignment: readonly GroupAssignment[],
    consumer: ByteConsumer,
    fetcher: PartitionFetcher,
    restorer: PartitionFetcher,
    producer: ByteProducer,
    stop: AbortSignal,
  ): Promise<void> {
    this.#o.onRebalancing();
    const now = new Set(assignment.filter((a) => this.#roles.has(a.topic)).flatMap((a) => a.partitions));
    const leaving = [...this.#owned].filter((p) => !now.has(p));
    // What a leaving partition holds goes out before its state is dropped (its offsets can no longer be committed:
    // the next owner repeats its uncommitted records, at least once); the partitions that stay are committed.
    if (leaving.length > 0) await this.#settle(consumer, fetcher, producer, "revoke");
    for (const partition of leaving) {
      this.#o.pipeline.revoke(partition);
      this.#owned.delete(partition);
      for (const topic of this.#roles.keys()) {
        fetcher.forget(topic, partition);
        this.#committed.delete(key(topic, partition));
      }
    }
    const added = [...now].filter((p) => !this.#owned.has(p)).sort((a, b) => a - b);
    for (const partition of added) this.#o.pipeline.assign(partition);
    const starts = await this.#startOffsets(added, consumer, restorer);
    const ranges: RestoreRange[] = [
      ...this.#topicPartitions(added, (role) => STATE_ROLES.has(role)),
      // A source table's history before where processing starts rebuilds its last row per key, to retract from.
      ...this.#topicPartitions(added, (role) => role === "source-table").map((tp) => ({
        ...tp,
        end: starts.get(key(tp.topic, tp.partition)) ?? 0n,
      })),
    ];
    const ends = await restorePartitions(
      restorer,
      ranges,
      (topic, partition, records) => this.#o.pipeline.restore(topic, partition, records),
      stop,
    );
    for (const { topic, partition } of ranges) {
      if (this.#roles.get(topic) === "table") fetcher.seek(topic, partition, ends.get(key(topic, partition)) ?? 0n);
    }
    for (const [k, offset] of starts) {
      const [topic, partition] = split(k);
      fetcher.seek(topic, partition, offset);
    }
    for (const partition of added) this.#owned.add(partition);
    this.#settledAt = this.#o.clock();
    this.#o.onAssigned([...this.#owned].sort((a, b) => a - b));
  }

  /**
   * Where each added partition of the positioned topics starts: the group's committed offset, else the reset policy
   * (internal topics always from their start: everything in them was written for this query).
   */
  async #startOffsets(
    added: readonly number[],
    consumer: ByteConsumer,
    restorer: PartitionFetcher,
  ): Promise<Map<string, bigint>> {
    const starts = new Map<string, bigint>();
    for (const topic of this.#topicsWith((role) => POSITIONED_ROLES.has(role))) {
      const partitions = added.filter((p) => p < (this.#counts.get(topic) ?? 0));
      if (partitions.length === 0) continue;
      const committed = (await consumer.listCommittedOffsets({ topics: [{ topic, partitions }] })).get(topic) ?? [];
      const reset = this.#roles.get(topic) === "repartition" ? "earliest" : this.#o.offsetReset;
      const fallback = partitions.some((p) => (committed[p] ?? -1n) < 0n)
        ? await restorer.offsets(topic, reset, partitions)
        : [];
      for (const partition of partitions) {
        const offset = committed[partition] ?? -1n;
        starts.set(key(topic, partition), offset >= 0n ? offset : (fallback[partition] ?? 0n));
        if (offset >= 0n) this.#committed.set(key(topic, partition), offset);
      }
    }
    return starts;
  }

  #topicsWith(test: (role: PipelineTopicRole) => boolean): string[] {
    return [...this.#roles].filter(([, role]) => test(role)).map(([topic]) => topic);
  }

  #topicPartitions(partitions: readonly number[], test: (role: PipelineTopicRole) => boolean) {
    return this.#topicsWith(test).flatMap((topic) =>
      partitions.filter((p) => p < (this.#counts.get(topic) ?? 0)).map((partition) => ({ topic, partition })),
    );
  }
}

function split(k: string): [string, number] {
  const at = k.lastIndexOf(":");
  return [k.slice(0, at), Number(k.slice(at + 1))];
}

/** Whether a topic partition is in `assignment`. */
function owns(assignment: readonly GroupAssignment[] | null): (p: { topic: string; partition: number }) => boolean {
  const owned = new Set((assignment ?? []).flatMap((a) => a.partitions.map((p) => key(a.topic, p))));
  return (p) => owned.has(key(p.topic, p.partition));
}
