// The engines golden cases run on: one shared per case file while the cases' names allow it, else one of their own.

import { randomBytes } from "node:crypto";
import type { KafkaConfig } from "../../../src/kafka/index.ts";
import { type SqlEngine, startSqlEngine } from "../../../src/sql/engine/index.ts";
import type { FunctionRegistry } from "../../../src/sql/functions/registry.ts";
import { caseRegistry } from "./case-file.ts";
import { uniquePrefix } from "./topic-names.ts";

/** Server properties of every golden engine, besides the output topic prefix. */
const ENGINE_PROPERTIES: Readonly<Record<string, string>> = { "auto.offset.reset": "earliest" };
const LOG_LINES = 200;

/** One engine with its service id and topic prefix; restart() brings it back with both, as a restarted server. */
export class EngineSlot {
  readonly serviceId = `golden-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  readonly prefix = uniquePrefix();
  /** Every stream and table name a case created on it (dropped or not): a later case may not create them again. */
  readonly names = new Set<string>();
  /** The engine's last log lines, for the report of a failing case. */
  readonly log: string[] = [];
  /** Set when cleaning up after a case failed: the next case gets another engine. */
  dirty = false;
  readonly #kafka: KafkaConfig;
  readonly #registry: FunctionRegistry;
  #engine: SqlEngine | undefined;

  private constructor(kafka: KafkaConfig, registry: FunctionRegistry) {
    this.#kafka = kafka;
    this.#registry = registry;
  }

  static async start(kafka: KafkaConfig, registry: FunctionRegistry): Promise<EngineSlot> {
    const slot = new EngineSlot(kafka, registry);
    await slot.#start();
    return slot;
  }

  get engine(): SqlEngine {
    if (this.#engine === undefined) throw new Error("the engine is not running");
    return this.#engine;
  }

  async restart(): Promise<void> {
    await this.close();
    await this.#start();
  }

  async close(): Promise<void> {
    const engine = this.#engine;
    this.#engine = undefined;
    await engine?.close();
  }

  async #start(): Promise<void> {
    const keep = (level: string) => (message: string) => {
      this.log.push(`${level} ${message}`);
      if (this.log.length > LOG_LINES) this.log.shift();
    };
    this.#engine = await startSqlEngine({
      kafka: this.#kafka,
      serviceId: this.serviceId,
      registry: this.#registry,
      properties: { ...ENGINE_PROPERTIES, "ksql.output.topic.name.prefix": this.prefix },
      log: { info: keep("INFO"), warn: keep("WARN"), error: keep("ERROR") },
    });
  }
}

/** The engines of one case file. */
export class EnginePool {
  readonly #kafka: KafkaConfig;
  readonly #udf: boolean;
  #shared: EngineSlot | undefined;

  constructor(kafka: KafkaConfig, udf: boolean) {
    this.#kafka = kafka;
    this.#udf = udf;
  }

  /**
   * An engine for a case that creates `names`: the shared one when none of them exists there yet, else a new shared
   * one; `fresh` cases get their own, which the caller closes.
   */
  async slotFor(names: readonly string[], fresh: boolean): Promise<EngineSlot> {
    if (fresh) return EngineSlot.start(this.#kafka, await caseRegistry(this.#udf));
    const shared = this.#shared;
    if (shared !== undefined && !shared.dirty && names.every((n) => !shared.names.has(n))) return shared;
    await this.close();
    this.#shared = await EngineSlot.start(this.#kafka, await caseRegistry(this.#udf));
    return this.#shared;
  }

  isShared(slot: EngineSlot): boolean {
    return slot === this.#shared;
  }

  async close(): Promise<void> {
    const shared = this.#shared;
    this.#shared = undefined;
    await shared?.close();
  }
}
