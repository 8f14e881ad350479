// What the engine's integration tests share: engines with quick group timings, statement helpers, sink reads.
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { CommittedRecord } from "../../../../src/kafka/index.ts";
import {
  type CommandStatus,
  type KsqlEntity,
  type KsqlErrorBody,
  KsqlRequestError,
  type QueryStream,
  type RunningQuery,
  type SqlEngine,
  startSqlEngine,
} from "../../../../src/sql/engine/index.ts";
import { eventually } from "../../../support/kafka.ts";
import { kafka, readAll, uniqueService } from "../fixture.ts";

export { kafka, uniqueService };

/** Groups that notice a lost member in seconds, retries within a second: tests do not wait Kafka's defaults. */
export const QUICK: Readonly<Record<string, string>> = {
  "session.timeout.ms": "6000",
  "heartbeat.interval.ms": "300",
  "retry.backoff.ms": "200",
};

export interface TestEngine {
  readonly engine: SqlEngine;
  /** What the engine logged, `LEVEL message` per line. */
  readonly log: string[];
}

/** Starts an engine of `serviceId`; closed when the test ends (closing twice is harmless). */
export async function startEngine(
  t: TestContext,
  serviceId: string,
  properties: Record<string, string> = {},
): Promise<TestEngine> {
  const log: string[] = [];
  const engine = await startSqlEngine({
    kafka,
    serviceId,
    properties: { ...QUICK, ...properties },
    log: {
      info: (m) => log.push(`INFO ${m}`),
      warn: (m) => log.push(`WARN ${m}`),
      error: (m) => log.push(`ERROR ${m}`),
    },
  });
  t.after(() => engine.close());
  return { engine, log };
}

/** The command status of the last statement of `text` (every statement must answer one). */
export async function run(
  engine: SqlEngine,
  text: string,
  properties?: Record<string, unknown>,
): Promise<CommandStatus> {
  const entities = await engine.execute(text, properties);
  const last = entities.at(-1);
  assert.equal(last?.["@type"], "currentStatus", JSON.stringify(entities));
  return (last as Extract<KsqlEntity, { "@type": "currentStatus" }>).commandStatus;
}

/** The one entity of `text`, of the kind expected. */
export async function entity<T extends KsqlEntity["@type"]>(
  engine: SqlEngine,
  text: string,
  kind: T,
): Promise<Extract<KsqlEntity, { "@type": T }>> {
  const entities = await engine.execute(text);
  assert.equal(entities.length, 1, JSON.stringify(entities));
  assert.equal(entities[0]?.["@type"], kind);
  return entities[0] as Extract<KsqlEntity, { "@type": T }>;
}

/** The body of the KsqlRequestError that `work` rejects with. */
export async function refused(work: Promise<unknown>): Promise<KsqlErrorBody> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof KsqlRequestError, `expected a KsqlRequestError, got ${String(error)}`);
    return error.body;
  }
  assert.fail("expected the statement to be refused");
}

/** SHOW QUERIES' entry for `id`, and the warnings it came with. */
export async function shownQuery(
  engine: SqlEngine,
  id: string,
): Promise<{ query: RunningQuery | undefined; warnings: string[] }> {
  const shown = await entity(engine, "SHOW QUERIES;", "queries");
  return { query: shown.queries.find((q) => q.id === id), warnings: shown.warnings.map((w) => w.message) };
}

/** Waits until SHOW QUERIES shows `id` in `state`. */
export function whenQueryState(engine: SqlEngine, id: string, state: string, timeoutMs = 30_000) {
  return eventually(
    `query ${id} in state ${state}`,
    async () => {
      const shown = await shownQuery(engine, id);
      return shown.query?.state === state ? shown : undefined;
    },
    timeoutMs,
  );
}

/** Waits until `topic` holds at least `count` records, then answers them all. */
export function recordsOf(topic: string, count: number, timeoutMs = 30_000): Promise<CommittedRecord[]> {
  return eventually(
    `${count} records in ${topic}`,
    async () => {
      const records = await readAll(topic);
      return records.length >= count ? records : undefined;
    },
    timeoutMs,
  );
}

export function text(buffer: Buffer | null | undefined): string | null {
  return buffer === null || buffer === undefined ? null : buffer.toString("utf8");
}

/** Every row of a stream that ends by itself (a pull query, a push query with LIMIT). */
export async function rowsOf(stream: QueryStream): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const row of stream.rows) rows.push([...row]);
  return rows;
}
