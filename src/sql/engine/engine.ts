// The SQL engine: the command log replayed into the catalog, persistent queries on consumer groups, SqlService.
import { randomUUID } from "node:crypto";
import { createAdmin, explainKafkaError, type KafkaConfig } from "../../kafka/index.ts";
import { FABRIK_VERSION } from "../../version.ts";
import type { InsertValuesPlan } from "../analysis/insert-values.ts";
import { createBuiltinRegistry } from "../functions/builtins.ts";
import type { FunctionRegistry } from "../functions/registry.ts";
import { type Command, CommandLog } from "./command-log.ts";
import type { KsqlEntity, QueryStream, ServerInfo, SqlService } from "./entities.ts";
import { insertValues } from "./interactive/index.ts";
import { checkServiceId } from "./internal-names.ts";
import { Metastore } from "./metastore.ts";
import {
  ensureProcessingLogTopic,
  PROCESSING_LOG_STREAM,
  ProcessingLogWriter,
  processingLogStreamSql,
} from "./processing-log.ts";
import { type ByteProducer, createRecordProducer } from "./record-producer.ts";
import { type ApplyOutcome, CommandApplier } from "./statements/apply.ts";
import { type ExecutorContext, executeStatements } from "./statements/executor.ts";
import { EngineProperties } from "./statements/properties.ts";
import { type EngineLog, QueryTasks } from "./statements/query-tasks.ts";
import { TransientQueries } from "./statements/transient-queries.ts";

export interface SqlEngineOptions {
  readonly kafka: KafkaConfig;
  /** ksql.service.id: names the command topic, internal topics and query groups; servers with one id share work. */
  readonly serviceId?: string;
  readonly registry?: FunctionRegistry;
  /** Server properties, ksqlDB names: ksql.output.topic.name.prefix, auto.offset.reset, ksql.internal.topic.replicas … */
  readonly properties?: Readonly<Record<string, string>>;
  readonly log?: EngineLog;
}

export interface SqlEngine extends SqlService {
  readonly serviceId: string;
  close(): Promise<void>;
}

const consoleLog: EngineLog = {
  info: (message) => console.log(`fabrik sql: ${message}`),
  warn: (message) => console.warn(`fabrik sql: ${message}`),
  error: (message) => console.error(`fabrik sql: ${message}`),
};

/**
 * Starts a server of the service `serviceId`: replays the command topic into the catalog, starts every persistent
 * query (each resumes from its group's committed offsets), declares KSQL_PROCESSING_LOG when the catalog lacks it, and
 * follows the commands other servers append. Rejects when Kafka cannot be reached or the service id is unusable.
 */
export async function startSqlEngine(options: SqlEngineOptions): Promise<SqlEngine> {
  const serviceId = checkServiceId(options.serviceId ?? "default");
  const kafka = options.kafka;
  const log = options.log ?? consoleLog;
  const registry = options.registry ?? createBuiltinRegistry();
  const properties = new EngineProperties(serviceId, options.properties);
  const serverId = randomUUID();
  const catalog = new Metastore();
  const tasks = new QueryTasks({ kafka, serviceId, serverId, properties, log });
  let commandLog: CommandLog | undefined;
  const applier = new CommandApplier({
    kafka,
    catalog,
    registry,
    properties,
    tasks,
    log,
    serverId: () => commandLog?.serverId ?? serverId,
  });
  const clusterId = await kafkaClusterId(kafka);
  await ensureProcessingLogTopic(kafka, serviceId);
  commandLog = await CommandLog.open({
    kafka,
    serviceId,
    serverId,
    apply: (command) => applier.apply(command),
    onProblem: (sequence, error) => log.warn(`command ${sequence} skipped: ${error.message}`),
  });
  await applier.finishReplay();
  const engine = new Engine({ kafka, serviceId, clusterId, registry, properties, catalog, tasks, applier, commandLog });
  if (!catalog.source(PROCESSING_LOG_STREAM)) {
    // Through the log like any statement, so that every server agrees; a second server racing us finds it exists.
    const sql = processingLogStreamSql(serviceId).replace(/^CREATE STREAM /, "CREATE STREAM IF NOT EXISTS ");
    await engine
      .execute(sql)
      .catch((error: Error) => log.warn(`could not declare ${PROCESSING_LOG_STREAM}: ${error.message}`));
  }
  log.info(`service ${serviceId}: ${catalog.sources().length} sources, ${catalog.queries().length} queries`);
  return engine;
}

async function kafkaClusterId(kafka: KafkaConfig): Promise<string> {
  const admin = createAdmin(kafka, { clientId: "fabrik-sql-info" });
  try {
    return (await admin.metadata({ topics: [] })).id;
  } catch (error) {
    throw new Error(`cannot reach Kafka at ${kafka.bootstrapServers.join(",")}: ${explainKafkaError(error)}`, {
      cause: error,
    });
  } finally {
    await admin.close().catch(() => {});
  }
}

interface EngineParts {
  readonly kafka: KafkaConfig;
  readonly serviceId: string;
  readonly clusterId: string;
  readonly registry: FunctionRegistry;
  readonly properties: EngineProperties;
  readonly catalog: Metastore;
  readonly tasks: QueryTasks;
  readonly applier: CommandApplier;
  readonly commandLog: CommandLog;
}

class Engine implements SqlEngine {
  readonly serviceId: string;
  readonly #p: EngineParts;
  readonly #transient: TransientQueries;
  readonly #processingLog: ProcessingLogWriter;
  readonly #executor: ExecutorContext;
  #producer: ByteProducer | undefined;
  #closed: Promise<void> | undefined;

  constructor(parts: EngineParts) {
    this.serviceId = parts.serviceId;
    this.#p = parts;
    this.#processingLog = new ProcessingLogWriter(parts.kafka, parts.serviceId);
    this.#transient = new TransientQueries({
      kafka: parts.kafka,
      catalog: parts.catalog,
      registry: parts.registry,
      properties: parts.properties,
      tasks: parts.tasks,
      logErrors: (queryId, entries) => this.#processingLog.write(queryId, entries),
    });
    this.#executor = {
      kafka: parts.kafka,
      catalog: parts.catalog,
      tasks: parts.tasks,
      registry: parts.registry,
      properties: parts.properties,
      pushQueries: () => this.#transient.list(),
      nextSequence: () => parts.commandLog.next,
      submit: (command, commandId) => this.#submit(command, commandId),
      catchUp: () => parts.commandLog.caughtUp(),
      insertValues: (plan) => this.#insert(plan),
      closePushQuery: (id) => this.#transient.close(id),
    };
  }

  execute(text: string, properties?: Readonly<Record<string, unknown>>): Promise<KsqlEntity[]> {
    return executeStatements(text, properties, this.#executor);
  }

  query(text: string, properties?: Readonly<Record<string, unknown>>): Promise<QueryStream> {
    return this.#transient.start(text, properties);
  }

  closeQuery(queryId: string): boolean {
    return this.#transient.close(queryId);
  }

  info(): ServerInfo {
    return {
      version: FABRIK_VERSION,
      kafkaClusterId: this.#p.clusterId,
      ksqlServiceId: this.serviceId,
      serverStatus: this.#closed === undefined ? "RUNNING" : "ERROR",
    };
  }

  async healthy() {
    const kafka = this.#p.commandLog.health().healthy;
    const running = this.#closed === undefined;
    return {
      isHealthy: kafka && running,
      details: {
        metastore: { isHealthy: running },
        kafka: { isHealthy: kafka },
        commandRunner: { isHealthy: running },
      },
    };
  }

  /** Ends push queries, stops following the log, then stops every query (each commits and leaves its group). */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#transient.closeAll();
      await this.#p.commandLog.close();
      await this.#p.tasks.close();
      await this.#producer?.close().catch(() => {});
      await this.#processingLog.close().catch(() => {});
    })();
    return this.#closed;
  }

  async #submit(command: Command, commandId: string): Promise<{ sequence: number; outcome: ApplyOutcome }> {
    const sequence = await this.#p.commandLog.append(command, commandId);
    const outcome = this.#p.applier.take(sequence) ?? {
      ok: false,
      error: new Error(`command ${sequence} was read back but its outcome is unknown`),
    };
    return { sequence, outcome };
  }

  async #insert(plan: InsertValuesPlan): Promise<void> {
    this.#producer ??= createRecordProducer(this.#p.kafka, `fabrik-sql-${this.serviceId}-insert`);
    await insertValues(this.#producer, plan);
  }
}
