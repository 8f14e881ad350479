// The Kafka-Connect-compatible service a worker offers its REST API: the whole group's connectors, as this worker reads them.
import { randomUUID } from "node:crypto";
import { createAdmin } from "../../kafka/index.ts";
import { errorMessage } from "../../plc/index.ts";
import { FABRIK_VERSION } from "../../version.ts";
import { type ConfigProblem, checkConnectorConfig } from "../config/index.ts";
import {
  type ConnectorInfo,
  type ConnectorStatus,
  type ConnectService,
  ConnectServiceError,
  type ForwardedLive,
  type LiveSource,
  type PluginInfo,
  type RawConnectorConfig,
  type StateInfo,
  type TaskInfo,
} from "../service.ts";
import { type ConnectorRecord, encodeRecord, keys, type RestartRecord } from "./group-topics.ts";
import { connectorType, SINK_CLASS, SOURCE_CLASS, taskInfo, tasksOf } from "./tasks.ts";
import type { ConnectWorker } from "./worker.ts";

export interface WorkerServiceOptions {
  /** Sent as `Authorization` when asking another worker of the group for live values. */
  readonly forwardAuthorization?: string;
  readonly fetch?: typeof fetch;
}

export class WorkerService implements ConnectService {
  readonly version = FABRIK_VERSION;
  readonly commit = "";
  readonly #worker: ConnectWorker;
  readonly #options: WorkerServiceOptions;
  #clusterId: string | undefined;

  constructor(worker: ConnectWorker, options: WorkerServiceOptions = {}) {
    this.#worker = worker;
    this.#options = options;
  }

  async kafkaClusterId(): Promise<string> {
    if (this.#clusterId === undefined) {
      const admin = createAdmin(this.#worker.parts.kafka, { clientId: "fabrik-connect-rest" });
      try {
        this.#clusterId = (await admin.metadata({ topics: [] })).id;
      } finally {
        await admin.close();
      }
    }
    return this.#clusterId;
  }

  async connectorNames(): Promise<readonly string[]> {
    await this.#fresh();
    return this.#worker.connectors().map((entry) => entry.name);
  }

  async connector(name: string): Promise<ConnectorInfo | undefined> {
    await this.#fresh();
    return this.#info(name);
  }

  async status(name: string): Promise<ConnectorStatus | undefined> {
    await this.#fresh();
    const entry = this.#worker.connector(name);
    if (entry === undefined) return undefined;
    const tasks = entry.config === undefined ? [] : tasksOf(entry.config);
    return {
      name,
      connector: this.#state(keys.connectorStatus(name)),
      tasks: tasks.map((task) => ({ id: task.id, ...this.#state(keys.taskStatus(name, task.id)) })),
      type: entry.config === undefined ? "source" : connectorType(entry.config),
    };
  }

  async tasks(name: string): Promise<readonly TaskInfo[] | undefined> {
    await this.#fresh();
    const entry = this.#worker.connector(name);
    if (entry === undefined) return undefined;
    return entry.config === undefined ? [] : tasksOf(entry.config).map(taskInfo);
  }

  async create(name: string, config: RawConnectorConfig): Promise<ConnectorInfo> {
    await this.#fresh();
    if (this.#worker.connector(name) !== undefined) {
      throw new ConnectServiceError("CONFLICT", `Connector ${name} already exists`);
    }
    return (await this.putConfig(name, config)).info;
  }

  /**
   * Creates or replaces a connector. `baseDir` is what relative paths in it (`buffer.dir`) are read against: the
   * configuration file's directory for `fabrik connect run`, the worker's own for a REST request.
   */
  async putConfig(name: string, config: RawConnectorConfig, baseDir = this.#worker.parts.baseDir) {
    const problems = this.#problems(config, name, baseDir);
    if (problems.length > 0) {
      throw new ConnectServiceError(
        "INVALID_CONFIG",
        `Connector configuration is invalid: ${problems.length} problem(s)`,
        problems,
      );
    }
    await this.#fresh();
    const created = this.#worker.connector(name) === undefined;
    const record: ConnectorRecord = { config, baseDir };
    const writes: [string, Buffer][] = [[keys.connector(name), encodeRecord(record)]];
    if (created) writes.push([keys.target(name), encodeRecord({ state: "STARTED" })]);
    await this.#worker.parts.configs.writeAll(writes);
    const info = this.#info(name);
    if (info === undefined)
      throw new ConnectServiceError("UNAVAILABLE", `Connector ${name} was written but not read back`);
    return { created, info };
  }

  async validate(config: RawConnectorConfig): Promise<readonly ConfigProblem[]> {
    const name = typeof config.name === "string" ? config.name : undefined;
    return this.#problems(config, name, this.#worker.parts.baseDir);
  }

  async delete(name: string): Promise<void> {
    await this.#existing(name);
    await this.#worker.parts.configs.writeAll([
      [keys.connector(name), undefined],
      [keys.target(name), undefined],
      [keys.restart(name), undefined],
    ]);
  }

  async pause(name: string): Promise<void> {
    await this.#existing(name);
    await this.#worker.parts.configs.write(keys.target(name), encodeRecord({ state: "PAUSED" }));
  }

  async resume(name: string): Promise<void> {
    await this.#existing(name);
    await this.#worker.parts.configs.write(keys.target(name), encodeRecord({ state: "STARTED" }));
  }

  async restart(name: string, options: { readonly includeTasks: boolean; readonly onlyFailed: boolean }) {
    await this.#existing(name);
    const request: RestartRecord = { id: randomUUID(), ...options };
    await this.#worker.parts.configs.write(keys.restart(name), encodeRecord(request));
  }

  async restartTask(name: string, task: number): Promise<void> {
    const entry = await this.#existing(name);
    const count = entry.config === undefined ? 0 : tasksOf(entry.config).length;
    if (!(task >= 0 && task < count)) throw new ConnectServiceError("NOT_FOUND", `Task ${name}-${task} not found`);
    const request: RestartRecord = { id: randomUUID(), includeTasks: true, onlyFailed: false, task };
    await this.#worker.parts.configs.write(keys.restart(name), encodeRecord(request));
  }

  plugins(): readonly PluginInfo[] {
    return [
      { class: SINK_CLASS, type: "sink", version: FABRIK_VERSION },
      { class: SOURCE_CLASS, type: "source", version: FABRIK_VERSION },
    ];
  }

  async liveSource(source: string): Promise<LiveSource | ForwardedLive | undefined> {
    await this.#fresh();
    const local = this.#worker.liveLocal(source);
    if (local !== undefined) return local;
    for (const entry of this.#worker.connectors()) {
      const task =
        entry.config === undefined
          ? undefined
          : tasksOf(entry.config).find((t) => t.kind === "source" && t.source.name === source);
      if (task === undefined) continue;
      const status = this.#worker.statusOf(keys.taskStatus(entry.name, task.id));
      if (status?.state === "RUNNING" && status.worker_id !== this.#worker.workerId && status.worker_url) {
        return { forwarded: await this.#forward(`${status.worker_url}/sources/${encodeURIComponent(source)}/tags`) };
      }
      return { source, connector: entry.name, worker_id: status?.worker_id ?? "", health: "disconnected", tags: [] };
    }
    return undefined;
  }

  async #forward(url: string): Promise<unknown> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.#options.forwardAuthorization !== undefined) headers.authorization = this.#options.forwardAuthorization;
    let response: Response;
    try {
      response = await (this.#options.fetch ?? fetch)(url, { headers, signal: AbortSignal.timeout(5_000) });
    } catch (error) {
      throw new ConnectServiceError(
        "UNAVAILABLE",
        `the worker running it did not answer at ${url}: ${errorMessage(error)}`,
      );
    }
    if (!response.ok) {
      throw new ConnectServiceError("UNAVAILABLE", `the worker running it answered ${response.status} at ${url}`);
    }
    return response.json();
  }

  #problems(config: RawConnectorConfig, name: string | undefined, baseDir: string): ConfigProblem[] {
    const check = checkConnectorConfig(config, {
      registry: this.#worker.parts.registry,
      baseDir,
      ...(name === undefined ? {} : { name }),
    });
    return check.ok ? [] : [...check.problems];
  }

  #state(key: string): StateInfo {
    const record = this.#worker.statusOf(key);
    if (record === undefined) return { state: "UNASSIGNED", worker_id: "" };
    return { state: record.state, worker_id: record.worker_id, ...(record.trace ? { trace: record.trace } : {}) };
  }

  #info(name: string): ConnectorInfo | undefined {
    const entry = this.#worker.connector(name);
    if (entry === undefined) return undefined;
    const tasks = entry.config === undefined ? [] : tasksOf(entry.config);
    return {
      name,
      config: entry.record.config,
      tasks: tasks.map((task) => ({ connector: name, task: task.id })),
      type: entry.config === undefined ? "source" : connectorType(entry.config),
    };
  }

  async #existing(name: string) {
    await this.#fresh();
    const entry = this.#worker.connector(name);
    if (entry === undefined) throw new ConnectServiceError("NOT_FOUND", `Connector ${name} not found`);
    return entry;
  }

  /** Reads what other workers wrote up to now, so an answer never predates a change someone already saw made. */
  async #fresh(): Promise<void> {
    await Promise.all([this.#worker.parts.configs.caughtUp(), this.#worker.parts.status.caughtUp()]);
  }
}
