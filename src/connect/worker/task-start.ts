// Starts one task of a connector on this worker: a source runner, or a sink runner.
import { ensureTopics } from "../../kafka/index.ts";
import { realSchedule } from "../../plc/index.ts";
import type { ConnectorConfig, SinkConfig, SourceConfig } from "../config/model.ts";
import { JobFormatter } from "../records/index.ts";
import type { LiveSource } from "../service.ts";
import { SinkRunner } from "../sink/index.ts";
import { SourceRunner } from "../source/source-runner.ts";
import type { TaskSpec } from "./tasks.ts";
import type { WorkerParts } from "./worker.ts";

/** What the worker keeps of a started task. */
export interface TaskRunner {
  stop(): Promise<void>;
  live?(): LiveSource;
}

/**
 * Starts a task. A source delivers exactly once: a transactional producer per source (`fabrik-{group}-{connector}-
 * {source}`, so a worker that takes the source over fences the one it took it from) commits each batch together with
 * the buffer position to the group's offsets topic; `onFenced` hears that another worker took it.
 */
export async function startTask(
  parts: WorkerParts,
  spec: TaskSpec,
  config: ConnectorConfig,
  onFenced: () => void,
): Promise<TaskRunner> {
  const schedule = parts.schedule ?? realSchedule;
  // As Kafka Connect creates its sources' topics: a broker that does not create topics on first write would otherwise
  // leave every record waiting in the buffer.
  const topics = spec.kind === "source" ? sourceTopics(spec.source) : sinkTopics(spec.sink);
  await ensureTopics(
    parts.kafka,
    topics.map((name) => ({ name })),
    `fabrik-connect-${spec.connector}`,
  );
  if (spec.kind === "sink") {
    const runner = await SinkRunner.start({
      connector: spec.connector,
      workerId: parts.workerId,
      taskId: spec.id,
      sink: spec.sink,
      manager: parts.manager,
      kafka: parts.kafka,
      metrics: parts.metrics,
      log: parts.log,
      schedule,
      registry: parts.registry,
    });
    return { stop: () => runner.stop() };
  }
  const runner = await SourceRunner.start({
    connector: spec.connector,
    workerId: parts.workerId,
    source: spec.source,
    delivery: config.delivery,
    manager: parts.manager,
    kafka: parts.kafka,
    metrics: parts.metrics,
    log: parts.log,
    schedule,
    exactlyOnce: {
      transactionalId: `fabrik-${parts.group}-${spec.connector}-${spec.source.name}`,
      offsetsTopic: parts.topics.offsets,
      onFenced,
    },
  });
  return { stop: () => runner.stop(), live: () => runner.live() };
}

/** Every topic a source's records can go to, as its jobs' formatters render them. */
function sourceTopics(source: SourceConfig): string[] {
  return [...new Set(source.jobs.flatMap((job) => new JobFormatter(source.name, job).topics()))];
}

function sinkTopics(sink: SinkConfig): string[] {
  return [...sink.topics, sink.deadLetterTopic];
}
