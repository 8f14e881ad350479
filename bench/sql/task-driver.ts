// bench/sql's stand-in for the SQL engine: the statements planned by the analyzer and run by createPipeline and a
// QueryTask directly, as the engine's executor runs them, but with an in-memory catalog and no command topic.

import type { KafkaConfig } from "../../src/kafka/index.ts";
import type { CatalogView, SourceDefaults, SourceDescription } from "../../src/sql/analysis/index.ts";
import { describeCreateSource, planQuery } from "../../src/sql/analysis/index.ts";
import { internalTopicPrefix, queryGroupId } from "../../src/sql/engine/internal-names.ts";
import { ensureProcessingLogTopic } from "../../src/sql/engine/processing-log.ts";
import { QueryTask } from "../../src/sql/engine/query-task.ts";
import { ensureSinkTopic, listTopics } from "../../src/sql/engine/topics.ts";
import { createBuiltinRegistry } from "../../src/sql/functions/index.ts";
import { parseStatements } from "../../src/sql/language/index.ts";
import { createPipeline } from "../../src/sql/runtime/index.ts";

/** What the engine process needs of whoever runs its statements. */
export interface SqlRunner {
  /** Runs the statements; the ids and consumer groups of the persistent queries they started. */
  execute(text: string): Promise<readonly StartedQuery[]>;
  close(): Promise<void>;
}

export interface StartedQuery {
  readonly queryId: string;
  readonly groupId: string;
}

export class TaskDriverError extends Error {
  readonly code = "BENCH_SQL_TASK_DRIVER";
}

/** The statements bench/sql issues (CREATE STREAM/TABLE, SET, CREATE … AS SELECT), run without the executor. */
export function startTaskDriver(kafka: KafkaConfig, serviceId: string): SqlRunner {
  const registry = createBuiltinRegistry();
  const sources = new Map<string, SourceDescription>();
  const catalog: CatalogView = {
    source: (name) => sources.get(name),
    sources: () => [...sources.values()],
    queries: () => [],
  };
  const properties = new Map<string, string>();
  const tasks: QueryTask[] = [];
  let sequence = 0;

  const defaults = async (): Promise<SourceDefaults> => {
    const topics = new Map((await listTopics(kafka)).map((t) => [t.name, t]));
    return { keyFormat: "KAFKA", valueFormat: "JSON", replicas: 1, topic: (name) => topics.get(name) };
  };

  return {
    async execute(text) {
      const started: StartedQuery[] = [];
      for (const { statement } of parseStatements(text)) {
        sequence++;
        if (statement.kind === "SetProperty") {
          properties.set(statement.name, statement.value);
        } else if (statement.kind === "CreateSource") {
          const { source } = describeCreateSource(statement, text, catalog, await defaults());
          sources.set(source.name, source);
        } else if (statement.kind === "CreateAsSelect") {
          const planned = planQuery(statement.query, text, catalog, registry, {
            kind: "create",
            statement,
            defaults: await defaults(),
          });
          const sink = planned.sink;
          if (sink === undefined) throw new TaskDriverError(`${statement.name.value}: the plan has no sink`);
          await ensureSinkTopic(kafka, { name: sink.topic, partitions: sink.partitions, replicas: sink.replicas });
          await ensureProcessingLogTopic(kafka, serviceId);
          sources.set(sink.name, sink);
          const queryId = `${statement.sourceType === "TABLE" ? "CTAS" : "CSAS"}_${sink.name}_${sequence}`;
          const pipeline = createPipeline(planned.plan, {
            queryId,
            internalTopicPrefix: internalTopicPrefix(serviceId),
          });
          const reset = properties.get("auto.offset.reset") === "earliest" ? "earliest" : "latest";
          tasks.push(QueryTask.start({ kafka, serviceId, queryId, pipeline, offsetReset: reset }));
          started.push({ queryId, groupId: queryGroupId(serviceId, queryId) });
        } else {
          throw new TaskDriverError(`the task driver runs no ${statement.kind} statements`);
        }
      }
      return started;
    },
    async close() {
      await Promise.all(tasks.map((task) => task.stop()));
    },
  };
}
