// Builds a query's Pipeline from its plan: operators compiled once, topics declared, records dispatched by topic.

import type { QueryPlan } from "../plan/plan.ts";
import { AggregateCore, type AggregateOperator } from "./aggregate-core.ts";
import { SessionAggregate } from "./aggregate-sessions.ts";
import { TimeWindowAggregate } from "./aggregate-time-windows.ts";
import { UnwindowedAggregate } from "./aggregate-unwindowed.ts";
import { ChangelogWriter, decodeChangelog } from "./changelog.ts";
import { Collector } from "./collector.ts";
import { SqlRuntimeError } from "./errors.ts";
import { ExplodeStage } from "./explode-stage.ts";
import { Flow } from "./flow.ts";
import { JoinStage } from "./join-stage.ts";
import { OutputStage } from "./output-stage.ts";
import { PartitionState } from "./partition-state.ts";
import type { InputRecord, Pipeline, PipelineOptions, PipelineOutput, PipelineTopic } from "./pipeline.ts";
import { checkPlan } from "./plan-check.ts";
import { RecordContext } from "./record-context.ts";
import { SourceDecoder } from "./source-decoder.ts";
import { viewOver } from "./view-store.ts";

type Handler = (record: InputRecord, state: PartitionState) => void;

/** Internal topic names, as ksqlDB forms them: prefix, query id, the operation, the kind of topic. */
export function internalTopicNames(options: PipelineOptions): { join: string; rekey: string; changelog: string } {
  const base = `${options.internalTopicPrefix}${options.queryId}`;
  return {
    join: `${base}-Join-repartition`,
    rekey: `${base}-Rekey-repartition`,
    changelog: `${base}-Aggregate-changelog`,
  };
}

export function createPipeline(plan: QueryPlan, options: PipelineOptions): Pipeline {
  checkPlan(plan);
  const coalesce = options.coalesce ?? true;
  const names = internalTopicNames(options);
  const ctx = new RecordContext();
  const collector = new Collector(plan.limit, ctx);
  const states = new Map<number, PartitionState>();
  const stateFor = (partition: number): PartitionState => {
    let state = states.get(partition);
    if (state === undefined) {
      state = new PartitionState(partition);
      states.set(partition, state);
    }
    return state;
  };

  const output = new OutputStage(plan, ctx, collector, coalesce);
  const join = plan.join === undefined ? undefined : new JoinStage(plan.join, ctx, collector);
  const aggregateStage = plan.aggregate;
  const partitions = plan.join?.table.source.partitions ?? plan.source.source.partitions;
  const changelogOn = aggregateStage !== undefined && (options.changelog ?? plan.output.kind === "sink");
  let aggregate: { core: AggregateCore; operator: AggregateOperator } | undefined;
  if (aggregateStage !== undefined) {
    const window = aggregateStage.window;
    const changelog = changelogOn
      ? new ChangelogWriter(names.changelog, window !== undefined, collector, coalesce)
      : undefined;
    const core = new AggregateCore({
      stage: aggregateStage,
      ctx,
      collector,
      output,
      changelog,
      emitFinal: plan.emit === "FINAL",
      coalesce,
    });
    const operator =
      window === undefined
        ? new UnwindowedAggregate(core)
        : window.kind === "SESSION"
          ? new SessionAggregate(core, window)
          : new TimeWindowAggregate(core, window);
    aggregate = { core, operator };
  }

  const inMemory = options.inMemoryRepartition === true;
  const flow = new Flow({
    plan,
    ctx,
    collector,
    source: new SourceDecoder(plan.source),
    join,
    explode: plan.explode === undefined ? undefined : new ExplodeStage(plan.explode, ctx),
    aggregate,
    output,
    joinTopic: names.join,
    rekeyTopic: names.rekey,
    inMemory: inMemory ? stateFor : undefined,
  });

  const topics: PipelineTopic[] = [];
  const handlers = new Map<string, Handler>();
  const restorers = new Map<string, Handler>();
  const declare = (topic: PipelineTopic, handler?: Handler, restorer?: Handler): void => {
    if (topics.some((t) => t.name === topic.name)) {
      throw new SqlRuntimeError("SQL_PLAN_UNSUPPORTED", `topic ${topic.name} has two roles in one query`);
    }
    topics.push(topic);
    if (handler !== undefined) handlers.set(topic.name, handler);
    if (restorer !== undefined) restorers.set(topic.name, restorer);
  };

  const source = plan.source.source;
  if (source.kind === "TABLE") {
    declare(
      { name: source.topic, role: "source-table" },
      (r, s) => flow.tableRecord(r, s),
      (r, s) => flow.restoreTableRecord(r, s),
    );
  } else {
    declare({ name: source.topic, role: "source" }, (r, s) => flow.streamRecord(r, s));
  }
  if (join !== undefined) {
    const apply: Handler = (r, s) => {
      ctx.enter(r.topic, r.partition, r.offset);
      join.apply(r, s);
    };
    declare({ name: join.decoder.source.topic, role: "table" }, apply, apply);
  }
  for (const route of [flow.joinRoute, flow.rekeyRoute]) {
    if (route === undefined || inMemory) continue;
    declare({ name: route.topic, role: "repartition", partitions: route.partitions }, (r, s) =>
      flow.movedRecord(route, r, s),
    );
  }
  if (changelogOn && aggregate !== undefined) {
    const operator = aggregate.operator;
    declare({ name: names.changelog, role: "changelog", partitions }, undefined, (r, s) => {
      ctx.enter(r.topic, r.partition, r.offset);
      const entry = decodeChangelog(r);
      operator.restore(s, entry.key, entry.start, entry.end, entry.value);
    });
  }
  if (plan.output.kind === "sink") declare({ name: plan.output.sink.topic, role: "sink" });

  // What held updates turn into, learned from every `flush()` (its records are all held updates): bytes per update.
  let flushedUpdates = 0;
  let flushedBytes = 0;
  const flush = (): PipelineOutput => {
    const held = flow.held;
    flow.flush();
    const out = collector.take();
    if (held > 0) {
      flushedUpdates += held;
      for (const record of out.records) flushedBytes += (record.key?.length ?? 0) + (record.value?.length ?? 0);
    }
    return out;
  };
  return {
    topics,
    assign(partition) {
      stateFor(partition);
    },
    restore(topic, partition, records) {
      const restorer = restorers.get(topic);
      if (restorer === undefined) {
        throw new SqlRuntimeError("SQL_UNKNOWN_TOPIC", `topic ${topic} is not restored by this query`);
      }
      const state = stateFor(partition);
      // Entries about bad records come out with the next `process` call.
      for (const record of records) {
        try {
          restorer(record, state);
        } catch (error) {
          collector.failWith(error);
        }
      }
    },
    revoke(partition) {
      flow.drop(partition);
      states.delete(partition);
    },
    process(records, processOptions) {
      for (const record of records) {
        if (collector.done) break;
        const handler = handlers.get(record.topic);
        if (handler === undefined) {
          throw new SqlRuntimeError("SQL_UNKNOWN_TOPIC", `topic ${record.topic} is not an input of this query`);
        }
        try {
          handler(record, stateFor(record.partition));
        } catch (error) {
          collector.failWith(error);
        }
      }
      if (processOptions?.hold !== true) flow.flush();
      return collector.take();
    },
    flush,
    get heldBytes() {
      const held = flow.held;
      // Before the first flush, a guess of a small JSON record.
      return held === 0 ? 0 : held * (flushedUpdates === 0 ? 256 : flushedBytes / flushedUpdates);
    },
    materialized: plan.resultKind === "TABLE" ? viewOver(() => states.values()) : undefined,
  };
}
