// A catalog driven by commands as the engine drives it, without Kafka: the applier in replay mode over fake topics.
import type { TopicInfo } from "../../../../src/sql/analysis/catalog.ts";
import type { JsonValue } from "../../../../src/sql/engine/entities.ts";
import { Metastore } from "../../../../src/sql/engine/metastore.ts";
import { CommandApplier } from "../../../../src/sql/engine/statements/apply.ts";
import {
  type CatalogChange,
  isCatalogStatement,
  prepareChange,
} from "../../../../src/sql/engine/statements/prepare.ts";
import { EngineProperties, type Overrides } from "../../../../src/sql/engine/statements/properties.ts";
import { QueryTasks } from "../../../../src/sql/engine/statements/query-tasks.ts";
import { createBuiltinRegistry } from "../../../../src/sql/functions/builtins.ts";
import { parseStatements } from "../../../../src/sql/language/parse-statements.ts";

/** Topics the fake cluster has before any statement runs. */
const TOPICS: Record<string, TopicInfo> = {
  readings: { partitions: 3, replicas: 1 },
  machines: { partitions: 3, replicas: 1 },
};

export class CatalogHarness {
  readonly catalog = new Metastore();
  readonly registry = createBuiltinRegistry();
  readonly properties: EngineProperties;
  readonly tasks: QueryTasks;
  readonly warnings: string[] = [];
  readonly topics = new Map<string, TopicInfo>(Object.entries(TOPICS));
  readonly #applier: CommandApplier;
  #sequence = 0;

  constructor(server: Record<string, string> = {}) {
    this.properties = new EngineProperties("unit", server);
    const log = {
      info: () => {},
      warn: (m: string) => this.warnings.push(m),
      error: (m: string) => this.warnings.push(m),
    };
    // Never started: the applier stays in replay mode, which only changes the catalog.
    this.tasks = new QueryTasks({
      kafka: { bootstrapServers: ["127.0.0.1:1"] },
      serviceId: "unit",
      serverId: "unit-server",
      properties: this.properties,
      log,
    });
    this.#applier = new CommandApplier({
      kafka: { bootstrapServers: ["127.0.0.1:1"] },
      catalog: this.catalog,
      registry: this.registry,
      properties: this.properties,
      tasks: this.tasks,
      log,
      serverId: () => "unit-server",
      lookUpTopics: async (names) =>
        new Map(names.flatMap((n) => (this.topics.has(n) ? [[n, this.topics.get(n)!] as const] : []))),
    });
  }

  /**
   * Applies each statement of `text` as its own command (with the topics its issuer recorded, if given), in order;
   * returns the warnings the failures logged.
   */
  async apply(
    text: string,
    properties: Record<string, JsonValue> = {},
    topics?: Record<string, TopicInfo>,
  ): Promise<string[]> {
    const before = this.warnings.length;
    for (const parsed of parseStatements(text)) {
      this.#sequence++;
      await this.#applier.apply({
        sequence: this.#sequence,
        command: { statement: parsed.text, properties, ...(topics ? { topics } : {}) },
        timestamp: 0,
        origin: "elsewhere",
      });
    }
    return this.warnings.slice(before);
  }

  /** What the next command would do, checked as the executor checks it before appending. */
  prepare(text: string, overrides: Overrides = {}): CatalogChange {
    const [parsed] = parseStatements(text);
    if (!parsed || !isCatalogStatement(parsed.statement)) throw new Error(`not a catalog statement: ${text}`);
    return prepareChange(parsed.statement, {
      text,
      catalog: this.catalog,
      registry: this.registry,
      properties: this.properties,
      overrides,
      topic: (name) => this.topics.get(name),
      sequence: this.#sequence + 1,
      internalTopicPrefix: this.tasks.internalTopicPrefix,
    });
  }
}
