// An in-memory ConnectService for the REST tests: connectors in a Map, one task each, states a test can set.
import {
  type ConfigProblem,
  type ConnectorInfo,
  type ConnectorState,
  type ConnectorStatus,
  type ConnectService,
  ConnectServiceError,
  type LiveSource,
  type PluginInfo,
  type RawConnectorConfig,
  type TaskInfo,
} from "../../../src/connect/service.ts";

export const SOURCE_CLASS = "org.apache.plc4x.kafka.Plc4xSourceConnector";
export const SINK_CLASS = "org.apache.plc4x.kafka.Plc4xSinkConnector";

interface Stored {
  config: RawConnectorConfig;
  connectorState: ConnectorState;
  taskStates: ConnectorState[];
  trace?: string;
}

/** What a call did, so tests can check the service was (or was not) asked. */
export type Call = readonly [method: string, ...args: unknown[]];

export class FakeConnectService implements ConnectService {
  readonly workerId = "worker-1:8083";
  readonly version = "0.1.0";
  readonly commit = "abc123";
  readonly calls: Call[] = [];
  readonly live = new Map<string, LiveSource>();
  readonly #connectors = new Map<string, Stored>();
  /** The next call throws this (a bug in the service, a rebalance...). */
  failNext: Error | undefined;

  #enter(method: string, ...args: unknown[]): void {
    this.calls.push([method, ...args]);
    const failure = this.failNext;
    if (failure !== undefined) {
      this.failNext = undefined;
      throw failure;
    }
  }

  #get(name: string): Stored {
    const stored = this.#connectors.get(name);
    if (stored === undefined) throw new ConnectServiceError("NOT_FOUND", `Connector ${name} not found`);
    return stored;
  }

  /** Sets states as a failure would, for restart tests. */
  setStates(name: string, connector: ConnectorState, tasks: readonly ConnectorState[], trace?: string): void {
    const stored = this.#get(name);
    stored.connectorState = connector;
    stored.taskStates = [...tasks];
    if (trace === undefined) delete stored.trace;
    else stored.trace = trace;
  }

  async kafkaClusterId(): Promise<string> {
    this.#enter("kafkaClusterId");
    return "cluster-xyz";
  }

  async connectorNames(): Promise<readonly string[]> {
    this.#enter("connectorNames");
    return [...this.#connectors.keys()].sort();
  }

  #info(name: string, stored: Stored): ConnectorInfo {
    return {
      name,
      config: stored.config,
      tasks: stored.taskStates.map((_, task) => ({ connector: name, task })),
      type: typeOf(stored.config),
    };
  }

  async connector(name: string): Promise<ConnectorInfo | undefined> {
    this.#enter("connector", name);
    const stored = this.#connectors.get(name);
    return stored === undefined ? undefined : this.#info(name, stored);
  }

  async status(name: string): Promise<ConnectorStatus | undefined> {
    this.#enter("status", name);
    const stored = this.#connectors.get(name);
    if (stored === undefined) return undefined;
    const trace = stored.trace === undefined ? {} : { trace: stored.trace };
    return {
      name,
      connector: { state: stored.connectorState, worker_id: this.workerId, ...trace },
      tasks: stored.taskStates.map((state, id) => ({ id, state, worker_id: this.workerId })),
      type: typeOf(stored.config),
    };
  }

  async tasks(name: string): Promise<readonly TaskInfo[] | undefined> {
    this.#enter("tasks", name);
    const stored = this.#connectors.get(name);
    if (stored === undefined) return undefined;
    return stored.taskStates.map((_, task) => ({ id: { connector: name, task }, config: { task: String(task) } }));
  }

  async create(name: string, config: RawConnectorConfig): Promise<ConnectorInfo> {
    this.#enter("create", name, config);
    if (this.#connectors.has(name)) throw new ConnectServiceError("CONFLICT", `Connector ${name} already exists`);
    const problems = problemsOf(config);
    if (problems.length > 0) throw new ConnectServiceError("INVALID_CONFIG", "invalid configuration", problems);
    const stored: Stored = { config, connectorState: "RUNNING", taskStates: ["RUNNING"] };
    this.#connectors.set(name, stored);
    return this.#info(name, stored);
  }

  async putConfig(name: string, config: RawConnectorConfig) {
    this.#enter("putConfig", name, config);
    const problems = problemsOf(config);
    if (problems.length > 0) throw new ConnectServiceError("INVALID_CONFIG", "invalid configuration", problems);
    const existing = this.#connectors.get(name);
    const stored: Stored = existing ?? { config, connectorState: "RUNNING", taskStates: ["RUNNING"] };
    stored.config = config;
    this.#connectors.set(name, stored);
    return { created: existing === undefined, info: this.#info(name, stored) };
  }

  async validate(config: RawConnectorConfig): Promise<readonly ConfigProblem[]> {
    this.#enter("validate", config);
    return problemsOf(config);
  }

  async delete(name: string): Promise<void> {
    this.#enter("delete", name);
    this.#get(name);
    this.#connectors.delete(name);
  }

  async pause(name: string): Promise<void> {
    this.#enter("pause", name);
    this.setStates(
      name,
      "PAUSED",
      this.#get(name).taskStates.map(() => "PAUSED"),
    );
  }

  async resume(name: string): Promise<void> {
    this.#enter("resume", name);
    this.setStates(
      name,
      "RUNNING",
      this.#get(name).taskStates.map(() => "RUNNING"),
    );
  }

  async restart(name: string, options: { readonly includeTasks: boolean; readonly onlyFailed: boolean }) {
    this.#enter("restart", name, options);
    const stored = this.#get(name);
    const restarts = (state: ConnectorState) => !options.onlyFailed || state === "FAILED";
    const connector = restarts(stored.connectorState) ? "RUNNING" : stored.connectorState;
    const tasks = stored.taskStates.map((s) => (options.includeTasks && restarts(s) ? "RUNNING" : s));
    this.setStates(name, connector, tasks);
  }

  async restartTask(name: string, task: number): Promise<void> {
    this.#enter("restartTask", name, task);
    const stored = this.#get(name);
    if (task >= stored.taskStates.length) throw new ConnectServiceError("NOT_FOUND", `Task ${name}-${task} not found`);
    stored.taskStates[task] = "RUNNING";
  }

  plugins(): readonly PluginInfo[] {
    return [
      { class: SINK_CLASS, type: "sink", version: "0.1.0" },
      { class: SOURCE_CLASS, type: "source", version: "0.1.0" },
    ];
  }

  async liveSource(source: string): Promise<LiveSource | undefined> {
    this.#enter("liveSource", source);
    return this.live.get(source);
  }
}

function typeOf(config: RawConnectorConfig): "source" | "sink" {
  return config["connector.class"] === SINK_CLASS ? "sink" : "source";
}

/**
 * The fake's rules: `connector.class` is required and known; `tasks.max` is a positive integer; a nested `sources`
 * entry needs a `url` (problem path `sources.<name>.url`); a flat key whose value is "bad" is a problem of that key.
 */
export function problemsOf(config: RawConnectorConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const cls = config["connector.class"];
  if (cls === undefined) problems.push({ path: "connector.class", message: "is required" });
  else if (cls !== SOURCE_CLASS && cls !== SINK_CLASS) {
    problems.push({ path: "connector.class", message: `unknown class ${String(cls)}` });
  }
  const tasksMax = config["tasks.max"];
  if (tasksMax !== undefined && !(Number.isInteger(Number(tasksMax)) && Number(tasksMax) > 0)) {
    problems.push({ path: "tasks.max", message: "must be a positive integer" });
  }
  const sources = config.sources;
  if (typeof sources === "object" && sources !== null) {
    for (const [name, source] of Object.entries(sources)) {
      if (typeof source !== "object" || source === null || !("url" in source)) {
        problems.push({ path: `sources.${name}.url`, message: "is required" });
      }
    }
  }
  for (const [key, value] of Object.entries(config)) {
    if (value === "bad") problems.push({ path: key, message: "is bad" });
  }
  return problems;
}
