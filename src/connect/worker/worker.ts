// A connect worker: reads the group's configurations, runs the tasks whose slots it owns, and reports their states.
import type { KafkaConfig } from "../../kafka/index.ts";
import { type ConnectionManager, type DriverRegistry, errorMessage, type Schedule } from "../../plc/index.ts";
import { type ConnectorConfig, validateConnectorConfig } from "../config/index.ts";
import type { ConnectLog } from "../log.ts";
import type { ConnectMetrics } from "../rest/metrics.ts";
import type { ConnectorState, LiveSource } from "../service.ts";
import {
  type ConnectorRecord,
  connectorOfKey,
  decodeRecord,
  encodeRecord,
  type GroupTopics,
  keys,
  type RestartRecord,
  type StatusRecord,
  statusOwner,
  type TargetState,
} from "./group-topics.ts";
import type { Membership } from "./membership.ts";
import { startTask, type TaskRunner } from "./task-start.ts";
import { connectorSlot, type TaskSpec, taskKey, taskSlot, tasksOf } from "./tasks.ts";
import type { TopicStore } from "./topic-store.ts";

export interface WorkerParts {
  readonly kafka: KafkaConfig;
  readonly group: string;
  readonly workerId: string;
  /** Where this worker's REST API answers (other workers forward live-value requests here). */
  readonly workerUrl: string;
  readonly topics: GroupTopics;
  readonly configs: TopicStore;
  readonly status: TopicStore;
  readonly membership: Membership;
  readonly manager: ConnectionManager;
  readonly registry: DriverRegistry;
  readonly metrics: ConnectMetrics;
  readonly log: ConnectLog;
  readonly schedule?: Schedule;
  /** Directory relative paths in connectors created through the REST API are read against. */
  readonly baseDir: string;
}

/** A connector as the configs topic holds it, checked. */
export interface ConnectorEntry {
  readonly name: string;
  readonly record: ConnectorRecord;
  /** The record's bytes, to tell a changed configuration from the same one. */
  readonly text: string;
  readonly target: TargetState;
  readonly config?: ConnectorConfig;
  /** Why the configuration cannot run here (a driver this worker lacks, a newer format). */
  readonly problem?: string;
}

interface Running {
  readonly spec: TaskSpec;
  readonly text: string;
  readonly runner: TaskRunner;
}

/**
 * Each worker runs the tasks that hash to the slots it owns. Everything it does follows from three inputs, so a
 * change to any of them runs `reconcile` again (one at a time): the configs topic, the slots this worker owns, and
 * restart requests. States go to the status topic, where every worker reads them.
 */
export class ConnectWorker {
  readonly parts: WorkerParts;
  readonly #running = new Map<string, Running>();
  /** Tasks that failed to start, with why; not retried until a restart request or a new configuration. */
  readonly #failed = new Map<string, { readonly text: string; readonly trace: string }>();
  readonly #restarts = new Set<string>();
  /** Tasks another worker fenced; left alone until the next assignment. */
  readonly #fencedTasks = new Set<string>();
  readonly #seenRestarts = new Map<string, string>();
  readonly #parsed = new Map<string, ConnectorEntry>();
  #dirty = false;
  #reconciling: Promise<void> | undefined;
  #closed = false;
  /** The slots in use when the leader last assigned, to know when assigning again would spread new tasks. */
  #assignedUse = "";

  constructor(parts: WorkerParts) {
    this.parts = parts;
    for (const [key, value] of parts.configs.entries()) {
      const restarted = connectorOfKey("restart", key);
      if (restarted !== undefined) this.#seenRestarts.set(restarted, decodeRecord<RestartRecord>(value)?.id ?? "");
    }
    parts.configs.onChange((key, value) => this.#configChanged(key, value));
    parts.membership.on("assigned", () => {
      this.#fencedTasks.clear();
      this.requestReconcile();
    });
  }

  get workerId(): string {
    return this.parts.workerId;
  }

  /** Slot → how many started tasks hash to it: what the leader balances (it remembers which slots were in use). */
  slotWeights(): Map<number, number> {
    const weights = this.#weights();
    this.#assignedUse = usedSlots(weights);
    return weights;
  }

  #weights(): Map<number, number> {
    const weights = new Map<number, number>();
    for (const entry of this.connectors()) {
      if (entry.config === undefined || entry.target !== "STARTED") continue;
      for (const task of tasksOf(entry.config)) {
        const slot = taskSlot(entry.name, task.id);
        weights.set(slot, (weights.get(slot) ?? 0) + 1);
      }
    }
    return weights;
  }

  /** Every connector of the group, checked, by name. */
  connectors(): ConnectorEntry[] {
    const entries: ConnectorEntry[] = [];
    for (const [key] of this.parts.configs.entries()) {
      const name = connectorOfKey("connector", key);
      const entry = name === undefined ? undefined : this.connector(name);
      if (entry !== undefined) entries.push(entry);
    }
    return entries.sort((a, b) => a.name.localeCompare(b.name));
  }

  connector(name: string): ConnectorEntry | undefined {
    const value = this.parts.configs.get(keys.connector(name));
    if (value === undefined) {
      this.#parsed.delete(name);
      return undefined;
    }
    const text = value.toString("utf8");
    const target = decodeRecord<{ state: TargetState }>(this.parts.configs.get(keys.target(name)))?.state ?? "STARTED";
    const cached = this.#parsed.get(name);
    if (cached !== undefined && cached.text === text && cached.target === target) return cached;
    const entry = this.#check(name, value, text, target);
    this.#parsed.set(name, entry);
    return entry;
  }

  statusOf(key: string): StatusRecord | undefined {
    return decodeRecord<StatusRecord>(this.parts.status.get(key));
  }

  /** The live values of a source this worker runs. */
  liveLocal(source: string): LiveSource | undefined {
    for (const run of this.#running.values()) {
      if (run.spec.kind === "source" && run.spec.source.name === source) return run.runner.live?.();
    }
    return undefined;
  }

  requestReconcile(): void {
    if (this.#closed) return;
    this.#dirty = true;
    this.#reconciling ??= this.#loop();
  }

  /** Resolves once the worker acted on everything it has read so far. */
  async settled(): Promise<void> {
    while (this.#reconciling !== undefined) await this.#reconciling;
  }

  /** Stops every task (their buffers keep what Kafka has not taken) and leaves the group. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.settled();
    await Promise.all([...this.#running.values()].map((run) => this.#stopRunner(run)));
    this.#running.clear();
    await this.parts.membership.leave();
    await this.parts.manager.close();
    await this.parts.configs.close();
    await this.parts.status.close();
  }

  #check(name: string, value: Buffer, text: string, target: TargetState): ConnectorEntry {
    const record = decodeRecord<ConnectorRecord>(value);
    if (record === undefined || typeof record.config !== "object" || record.config === null) {
      return { name, text, target, record: { config: {}, baseDir: this.parts.baseDir }, problem: "unreadable record" };
    }
    try {
      const { config } = validateConnectorConfig(record.config, {
        name,
        registry: this.parts.registry,
        baseDir: record.baseDir || this.parts.baseDir,
      });
      return { name, text, target, record, config };
    } catch (error) {
      return { name, text, target, record, problem: errorMessage(error) };
    }
  }

  #configChanged(key: string, value: Buffer | undefined): void {
    const restarted = connectorOfKey("restart", key);
    if (restarted !== undefined) {
      const request = decodeRecord<RestartRecord>(value);
      if (request === undefined || this.#seenRestarts.get(restarted) === request.id) return;
      this.#seenRestarts.set(restarted, request.id);
      this.#restartRequested(restarted, request);
    }
    if (this.parts.membership.leader && usedSlots(this.#weights()) !== this.#assignedUse) {
      // New tasks hash to slots some member already owns; assigning again spreads them over the group.
      this.parts.membership.rebalance().catch((error) => this.parts.log.warn(`rebalance: ${errorMessage(error)}`));
    }
    this.requestReconcile();
  }

  #restartRequested(name: string, request: RestartRecord): void {
    const entry = this.connector(name);
    if (entry?.config === undefined) return;
    for (const task of tasksOf(entry.config)) {
      if (request.task !== undefined ? task.id !== request.task : !request.includeTasks) continue;
      const key = taskKey(name, task.id);
      if (request.onlyFailed && request.task === undefined && !this.#failed.has(key)) continue;
      this.#restarts.add(key);
    }
  }

  async #loop(): Promise<void> {
    try {
      while (this.#dirty && !this.#closed) {
        this.#dirty = false;
        try {
          await this.#reconcile();
        } catch (error) {
          this.parts.log.error(`connect worker ${this.workerId}: ${errorMessage(error)}`);
        }
      }
    } finally {
      this.#reconciling = undefined;
    }
  }

  async #reconcile(): Promise<void> {
    const owned = this.parts.membership.slots;
    const entries = this.connectors();
    const wanted = new Map<string, { spec: TaskSpec; entry: ConnectorEntry }>();
    for (const entry of entries) {
      if (entry.config === undefined) continue;
      for (const spec of tasksOf(entry.config)) {
        if (owned.has(taskSlot(entry.name, spec.id))) wanted.set(taskKey(entry.name, spec.id), { spec, entry });
      }
    }
    const restarts = new Set(this.#restarts);
    this.#restarts.clear();
    for (const [key, run] of this.#running) {
      const want = wanted.get(key);
      if (want !== undefined && want.entry.text === run.text && want.entry.target === "STARTED" && !restarts.has(key)) {
        continue;
      }
      this.#running.delete(key);
      await this.#stopRunner(run);
    }
    for (const [key, failure] of this.#failed) {
      const want = wanted.get(key);
      if (want === undefined || want.entry.text !== failure.text || restarts.has(key)) this.#failed.delete(key);
    }
    const statuses: [string, StatusRecord | undefined][] = [];
    for (const [key, { spec, entry }] of wanted) {
      const statusKey = keys.taskStatus(entry.name, spec.id);
      if (entry.target === "PAUSED") {
        statuses.push([statusKey, this.#status("PAUSED")]);
        continue;
      }
      if (this.#fencedTasks.has(key)) continue;
      if (!this.#running.has(key) && !this.#failed.has(key)) await this.#start(key, spec, entry);
      const failure = this.#failed.get(key);
      statuses.push([
        statusKey,
        failure === undefined ? this.#status("RUNNING") : this.#status("FAILED", failure.trace),
      ]);
    }
    statuses.push(...this.#connectorStatuses(entries, owned));
    await this.#writeStatuses(statuses);
  }

  async #start(key: string, spec: TaskSpec, entry: ConnectorEntry): Promise<void> {
    if (entry.config === undefined) return;
    try {
      const runner = await startTask(this.parts, spec, entry.config, () => this.#fenced(key));
      this.#running.set(key, { spec, text: entry.text, runner });
    } catch (error) {
      const trace = `${spec.kind} ${spec.kind === "source" ? spec.source.name : spec.sink.name}: ${errorMessage(error)}`;
      this.parts.log.error(`${entry.name} task ${spec.id} failed to start: ${trace}`);
      this.#failed.set(key, { text: entry.text, trace });
    }
  }

  /**
   * Another worker took this source over (it believes it owns the slot: a rebalance this worker has not heard of yet).
   * The fenced runner stops; the task starts here again only after the next assignment says so.
   */
  #fenced(key: string): void {
    const run = this.#running.get(key);
    if (run === undefined) return;
    this.parts.log.warn(`${run.spec.connector} task ${run.spec.id}: another worker took it over; stopping it here`);
    this.#running.delete(key);
    this.#fencedTasks.add(key);
    void this.#stopRunner(run);
  }

  async #stopRunner(run: Running): Promise<void> {
    try {
      await run.runner.stop();
    } catch (error) {
      this.parts.log.error(`${run.spec.connector} task ${run.spec.id} did not stop cleanly: ${errorMessage(error)}`);
    }
  }

  /** The connectors whose slot this worker owns: their own state, and tombstones for what was deleted or shrank. */
  #connectorStatuses(
    entries: readonly ConnectorEntry[],
    owned: ReadonlySet<number>,
  ): [string, StatusRecord | undefined][] {
    const out: [string, StatusRecord | undefined][] = [];
    const live = new Map(entries.map((entry) => [entry.name, entry]));
    for (const entry of entries) {
      if (!owned.has(connectorSlot(entry.name))) continue;
      const state: ConnectorState =
        entry.config === undefined ? "FAILED" : entry.target === "PAUSED" ? "PAUSED" : "RUNNING";
      out.push([keys.connectorStatus(entry.name), this.#status(state, entry.problem)]);
    }
    for (const [key] of this.parts.status.entries()) {
      const owner = statusOwner(key);
      if (owner === undefined || !owned.has(connectorSlot(owner.connector))) continue;
      const entry = live.get(owner.connector);
      const tasks = entry?.config === undefined ? 0 : tasksOf(entry.config).length;
      if (entry === undefined || (owner.task !== undefined && owner.task >= tasks)) out.push([key, undefined]);
    }
    return out;
  }

  #status(state: ConnectorState, trace?: string): StatusRecord {
    return {
      state,
      worker_id: this.workerId,
      worker_url: this.parts.workerUrl,
      ...(trace === undefined ? {} : { trace }),
    };
  }

  async #writeStatuses(statuses: readonly [string, StatusRecord | undefined][]): Promise<void> {
    const changed = statuses.filter(([key, record]) => {
      const current = this.parts.status.get(key);
      return record === undefined ? current !== undefined : current?.equals(encodeRecord(record)) !== true;
    });
    await this.parts.status.writeAll(
      changed.map(([key, record]) => [key, record === undefined ? undefined : encodeRecord(record)] as const),
    );
  }
}

/** The slots in use, as one comparable string. */
function usedSlots(weights: ReadonlyMap<number, number>): string {
  return [...weights.keys()].sort((a, b) => a - b).join(",");
}
