// What the Kafka-Connect-compatible REST API asks of a connect worker: the whole group's connectors, as one worker sees them.
import type { HealthState, PlcValue, Quality, ResponseCode } from "../plc/index.ts";
import type { ConfigProblem } from "./config/errors.ts";

export type { ConfigProblem };

/** Kafka Connect's states, with its spelling. */
export type ConnectorState = "UNASSIGNED" | "RUNNING" | "PAUSED" | "FAILED" | "RESTARTING" | "STOPPED";

export type ConnectorType = "source" | "sink";

/** A connector's configuration as it was given: PLC4X's flat string keys, or Fabrik's nested document. */
export type RawConnectorConfig = Readonly<Record<string, unknown>>;

export interface TaskId {
  readonly connector: string;
  readonly task: number;
}

export interface StateInfo {
  readonly state: ConnectorState;
  readonly worker_id: string;
  /** Why it failed, for people. */
  readonly trace?: string;
}

/** Kafka Connect's `GET /connectors/{name}/status` body. */
export interface ConnectorStatus {
  readonly name: string;
  readonly connector: StateInfo;
  readonly tasks: readonly (StateInfo & { readonly id: number })[];
  readonly type: ConnectorType;
}

/** Kafka Connect's `GET /connectors/{name}` body. */
export interface ConnectorInfo {
  readonly name: string;
  readonly config: RawConnectorConfig;
  readonly tasks: readonly TaskId[];
  readonly type: ConnectorType;
}

export interface TaskInfo {
  readonly id: TaskId;
  readonly config: Readonly<Record<string, string>>;
}

export interface PluginInfo {
  readonly class: string;
  readonly type: ConnectorType;
  readonly version: string;
}

/** A source tag's latest value as the worker running it saw it (Fabrik's own `/sources/{name}/tags`). */
export interface LiveTag {
  readonly alias: string;
  readonly address: string;
  readonly job: string;
  readonly code: ResponseCode;
  readonly quality: Quality;
  /** As sampled (null for a BAD tag); the REST layer writes it as records carry it (plcValueToJson). */
  readonly value: PlcValue | null;
  readonly sampledAt: number;
  readonly message?: string;
}

export interface LiveSource {
  readonly source: string;
  readonly connector: string;
  readonly worker_id: string;
  readonly health: HealthState;
  readonly tags: readonly LiveTag[];
}

/** Live values another worker of the group answered with, already as the REST API writes them. */
export interface ForwardedLive {
  readonly forwarded: unknown;
}

/** Thrown by the service; the REST layer maps `status` to the HTTP answer, as Kafka Connect does. */
export class ConnectServiceError extends Error {
  readonly code: "NOT_FOUND" | "CONFLICT" | "INVALID_CONFIG" | "REBALANCING" | "UNAVAILABLE";
  readonly status: 400 | 404 | 409 | 503;
  readonly problems: readonly ConfigProblem[];

  constructor(code: ConnectServiceError["code"], message: string, problems: readonly ConfigProblem[] = []) {
    super(message);
    this.name = "ConnectServiceError";
    this.code = code;
    this.status = STATUS[code];
    this.problems = problems;
  }
}

const STATUS = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_CONFIG: 400,
  REBALANCING: 409,
  UNAVAILABLE: 503,
} as const satisfies Record<ConnectServiceError["code"], ConnectServiceError["status"]>;

/**
 * A worker's view of its group. Any worker answers for every connector of the group (config and status come from the
 * group's internal topics); live tags come from whichever worker runs the source.
 */
export interface ConnectService {
  readonly version: string;
  readonly commit: string;
  kafkaClusterId(): Promise<string>;
  connectorNames(): Promise<readonly string[]>;
  /** Undefined when there is no such connector. */
  connector(name: string): Promise<ConnectorInfo | undefined>;
  status(name: string): Promise<ConnectorStatus | undefined>;
  tasks(name: string): Promise<readonly TaskInfo[] | undefined>;
  /** Throws ConnectServiceError CONFLICT when it exists, INVALID_CONFIG with every problem. */
  create(name: string, config: RawConnectorConfig): Promise<ConnectorInfo>;
  /** Creates or replaces. */
  putConfig(
    name: string,
    config: RawConnectorConfig,
  ): Promise<{ readonly created: boolean; readonly info: ConnectorInfo }>;
  /** Every problem a configuration has, without creating anything. */
  validate(config: RawConnectorConfig): Promise<readonly ConfigProblem[]>;
  /** Throw NOT_FOUND for an unknown connector. */
  delete(name: string): Promise<void>;
  pause(name: string): Promise<void>;
  resume(name: string): Promise<void>;
  restart(name: string, options: { readonly includeTasks: boolean; readonly onlyFailed: boolean }): Promise<void>;
  restartTask(name: string, task: number): Promise<void>;
  plugins(): readonly PluginInfo[];
  /**
   * Live values of a source (by source name, across connectors); undefined when no source has that name. A source
   * another worker runs is asked of that worker, and its answer passed on as it came.
   */
  liveSource(source: string): Promise<LiveSource | ForwardedLive | undefined>;
}
