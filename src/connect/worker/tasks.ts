// A connector's tasks as Kafka Connect numbers them: one per source, then one per sink, each with its slot.
import { redactUrl } from "../../plc/url.ts";
import type { ConnectorConfig, SinkConfig, SourceConfig } from "../config/model.ts";
import { PLC4X_CONNECTOR_CLASSES } from "../config/plc4x.ts";
import type { ConnectorType, TaskInfo } from "../service.ts";
import { slotOf } from "./slots.ts";

/** The connector classes Fabrik answers for, as PLC4X names them (and the config layer accepts them). */
export const [SOURCE_CLASS, SINK_CLASS] = PLC4X_CONNECTOR_CLASSES;

export type TaskSpec =
  | { readonly kind: "source"; readonly connector: string; readonly id: number; readonly source: SourceConfig }
  | { readonly kind: "sink"; readonly connector: string; readonly id: number; readonly sink: SinkConfig };

export function tasksOf(config: ConnectorConfig): TaskSpec[] {
  const tasks: TaskSpec[] = [];
  for (const source of config.sources) {
    tasks.push({ kind: "source", connector: config.name, id: tasks.length, source });
  }
  for (const sink of config.sinks) tasks.push({ kind: "sink", connector: config.name, id: tasks.length, sink });
  return tasks;
}

/** `{connector}/{task}`: how a task is known across the group. */
export function taskKey(connector: string, task: number): string {
  return `${connector}/${task}`;
}

export function taskSlot(connector: string, task: number): number {
  return slotOf(taskKey(connector, task));
}

/** The worker that owns this slot answers for the connector itself (its status). */
export function connectorSlot(connector: string): number {
  return slotOf(connector);
}

/** Kafka Connect knows a connector as source or sink; one with sources reads as a source connector. */
export function connectorType(config: ConnectorConfig): ConnectorType {
  return config.sources.length > 0 || config.sinks.length === 0 ? "source" : "sink";
}

/** What `GET /connectors/{name}/tasks` shows of a task: flat strings, URLs without their secrets. */
export function taskInfo(task: TaskSpec): TaskInfo {
  const id = { connector: task.connector, task: task.id };
  if (task.kind === "source") {
    const { source } = task;
    return {
      id,
      config: {
        "task.class": "org.apache.plc4x.kafka.Plc4xSourceTask",
        "connector.class": SOURCE_CLASS,
        source: source.name,
        connectionString: redactUrl(source.url),
        jobs: source.jobs.map((job) => job.name).join(","),
        tags: String(source.jobs.reduce((count, job) => count + job.tags.length, 0)),
      },
    };
  }
  const { sink } = task;
  return {
    id,
    config: {
      "task.class": "org.apache.plc4x.kafka.Plc4xSinkTask",
      "connector.class": SINK_CLASS,
      sink: sink.name,
      connectionString: redactUrl(sink.url),
      topics: sink.topics.join(","),
      tags: sink.tags.map((tag) => tag.alias).join(","),
    },
  };
}
