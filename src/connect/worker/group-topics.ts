// The internal topics a group of connect workers shares, and the records they hold (as Kafka Connect keeps its own).
import { ensureTopics, type KafkaConfig } from "../../kafka/index.ts";
import type { ConnectorState, RawConnectorConfig } from "../service.ts";
import { SLOT_COUNT } from "./slots.ts";

export interface GroupTopics {
  /** Connector configurations, target states and restart requests (compacted, one partition: one order). */
  readonly configs: string;
  /** Where each connector and task runs and in which state (compacted). */
  readonly status: string;
  /** Sources' committed buffer positions, written in their transactions (compacted). */
  readonly offsets: string;
  /** Never written: its partitions are the slots members own through the consumer group. */
  readonly slots: string;
}

/** The consumer group the workers of `group` join to share out the slots; its name also prefixes their topics. */
export function connectGroupId(group: string): string {
  return `fabrik-connect-${group}`;
}

export function groupTopics(group: string): GroupTopics {
  const prefix = connectGroupId(group);
  return {
    configs: `${prefix}-configs`,
    status: `${prefix}-status`,
    offsets: `${prefix}-offsets`,
    slots: `${prefix}-slots`,
  };
}

/** Creates the group's topics that do not exist yet (several workers starting together may race: that is fine). */
export async function ensureGroupTopics(kafka: KafkaConfig, topics: GroupTopics): Promise<void> {
  const compacted = { "cleanup.policy": "compact" };
  await ensureTopics(
    kafka,
    [
      { name: topics.configs, configs: compacted },
      { name: topics.status, configs: compacted },
      { name: topics.offsets, configs: compacted },
      { name: topics.slots, partitions: SLOT_COUNT, configs: { "retention.ms": "60000" } },
    ],
    "fabrik-connect-setup",
  );
}

/** `connector-{name}`: the configuration as given, and the directory relative paths in it are read against. */
export interface ConnectorRecord {
  readonly config: RawConnectorConfig;
  readonly baseDir: string;
}

export type TargetState = "STARTED" | "PAUSED";

/** `restart-{name}`: one restart request; `id` tells a new request from one read before. */
export interface RestartRecord {
  readonly id: string;
  readonly includeTasks: boolean;
  readonly onlyFailed: boolean;
  /** Only this task. */
  readonly task?: number;
}

/** `status-connector-{name}` and `status-task-{name}-{id}`. */
export interface StatusRecord {
  readonly state: ConnectorState;
  readonly worker_id: string;
  /** The REST address of that worker, where its live values are. */
  readonly worker_url: string;
  readonly trace?: string;
}

/** How each record of the configs and status topics is keyed: a prefix, then the connector's name. */
const PREFIX = {
  connector: "connector-",
  target: "target-state-",
  restart: "restart-",
  connectorStatus: "status-connector-",
  taskStatus: "status-task-",
} as const;

export const keys = {
  connector: (name: string) => `${PREFIX.connector}${name}`,
  target: (name: string) => `${PREFIX.target}${name}`,
  restart: (name: string) => `${PREFIX.restart}${name}`,
  connectorStatus: (name: string) => `${PREFIX.connectorStatus}${name}`,
  taskStatus: (name: string, task: number) => `${PREFIX.taskStatus}${name}-${task}`,
} as const;

/** The connector a `connector-{name}` or `restart-{name}` key is about; undefined for other keys. */
export function connectorOfKey(kind: "connector" | "restart", key: string): string | undefined {
  return key.startsWith(PREFIX[kind]) ? key.slice(PREFIX[kind].length) : undefined;
}

/** `status-connector-{name}` and `status-task-{name}-{id}`, read back; undefined for other keys. */
export function statusOwner(key: string): { connector: string; task?: number } | undefined {
  if (key.startsWith(PREFIX.connectorStatus)) return { connector: key.slice(PREFIX.connectorStatus.length) };
  if (!key.startsWith(PREFIX.taskStatus)) return undefined;
  const rest = key.slice(PREFIX.taskStatus.length);
  const dash = rest.lastIndexOf("-");
  const task = Number(rest.slice(dash + 1));
  return dash > 0 && Number.isInteger(task) ? { connector: rest.slice(0, dash), task } : undefined;
}

export function encodeRecord(value: object): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** A record this version cannot read (written by a newer one, or damaged) reads as absent. */
export function decodeRecord<T>(value: Buffer | undefined): T | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value.toString("utf8")) as T;
  } catch {
    return undefined;
  }
}
