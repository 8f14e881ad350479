// Runs one golden case on an engine: topics, statements, inputs, then every expectation the case states.

import assert from "node:assert/strict";
import { createAdmin, type KafkaConfig } from "../../../src/kafka/index.ts";
import type { JsonValue, KsqlEntity } from "../../../src/sql/engine/entities.ts";
import { processingLogTopic } from "../../../src/sql/engine/index.ts";
import { type ByteProducer, createRecordProducer, produceAll } from "../../../src/sql/engine/record-producer.ts";
import { eventually } from "../../support/kafka.ts";
import {
  type CaseStatement,
  caseStatements,
  errorStatement,
  type GoldenCase,
  type InputSpec,
  inputsPosition,
  type OutputSpec,
  type StatementStep,
  scriptStatements,
  timeOf,
} from "./case-file.ts";
import type { EngineSlot } from "./engine-pool.ts";
import { assertError, errorFacts, type PrefixedText } from "./error-facts.ts";
import { checkQuery, type QueryRun } from "./query-results.ts";
import { encodeBytes } from "./record-bytes.ts";
import { assertOutputs, readTopicsUntil } from "./sink-reader.ts";
import { prefixTopics, withoutPrefix } from "./topic-names.ts";
import { matchValue } from "./value-match.ts";

/** How long the sinks (and the processing log) may take to hold what a case expects. */
const OUTPUT_TIMEOUT_MS = 30_000;

export interface RunOptions {
  readonly kafka: KafkaConfig;
  /**
   * Properties every statement and query is sent with. With `cache.max.bytes.buffering` 0 among them a table shows
   * every update, so sinks are compared record by record.
   */
  readonly properties: Readonly<Record<string, string>>;
}

export class CaseRun {
  readonly #slot: EngineSlot;
  readonly #case: GoldenCase;
  readonly #options: RunOptions;
  readonly #properties: Record<string, string>;
  readonly #queryIds = new Set<string>();

  constructor(slot: EngineSlot, c: GoldenCase, options: RunOptions) {
    this.#slot = slot;
    this.#case = c;
    this.#options = options;
    this.#properties = { ...options.properties, ...c.properties };
  }

  async run(): Promise<void> {
    const c = this.#case;
    await this.#createTopics(c.topics ?? {});
    const statements = caseStatements(c);
    const failing = errorStatement(c, statements.length);
    const produceAt = inputsPosition(c, statements);
    for (const [i, statement] of statements.entries()) {
      if (i === produceAt) await this.#produce(c.inputs ?? []);
      if (i === failing) {
        await this.#expectFailure(statement, i);
        break;
      }
      const entities = await this.#execute(statement, `statement ${i}`);
      for (const response of (c.responses ?? []).filter((r) => r.statement === i)) {
        this.#assertEntity(response.entity, entities, `statement ${i} (${statement.text})`);
      }
    }
    if (produceAt >= statements.length) await this.#produce(c.inputs ?? []);
    await this.#assertOutputs(c.outputs ?? {});
    for (const [part, queries] of [
      ["pull", c.pull],
      ["push", c.push],
      ["print", c.print],
    ] as const) {
      for (const query of queries ?? []) await checkQuery(this.#queryRun(), query, part);
    }
    if (c.processingLog !== undefined) await this.#assertProcessingLog(c.processingLog);
    for (const [i, step] of (c.then ?? []).entries()) {
      const what = `then[${i}]`;
      if ("statement" in step) await this.#statementStep(step, what);
      else if ("inputs" in step) await this.#produce(step.inputs);
      else if ("outputs" in step) await this.#assertOutputs(step.outputs);
      else if ("pull" in step) for (const q of step.pull) await checkQuery(this.#queryRun(), q, `${what} pull`);
      else if ("push" in step) for (const q of step.push) await checkQuery(this.#queryRun(), q, `${what} push`);
      else if ("restart" in step) await this.#slot.restart();
      else await this.#deleteTopic(step.deleteTopic);
    }
  }

  #prefixed(text: string): PrefixedText {
    return { original: text, ...prefixTopics(text, this.#slot.prefix) };
  }

  #unprefix(value: unknown): unknown {
    return withoutPrefix(value, this.#slot.prefix);
  }

  #queryRun(): QueryRun {
    return {
      service: this.#slot.engine,
      properties: this.#properties,
      prefixed: (text) => this.#prefixed(text),
      unprefix: (value) => this.#unprefix(value),
      onQueryId: (id) => this.#queryIds.add(id),
    };
  }

  /**
   * Runs one statement as ksqlDB's CLI would: SET and UNSET also change the properties sent with what follows, RUN
   * SCRIPT runs the statements of a file in cases/ one by one.
   */
  async #execute(statement: CaseStatement, what: string): Promise<KsqlEntity[]> {
    const parsed = statement.parsed?.statement;
    if (parsed?.kind === "RunScript") {
      const entities: KsqlEntity[] = [];
      for (const inner of scriptStatements(parsed.path)) {
        entities.push(...(await this.#execute(inner, `${what} (${parsed.path})`)));
      }
      return entities;
    }
    if (parsed?.kind === "SetProperty") this.#properties[parsed.name] = parsed.value;
    if (parsed?.kind === "UnsetProperty") delete this.#properties[parsed.name];
    if (parsed?.kind === "CreateSource" || parsed?.kind === "CreateAsSelect") {
      this.#slot.names.add(parsed.name.value);
    }
    const text = this.#prefixed(statement.text);
    let entities: KsqlEntity[];
    try {
      entities = await this.#slot.engine.execute(text.text, this.#properties);
    } catch (error) {
      throw new Error(`${what} failed: ${statement.text}\n  ${String(error)}`, { cause: error });
    }
    for (const entity of entities) {
      if (entity["@type"] === "currentStatus" && entity.commandStatus.queryId) {
        this.#queryIds.add(entity.commandStatus.queryId);
      }
    }
    return entities;
  }

  /** The statement fails as the case says, and the catalog is what it was before (issue 5, item 8). */
  async #expectFailure(statement: CaseStatement, index: number): Promise<void> {
    const before = await this.#catalogNames();
    const text = this.#prefixed(statement.text);
    let entities: KsqlEntity[];
    try {
      entities = await this.#slot.engine.execute(text.text, this.#properties);
    } catch (error) {
      assertError(this.#case.error!, errorFacts(error, text), `statement ${index}`);
      assert.deepEqual(await this.#catalogNames(), before, "a failing statement must leave the catalog unchanged");
      return;
    }
    assert.fail(`statement ${index} should fail but answered ${JSON.stringify(this.#unprefix(entities))}`);
  }

  async #statementStep(step: StatementStep, what: string): Promise<void> {
    const statement = { text: step.statement.trim() };
    const attempt = async () => {
      const text = this.#prefixed(statement.text);
      try {
        const entities = await this.#slot.engine.execute(text.text, this.#properties);
        assert.equal(step.error, undefined, `${what} should fail: ${step.statement}`);
        if (step.entity !== undefined) this.#assertEntity(step.entity, entities, `${what} (${step.statement})`);
      } catch (error) {
        if (step.error === undefined || error instanceof assert.AssertionError) throw error;
        assertError(step.error, errorFacts(error, text), what);
      }
      return true;
    };
    if (step.eventually) await eventually(`${what}: ${step.statement}`, attempt, OUTPUT_TIMEOUT_MS);
    else await attempt();
  }

  #assertEntity(expected: JsonValue, entities: readonly KsqlEntity[], what: string): void {
    const actual = this.#unprefix(entities[0]);
    const miss = matchValue(expected, actual, "subset");
    assert.equal(miss, undefined, `${what}: ${miss}\n  answered: ${JSON.stringify(actual)}`);
  }

  async #catalogNames(): Promise<{ streams: string[]; tables: string[]; queries: string[] }> {
    const entities = await this.#slot.engine.execute("SHOW STREAMS; SHOW TABLES; SHOW QUERIES;", {});
    const names = { streams: [] as string[], tables: [] as string[], queries: [] as string[] };
    for (const entity of entities) {
      if (entity["@type"] === "streams") names.streams = entity.streams.map((s) => s.name).sort();
      if (entity["@type"] === "tables") names.tables = entity.tables.map((s) => s.name).sort();
      if (entity["@type"] === "queries") names.queries = entity.queries.map((q) => q.id).sort();
    }
    return names;
  }

  async #createTopics(topics: Readonly<Record<string, number>>): Promise<void> {
    if (Object.keys(topics).length === 0) return;
    const admin = createAdmin(this.#options.kafka);
    try {
      for (const [name, partitions] of Object.entries(topics)) {
        await admin.createTopics({ topics: [this.#slot.prefix + name], partitions, replicas: 1 });
      }
    } finally {
      await admin.close();
    }
  }

  async #deleteTopic(name: string): Promise<void> {
    const admin = createAdmin(this.#options.kafka);
    try {
      await admin.deleteTopics({ topics: [this.#slot.prefix + name] });
    } finally {
      await admin.close();
    }
  }

  /**
   * Produces the inputs in order, one acknowledged send each, with Kafka's Java partitioner for keyed records. The
   * client waits for a missing topic indefinitely: a send that takes too long fails the case instead.
   */
  async #produce(inputs: readonly InputSpec[]): Promise<void> {
    if (inputs.length === 0) return;
    const producer = createRecordProducer(this.#options.kafka, "fabrik-golden-inputs");
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`producing the inputs took over ${OUTPUT_TIMEOUT_MS} ms`)),
        OUTPUT_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([this.#send(producer, inputs), timeout]);
    } finally {
      clearTimeout(timer);
      await producer.close(true).catch(() => {});
    }
  }

  async #send(producer: ByteProducer, inputs: readonly InputSpec[]): Promise<void> {
    for (const input of inputs) {
      await produceAll(producer, [
        {
          topic: this.#slot.prefix + input.topic,
          key: encodeBytes(input.key),
          value: encodeBytes(input.value),
          timestamp: input.timestamp === undefined ? Date.now() : timeOf(input.timestamp),
          ...(input.partition === undefined ? {} : { partition: input.partition }),
          ...(input.headers === undefined
            ? {}
            : { headers: input.headers.map(([name, value]) => [name, Buffer.from(value, "utf8")] as const) }),
        },
      ]);
    }
  }

  async #assertOutputs(outputs: Readonly<Record<string, readonly OutputSpec[]>>): Promise<void> {
    await assertOutputs(
      this.#options.kafka,
      Object.entries(outputs).map(([local, expected]) => ({
        topic: this.#slot.prefix + local,
        local,
        expected,
      })),
      OUTPUT_TIMEOUT_MS,
    );
  }

  /** The entries this case's queries wrote to the processing log match the expected ones, in any order. */
  async #assertProcessingLog(expected: readonly JsonValue[]): Promise<void> {
    const topic = processingLogTopic(this.#slot.serviceId);
    const ours = (records: readonly { value: Buffer | null }[]) =>
      records
        .map((r) => JSON.parse(r.value?.toString("utf8") ?? "null") as { QUERY_ID?: string } | null)
        .filter((v) => v !== null && v.QUERY_ID !== undefined && this.#queryIds.has(v.QUERY_ID));
    const { records } = await readTopicsUntil(
      this.#options.kafka,
      [topic],
      (arrived) => ours(arrived.get(topic) ?? []).length >= expected.length,
      OUTPUT_TIMEOUT_MS,
    );
    const entries = this.#unprefix(ours(records.get(topic) ?? []));
    const miss = matchValue({ $unordered: [...expected] }, entries, "subset");
    assert.equal(miss, undefined, `processing log: ${miss}\n  entries: ${JSON.stringify(entries)}`);
  }
}
