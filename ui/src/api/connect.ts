// The UI's client of the Connect API (/api/connect, Kafka Connect's REST API plus Fabrik's live source tags): connectors
// with their status and config, lifecycle actions, config validation with each problem at its path.
import { ApiError, apiFetch, apiJson } from "./http.ts";

/** Kafka Connect's states, in its spelling. */
export type ConnectorState = "UNASSIGNED" | "RUNNING" | "PAUSED" | "FAILED" | "RESTARTING" | "STOPPED";

export interface StateInfo {
  readonly state: ConnectorState;
  readonly worker_id: string;
  /** Why it failed. */
  readonly trace?: string;
}

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: StateInfo;
  readonly tasks: readonly (StateInfo & { readonly id: number })[];
  readonly type: "source" | "sink";
}

/** A connector's configuration as it was given: Fabrik's nested document, or PLC4X's flat keys. */
export type ConnectorConfig = Readonly<Record<string, unknown>>;

export interface ConnectorInfo {
  readonly name: string;
  readonly config: ConnectorConfig;
  readonly tasks: readonly { readonly connector: string; readonly task: number }[];
  readonly type: "source" | "sink";
}

export interface ConnectorOverview {
  readonly name: string;
  readonly status: ConnectorStatus;
  readonly info: ConnectorInfo;
}

/** What a task runs: one source (tasks 0..n-1) or one sink (after the sources), as the worker's task configs say. */
export interface TaskAssignment {
  readonly task: number;
  readonly kind: "source" | "sink";
  /** The source's or sink's name. */
  readonly name: string;
  /** The PLC connection URL it talks to. */
  readonly url: string | undefined;
}

export type Quality = "GOOD" | "BAD" | "UNCERTAIN";

/** The connection manager's view of a device. */
export type SourceHealth = "connecting" | "connected" | "degraded" | "disconnected" | "closed";

export interface LiveTag {
  readonly alias: string;
  readonly address: string;
  readonly job: string;
  /** The read's response code: OK, TIMEOUT, NOT_FOUND, … */
  readonly code: string;
  readonly quality: Quality;
  readonly value: unknown;
  readonly sampledAt: number;
  readonly message?: string;
}

export interface LiveSource {
  readonly source: string;
  readonly connector: string;
  readonly worker_id: string;
  readonly health: SourceHealth;
  readonly tags: readonly LiveTag[];
}

/** One problem of a configuration: where (the path in the user's own terms, `sources.press.jobs[0].interval`) and what. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

const BASE = "/api/connect";

function connectorPath(name: string): string {
  return `${BASE}/connectors/${encodeURIComponent(name)}`;
}

/** Every connector with its status and configuration, sorted by name. */
export async function listConnectors(): Promise<ConnectorOverview[]> {
  const all = await apiJson<Record<string, { status: ConnectorStatus; info: ConnectorInfo }>>(
    `${BASE}/connectors?expand=status&expand=info`,
  );
  return Object.entries(all)
    .map(([name, entry]) => ({ name, status: entry.status, info: entry.info }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function connectorStatus(name: string): Promise<ConnectorStatus> {
  return apiJson<ConnectorStatus>(`${connectorPath(name)}/status`);
}

/** Which source or sink each task runs, from the task configs the worker publishes. */
export async function taskAssignments(name: string): Promise<TaskAssignment[]> {
  const tasks = await apiJson<{ id: { task: number }; config: Record<string, string> }[]>(
    `${connectorPath(name)}/tasks`,
  );
  return tasks.map(({ id, config }) => {
    const sink = config.sink;
    const kind = config.source === undefined && sink !== undefined ? "sink" : "source";
    return {
      task: id.task,
      kind,
      name: (kind === "sink" ? sink : config.source) ?? `task ${id.task}`,
      url: config.connectionString,
    };
  });
}

export function getConfig(name: string): Promise<ConnectorConfig> {
  return apiJson<ConnectorConfig>(`${connectorPath(name)}/config`);
}

/**
 * An invalid configuration PUT: Connect answers 400 with every problem on a line of its message; they are parsed back
 * into paths so the editor can show each one where it is.
 */
export class ConnectConfigError extends Error {
  readonly code = "CONNECT_INVALID_CONFIG";
  readonly problems: readonly ConfigProblem[];

  constructor(message: string, problems: readonly ConfigProblem[]) {
    super(message);
    this.name = "ConnectConfigError";
    this.problems = problems;
  }
}

/** Replaces the connector's configuration; rejects with ConnectConfigError listing every problem when it is invalid. */
export async function putConfig(name: string, config: ConnectorConfig): Promise<ConnectorInfo> {
  try {
    return await apiJson<ConnectorInfo>(`${connectorPath(name)}/config`, { method: "PUT", json: config });
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) {
      const problems = problemsFromMessage(error.message);
      if (problems.length > 0) throw new ConnectConfigError(error.message, problems);
    }
    throw error;
  }
}

/** The connector plugin class a configuration is validated as: its own `connector.class`, else by what it holds. */
export function pluginClassOf(config: ConnectorConfig): string {
  const declared = config["connector.class"];
  if (typeof declared === "string" && declared.length > 0) return declared;
  const hasSources = config.sources !== undefined && config.sources !== null && config.sources !== "";
  return hasSources || config.sinks === undefined ? "Plc4xSourceConnector" : "Plc4xSinkConnector";
}

interface ConfigInfos {
  readonly error_count: number;
  readonly configs: readonly { readonly value: { readonly name: string; readonly errors: readonly string[] } }[];
}

/** Every problem of a configuration, without applying it (Connect's validate endpoint); empty when it is valid. */
export async function validateConfig(config: ConnectorConfig): Promise<ConfigProblem[]> {
  const plugin = encodeURIComponent(pluginClassOf(config));
  const infos = await apiJson<ConfigInfos>(`${BASE}/connector-plugins/${plugin}/config/validate`, {
    method: "PUT",
    json: config,
  });
  return infos.configs.flatMap((info) => info.value.errors.map((text) => problemOf(info.value.name, text)));
}

/**
 * Connect's validate answer files each problem under a top-level key; a problem deeper inside it says its full path
 * first (`sources.press.jobs[0].intervall: unknown key …`). Names hold no blanks or colons, so the path ends at the
 * first ": " after the key.
 */
export function problemOf(key: string, text: string): ConfigProblem {
  const deeper = text.startsWith(`${key}.`) || text.startsWith(`${key}[`);
  const end = text.indexOf(": ");
  if (deeper && end > key.length) return { path: text.slice(0, end), message: text.slice(end + 2) };
  return { path: key, message: text };
}

const PROBLEM_LINE = /^([A-Za-z0-9._\-[\]]+): (.*?)(?: \(line \d+, column \d+\))?$/;

/** The problems of Connect's "configuration is invalid" message: one `path: message` per line between its first and last. */
export function problemsFromMessage(message: string): ConfigProblem[] {
  const lines = message.split("\n");
  if (lines.length < 3 || !lines[0]!.startsWith("Connector configuration is invalid")) return [];
  return lines.slice(1, -1).map((line) => {
    const match = PROBLEM_LINE.exec(line);
    return match === null ? { path: "", message: line } : { path: match[1]!, message: match[2]! };
  });
}

export async function pauseConnector(name: string): Promise<void> {
  await apiFetch(`${connectorPath(name)}/pause`, { method: "PUT" });
}

export async function resumeConnector(name: string): Promise<void> {
  await apiFetch(`${connectorPath(name)}/resume`, { method: "PUT" });
}

/** Restarts the connector and all its tasks (every source reconnects to its PLC). */
export async function restartConnector(name: string): Promise<void> {
  await apiFetch(`${connectorPath(name)}/restart?includeTasks=true`, { method: "POST" });
}

/** A source's tags with their latest value, quality and code, and the source's health, from the worker running it. */
export function sourceTags(source: string): Promise<LiveSource> {
  return apiJson<LiveSource>(`${BASE}/sources/${encodeURIComponent(source)}/tags`);
}
