// Applies the command log to the catalog: every server, for every command, in log order, live and on replay.

import type { KafkaConfig } from "../../../kafka/index.ts";
import type { SourceDescription, TopicInfo } from "../../analysis/catalog.ts";
import type { FunctionRegistry } from "../../functions/registry.ts";
import { parseStatements } from "../../language/parse-statements.ts";
import type { LoggedCommand } from "../command-log.ts";
import type { Metastore, PersistentQuery } from "../metastore.ts";
import {
  deleteTopic,
  describeTopics,
  ensureSinkTopic,
  listTopics,
  type TopicInfo as SinkTopicInfo,
} from "../topics.ts";
import { SqlStatementError } from "./errors.ts";
import { type CatalogChange, isCatalogStatement, prepareChange, topicsOf } from "./prepare.ts";
import type { EngineProperties, Overrides } from "./properties.ts";
import type { EngineLog, QueryTasks } from "./query-tasks.ts";

/** How applying one command went: what the issuing server answers its client. */
export type ApplyOutcome =
  | { readonly ok: true; readonly message: string; readonly queryId: string | null }
  | { readonly ok: false; readonly error: unknown };

export interface ApplierOptions {
  readonly kafka: KafkaConfig;
  readonly catalog: Metastore;
  readonly registry: FunctionRegistry;
  readonly properties: EngineProperties;
  readonly tasks: QueryTasks;
  readonly log: EngineLog;
  /** This server's id in the command log: only its own commands' outcomes are kept for the caller. */
  readonly serverId: () => string;
  /** What Kafka says of these topics; default: ask Kafka (tests answer without one). */
  readonly lookUpTopics?: (names: readonly string[]) => Promise<Map<string, TopicInfo>>;
}

/**
 * While the log replays (the engine starting), commands only rebuild the catalog: the topics and groups they touched
 * were made or deleted when they ran first, and queries start once the replay is over, from their committed offsets.
 * Live, a command also does its Kafka side (create the sink topic, start or stop the query, delete the topic) before
 * the catalog changes, so a command whose side fails leaves the catalog as it was.
 */
export class CommandApplier {
  readonly #o: ApplierOptions;
  readonly #outcomes = new Map<number, ApplyOutcome>();
  #replaying = true;
  /** During the replay: every topic, listed once, instead of one lookup per command. */
  #replayTopics: Map<string, TopicInfo> | undefined;

  constructor(options: ApplierOptions) {
    this.#o = options;
  }

  /** The outcome of this server's command `sequence`, once (the caller that appended it takes it). */
  take(sequence: number): ApplyOutcome | undefined {
    const outcome = this.#outcomes.get(sequence);
    this.#outcomes.delete(sequence);
    return outcome;
  }

  async apply(logged: LoggedCommand): Promise<void> {
    let outcome: ApplyOutcome;
    try {
      const change = await this.#prepare(logged);
      await this.#commit(change);
      const queryId = change.kind === "start-query" ? change.query.id : null;
      outcome = { ok: true, message: change.message, queryId };
    } catch (error) {
      outcome = { ok: false, error };
      const message = error instanceof Error ? error.message : String(error);
      this.#o.log.warn(`command ${logged.sequence} (${logged.command.statement.trim()}) failed: ${message}`);
    }
    if (!this.#replaying && logged.origin === this.#o.serverId()) this.#outcomes.set(logged.sequence, outcome);
  }

  /** The replay is over: commands from now on are live; every query in the catalog starts. */
  async finishReplay(): Promise<void> {
    this.#replaying = false;
    this.#replayTopics = undefined;
    for (const query of this.#o.catalog.queries()) {
      const writesSink = query.kind === "CSAS" || query.kind === "CTAS";
      const sink = writesSink ? this.#o.catalog.source(query.sink) : undefined;
      if (sink) {
        // A crash between appending and applying, or a topic deleted since: the query needs its sink.
        await this.#ensureSink(sink, query).catch((error: Error) =>
          this.#o.log.warn(`query ${query.id}: sink topic ${sink.topic}: ${error.message}`),
        );
      }
      // Terminated meanwhile by a live command.
      if (this.#o.catalog.query(query.id) === query) this.#o.tasks.start(query);
    }
  }

  async #prepare(logged: LoggedCommand): Promise<CatalogChange> {
    const { statement: text, properties, topics: recorded = {} } = logged.command;
    const parsed = parseStatements(text);
    const statement = parsed[0]?.statement;
    if (parsed.length !== 1 || statement === undefined || !isCatalogStatement(statement)) {
      throw new SqlStatementError("SQL_STATEMENT_UNSUPPORTED", "a command holds one CREATE, INSERT, DROP or TERMINATE");
    }
    const overrides: Overrides = properties;
    const names = topicsOf(statement, this.#o.properties, overrides);
    const live = await this.#lookUp(names);
    return prepareChange(statement, {
      text,
      catalog: this.#o.catalog,
      registry: this.#o.registry,
      properties: this.#o.properties,
      overrides,
      // A topic deleted since the command was issued keeps the source in the catalog (its queries show ERROR).
      topic: (name) => live.get(name) ?? recorded[name],
      sequence: logged.sequence,
      internalTopicPrefix: this.#o.tasks.internalTopicPrefix,
    });
  }

  async #lookUp(names: readonly string[]): Promise<Map<string, TopicInfo>> {
    if (names.length === 0) return new Map();
    if (this.#o.lookUpTopics) return this.#o.lookUpTopics(names);
    if (!this.#replaying) return describeTopics(this.#o.kafka, names);
    this.#replayTopics ??= new Map(
      (await listTopics(this.#o.kafka, { includeInternal: true })).map((t) => [t.name, t]),
    );
    return this.#replayTopics;
  }

  async #commit(change: CatalogChange): Promise<void> {
    const { catalog, tasks } = this.#o;
    const live = !this.#replaying;
    switch (change.kind) {
      case "none":
        return;
      case "create-source": {
        let source = change.source;
        if (live && change.createTopic) {
          const info = await ensureSinkTopic(this.#o.kafka, {
            name: source.topic,
            partitions: source.partitions,
            ...(source.replicas > 0 ? { replicas: source.replicas } : {}),
          });
          source = { ...source, replicas: info.replicas };
        }
        const previous = catalog.ownerOf(source.name);
        const previousQuery = previous === undefined ? undefined : catalog.query(previous);
        if (previousQuery?.kind === "CST" && live) {
          if (change.materialize?.id === previousQuery.id) await tasks.stop(previousQuery.id);
          else await tasks.terminate(previousQuery);
        }
        if (previousQuery?.kind === "CST" && change.materialize?.id !== previousQuery.id) {
          catalog.removeQuery(previousQuery.id);
        }
        const owner = change.materialize?.id ?? (previousQuery?.kind === "CST" ? undefined : previous);
        catalog.putSource(source, owner);
        if (change.materialize) this.#startQuery(change.materialize);
        return;
      }
      case "start-query": {
        let sink = change.sink;
        if (live && sink) sink = { ...sink, replicas: (await this.#ensureSink(sink, change.query)).replicas };
        // OR REPLACE: the query keeps its id; the old version stops here and the new one carries on.
        if (live && catalog.query(change.query.id)) await tasks.stop(change.query.id);
        if (sink) catalog.putSource(sink, change.query.id);
        this.#startQuery(change.query);
        return;
      }
      case "drop": {
        for (const id of change.terminate) await this.#terminate(id);
        catalog.dropSource(change.source.name);
        if (live && change.deleteTopic) await deleteTopic(this.#o.kafka, change.source.topic);
        return;
      }
      case "terminate":
        for (const id of change.ids) await this.#terminate(id);
        return;
    }
  }

  #startQuery(query: PersistentQuery): void {
    this.#o.catalog.putQuery(query);
    if (!this.#replaying) this.#o.tasks.start(query);
  }

  async #terminate(id: string): Promise<void> {
    const query = this.#o.catalog.query(id);
    if (!query) return;
    if (!this.#replaying) await this.#o.tasks.terminate(query);
    this.#o.catalog.removeQuery(id);
  }

  /** The sink's topic, created when missing: compacted for a table that is not windowed, as ksqlDB makes it. */
  #ensureSink(sink: SourceDescription, query: PersistentQuery): Promise<SinkTopicInfo> {
    const compact = query.kind === "CTAS" && sink.kind === "TABLE" && sink.window === undefined;
    return ensureSinkTopic(this.#o.kafka, {
      name: sink.topic,
      partitions: sink.partitions,
      ...(sink.replicas > 0 ? { replicas: sink.replicas } : {}),
      ...(compact ? { configs: { "cleanup.policy": "compact" } } : {}),
    });
  }
}
